"""The one place that normalises answers and profile values typed by people.

Input is a cell value from :mod:`engine.intake.cells`; output is a
:class:`Reading` holding either the normalised value (see
:mod:`engine.submission`) or the diagnostics code of what is wrong with it, so
that the reader can emit the right diagnostic. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from engine import answers
from engine.contract import EARLIEST_DATE
from engine.intake.cells import SPACES, CellValue, display, serial_date, to_decimal
from engine.rules.model import NA, NO, YES, Item, ProfileField
from engine.submission import Value
from engine.textsafe import is_invisible

EARLIEST = date(*EARLIEST_DATE)
LATEST = date(2100, 12, 31)
FIRST_YEAR, LAST_YEAR = 1921, 2100

# Synonyms, compared after clean() + casefold() with inner spaces removed.
YES_WORDS = frozenset({"是", "对", "√", "✓", "✔", "y", "yes", "有", "已", "符合", "true"})
NO_WORDS = frozenset({"否", "不对", "×", "✗", "✘", "n", "no", "无", "没有", "未", "不符合", "false"})
NA_WORDS = frozenset({"不适用", "n/a", "na", "无此项"})

# What each kind of profile field must hold, as named in profile-invalid.
EXPECTED = {
    "integer": "整数",
    "number": "数（不小于 0，最多 2 位小数）",
    "year": "年份",
    "date": "日期",
    "yes_no": "“是”或“否”",
}

# Text longer than this is never parsed as a number, date or word (no answer is that long):
# a number field is rejected as number-too-long when it begins like a number, else as invalid.
MAX_FIELD_CHARS = 100
# Digits before the decimal point: Excel keeps 15 significant digits, no count or year has more.
MAX_DIGITS = 15
TOO_LONG = "number-too-long"
_SIGNS = "+-"

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


@dataclass(frozen=True)
class Reading:
    """A normalised value, or the diagnostics code (and reason) of why there is none."""

    value: Value = None
    error: str | None = None
    why: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


BLANK = Reading()


def _fail(code: str, why: str = "") -> Reading:
    return Reading(None, code, why)


# ---------------------------------------------------------------- primitives


def clean(value: CellValue) -> str:
    """Cell text with full-width digits/letters folded (NFKC) and spaces trimmed."""
    return unicodedata.normalize("NFKC", display(value)).strip(SPACES)


def _too_long_text(value: CellValue) -> bool:
    return isinstance(value, str) and len(value) > MAX_FIELD_CHARS


@lru_cache(maxsize=4096, typed=True)
def _key(value: CellValue) -> str:  # cached: the same few answers in every row
    return re.sub(r"\s+", "", clean(value)).casefold()


def word(value: CellValue) -> str | None:
    """是, 否 or 不适用 for any of their synonyms (and TRUE/FALSE cells); else ``None``."""
    if isinstance(value, bool):
        return YES if value else NO
    if _too_long_text(value):
        return None
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


@dataclass(frozen=True)
class _Parsed:
    value: Decimal
    suffix: str  # what follows the number and any spaces: a unit, %, or ""


def _parse(text: str) -> _Parsed | None:
    """``[+-]digits[.digits] [suffix]`` read by one scan, left to right (no regular expression:
    nothing backtracks). The digits may be grouped by thousands (``1,234,567``: one to three
    digits, then groups of a comma and three digits); the suffix is what follows the number
    and its spaces, and may not contain a space. Same reading as the former pattern
    ``([+-]?)(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d*))?\\s*(\\S*)``."""
    end = len(text)
    at = 1 if text[:1] in ("+", "-") else 0
    start = at
    while at < end and text[at].isdecimal():
        at += 1
    if at == start:
        return None
    whole = text[start:at]
    if at - start <= 3:  # grouped by thousands?
        grouped = at
        while grouped + 4 <= end and text[grouped] == "," and text[grouped + 1 : grouped + 4].isdecimal():
            grouped += 4
        if grouped > at:
            whole, at = text[start:grouped].replace(",", ""), grouped
    fraction = ""
    if at < end and text[at] == ".":
        at += 1
        begin = at
        while at < end and text[at].isdecimal():
            at += 1
        fraction = text[begin:at]
    while at < end and text[at].isspace():
        at += 1
    suffix = text[at:]
    if any(ch.isspace() for ch in suffix):
        return None
    try:
        value = Decimal(whole + ("." + fraction if fraction else ""))
    except InvalidOperation:  # pragma: no cover - only decimal digits get here
        return None
    return _Parsed(-value if text[:1] == "-" else value, suffix)


def _parse_text(value: str) -> _Parsed | None:
    return None if len(value) > MAX_FIELD_CHARS else _parse(clean(value))


def number(value: CellValue, *, percent_sign: bool = False) -> Decimal | None:
    """A number cell, or text such as ``１２``, ``12次``, ``31.5学时``, ``1,200``; else ``None``.

    With ``percent_sign`` the only suffix allowed is ``%``. Text longer than MAX_FIELD_CHARS
    is never a number.
    """
    if isinstance(value, bool) or value is None or isinstance(value, date):
        return None
    if isinstance(value, (int, float)):
        result = to_decimal(value)
        return result if result.is_finite() else None
    parsed = _parse_text(value)
    if parsed is None:
        return None
    if percent_sign and parsed.suffix not in ("", "%"):
        return None
    if not percent_sign and not _is_unit(parsed.suffix):
        return None
    return parsed.value


def too_long(value: CellValue, found: Decimal | None = None) -> bool:
    """Is ``value`` a number with too many digits (数字位数过多)?

    True for a number with more than MAX_DIGITS digits before the point, whatever follows it
    (``found``, when given, is ``value`` already read as a number), and for text longer than
    MAX_FIELD_CHARS that begins like a number (a sign or a digit, full-width ones too).
    """
    if _too_long_text(value):
        assert isinstance(value, str)
        head = unicodedata.normalize("NFKC", value[:8]).lstrip(SPACES).lstrip(_SIGNS)
        return head[:1].isdecimal()
    if found is None and isinstance(value, str):
        parsed = _parse_text(value)
        found = parsed.value if parsed is not None else None
    elif found is None:
        found = number(value)
    return found is not None and found.is_finite() and found != 0 and found.adjusted() >= MAX_DIGITS


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
    if _too_long_text(value):
        return None
    text = clean(value)
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------- sheet names and titles

# A sheet name, header title or label longer than this is never taken for one of the template's.
MAX_TITLE_CHARS = 100


def fold_title(text: str) -> str:
    """A sheet name, header title or 支部信息 label as compared with the template's: full-width
    and half-width forms folded (NFKC), invisible characters (zero-width joiner, byte-order
    mark…) and spaces removed, case folded (Excel ignores case in sheet names)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not (ch.isspace() or is_invisible(ch))).casefold()


def match_title(expected: str, present: Iterable[str]) -> str | None:
    """The title among ``present`` that stands for ``expected``: ``expected`` itself if present,
    else the first that equals it after :func:`fold_title`; ``None`` when there is none."""
    candidates = [t for t in present if len(t) <= MAX_TITLE_CHARS]
    if expected in candidates:
        return expected
    wanted = fold_title(expected)
    return next((t for t in candidates if fold_title(t) == wanted), None)


# ---------------------------------------------------------------- answers


def allowed(item: Item) -> str:
    """The values accepted for ``item``, in Chinese, for invalid-answer and na-not-allowed."""
    text = answers.answer_type(item.type).allowed(item)
    return f"{text}、{NA}" if item.na_allowed else text


def answer(item: Item, value: CellValue, reference: date | None) -> Reading:
    """One 自评结果/核查结果 cell of ``item``, normalised (blank → an empty result)."""
    if value is None:
        return BLANK
    kind = answers.answer_type(item.type)
    if kind.reads_na_words and is_na(value):
        return Reading(NA) if item.na_allowed else _fail("na-not-allowed")
    return kind.read(item, value, reference)


def yes_no(value: CellValue) -> Reading:
    """是 or 否 (for yes/no check points and veto questions; 不适用 is not handled here)."""
    found = word(value)
    if found in (YES, NO):
        return Reading(found)
    return _fail("na-not-allowed" if found == NA else "invalid-answer")


def level(item: Item, value: CellValue) -> Reading:
    text = clean(value)
    for option in item.options:
        if clean(option.label) == text:
            return Reading(option.label)
    return _fail("invalid-answer")


def count(value: CellValue, decimals: int) -> Reading:
    found = number(value)
    if too_long(value, found):
        return _fail(TOO_LONG)
    if found is None:
        return _fail("invalid-answer")
    if found < 0:
        return _fail("invalid-count", "不能为负数")
    places = decimal_places(found)
    if decimals == 0 and places:
        return _fail("invalid-count", "应填写整数")
    if places > decimals:
        return _fail("invalid-count", f"最多保留 {decimals} 位小数")
    return Reading(canonical(found))


def percent(value: CellValue) -> Reading:
    """One rule for numbers and text: without a % sign, a value ≤ 1 is a fraction (Excel stores
    95% as 0.95; ``0.95``, ``１`` typed as text read the same), above 1 a percentage (``95``);
    with a % sign always a percentage (``95%``, ``0.5%``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found, sign = number(value), False
    elif isinstance(value, str):
        parsed = _parse_text(value)
        ok = parsed is not None and parsed.suffix in ("", "%")
        found, sign = (parsed.value, parsed.suffix == "%") if parsed is not None and ok else (None, False)
    else:
        found, sign = None, False
    if too_long(value, found):
        return _fail(TOO_LONG)
    if found is None:
        return _fail("invalid-answer")
    if not sign and found <= 1:
        found *= 100
    if not 0 <= found <= 100:
        return _fail("percent-out-of-range")
    return Reading(canonical(found))


def answer_date(value: CellValue, reference: date | None) -> Reading:
    found = a_date(value)
    if found is None:
        return _fail("invalid-answer")
    if found < EARLIEST:
        return Reading(found, "date-out-of-range", f"早于 {EARLIEST.isoformat()}（建党日）")
    if reference is not None and found > reference:
        return Reading(found, "date-out-of-range", f"晚于评估基准日 {reference.isoformat()}")
    return Reading(found)


# ---------------------------------------------------------------- profile


def profile_value(field: ProfileField, value: CellValue) -> Reading:
    """A 支部信息 value converted to the field's type; the error code is profile-invalid."""
    if value is None:
        return BLANK
    if field.type == "text":
        return Reading(display(value))
    if field.type == "yes_no":
        found = word(value)
        return Reading(found) if found in (YES, NO) else _fail("profile-invalid")
    if field.type == "date":
        day = a_date(value)
        return Reading(day) if day is not None and EARLIEST <= day <= LATEST else _fail("profile-invalid")
    whole = number(value)
    if too_long(value, whole):
        return _fail(TOO_LONG)
    if field.type == "number":  # a score such as 群众评议得分: at most 2 decimals
        if whole is None or whole < 0 or whole != whole.quantize(Decimal("0.01")):
            return _fail("profile-invalid")
        return Reading(canonical(whole))
    if whole is None or whole < 0 or whole != whole.to_integral_value():
        return _fail("profile-invalid")
    if field.type == "year" and not FIRST_YEAR <= whole <= LAST_YEAR:
        return _fail("profile-invalid")
    return Reading(int(whole))
