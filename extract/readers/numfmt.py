"""Spreadsheet cells as the user sees them: a number under its number format.

A workbook stores ``1`` and shows ``100%``; stores ``44561`` and shows ``2021-12-31`` (or
``2021年12月31日``); stores ``12.5`` and shows ``12.50``.  :func:`parse_number_format`
reads an Excel format code into a :class:`NumberFormat`, and :func:`display_value` renders
a cell value with it.  Only what changes the reading of a target is kept: percent and
fixed decimals, thousands separators, dates (ISO, or Chinese when the format writes 年月日),
text.  Anything else shows as Excel's General does: integers without ``.0``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["BUILTIN_FORMATS", "GENERAL", "NumberFormat", "display_value", "excel_date", "parse_number_format"]

# built-in format ids a workbook refers to without writing the code (ECMA-376 18.8.30;
# 27-36 and 50-58 are the dates of the Chinese (zh-CN) locale)
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
    **{i: 'yyyy"年"m"月"d"日"' for i in (*range(27, 37), *range(50, 59))},
}  # fmt: skip

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[[^\]]*\]")
_DATE_TOKEN = re.compile(r"[yYmMdDhHsS]")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass(frozen=True)
class NumberFormat:
    """``kind``: general, fixed, percent, date, text; ``decimals`` and ``thousands`` for numbers."""

    kind: str = "general"
    decimals: int = 0
    thousands: bool = False
    chinese: bool = False  # a date written 2021年12月31日
    day: bool = True  # a date that shows its day (not 2021年12月)
    prefix: str = ""  # literal text the format writes around the number: 0"万元" shows 12万元
    suffix: str = ""


GENERAL = NumberFormat()


def parse_number_format(code: str | None) -> NumberFormat:
    """The display rule of an Excel number format code (its first, positive section)."""
    if not code or code.strip().lower() in ("general", "g/通用格式", "通用格式"):
        return GENERAL
    section = code.split(";")[0]
    plain = _BRACKET.sub("", _QUOTED.sub("", section))
    if "@" in plain and not re.search(r"[0#?]", plain):
        return NumberFormat("text")
    if _DATE_TOKEN.search(plain.replace("General", "")) and not re.search(r"[0#?]", plain):
        chinese = "年" in section or "月" in section
        day = bool(re.search(r"[dD]", plain)) or "日" in section
        return NumberFormat("date", chinese=chinese, day=day)
    if not re.search(r"[0#?]", plain):
        return GENERAL
    decimals = len(re.findall(r"[0#?]", plain.split(".", 1)[1])) if "." in plain else 0
    if "E+" in plain.upper() or "/" in plain:
        return GENERAL  # scientific and fraction formats: the plain number reads better
    thousands = "," in plain.split(".", 1)[0]
    prefix, suffix = _literals(section)
    if "%" in plain:
        return NumberFormat("percent", decimals, prefix=prefix, suffix=suffix)
    return NumberFormat("fixed", decimals, thousands, prefix=prefix, suffix=suffix)


_TOKEN = re.compile(r'"([^"]*)"|\\(.)|[_*].|\[[^\]]*\]|([0#?.,%Ee+])|(.)')


def _literals(section: str) -> tuple[str, str]:
    """The literal text before the first and after the last digit placeholder of a format section."""
    before: list[str] = []
    after: list[str] = []
    seen_digit = False
    for quoted, escaped, placeholder, other in _TOKEN.findall(section):
        if placeholder:
            if placeholder in "0#?":
                seen_digit = True
                after.clear()
            continue
        text = quoted or escaped or other
        (after if seen_digit else before).append(text)
    return "".join(before).strip(), "".join(after).strip()


def _general(number: float) -> str:
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.15g}"


def _date(value: dt.date, fmt: NumberFormat) -> str:
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if not fmt.chinese
            else f"{_date(value.date(), fmt)} {value:%H:%M}"
        )
    if fmt.chinese:
        return f"{value.year}年{value.month}月{value.day}日" if fmt.day else f"{value.year}年{value.month}月"
    return value.strftime("%Y-%m-%d")


def excel_date(serial: float, date1904: bool = False) -> dt.datetime | None:
    """The date of a serial day number, None when out of range."""
    try:
        return (_EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH) + dt.timedelta(days=serial)
    except OverflowError:
        return None


def display_value(value: object, fmt: NumberFormat = GENERAL, date1904: bool = False) -> str:
    """A cell value as shown: numbers under their format, dates as dates, booleans as Excel writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return _date(value, fmt if fmt.kind == "date" else NumberFormat("date"))
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, int | float):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return str(value)
        if fmt.kind == "percent":
            return f"{fmt.prefix}{number * 100:.{fmt.decimals}f}%{fmt.suffix}"
        if fmt.kind == "fixed":
            shown = f"{number:,.{fmt.decimals}f}" if fmt.thousands else f"{number:.{fmt.decimals}f}"
            return f"{fmt.prefix}{shown}{fmt.suffix}"
        if fmt.kind == "date":
            when = excel_date(number, date1904)
            return _date(when, fmt) if when is not None else _general(number)
        return _general(number)
    return str(value)
