"""Text cells that open safely in a spreadsheet: the one sanitiser every CSV and xlsx writer uses.

Two dangers, two answers (OWASP, "CSV Injection"):

- A cell that opens with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
  and LibreOffice as a formula: ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would run in the
  analyst's spreadsheet, and the legitimate targets ``=100%``, ``=12次`` read back blank or as
  errors.  In a workbook (:mod:`extract.sheets`) such a cell is stored as text with Excel's own
  "quote prefix" mark, so it reads back exactly as written; CSV has no text type, so it gets a
  leading apostrophe, which Excel takes as "text follows".  A plain number (``-5%``, ``+3``, ``-0.5``) is no formula and is
  left as it is, so it stays readable and sortable.
- Control characters (ESC, BEL, NUL…) cannot be stored in a workbook (XML 1.0 forbids them) and
  repaint a terminal; lone surrogates (an undecodable file name) cannot be encoded at all.  They
  become visible stand-ins: the Unicode control pictures (ESC → ␛) and U+FFFD, so the cell keeps
  saying that something was there.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["csv_cell", "is_formula_like", "printable"]

_FORMULA_START = frozenset("=+-@\t\r")
# a signed number, optionally a percentage or with thousands separators: a value, never a formula
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")
# C0 controls but tab, newline and carriage return (which cells may hold), and DEL
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def printable(text: str) -> str:
    """``text`` with control characters as their control pictures and lone surrogates as U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(_picture, text))


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (a plain signed number is not one)."""
    if not text or text[0] not in _FORMULA_START:
        return False
    return not (any(c.isdigit() for c in text) and _NUMBER.fullmatch(text)) and text != "-"


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: text made printable, a formula-like text prefixed with ``'``."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if is_formula_like(text) else text
