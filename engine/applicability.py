"""Facts every stage derives the same way from a profile: the reference date, which check
points apply, and the answers of check points read from the profile instead of asked. One
place, so intake and scoring never disagree."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from engine import answers
from engine.conditions import Env, describe, evaluate
from engine.keep import small, value_key
from engine.rules.model import Condition, Item, RuleSet, leaves
from engine.submission import Value


def reference_date(rules: RuleSet, profile: Mapping[str, Value]) -> date | None:
    """The profile's reference date, else 31 December of the assessment year; never today."""
    ref_field = rules.field_with_role("reference_date")
    if ref_field is not None:
        value = profile.get(ref_field.id)
        if isinstance(value, date):
            return value
    year_field = rules.field_with_role("assessment_year")
    if year_field is not None:
        year = profile.get(year_field.id)
        if isinstance(year, int) and 1921 <= year <= 9999:
            return date(year, 12, 31)
    return None


def profile_env(rules: RuleSet, profile: Mapping[str, Value], ref: date | None) -> Env:
    """An environment that reads profile fields only (for applies_if and required_if)."""
    return Env(field=lambda f: profile.get(f), item=lambda _i: None, reference_date=ref)


def applies(item: Item, rules: RuleSet, profile: Mapping[str, Value], ref: date | None) -> bool:
    """Whether ``item`` applies; undetermined conditions count as applying (nothing is dropped silently).
    A check point the resolved variant marks not applicable (engine.rules.tailor) never applies."""
    if item.excluded:
        return False
    condition = item.applies_if
    if condition is None:
        return True
    # The answer depends on the fields the condition reads and the reference date only: kept per
    # condition (by identity, the condition held with it) for the next profile with the same values.
    kept = _kept.get(id(condition))
    if kept is None or kept[0] is not condition:
        if len(_kept) >= _MAX_CONDITIONS:
            _kept.clear()
        fields = tuple(dict.fromkeys(f for leaf in leaves(condition) for f in leaf.fields_read()))
        kept = _kept[id(condition)] = (condition, fields, {})
    _, fields, answers_kept = kept
    key = (ref, *[value_key(profile.get(f)) for f in fields])
    found = answers_kept.get(key)
    if found is None:
        if len(answers_kept) >= _MAX_ANSWERS:
            answers_kept.clear()
        found = evaluate(condition, profile_env(rules, profile, ref)) is not False
        if small(key):
            answers_kept[key] = found
    return found


_MAX_CONDITIONS = 4096
_MAX_ANSWERS = 4096  # per condition: distinct values of the fields it reads
_kept: dict[int, tuple[Condition, tuple[str, ...], dict[tuple[object, ...], bool]]] = {}


def not_applicable_reason(item: Item, rules: RuleSet) -> str:
    """Why an item does not apply, in Chinese: the negation of its condition, or the variant's reason."""
    if item.tailoring is not None and item.excluded:
        return f"支部类型为{item.tailoring.variant}，{item.tailoring.reason}"
    assert item.applies_if is not None
    return f"适用条件“{describe(item.applies_if, rules)}”不满足"


def not_applicable_text(item: Item, rules: RuleSet) -> str:
    """The scoring explanation of a check point that does not apply (README point 11):
    ``不适用：适用条件“…”不满足``, or the variant's ``离退休干部党支部不适用（依据…）：…``."""
    if item.tailoring is not None and item.excluded:
        return item.tailoring.summary
    return f"不适用：{not_applicable_reason(item, rules)}"


def derived_answer(item: Item, profile: Mapping[str, Value], ref: date | None) -> Value:
    """The answer of a check point not asked in 自评表 (``item.asked`` is False), from 支部信息:
    ``value_from`` reads a field, ``derived_from`` is 是/否 as its condition holds; ``None`` when
    blank or undetermined."""
    return answers.answer_type(item.type).derived_answer(item, profile, ref)
