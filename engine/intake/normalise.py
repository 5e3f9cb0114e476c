"""The one place that normalises answers and profile values typed by people.

Input is a cell value from :mod:`engine.intake.cells`; output is a
:class:`Result` holding either the normalised value (see
:mod:`engine.submission`) or the diagnostics code of what is wrong with it, so
that the reader can emit the right diagnostic. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from engine.contract import EARLIEST_DATE
from engine.intake.cells import SPACES, CellValue, display, serial_date, to_decimal
from engine.rules.model import NA, NO, YES, Item, ProfileField
from engine.submission import Value

EARLIEST = date(*EARLIEST_DATE)
LATEST = date(2100, 12, 31)
FIRST_YEAR, LAST_YEAR = 1921, 2100

# Synonyms, compared after clean() + casefold() with inner spaces removed.
YES_WORDS = frozenset({"是", "对", "√", "✓", "✔", "y", "yes", "有", "已", "符合", "true"})
NO_WORDS = frozenset({"否", "不对", "×", "✗", "✘", "n", "no", "无", "没有", "未", "不符合", "false"})
NA_WORDS = frozenset({"不适用", "n/a", "na", "无此项"})

# What each kind of profile field must hold, as named in profile-invalid.
EXPECTED = {"integer": "整数", "year": "年份", "date": "日期", "yes_no": "“是”或“否”"}

_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?\s*(\S*)")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


@dataclass(frozen=True)
class Result:
    """A normalised value, or the diagnostics code (and reason) of why there is none."""

    value: Value = None
    error: str | None = None
    why: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


BLANK = Result()


def _fail(code: str, why: str = "") -> Result:
    return Result(None, code, why)


# ---------------------------------------------------------------- primitives


def clean(value: CellValue) -> str:
    """Cell text with full-width digits/letters folded (NFKC) and spaces trimmed."""
    return unicodedata.normalize("NFKC", display(value)).strip(SPACES)


@lru_cache(maxsize=4096, typed=True)
def _key(value: CellValue) -> str:  # cached: the same few answers in every row
    return re.sub(r"\s+", "", clean(value)).casefold()


def word(value: CellValue) -> str | None:
    """是, 否 or 不适用 for any of their synonyms (and TRUE/FALSE cells); else ``None``."""
    if isinstance(value, bool):
        return YES if value else NO
    key = _key(value)
    if key in YES_WORDS:
        return YES
    if key in NO_WORDS:
        return NO
    if key in NA_WORDS:
        return NA
    return None


def is_na(value: CellValue) -> bool:
    return value is not None and word(value) == NA


def canonical(number: Decimal) -> Decimal:
    """100 rather than 1E+2 or 100.0; 0.5 rather than 0.50."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()


def decimal_places(number: Decimal) -> int:
    exponent = canonical(number).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _is_unit(suffix: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in suffix)


def number(value: CellValue, *, percent_sign: bool = False) -> Decimal | None:
    """A number cell, or text such as ``１２``, ``12次``, ``31.5学时``, ``1,200``; else ``None``.

    With ``percent_sign`` the only suffix allowed is ``%``.
    """
    if isinstance(value, bool) or value is None or isinstance(value, date):
        return None
    if isinstance(value, (int, float)):
        result = to_decimal(value)
        return result if result.is_finite() else None
    match = _NUMBER.fullmatch(clean(value))
    if match is None:
        return None
    sign, whole, fraction, suffix = match.groups()
    if percent_sign and suffix not in ("", "%"):
        return None
    if not percent_sign and not _is_unit(suffix):
        return None
    try:
        result = Decimal(whole.replace(",", "") + ("." + fraction if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    return -result if sign == "-" else result


def a_date(value: CellValue) -> date | None:
    """A date cell, an Excel serial day number, or text such as 2018-03-05, 2018/3/5,
    2018年3月5日, 2018.3.5; else ``None``. Serial numbers count only from 1921-07-01."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        found = serial_date(value)
        return found if found is not None and EARLIEST <= found <= LATEST else None
    text = clean(value)
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------- answers


def allowed(item: Item) -> str:
    """The values accepted for ``item``, in Chinese, for invalid-answer and na-not-allowed."""
    if item.type == "yes_no":
        text = f"{YES}、{NO}"
    elif item.type == "level":
        text = "、".join(o.label for o in item.options)
    elif item.type == "count":
        text = "不小于 0 的整数" if item.decimals == 0 else f"不小于 0 的数字（最多 {item.decimals} 位小数）"
    elif item.type == "percent":
        text = "0%～100% 的百分比，如 95%"
    else:
        text = "日期，如 2018-03-05"
    return f"{text}、{NA}" if item.na_allowed else text


def answer(item: Item, value: CellValue, reference: date | None) -> Result:
    """One 自评结果/核查结果 cell of ``item``, normalised (blank → an empty result)."""
    if value is None:
        return BLANK
    if is_na(value):
        return Result(NA) if item.na_allowed else _fail("na-not-allowed")
    if item.type == "yes_no":
        return yes_no(value)
    if item.type == "level":
        return level(item, value)
    if item.type == "count":
        return count(value, item.decimals)
    if item.type == "percent":
        return percent(value)
    return answer_date(value, reference)


def yes_no(value: CellValue) -> Result:
    """是 or 否 (for yes/no check points and veto questions; 不适用 is not handled here)."""
    found = word(value)
    if found in (YES, NO):
        return Result(found)
    return _fail("na-not-allowed" if found == NA else "invalid-answer")


def level(item: Item, value: CellValue) -> Result:
    text = clean(value)
    for option in item.options:
        if clean(option.label) == text:
            return Result(option.label)
    return _fail("invalid-answer")


def count(value: CellValue, decimals: int) -> Result:
    found = number(value)
    if found is None:
        return _fail("invalid-answer")
    if found < 0:
        return _fail("invalid-count", "不能为负数")
    places = decimal_places(found)
    if decimals == 0 and places:
        return _fail("invalid-count", "应填写整数")
    if places > decimals:
        return _fail("invalid-count", f"最多保留 {decimals} 位小数")
    return Result(canonical(found))


def percent(value: CellValue) -> Result:
    """A number ≤ 1 is a fraction (Excel stores 95% as 0.95); above 1, or typed text, a percentage."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found = number(value)
        if found is not None and found <= 1:
            found *= 100
    else:
        found = number(value, percent_sign=True)
    if found is None:
        return _fail("invalid-answer")
    if not 0 <= found <= 100:
        return _fail("percent-out-of-range")
    return Result(canonical(found))


def answer_date(value: CellValue, reference: date | None) -> Result:
    found = a_date(value)
    if found is None:
        return _fail("invalid-answer")
    if found < EARLIEST:
        return Result(found, "date-out-of-range", f"早于 {EARLIEST.isoformat()}（建党日）")
    if reference is not None and found > reference:
        return Result(found, "date-out-of-range", f"晚于评估基准日 {reference.isoformat()}")
    return Result(found)


# ---------------------------------------------------------------- profile


def profile_value(field: ProfileField, value: CellValue) -> Result:
    """A 支部信息 value converted to the field's type; the error code is profile-invalid."""
    if value is None:
        return BLANK
    if field.type == "text":
        return Result(display(value))
    if field.type == "yes_no":
        found = word(value)
        return Result(found) if found in (YES, NO) else _fail("profile-invalid")
    if field.type == "date":
        day = a_date(value)
        return Result(day) if day is not None and EARLIEST <= day <= LATEST else _fail("profile-invalid")
    whole = number(value)
    if whole is None or whole < 0 or whole != whole.to_integral_value():
        return _fail("profile-invalid")
    if field.type == "year" and not FIRST_YEAR <= whole <= LAST_YEAR:
        return _fail("profile-invalid")
    return Result(int(whole))
