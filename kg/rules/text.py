"""Every finding's words in Chinese and English, read from ``messages.toml`` beside this module.

A check names a message and fills its fields (``say("Q01.vague", value="显著提高", …)``); the
wordings live in one file so that both languages are reviewed side by side and a reviewer's
vocabulary can change without touching a rule.  Each message has ``en`` and ``zh`` (what is
wrong) and may have ``suggest_en``/``suggest_zh``: a rewrite of the value or label, where X and Y
stand for figures only the table's author knows.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = ["Said", "message_keys", "quoted", "say"]


@dataclass(frozen=True)
class Said:
    """One finding's text: what is wrong (en, zh) and a suggested rewrite, if the rule has one."""

    en: str
    zh: str
    suggestion_en: str | None = None
    suggestion_zh: str | None = None


@cache
def _messages() -> dict[str, dict[str, str]]:
    data = tomllib.loads(files("kg.rules").joinpath("messages.toml").read_text(encoding="utf-8"))
    flat: dict[str, dict[str, str]] = {}
    for rule_id, entries in data.items():
        for name, entry in entries.items():
            flat[f"{rule_id}.{name}"] = entry
    return flat


def message_keys() -> frozenset[str]:
    return frozenset(_messages())


def quoted(terms: Iterable[str]) -> str:
    return "、".join(f"「{t}」" for t in terms)


def _field(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def say(key: str, /, **fields: Any) -> Said:
    """The message ``key`` ("Q01.vague") with ``fields`` filled in; a missing field is an error."""
    entry = _messages()[key]
    values: Mapping[str, str] = {k: _field(v) for k, v in fields.items()}
    suggest_en, suggest_zh = entry.get("suggest_en"), entry.get("suggest_zh")
    return Said(
        entry["en"].format_map(values),
        entry["zh"].format_map(values),
        suggest_en.format_map(values) if suggest_en else None,
        suggest_zh.format_map(values) if suggest_zh else None,
    )
