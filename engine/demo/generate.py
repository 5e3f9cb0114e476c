"""Generate filled self-assessment workbooks: the demo's dozen branches, or N for a benchmark.

Library code: the demo command, the tests and the benchmark all use it. The
output depends only on the rule set and the seed.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

from engine import answers
from engine.applicability import applies
from engine.demo.answers import answer, typed_freely
from engine.demo.branches import DEMO_BRANCHES, BranchSpec
from engine.months import add_months
from engine.names import safe_file_name
from engine.rules.model import NA, NO, YES, Item, RuleSet, leaves
from engine.rules.tailor import select
from engine.submission import Value
from engine.template import write_template
from engine.template.fill import Filler
from engine.template.writer import asked_items

ASSESSMENT_YEAR = 2018
REFERENCE = date(ASSESSMENT_YEAR, 12, 31)
DEFAULT_SEED = 2018


def has_committee(spec: BranchSpec) -> bool:
    return spec.full >= 7 if spec.committee is None else spec.committee


def profile_of(rules: RuleSet, spec: BranchSpec, reference: date = REFERENCE) -> dict[str, Value]:
    """The 支部信息 values by field id; fields the rule set lacks are left out."""
    committee = has_committee(spec)
    overdue = spec.election is not None and spec.election < add_months(reference, -36)
    values: dict[str, Value] = {
        "branch_name": spec.name,
        "parent_org": spec.parent,
        "members_total": spec.full + spec.probationary,
        "full_members": spec.full,
        "probationary_members": spec.probationary,
        "has_committee": YES if committee else NO,
        "committee_size": 5 if committee else None,
        "group_count": spec.groups,
        "election_date": spec.election,
        "term_extension_approved": (YES if spec.extension_approved else NO) if overdue else None,
        "secretary_name": spec.secretary,
        "assessment_year": reference.year,
        "reference_date": reference if spec.give_reference_date else None,
        "founded_date": spec.founded,
        "branch_type": spec.branch_type,
        "retired_members": spec.retired if spec.branch_type is not None else None,
    }
    return {k: v for k, v in values.items() if rules.has_field(k)}


def answers_of(
    rules: RuleSet, spec: BranchSpec, rng: random.Random, reference: date = REFERENCE
) -> tuple[dict[str, object], dict[str, object]]:
    """(自评结果 by item id, 核查结果 by item id), answered by the rules of the branch's type."""
    profile = profile_of(rules, spec, reference)
    rules = select(rules, profile)
    own: dict[str, object] = {}
    met_ids: list[str] = []
    # Check points read by derived vetoes are met: a vetoed branch is a deliberate case, not chance.
    guarded = {leaf.item for v in rules.vetoes for leaf in leaves(v.condition) if leaf.item}
    # A branch that must have a committee and has none cannot meet what asks for one.
    committee_work = set() if has_committee(spec) else {i.id for i in rules.items if "has_committee" in _fields_read(i)}
    for item in asked_items(rules):
        if not applies(item, rules, profile, reference):
            continue
        if spec.not_applicable and item.na_allowed:
            own[item.id] = NA
            continue
        met = item.id not in committee_work and (item.id in guarded or rng.random() < spec.quality)
        own[item.id] = answer(item, reference, spec.founded, met=met, rng=rng)
        if met:
            met_ids.append(item.id)
    checks: dict[str, object] = {}
    changeable = [i for i in met_ids if i not in guarded]
    for item_id in rng.sample(changeable, min(spec.inspector_changes, len(changeable))):
        checks[item_id] = answer(rules.item(item_id), reference, spec.founded, met=False, rng=rng)
    if spec.typed_freely:
        own = {k: typed_freely(v, rng) for k, v in own.items()}
    if spec.invalid_answer:
        wrong = {i.id: answers.answer_type(i.type).invalid_example() for i in asked_items(rules) if i.id in own}
        first = next(item_id for item_id, example in wrong.items() if example is not None)
        own[first] = wrong[first]
    return own, checks


# What secretaries write as 佐证材料: a record, its month and page, different from branch to branch
# (the benchmark's workbooks must not share their texts more than real ones do).
_RECORDS = (
    "支部党员大会记录", "支委会会议记录", "党小组会记录", "党课记录本",
    "组织生活会记录", "主题党日活动记录", "党费收缴台账", "党员发展档案",
)  # fmt: skip


def evidence_text(rng: random.Random, reference: date) -> str:
    month = rng.randint(1, reference.month)
    return f"见{rng.choice(_RECORDS)}（{reference.year}年{month}月）第{rng.randint(1, 60)}页"


def _fields_read(item: Item) -> tuple[str, ...]:
    return tuple(f for leaf in leaves(item.applies_if) for f in leaf.fields_read())


def write_branch(
    rules: RuleSet, template: Path | Filler, spec: BranchSpec, out: Path, seed: int, reference: date = REFERENCE
) -> Path:
    """One filled workbook for ``spec`` assessed at ``reference``; ``template`` is the template file or a
    :class:`Filler` of it."""
    rng = random.Random(f"{seed}:{spec.parent}:{spec.name}")
    own, checks = answers_of(rules, spec, rng, reference)
    vetoes = {v.id: (YES if v.id == spec.veto else NO) for v in rules.question_vetoes}
    evidence = {item_id: evidence_text(rng, reference) for item_id in sorted(own)[::3]}
    filler = template if isinstance(template, Filler) else Filler(template)
    profile = profile_of(rules, spec, reference)
    return filler.fill(out, profile=profile, answers=own, checks=checks, vetoes=vetoes, evidence=evidence)


def generate(
    rules: RuleSet,
    folder: Path,
    specs: tuple[BranchSpec, ...] = DEMO_BRANCHES,
    seed: int = DEFAULT_SEED,
    *,
    jobs: int = 1,
    reference: date = REFERENCE,
) -> list[Path]:
    """Write one filled workbook per spec into ``folder``; returns their paths in order.

    The template is read once; with ``jobs`` > 1 the workbooks are written in that many
    processes. The files depend only on the rule set, the specs and the seed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{n:02d}-{safe_file_name(spec.name)}.xlsx" for n, spec in enumerate(specs, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        template = write_template(rules, Path(tmp) / "template.xlsx")
        if jobs <= 1 or len(specs) < 2:
            filler = Filler(template)
            pairs = zip(specs, targets, strict=True)
            return [write_branch(rules, filler, spec, out, seed, reference) for spec, out in pairs]
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(jobs, context, initializer=_start_writer, initargs=(rules, template)) as pool:
            seeds, dates = itertools.repeat(seed), itertools.repeat(reference)
            return list(pool.map(_write_one, specs, targets, seeds, dates, chunksize=8))


_writer: tuple[RuleSet, Filler] | None = None


def _start_writer(rules: RuleSet, template: Path) -> None:
    global _writer
    _writer = (rules, Filler(template))


def _write_one(spec: BranchSpec, out: Path, seed: int, reference: date) -> Path:
    assert _writer is not None
    return write_branch(_writer[0], _writer[1], spec, out, seed, reference)


def batch_specs(count: int, seed: int = DEFAULT_SEED) -> tuple[BranchSpec, ...]:
    """``count`` varied branches for a benchmark: the demo's kinds, renamed and reshuffled."""
    rng = random.Random(seed)
    kinds = [s for s in DEMO_BRANCHES if not s.invalid_answer]
    specs = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        specs.append(
            replace(
                kind,
                name=f"第{n + 1}党支部",
                parent=f"示范单位{n // 50 + 1}机关党委",
                quality=round(rng.uniform(0.5, 1.0), 2),
            )
        )
    return tuple(specs)
