"""Credit of one applicable, answered check point, with its Chinese reason. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache

from engine.months import add_months, months_spanned
from engine.rules.model import NO, YES, Item, format_number
from engine.submission import Value

CENT = Decimal("0.01")
ONE = Decimal(1)
ZERO = Decimal(0)


def half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Proration:
    """A yearly target scaled to a branch founded inside the assessment year."""

    founded: date
    months: int


@dataclass(frozen=True)
class Credit:
    credit: Decimal  # in [0, 1]
    earned: Decimal  # rounded half-up to cents
    reason: str  # what was found, before "得 x/y 分"


def proration(item: Item, founded: date | None, ref: date) -> Proration | None:
    """Proration applies to ``per: year`` targets when the branch was founded inside the assessment year."""
    if item.per != "year" or founded is None or not (date(ref.year, 1, 1) < founded <= ref):
        return None
    months = months_spanned(founded, ref)
    return Proration(founded, months) if months < 12 else None


def effective_target(item: Item, prorated: Proration | None) -> Decimal:
    assert item.target is not None
    if prorated is None:
        return item.target
    unit = Decimal(1).scaleb(-item.decimals)
    scaled = (item.target * prorated.months / 12).quantize(unit, rounding=ROUND_CEILING)
    return max(scaled, unit)


@lru_cache(maxsize=4096, typed=True)
def _fmt(value: Decimal | int) -> str:
    return format_number(value)  # the same few points, targets and counts in every submission


def credit_of(item: Item, value: Value, ref: date, prorated: Proration | None) -> Credit:
    """Credit of ``value`` for ``item`` (applicable, answered, not 不适用)."""
    points = item.points
    if item.type == "yes_no":
        c = ONE if value == YES else ZERO
        return Credit(c, half_up(c * points), f"填写“{value}”")
    if item.type == "level":
        option = item.option(str(value))
        assert option is not None, f"intake let through level answer {value!r}"
        return Credit(
            option.credit, half_up(option.credit * points), f"评价为“{value}”（得分系数 {_fmt(option.credit)}）"
        )
    if item.type == "count":
        assert isinstance(value, (Decimal, int))
        actual = Decimal(value)
        target = effective_target(item, prorated)
        note = ""
        if prorated is not None:
            note = (
                f"（支部 {prorated.founded.isoformat()} 成立，按 {prorated.months} 个月折算，"
                f"要求由 {_fmt(item.target or ZERO)} 调整为 {_fmt(target)}）"
            )
        found = f"实际 {_fmt(actual)}，要求不少于 {_fmt(target)}{note}"
        if item.deduction_per_unit is not None:
            short = max(target - actual, ZERO)
            earned = half_up(max(points - item.deduction_per_unit * short, ZERO))
            if short:
                found += f"，少 {_fmt(short)} 扣 {_fmt(half_up(item.deduction_per_unit * short))} 分"
            return Credit(earned / points, earned, found)
        c = min(actual / target, ONE)
        return Credit(c, half_up(c * points), found)
    if item.type == "percent":
        assert isinstance(value, (Decimal, int)) and item.target is not None
        actual = Decimal(value)
        c = min(actual / item.target, ONE)
        return Credit(c, half_up(c * points), f"填写 {_fmt(actual)}%，目标 {_fmt(item.target)}%")
    if item.type == "date":
        assert isinstance(value, date) and item.within_months is not None
        start = add_months(ref, -item.within_months)
        if start <= value <= ref:
            return Credit(ONE, half_up(points), f"日期 {value.isoformat()} 在评估基准日前 {item.within_months} 个月内")
        return Credit(
            ZERO,
            half_up(ZERO),
            f"日期 {value.isoformat()} 不在 {start.isoformat()} 至 {ref.isoformat()} 之间"
            f"（评估基准日前 {item.within_months} 个月内）",
        )
    raise ValueError(f"unknown item type {item.type}")


def describe_answer(value: Value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _fmt(value)
    return str(value)


__all__ = ["NO", "Credit", "Proration", "credit_of", "describe_answer", "effective_target", "half_up", "proration"]
