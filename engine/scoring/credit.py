"""Credit primitives shared by the answer types (engine.answers): rounding, proration of yearly
targets, the credit record. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache

from engine.months import months_spanned
from engine.rules.model import NO, Item, format_number
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


def describe_answer(value: Value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _fmt(value)
    return str(value)


__all__ = ["NO", "Credit", "Proration", "describe_answer", "effective_target", "half_up", "proration"]
