"""What scoring works out once per rule set and process, and the check-point results already made.

A check point's result depends only on the check point, whether it applies, the answers used
(自评结果 and 核查结果), the reference date and, for a yearly target, the proration by founding date
(engine.scoring.credit); the texts written beside the answers (佐证材料, 备注, 核查意见) are only
carried along. A batch answers each check point in a few ways, so its result without those texts
(immutable) is made once and handed out again for the same inputs, with the submission's own texts
put in when it has any (they differ from branch to branch): the key holds every input, so a result
never depends on what was scored before. The table is bounded; when full it starts again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from engine.keep import small, value_key
from engine.rules.model import Item, RuleSet
from engine.rules.rating import CHECKLIST
from engine.scoring.credit import Proration, proration
from engine.scoring.model import ItemResult, keep_pickled
from engine.submission import ItemEntry

MAX_REMEMBERED = 20_000  # item results kept per rule set (≈ 100 distinct answers per check point)
_MAX_PLANS = 64  # rule sets (and their resolved variants) kept per process

Key = tuple[object, ...]


@dataclass
class Plan:
    """A rule set's items with what scoring asks of each, in rule order."""

    rules: RuleSet
    items: tuple[Item, ...]
    conditional: tuple[bool, ...]  # applies() must be worked out (excluded, or an applies_if)
    yearly: tuple[bool, ...]  # a ``per: year`` target: prorated by the founding date
    checklist_areas: frozenset[str]  # the areas of the scored checklist (not the bonus and penalty blocks)
    by_area: tuple[tuple[int, ...], ...]  # for each area of the rules, its items' places in ``items``
    by_standard: tuple[tuple[int, ...], ...]  # the same for each standard
    remembered: dict[Key, ItemResult] = field(default_factory=dict)


_plans: dict[int, Plan] = {}


def plan(rules: RuleSet) -> Plan:
    """The plan of ``rules``, made once per process (by identity, the rules kept alive with it)."""
    found = _plans.get(id(rules))
    if found is not None and found.rules is rules:
        return found
    items = rules.items
    areas: dict[str, list[int]] = {}
    standards: dict[str, list[int]] = {}
    for n, i in enumerate(items):
        areas.setdefault(i.area_id, []).append(n)
        standards.setdefault(i.standard_id, []).append(n)
    made = Plan(
        rules,
        items,
        tuple(i.excluded or i.applies_if is not None for i in items),
        tuple(i.per == "year" for i in items),
        frozenset(a.id for a in rules.areas if a.kind == CHECKLIST),
        tuple(tuple(areas.get(a.id, ())) for a in rules.areas),
        tuple(tuple(standards.get(s.id, ())) for s in rules.standards),
    )
    if len(_plans) >= _MAX_PLANS:
        _plans.clear()
    _plans[id(rules)] = made
    return made


def item_results(
    p: Plan,
    entries: list[ItemEntry | None],
    use_check: bool,
    applies: Callable[[Item], bool],
    ref: date,
    founded: date | None,
    score: Callable[[Item, ItemEntry | None], ItemResult],
    same: tuple[ItemResult, ...] | None = None,
) -> tuple[ItemResult, ...]:
    """Each check point's result: ``score(item, entry)`` for inputs not seen before, else the same result.

    With ``same`` (the results with 核查结果 used), a check point without 核查结果 keeps its result there
    (``same`` itself is returned when no check point has one).
    """
    remembered = p.remembered
    if len(remembered) > MAX_REMEMBERED:
        remembered.clear()
    if same is not None and all(entry is None or entry.check_value is None for entry in entries):
        return same
    found: list[ItemResult] = []
    for n, item in enumerate(p.items):
        entry = entries[n]
        if same is not None and (entry is None or entry.check_value is None):
            found.append(same[n])
            continue
        if entry is None:
            key: Key = (n, applies(item) if p.conditional[n] else True, ref)
        else:
            check = entry.check_value if use_check else None
            prorated: Proration | None = proration(item, founded, ref) if p.yearly[n] else None
            key = (
                n,
                applies(item) if p.conditional[n] else True,
                ref,
                prorated,
                value_key(entry.self_value),
                value_key(check),
            )
        result = remembered.get(key)
        if result is None:
            result = score(item, entry)
            if small(key):
                core = _without_texts(result)
                remembered[key] = core
                keep_pickled(core)
        elif entry is not None and (entry.evidence or entry.note or entry.check_note):
            result = replace(result, evidence=entry.evidence, note=entry.note, inspector_note=entry.check_note)
        found.append(result)
    return tuple(found)


def _without_texts(result: ItemResult) -> ItemResult:
    if result.evidence or result.note or result.inspector_note:
        return replace(result, evidence="", note="", inspector_note="")
    return result
