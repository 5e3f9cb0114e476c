"""The bundled rule set scored by hand-worked examples and one property over the whole set:
an obligation the branch fails never raises its score (rule set 1.1, issue 12)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from engine import contract as c
from engine.applicability import applies, derived_answer, reference_date
from engine.demo.answers import best
from engine.intake import read_submission
from engine.months import add_months
from engine.rules import load_rule_set
from engine.rules.model import NA, NO, YES, Item, leaves
from engine.scoring import score_submission
from engine.scoring.model import Result
from engine.submission import ItemEntry, Submission
from engine.template import write_template

RULES = load_rule_set()
REF = date(2018, 12, 31)
ASKED = [i for i in RULES.items if i.asked]
ALL_MET = {i.id: best(i, REF) for i in ASKED}
# Asked items whose applicability reads has_committee.
READ_COMMITTEE = [i.id for i in ASKED if "has_committee" in {f for x in leaves(i.applies_if) for f in x.fields_read()}]
# Reported 1.0.0 fingerprint: a template made from it must be refused as stale.
FINGERPRINT_1_0_0 = "sha256:2b4b914fd7537a56fb384c39cd30a13a8790b3a64cc32d603fa924c47ad24e92"

BRANCH: dict[str, Any] = {
    "branch_name": "测试党支部",
    "parent_org": "测试机关党委",
    "members_total": 9,
    "full_members": 9,
    "probationary_members": 0,
    "has_committee": YES,
    "committee_size": 5,
    "group_count": 0,
    "election_date": date(2017, 6, 1),
    "term_extension_approved": None,
    "secretary_name": "张三",
    "assessment_year": 2018,
    "reference_date": None,
    "founded_date": None,
}


def native(item: Item, value: Any) -> Any:
    """A demo answer (as typed in a workbook) in the form intake gives scoring."""
    if item.type == "percent" and isinstance(value, float):
        return Decimal(str(value)) * 100
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def submission(answers: dict[str, Any], **profile: Any) -> Submission:
    """A valid submission of the bundled rule set: answers by id (intake's form), the items read
    from 支部信息 derived as intake derives them, question vetoes answered 否."""
    merged = {**BRANCH, **profile}
    ref = reference_date(RULES, merged)
    items = {ident: ItemEntry(ident, self_value=value) for ident, value in answers.items()}
    for item in RULES.items:
        if not item.asked:
            items[item.id] = ItemEntry(item.id, self_value=derived_answer(item, merged, ref))
    vetoes = {v.id: ItemEntry(v.id, self_value=NO) for v in RULES.question_vetoes}
    return Submission("t.xlsx", "0" * 64, merged, items, vetoes, ())


def met_answers() -> dict[str, Any]:
    return {ident: native(RULES.item(ident), value) for ident, value in ALL_MET.items()}


def scored(answers: dict[str, Any], **profile: Any) -> Result:
    result = score_submission(RULES, submission(answers, **profile))
    assert result.scored
    return result


def item_of(result: Result, ident: str) -> Any:
    return next(i for i in result.items if i.id == ident)


def veto(result: Result, ident: str) -> str:
    return next(v.status for v in result.vetoes if v.id == ident)


def committee_items(profile: dict[str, Any]) -> list[str]:
    """Asked items that apply because of a committee (they read has_committee)."""
    return [i.id for i in ASKED if i.id in READ_COMMITTEE and applies(i, RULES, profile, REF)]


# ------------------------------------------------------------------ hand-worked


def test_a_9_member_branch_without_committee_scores_lower_than_with_one() -> None:
    with_committee = scored(met_answers())
    assert with_committee.score == 100
    # Same branch, same answers, no committee: 2.2.7 is lost (1 of the 96 applicable points:
    # no Party groups, so 3.3 (3), 2.1.4 (0.5) and 3.2.7 (0.5) do not apply).
    same_answers = scored(met_answers(), has_committee=NO, committee_size=None)
    assert sum(i.max for i in same_answers.items) == 96
    assert item_of(same_answers, "2.2.7").status == "unmet"
    assert same_answers.score == Decimal("98.96")  # 100 × 95 / 96
    # Answered honestly: no committee, so no committee meetings, no committee members' duties.
    profile = {**BRANCH, "has_committee": NO, "committee_size": None}
    lost = committee_items(profile)
    assert {"3.2.1", "2.2.2", "4.2.1", "6.1.8", "1.5.3"} <= set(lost)
    honest = met_answers()
    for ident in lost:
        honest[ident] = Decimal(0) if RULES.item(ident).type == "count" else NO
    result = scored(honest, has_committee=NO, committee_size=None)
    points_lost = sum(RULES.item(i).points for i in lost) + RULES.item("2.2.7").points
    assert points_lost == 10
    assert result.score == Decimal("89.58")  # 100 × 86 / 96
    assert result.score < same_answers.score < with_committee.score
    assert item_of(result, "3.2.1").status == "unmet"  # not "not_applicable" as in 1.0.0


def test_a_small_branch_without_committee_is_not_asked_about_one() -> None:
    result = scored(met_answers(), full_members=5, members_total=5, has_committee=NO, committee_size=None)
    for ident in ("2.2.7", "3.2.1", "4.2.1", "6.1.8"):
        assert item_of(result, ident).status == "not_applicable", ident
    assert item_of(result, "2.3.1").status == "met"  # its secretary's election is checked
    assert result.score == 100


@pytest.mark.parametrize(
    ("months", "approved", "status"),
    [
        (36, None, "clear"),  # exactly 3 years: not beyond
        (40, NO, "triggered"),
        (40, YES, "clear"),  # an approved delay of up to a year
        (48, YES, "clear"),
        (50, YES, "triggered"),  # beyond 4 years: approval or not
        (50, NO, "triggered"),
    ],
)
def test_the_secretary_of_a_branch_without_committee_must_be_reelected_on_time(
    months: int, approved: str | None, status: str
) -> None:
    elected = add_months(REF, -months)
    profile = {"full_members": 5, "members_total": 5, "has_committee": NO, "committee_size": None}
    result = scored(met_answers(), election_date=elected, term_extension_approved=approved, **profile)
    assert veto(result, "V5") == status
    assert result.vetoed is (status == "triggered")
    assert item_of(result, "2.3.1").status == ("met" if months <= 36 else "unmet")


def test_an_overdue_election_needs_the_approval_answered(tmp_path: Path) -> None:
    from engine.template import fill_workbook

    template = write_template(RULES, tmp_path / "t.xlsx")
    profile = {**BRANCH, "election_date": date(2015, 8, 31), "term_extension_approved": None}
    answers = {ident: value for ident, value in ALL_MET.items()}
    path = fill_workbook(template, tmp_path / "f.xlsx", profile=profile, answers=answers, checks={},
                         vetoes={v.id: NO for v in RULES.question_vetoes})  # fmt: skip
    read = read_submission(path, RULES)
    missing = [d for d in read.diagnostics if d.code == "profile-missing"]
    assert len(missing) == 1 and "任期届满延期换届是否经上级党组织批准" in missing[0].message
    assert "早于评估基准日36个月以上时，此项必填" in missing[0].message


@pytest.mark.parametrize(("turnout", "status"), [("80", "unmet"), ("79.5", "unmet"), ("80.01", "met"), ("90", "met")])
def test_election_turnout_of_exactly_four_fifths_is_unmet(turnout: str, status: str) -> None:
    result = scored({**met_answers(), "2.3.4": Decimal(turnout)})
    item = item_of(result, "2.3.4")
    assert item.status == status
    assert item.earned == (1 if status == "met" else 0)  # no partial credit


def test_turnout_typed_in_the_workbook_as_80_percent_is_unmet(tmp_path: Path) -> None:
    from engine.template import fill_workbook

    template = write_template(RULES, tmp_path / "t.xlsx")
    path = fill_workbook(template, tmp_path / "f.xlsx", profile=BRANCH, answers={**ALL_MET, "2.3.4": 0.8},
                         checks={}, vetoes={v.id: NO for v in RULES.question_vetoes})  # fmt: skip
    result = score_submission(RULES, read_submission(path, RULES))
    item = item_of(result, "2.3.4")
    assert (item.status, item.earned) == ("unmet", 0)
    assert item.reason == "填写 80%，须超过 80%，得 0/1 分"


def test_committee_meetings_lose_points_in_proportion() -> None:
    result = scored({**met_answers(), "3.2.1": Decimal(8)})
    assert item_of(result, "3.2.1").earned == Decimal("1")  # 8/12 of 1.5, not 0 as with 0.5 per missing meeting


# ------------------------------------------------------------------ stale templates


def test_a_1_0_0_template_is_refused_with_the_version_needed(tmp_path: Path) -> None:
    template = write_template(RULES, tmp_path / "t.xlsx")
    wb = load_workbook(template)
    meta = wb[c.SHEET_META]
    for row in meta.iter_rows():
        if row[0].value == c.META_RULE_SET_VERSION:
            row[1].value = "1.0.0"
        if row[0].value == c.META_FINGERPRINT:
            row[1].value = FINGERPRINT_1_0_0
    old = tmp_path / "old.xlsx"
    wb.save(old)
    read = read_submission(old, RULES)
    [mismatch] = [d for d in read.diagnostics if d.code == "template-mismatch"]
    assert mismatch.is_error
    assert "gansu-organs-2018 1.0.0" in mismatch.message
    assert "请使用规则集 gansu-organs-2018 1.2.0 的自评表模板重新填写" in mismatch.message
    assert RULES.fingerprint != FINGERPRINT_1_0_0


# ------------------------------------------------------------------ the property


def answer_strategy(item: Item) -> st.SearchStrategy[Any]:
    blank = st.just(None)
    na = [NA] if item.na_allowed else []
    if item.type == "yes_no":
        values: st.SearchStrategy[Any] = st.sampled_from([YES, NO, *na])
    elif item.type == "level":
        values = st.sampled_from([o.label for o in item.options] + na)
    elif item.type == "count":
        values = st.decimals(min_value=0, max_value=60, places=item.decimals) | st.sampled_from(na or [None])
    elif item.type == "percent":
        values = st.decimals(min_value=0, max_value=100, places=2) | st.sampled_from(na or [None])
    else:
        values = st.dates(date(2014, 1, 1), REF) | st.sampled_from(na or [None])
    return st.one_of(blank, values)


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    """Any answers; half the time a good branch's (each answer fully met with probability 9/10),
    where dropping an item from the maximum would pay most."""
    good = draw(st.booleans())
    chosen: dict[str, Any] = {}
    for item in ASKED:
        if good and draw(st.integers(0, 9)) > 0:
            chosen[item.id] = native(item, ALL_MET[item.id])
        else:
            chosen[item.id] = draw(answer_strategy(item))
    return chosen


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    full = draw(st.integers(3, 60))
    probationary = draw(st.integers(0, 5))
    committee = draw(st.sampled_from([YES, NO]))
    return {
        **BRANCH,
        "full_members": full,
        "probationary_members": probationary,
        "members_total": full + probationary,
        "has_committee": committee,
        "committee_size": draw(st.integers(3, 7)) if committee == YES else None,
        "group_count": draw(st.integers(0, 4)),
        "election_date": draw(st.dates(date(2012, 1, 1), REF)),
        "term_extension_approved": draw(st.sampled_from([None, YES, NO])),
        "founded_date": draw(st.none() | st.dates(date(2010, 1, 1), REF)),
    }


Change = Callable[[dict[str, Any]], dict[str, Any] | None]


def committee_obligation(profile: dict[str, Any]) -> dict[str, Any] | None:
    """At 7+ full members a committee is due: 是 (met) → 否 (unmet)."""
    if profile["full_members"] < 7:
        return None
    return {"has_committee": NO, "committee_size": None}


def term_obligation(profile: dict[str, Any]) -> dict[str, Any] | None:
    """An election on time (within 3 years) → overdue by one to thirty months."""
    if profile["election_date"] < add_months(REF, -36):
        return None
    return {"election_date": add_months(REF, -36 - random.Random(str(profile)).randint(1, 30))}


def approval_obligation(profile: dict[str, Any]) -> dict[str, Any] | None:
    """A delay approved by the higher organisation → not approved."""
    return {"term_extension_approved": NO} if profile["term_extension_approved"] == YES else None


OBLIGATIONS: dict[str, tuple[dict[str, Any], Change]] = {
    "committee": ({"has_committee": YES, "committee_size": 5}, committee_obligation),
    "term": ({}, term_obligation),
    "approval": ({"term_extension_approved": YES}, approval_obligation),
}


@settings(max_examples=200, deadline=None)
@given(profiles(), answers(), st.sampled_from(sorted(OBLIGATIONS)))
def test_failing_a_structural_obligation_never_raises_the_score(
    profile: dict[str, Any], chosen: dict[str, Any], obligation: str
) -> None:
    met_state, unmet = OBLIGATIONS[obligation]
    met = {**profile, **met_state}
    change = unmet(met)
    if change is None:
        return
    before = score_submission(RULES, submission(chosen, **met))
    after = score_submission(RULES, submission(chosen, **{**met, **change}))
    assert before.scored and after.scored
    assert before.score is not None and after.score is not None
    assert after.score <= before.score, obligation
    assert after.vetoed or not before.vetoed  # nor clears a veto
    bands = [b.name for b in RULES.bands]
    assert bands.index(str(after.rating)) >= bands.index(str(before.rating))


def worst(item: Item) -> Any:
    """The answer that earns nothing."""
    if item.type == "yes_no":
        return NO
    if item.type == "level":
        return min(item.options, key=lambda o: o.credit).label
    if item.type in ("count", "percent"):
        return Decimal(0)
    return date(2000, 1, 1)


@pytest.mark.parametrize("ident", READ_COMMITTEE)
def test_no_committee_item_failed_alone_pays_for_dropping_the_committee(ident: str) -> None:
    """The sweep behind the property: a good branch failing just this committee item does not
    gain by saying it has no committee (the item would have left the maximum under 1.0.0)."""
    chosen = {**met_answers(), ident: worst(RULES.item(ident))}
    with_committee = scored(chosen)
    without = scored(chosen, has_committee=NO, committee_size=None)
    assert without.score is not None and with_committee.score is not None
    assert without.score < with_committee.score
