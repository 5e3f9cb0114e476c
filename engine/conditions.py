"""Evaluation and Chinese description of rule conditions.

Evaluation is three-valued (Kleene): ``None`` means undetermined, because a
field is blank or a check point unanswered. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from engine.months import add_months
from engine.rules.model import NA, AllOf, AnyOf, Condition, Leaf, Not, RuleSet, format_number


@dataclass(frozen=True)
class Env:
    """What a condition can read: profile values, answers used, the reference date."""

    field: Callable[[str], object]
    item: Callable[[str], object]
    reference_date: date | None


def evaluate(condition: Condition, env: Env) -> bool | None:
    if isinstance(condition, Leaf):
        return _leaf(condition, env)
    if isinstance(condition, Not):
        inner = evaluate(condition.term, env)
        return None if inner is None else not inner
    results = [evaluate(t, env) for t in condition.terms]
    if isinstance(condition, AllOf):
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _left(leaf: Leaf, env: Env) -> object:
    if leaf.field is not None:
        return env.field(leaf.field)
    if leaf.item is not None:
        value = env.item(leaf.item)
        return None if value == NA else value
    parts = [env.field(f) for f in leaf.sum_of]
    if any(p is None for p in parts):
        return None
    return sum((_num(p) for p in parts), Decimal(0))


def _num(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    raise TypeError(f"not a number: {value!r}")


def _comparable(value: object) -> object:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _num(value)
    return value


def _leaf(leaf: Leaf, env: Env) -> bool | None:
    left = _left(leaf, env)
    right = env.field(leaf.value_field) if leaf.value_field else leaf.value
    if left is None or right is None:
        return None
    if leaf.op == "older_than_months":
        if env.reference_date is None or not isinstance(left, date):
            return None
        return left < add_months(env.reference_date, -int(_num(right)))
    a, b = _comparable(left), _comparable(right)
    if leaf.op == "in":
        return a in [_comparable(v) for v in right] if isinstance(right, (list, tuple)) else None
    if leaf.op == "eq":
        return a == b
    if leaf.op == "ne":
        return a != b
    try:
        if leaf.op == "lt":
            return bool(a < b)  # type: ignore[operator]
        if leaf.op == "le":
            return bool(a <= b)  # type: ignore[operator]
        if leaf.op == "gt":
            return bool(a > b)  # type: ignore[operator]
        if leaf.op == "ge":
            return bool(a >= b)  # type: ignore[operator]
    except TypeError:
        return None
    raise ValueError(f"unknown op {leaf.op}")


_OP_WORDS = {
    "eq": "为",
    "ne": "不为",
    "lt": "小于",
    "le": "不大于",
    "gt": "大于",
    "ge": "不小于",
    "in": "为以下之一：",
}


def _value_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(_value_text(v) for v in value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format_number(_num(value))
    if isinstance(value, date):
        return value.isoformat()
    return f"“{value}”"


def describe(condition: Condition, rules: RuleSet) -> str:
    """A condition in Chinese, e.g. ``是否设立支部委员会为“是”``."""
    if isinstance(condition, Leaf):
        if condition.field is not None:
            subject = rules.field(condition.field).label
        elif condition.item is not None:
            subject = f"检查要点 {condition.item} 的结果"
        else:
            subject = "＋".join(rules.field(f).label for f in condition.sum_of)
        if condition.op == "older_than_months":
            return f"{subject}早于评估基准日{_value_text(condition.value)}个月以上"
        right = rules.field(condition.value_field).label if condition.value_field else _value_text(condition.value)
        return f"{subject}{_OP_WORDS[condition.op]}{right}"
    if isinstance(condition, Not):
        return f"并非（{describe(condition.term, rules)}）"
    joiner = "且" if isinstance(condition, AllOf) else "或"
    assert isinstance(condition, (AllOf, AnyOf))
    return joiner.join(
        describe(t, rules) if isinstance(t, Leaf) else f"（{describe(t, rules)}）" for t in condition.terms
    )
