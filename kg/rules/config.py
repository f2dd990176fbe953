"""The rules' thresholds: quality-rules.md §5 defaults, overridable from a dict, TOML or JSON."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["RuleConfig", "load_config"]


@dataclass(frozen=True)
class RuleConfig:
    """Every number a rule compares against; all are heuristics ([H]) in the catalogue."""

    satisfaction_min: float = 80.0  # Q10 plausible band, %
    satisfaction_max: float = 98.0
    long_value_chars: int = 12  # Q05 descriptive value length without a number
    similar_jaccard: float = 0.8  # Q23, Q28 near-identical project sets
    similar_min_rows: int = 3
    boilerplate_share: float = 0.6  # Q24 share of projects holding the same row
    cost_tolerance: float = 0.005  # Q27 cost sum may exceed funding by this share
    cost_coverage_min: float = 0.5  # Q27 cost rows below this share of funding: a note
    min_indicators: int = 3  # Q19
    max_indicators: int = 30
    dominant_l1_share: float = 0.7  # Q19 one 一级 holding more than this share of rows
    trivial_count_rows: int = 3  # Q13 rows of "≥1次"/"=1次" in one project
    quality_rate_floor: float = 90.0  # Q13 合格率 / 验收通过率 / 完成率 below this, %
    small_improvement_pct: float = 1.0  # Q13 a percent improvement at or below this
    basis_missing_share: float = 0.5  # Q31 share of rows with a blank 指标值确定依据
    midterm_ratio: float = 1.5  # Q26 midterm/annual funding ratio
    midterm_identical_share: float = 0.8  # Q26 share of equal annual/midterm targets in a table
    funding_ratio: float = 2.0  # Q28 funding ratio of near-identical projects
    unit_cost_outlier: float = 3.0  # Q28 unit cost this many times off the median
    duplicate_jaccard: float = 0.8  # Q21 bigram Jaccard of two L3 in one project
    boilerplate_min_rows: int = 3  # Q22 mirrored rows with one suffix
    restate_similarity: float = 0.8  # Q32 explanation vs L3 bigram similarity
    restate_coverage: float = 0.5  # Q32 share of the explanation's characters that are the L3's
    disabled: frozenset[str] = field(default_factory=frozenset)  # rule ids not to run

    def with_overrides(self, overrides: Mapping[str, Any]) -> RuleConfig:
        known = {f.name: f for f in fields(self)}
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise ValueError(f"unknown rule parameter(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, value in overrides.items():
            default = getattr(self, name)
            if name == "disabled":
                values[name] = frozenset(str(v) for v in value)
            elif isinstance(default, bool) or not isinstance(value, int | float) or isinstance(value, bool):
                raise ValueError(f"rule parameter {name} must be a number, not {value!r}")
            else:
                values[name] = type(default)(value)
        return replace(self, **values)


def load_config(source: RuleConfig | Mapping[str, Any] | str | Path | None = None) -> RuleConfig:
    """A config from defaults, a mapping, or a ``.toml`` / ``.json`` file.

    A file may hold the parameters at its top level or under a ``[rules]`` table.
    """
    if source is None:
        return RuleConfig()
    if isinstance(source, RuleConfig):
        return source
    if isinstance(source, Mapping):
        data: Mapping[str, Any] = source
    else:
        path = Path(source)
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    if "rules" in data and isinstance(data["rules"], Mapping):
        data = data["rules"]
    return RuleConfig().with_overrides(data)
