"""Scoring properties that hold for any answers (hypothesis)."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from minirules import write_rules
from scoringkit import ALL_MET, submission

from engine.rules import RuleSet, load_rule_set
from engine.rules.model import Item
from engine.scoring import score_submission


def answer_strategy(item: Item) -> st.SearchStrategy[Any]:
    blank = st.just(None)
    if item.type == "yes_no":
        values: st.SearchStrategy[Any] = st.sampled_from(["是", "否"] + (["不适用"] if item.na_allowed else []))
    elif item.type == "level":
        values = st.sampled_from([o.label for o in item.options])
    elif item.type == "count":
        values = st.decimals(min_value=0, max_value=60, places=item.decimals)
    elif item.type == "percent":
        values = st.decimals(min_value=0, max_value=100, places=2)
    else:
        values = st.dates(date(2016, 1, 1), date(2018, 12, 31))
    return st.one_of(blank, values)


ASKED = list(ALL_MET)


@st.composite
def answers(draw: st.DrawFn, rules: RuleSet) -> dict[str, Any]:
    return {ident: draw(answer_strategy(rules.item(ident))) for ident in ASKED}


MINI = load_rule_set(write_rules(Path(tempfile.mkdtemp(prefix="mini-rules-"))))
COMMITTEE = st.sampled_from(["是", "否"])


@settings(max_examples=150, deadline=None)
@given(answers(MINI), COMMITTEE)
def test_sums_add_up_at_every_level(chosen: dict[str, Any], committee: str) -> None:
    result = score_submission(MINI, submission(chosen, has_committee=committee))
    if not result.scored:
        return
    items = sum(i.earned for i in result.items)
    assert items == sum(s.earned for s in result.standards) == sum(a.earned for a in result.areas)
    applicable = sum(i.points for i in result.items if i.status != "not_applicable")
    assert sum(a.max for a in result.areas) == applicable
    assert result.score == (100 * items / applicable).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@settings(max_examples=150, deadline=None)
@given(answers(MINI), st.sampled_from(ASKED))
def test_improving_one_answer_never_lowers_the_score(chosen: dict[str, Any], ident: str) -> None:
    before = score_submission(MINI, submission(chosen))
    after = score_submission(MINI, submission({**chosen, ident: ALL_MET[ident]}))
    if before.scored and after.scored and before.score is not None and after.score is not None:
        assert after.score >= before.score


@settings(max_examples=100, deadline=None)
@given(answers(MINI))
def test_a_not_applicable_answer_leaves_both_sums(chosen: dict[str, Any]) -> None:
    with_na = score_submission(MINI, submission({**chosen, "1.2.2": "不适用"}))
    item = next(i for i in with_na.items if i.id == "1.2.2")
    assert (item.earned, item.max) == (0, 0)
    others = [i for i in with_na.items if i.id != "1.2.2"]
    assert sum(a.max for a in with_na.areas) == sum(i.max for i in others)


@settings(max_examples=100, deadline=None)
@given(answers(MINI), st.sampled_from(["V1", "V2"]))
def test_a_triggered_veto_always_gives_the_lowest_band(chosen: dict[str, Any], veto: str) -> None:
    extra: dict[str, Any] = {"vetoes": {"V1": "是"}} if veto == "V1" else {"election_date": date(2010, 1, 1)}
    result = score_submission(MINI, submission(chosen, **extra))
    assert result.rating == "不达标" and result.vetoed


@settings(max_examples=100, deadline=None)
@given(answers(MINI), answers(MINI))
def test_the_inspectors_answers_decide_and_self_score_ignores_them(
    own: dict[str, Any], checked: dict[str, Any]
) -> None:
    checks = {k: v for k, v in checked.items() if v is not None}
    result = score_submission(MINI, submission(own, checks=checks))
    as_if_self = score_submission(MINI, submission({**own, **checks}))
    alone = score_submission(MINI, submission(own))
    assert result.score == as_if_self.score
    assert result.self_score == alone.score
