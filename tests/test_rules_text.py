"""Every finding's words come from kg/rules/messages.toml, in English and Chinese."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from kg.rules.text import Said, message_keys, say

RULES_DIR = Path(__file__).resolve().parent.parent / "kg" / "rules"
# every message key a rule names, as a string literal ("Q32.restates_rate" if … else "Q32.restates_count")
_SAID = re.compile(r"""["'](Q\d\d\.\w+)["']""")


def _used_keys() -> set[str]:
    return {m.group(1) for path in RULES_DIR.glob("*.py") for m in _SAID.finditer(path.read_text("utf-8"))}


def test_every_message_a_rule_says_is_written_and_every_written_one_is_said() -> None:
    used = _used_keys()
    assert len(used) > 60
    assert used == message_keys()


def test_every_message_has_both_languages_and_suggestions_in_pairs() -> None:
    data = tomllib.loads((RULES_DIR / "messages.toml").read_text("utf-8"))
    for rule, entries in data.items():
        for name, entry in entries.items():
            assert entry["en"] and entry["zh"], f"{rule}.{name}"
            assert ("suggest_en" in entry) == ("suggest_zh" in entry), f"{rule}.{name}"
            assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), f"{rule}.{name} has no Chinese"


def test_say_fills_the_fields_and_a_missing_field_is_an_error() -> None:
    said = say("Q09.over_100", value="≥100%")
    assert said == Said(
        "bounded rate set at ≥100%: above 100 % is impossible",
        "有上限的比率设为「≥100%」，超过100%不可能实现",
        "=100% (or ≥Y% with Y below 100)",
        "=100%（或≥Y%，Y小于100）",
    )
    with pytest.raises(KeyError):
        say("Q09.over_100")
    with pytest.raises(KeyError):
        say("Q99.nothing")
