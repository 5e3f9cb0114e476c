"""The total and the rating of one submission (README 评分规则, points 7–9; issue 16). Pure.

Order of operations: per-item credit (engine.scoring.evaluate) → sums: the checklist score
100 × Σ earned / Σ applicable max and each bonus/penalty block's Σ earned, capped → the total
formula: the checklist component is checklist score + bonus − penalty; total = Σ weight ×
component, rounded half-up to cents and clamped to [min, max] → vetoes → bands. Quotas come
last, over the whole batch (engine.scoring.quota).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.rules.model import RuleSet
from engine.rules.rating import BONUS, CAP, CHECKLIST, PENALTY
from engine.scoring.breakdown import BlockResult, ComponentResult
from engine.scoring.credit import ZERO, describe_answer, half_up
from engine.scoring.memo import plan
from engine.scoring.model import TRIGGERED, UNDETERMINED, ItemResult, VetoResult
from engine.submission import Value

HUNDRED = Decimal(100)
CHECKLIST_NAME = "检查得分"


@dataclass(frozen=True)
class Total:
    score: Decimal
    base_score: Decimal
    blocks: tuple[BlockResult, ...]
    components: tuple[ComponentResult, ...]


def checklist_items(rules: RuleSet, items: Sequence[ItemResult]) -> list[ItemResult]:
    areas = plan(rules).checklist_areas
    return [i for i in items if i.area_id in areas]


def blocks(rules: RuleSet, items: Sequence[ItemResult]) -> tuple[BlockResult, ...]:
    """Each bonus and penalty block: Σ earned of its check points, capped."""
    found = []
    for area in rules.blocks:
        assert area.cap is not None
        earned = sum((i.earned for i in items if i.area_id == area.id), ZERO)
        found.append(BlockResult(area.id, area.name, area.kind, earned, area.cap, min(earned, area.cap)))
    return tuple(found)


def form_total(rules: RuleSet, items: Sequence[ItemResult], profile: Mapping[str, Value]) -> Total | None:
    """The total, or None when nothing in the checklist applies or a component field is blank."""
    checklist = checklist_items(rules, items)
    top = sum((i.max for i in checklist), ZERO)
    if top == 0:
        return None
    base = half_up(HUNDRED * sum((i.earned for i in checklist), ZERO) / top)
    found = blocks(rules, items)
    adjusted = (
        base
        + sum((b.applied for b in found if b.kind == BONUS), ZERO)
        - sum((b.applied for b in found if b.kind == PENALTY), ZERO)
    )
    components: list[ComponentResult] = []
    for c in rules.total.components:
        if c.source == CHECKLIST:
            components.append(ComponentResult(c.source, None, CHECKLIST_NAME, adjusted, c.weight))
            continue
        assert c.field is not None
        value = profile.get(c.field)
        if not isinstance(value, (int, Decimal)):
            return None  # a missing component is a problem (intake: profile-missing), never a higher score
        components.append(ComponentResult(c.source, c.field, rules.field(c.field).label, Decimal(value), c.weight))
    weighted = half_up(sum((c.weight * c.value for c in components), ZERO))
    score = min(max(weighted, rules.total.min), rules.total.max)
    return Total(score, base, found, tuple(components))


def rate(rules: RuleSet, score: Decimal, vetoes: Sequence[VetoResult]) -> tuple[str, tuple[str, ...]]:
    """The band after vetoes (point 8–9), and the reasons in Chinese."""
    bands = rules.bands
    band = rules.band_for(score)
    index = bands.index(band)
    reasons = [f"总分 {describe_answer(score)}，按等级划分为“{band.name}”"]
    for result in vetoes:
        # An undetermined veto counts as triggered for the rating: leaving its answer (or what it
        # reads) blank must never earn a better rating than answering it.
        if result.status == TRIGGERED:
            said = "已触发"
        elif result.status == UNDETERMINED:
            said = "无法判定，按触发处理"
        else:
            continue
        veto = next(v for v in rules.vetoes if v.id == result.id)
        if veto.effect == CAP:
            assert veto.cap is not None
            cap = next(n for n, b in enumerate(bands) if b.name == veto.cap)
            reasons.append(f"否决项 {veto.id} {said}，等级不高于“{veto.cap}”")
        else:
            cap = len(bands) - 1
            reasons.append(f"否决项 {veto.id} {said}，评为最低等级")
        index = max(index, cap)
    if bands[index] != band:
        reasons.append(f"评定为“{bands[index].name}”")
    return bands[index].name, tuple(reasons)
