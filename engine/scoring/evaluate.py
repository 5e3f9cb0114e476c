"""Score a submission against a rule set: pure functions, no I/O.

The semantics are the README's "评分规则 / Scoring semantics"; comments here
refer to its numbered points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from engine import answers, diagnostics
from engine.applicability import applies, not_applicable_text, reference_date
from engine.conditions import Env, describe, evaluate
from engine.rules.model import NA, Item, RuleSet, Veto, leaves
from engine.rules.rating import BONUS, PENALTY
from engine.rules.tailor import select
from engine.scoring import memo, total
from engine.scoring.breakdown import RatingDetail
from engine.scoring.credit import ZERO, describe_answer, half_up, proration
from engine.scoring.model import (
    CLEAR,
    GAP_STATUSES,
    MET,
    NOT_APPLICABLE,
    PARTIAL,
    REJECTED,
    SCORED,
    TRIGGERED,
    UNANSWERED,
    UNDETERMINED,
    UNMET,
    UNSCORED,
    Gap,
    GroupResult,
    ItemResult,
    Result,
    VetoResult,
)
from engine.submission import ItemEntry, Submission, Value

FOUR = Decimal("0.0001")
HUNDRED = Decimal(100)
# How a check point's points are named in its reason: earned, added (加分项) or subtracted (减分项).
AREA_VERBS = {BONUS: "加", PENALTY: "扣"}


@dataclass(frozen=True)
class _Context:
    rules: RuleSet
    profile: Mapping[str, Value]
    ref: date
    founded: date | None


def _role_value(rules: RuleSet, profile: Mapping[str, Value], role: str) -> Value:
    f = rules.field_with_role(role)
    return None if f is None else profile.get(f.id)


def rejected(
    submission: Submission, extra: Iterable[diagnostics.Diagnostic] = (), rules: RuleSet | None = None
) -> Result:
    """A rejected result; with ``rules``, it keeps who the branch says it is (支部名称, 上级党组织,
    支部编码) so that a roster can tell "submitted but rejected" from "missing" (results.json
    still shows a rejected submission's ``branch`` as null)."""
    found = Result(submission.source, submission.sha256, REJECTED, submission.diagnostics + tuple(extra))
    if rules is None:
        return found
    code = rules.field_with_role("branch_code")
    kept = {code.id: submission.profile.get(code.id)} if code is not None and submission.profile.get(code.id) else {}
    return replace(
        found,
        branch_name=_text(_role_value(rules, submission.profile, "branch_name")),
        parent_org=_text(_role_value(rules, submission.profile, "parent_org")),
        profile=kept,
    )


def score_submission(rules: RuleSet, submission: Submission) -> Result:
    """The result of one submission; ``rejected`` when intake found errors or nothing applies."""
    if not submission.valid:
        return rejected(submission, rules=rules)
    rules = select(rules, submission.profile)  # the variant named by 支部类型, else the base rules
    ref = reference_date(rules, submission.profile)
    if ref is None:  # intake reports no-reference-date as an error; keep scoring total anyway
        return rejected(submission, rules=rules)
    founded = _role_value(rules, submission.profile, "founded_date")
    ctx = _Context(rules, submission.profile, ref, founded if isinstance(founded, date) else None)
    p = memo.plan(rules)
    entries = [submission.items.get(item.id) for item in p.items]

    def applicable(item: Item) -> bool:
        return applies(item, rules, submission.profile, ref)

    def scored(check: bool) -> Callable[[Item, ItemEntry | None], ItemResult]:
        return lambda item, entry: _score_item(ctx, item, entry, use_check=check)

    items = memo.item_results(p, entries, True, applicable, ref, ctx.founded, scored(True))
    checklist = total.checklist_items(rules, items)
    total_max = sum((i.max for i in checklist), ZERO)
    if total_max == 0:
        return rejected(submission, [diagnostics.make("nothing-applicable")], rules)
    # Self-assessed scoring differs only where an inspector filled 核查结果: elsewhere it is the same item result.
    self_items = memo.item_results(p, entries, False, applicable, ref, ctx.founded, scored(False), same=items)
    formed = total.form_total(rules, items, submission.profile)  # points 7 and 12: sums and the total formula
    if formed is None:  # intake reports a blank component field as an error; never score without it
        return rejected(submission)
    score = formed.score
    self_formed = formed if self_items is items else total.form_total(rules, self_items, submission.profile)
    self_score = self_formed.score if self_formed is not None else None
    by_id = {i.id: i for i in items}
    vetoes = tuple(_veto(ctx, veto, submission, by_id) for veto in rules.vetoes)
    vetoed = any(v.status == TRIGGERED for v in vetoes)
    rating, reasons = total.rate(rules, score, vetoes)  # points 8 and 9
    label = rules.band(rating).display
    detail = RatingDetail(formed.base_score, formed.blocks, formed.components, rating, label, reasons)
    undetermined = [
        diagnostics.make("veto-undetermined", veto=v.id, text=v.text, why=v.reason)
        for v, rule in zip(vetoes, rules.vetoes, strict=True)
        if v.status == UNDETERMINED and rule.kind == "derived"
    ]
    return Result(
        source=submission.source,
        sha256=submission.sha256,
        status=SCORED,
        diagnostics=submission.diagnostics + tuple(undetermined),
        branch_name=_text(_role_value(rules, submission.profile, "branch_name")),
        parent_org=_text(_role_value(rules, submission.profile, "parent_org")),
        profile=dict(submission.profile),
        reference_date=ref,
        score=score,
        self_score=self_score,
        rating=rating,
        vetoed=vetoed,
        variant=rules.variant,
        vetoes=vetoes,
        areas=tuple(
            _group(a.id, a.name, [items[n] for n in at], None) for a, at in zip(rules.areas, p.by_area, strict=True)
        ),
        standards=tuple(
            _group(s.id, s.name, [items[n] for n in at], s.area_id)
            for s, at in zip(rules.standards, p.by_standard, strict=True)
        ),
        items=items,
        gaps=_gaps(checklist, total_max, rules.total.checklist_weight),
        rating_detail=detail,
    )


def _text(value: Value) -> str | None:
    return None if value is None else str(value)


def _answers(entry: ItemEntry | None, use_check: bool) -> tuple[Value, Value, Value]:
    """(answer used, the secretary's answer, the inspector's answer) — point 1."""
    if entry is None:
        return None, None, None
    check = entry.check_value if use_check else None
    used = check if check is not None else entry.self_value
    return used, entry.self_value, check


def _score_item(ctx: _Context, item: Item, entry: ItemEntry | None, use_check: bool) -> ItemResult:
    used, self_value, check = _answers(entry, use_check)

    def result(status: str, credit: Decimal | None, earned: Decimal, reason: str, applicable: bool) -> ItemResult:
        return ItemResult(
            id=item.id,
            standard_id=item.standard_id,
            area_id=item.area_id,
            answer=used,
            self_answer=self_value,
            status=status,
            credit=credit,
            earned=earned,
            points=item.points,
            max=item.points if applicable else ZERO,
            reason=reason if item.tailoring is None or item.excluded else f"{item.tailoring.summary}；{reason}",
            evidence=entry.evidence if entry is not None else "",
            note=entry.note if entry is not None else "",
            inspector_note=entry.check_note if entry is not None else "",
        )

    kind_of_area = ctx.rules.area_kind(item.area_id)
    verb = AREA_VERBS.get(kind_of_area, "得")
    if not applies(item, ctx.rules, ctx.profile, ctx.ref):  # point 2
        return result(NOT_APPLICABLE, None, ZERO, not_applicable_text(item, ctx.rules), False)
    override = ""
    if check is not None and check != self_value:
        was = "未填写" if self_value is None else f"“{describe_answer(self_value)}”"
        override = f"核查结果“{describe_answer(check)}”取代自评{was}；"
    if used == NA:
        who = "核查结果" if check is not None else "自评"
        return result(NOT_APPLICABLE, None, ZERO, f"{override}不适用：{who}填写“不适用”", False)
    kind = answers.answer_type(item.type)
    if not kind.scored:
        if used is None:
            status = UNANSWERED if kind.expects_answer(item) else UNSCORED
            return result(status, None, ZERO, "未填写（不计分）", True)
        return result(UNSCORED, None, ZERO, f"{override}已填写（不计分）", True)
    # Read from 支部信息, not asked: the reason says so (README point 11).
    lead = "" if item.asked else f"{kind.derivation(item, ctx.rules)}："
    pts = describe_answer(item.points)
    if used is None:
        blank = "所需支部信息未填写，无法判定" if lead else "未填写"
        if kind_of_area == PENALTY:  # a blank answer never pays: an unanswered penalty counts in full
            return result(UNANSWERED, None, item.points, f"{lead}{blank}，按发生计，扣 {pts}/{pts} 分", True)
        return result(UNANSWERED, None, ZERO, f"{lead}{blank}，{verb} 0/{pts} 分", True)
    found = kind.credit(item, used, ctx.ref, proration(item, ctx.founded, ctx.ref))
    status = MET if found.credit == 1 else PARTIAL if found.credit > 0 else UNMET
    reason = f"{lead}{override}{found.reason}，{verb} {describe_answer(found.earned)}/{pts} 分"
    return result(status, half_up(found.credit, FOUR), found.earned, reason, True)


def _group(ident: str, name: str, items: list[ItemResult], area_id: str | None) -> GroupResult:
    earned = sum((i.earned for i in items), ZERO)
    top = sum((i.max for i in items), ZERO)
    percent = half_up(earned / top, FOUR) if top else None
    return GroupResult(ident, name, earned, top, percent, area_id)


@lru_cache(maxsize=4096)
def _id_key(ident: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ident.split("."))


def _gaps(items: list[ItemResult], total_max: Decimal, weight: Decimal) -> tuple[Gap, ...]:
    """Checklist items short of full credit; ``weight`` is the checklist's weight in the total
    (1 by default), so that gain is on the total's scale (before clamping)."""
    gaps = [
        Gap(i.id, i.status, i.max - i.earned, half_up((i.max - i.earned) * HUNDRED * weight / total_max))
        for i in items
        if i.status in GAP_STATUSES and i.max > 0  # an unscored answer left blank costs nothing
    ]
    return tuple(sorted(gaps, key=lambda g: (-g.gain, _id_key(g.id))))


def _veto(ctx: _Context, veto: Veto, submission: Submission, items: Mapping[str, ItemResult]) -> VetoResult:
    """Point 8: triggered, clear or undetermined, with a reason."""
    if veto.kind == "question":
        used, _self, check = _answers(submission.vetoes.get(veto.id), use_check=True)
        who = "核查结果" if check is not None else "自评"
        if used is None:
            return VetoResult(veto.id, veto.text, UNDETERMINED, "未填写“是”或“否”")
        if used == "是":
            return VetoResult(veto.id, veto.text, TRIGGERED, f"{who}填写“是”")
        return VetoResult(veto.id, veto.text, CLEAR, f"{who}填写“{used}”")
    assert veto.condition is not None
    for leaf in leaves(veto.condition):
        if leaf.item is not None and items[leaf.item].status == NOT_APPLICABLE:
            return VetoResult(veto.id, veto.text, CLEAR, f"检查要点 {leaf.item} 不适用，本项不触发")
    env = Env(
        field=lambda f: ctx.profile.get(f),
        item=lambda i: items[i].answer if items[i].status != UNANSWERED else None,
        reference_date=ctx.ref,
    )
    outcome = evaluate(veto.condition, env)
    condition = describe(veto.condition, ctx.rules)
    facts = _facts(ctx, veto, items)
    if outcome is None:
        return VetoResult(veto.id, veto.text, UNDETERMINED, f"判定条件“{condition}”所需的信息未填写（{facts}）")
    if outcome:
        return VetoResult(veto.id, veto.text, TRIGGERED, f"已触发：{facts}，符合否决条件“{condition}”")
    return VetoResult(veto.id, veto.text, CLEAR, f"未触发：{facts}，不符合否决条件“{condition}”")


def _facts(ctx: _Context, veto: Veto, items: Mapping[str, ItemResult]) -> str:
    """What a derived veto read, e.g. ``检查要点 3.6.1 填写 1``, so its reason explains itself."""
    assert veto.condition is not None
    said: list[str] = []
    for leaf in leaves(veto.condition):
        for field_id in leaf.fields_read():
            value = ctx.profile.get(field_id)
            shown = "未填" if value is None else describe_answer(value)
            said.append(f"{ctx.rules.field(field_id).label}为 {shown}")
        if leaf.item is not None:
            answer = items[leaf.item].answer
            said.append(f"检查要点 {leaf.item} {'未填写' if answer is None else '填写 ' + describe_answer(answer)}")
    return "，".join(dict.fromkeys(said))
