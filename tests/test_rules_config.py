"""The rule registry and its configurable thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.rules import RULES, SEVERITIES, RuleConfig, load_config


def test_the_catalogue_has_32_documented_rules() -> None:
    assert sorted(RULES) == [f"Q{i:02d}" for i in range(1, 33)]
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id and rule.severity in SEVERITIES and rule.family in "ABCDE"
        assert rule.name and rule.name_zh and len(rule.explanation) > 80


def test_families_follow_the_catalogue() -> None:
    families = {r.family: [] for r in RULES.values()}
    for r in RULES.values():
        families[r.family].append(int(r.id[1:]))
    assert {f: (min(ids), max(ids)) for f, ids in families.items()} == {
        "A": (1, 8),
        "B": (9, 13),
        "C": (14, 24),
        "D": (25, 28),
        "E": (29, 32),
    }


def test_defaults_are_the_catalogue_parameters() -> None:
    cfg = RuleConfig()
    assert (cfg.satisfaction_min, cfg.satisfaction_max, cfg.long_value_chars) == (80.0, 98.0, 12)
    assert (cfg.similar_jaccard, cfg.similar_min_rows, cfg.boilerplate_share) == (0.8, 3, 0.6)
    assert (cfg.cost_tolerance, cfg.min_indicators, cfg.max_indicators) == (0.005, 3, 30)
    assert (cfg.trivial_count_rows, cfg.quality_rate_floor, cfg.basis_missing_share, cfg.midterm_ratio) == (
        3,
        90.0,
        0.5,
        1.5,
    )


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_file_overrides_some_parameters(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"rules{suffix}"
    if suffix == ".toml":
        path.write_text('[rules]\nsatisfaction_max = 99\ndisabled = ["Q07"]\n', encoding="utf-8")
    else:
        path.write_text(json.dumps({"satisfaction_max": 99, "disabled": ["Q07"]}), encoding="utf-8")
    cfg = load_config(path)
    assert cfg.satisfaction_max == 99.0 and cfg.disabled == frozenset({"Q07"}) and cfg.min_indicators == 3


@pytest.mark.parametrize("bad", [{"satisfaction_mx": 99}, {"min_indicators": "three"}])
def test_unknown_or_ill_typed_parameters_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"min_indicators|satisfaction_mx"):
        load_config(bad)
