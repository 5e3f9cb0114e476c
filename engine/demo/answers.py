"""Plausible answers for demo and benchmark workbooks, from a seeded random source."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from engine.months import add_months
from engine.rules.model import NA, NO, YES, Item
from engine.scoring.credit import effective_target, proration

# How a secretary who types freely may write the same answers (for the synonyms branch).
YES_WORDS = ("√", "有", "已", "符合", "Y")
NO_WORDS = ("×", "无", "未", "N")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def best(item: Item, ref: date, founded: date | None = None) -> object:
    """The answer that earns full points."""
    return answer(item, ref, founded, met=True, rng=random.Random(0), margin=False)


def answer(
    item: Item, ref: date, founded: date | None, *, met: bool, rng: random.Random, margin: bool = True
) -> object:
    """An answer that is fully met (``met``) or falls short, in the workbook's native form."""
    if item.type == "yes_no":
        return YES if met else NO
    if item.type == "level":
        labels = [o.label for o in item.options]
        return labels[0] if met else rng.choice(labels[1:])
    if item.type == "count":
        target = effective_target(item, proration(item, founded, ref))
        if met:
            extra = rng.randint(0, 2) if margin else 0
            return _count(target + extra, item.decimals)
        low = rng.uniform(0, float(target) * 0.9) if item.decimals else rng.randint(0, int(target) - 1)
        return _count(Decimal(str(low)), item.decimals)
    if item.type == "percent":
        assert item.target is not None
        if met:
            value = float(item.target) + (rng.uniform(0, 100 - float(item.target)) if margin else 0)
        else:
            value = rng.uniform(float(item.target) * 0.5, float(item.target) - 1)
        return round(value / 100, 2)  # Excel stores 95% as 0.95
    if item.type == "date":
        assert item.within_months is not None
        if met:
            return add_months(ref, -rng.randint(0, item.within_months - 1) if margin else 0)
        return add_months(ref, -(item.within_months + rng.randint(1, 12)))
    raise ValueError(item.type)


def _count(value: Decimal | int, decimals: int) -> Decimal | int:
    if decimals:
        return Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    return int(value)


def typed_freely(value: object, rng: random.Random) -> object:
    """The same answer as a secretary might type it: synonyms, units, full-width digits, text dates."""
    if value == YES:
        return rng.choice(YES_WORDS)
    if value == NO:
        return rng.choice(NO_WORDS)
    if value == NA:
        return rng.choice(("N/A", "无此项"))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return rng.choice((f"{value}次", str(value).translate(FULL_WIDTH), f" {value} "))
    if isinstance(value, Decimal):
        return f"{value}学时"
    if isinstance(value, float):
        return f"{round(value * 100)}%"
    if isinstance(value, date):
        return rng.choice((f"{value.year}年{value.month}月{value.day}日", f"{value.year}.{value.month}.{value.day}"))
    return value
