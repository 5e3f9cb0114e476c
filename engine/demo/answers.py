"""Plausible answers for demo and benchmark workbooks, from a seeded random source."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from engine import answers
from engine.answers.base import DemoCase
from engine.rules.model import NA, NO, YES, Item

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
    return answers.answer_type(item.type).demo(item, DemoCase(ref, founded, met, rng, margin))


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
