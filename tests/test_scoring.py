"""Scoring: hand-worked examples that match to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from minirules import write_rules
from scoringkit import submission

from engine.diagnostics import make
from engine.rules import RuleSet, load_rule_set
from engine.scoring import score_submission
from engine.scoring.model import ItemResult, Result


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_rule_set(write_rules(tmp_path_factory.mktemp("mini")))


def item(result: Result, ident: str) -> ItemResult:
    return next(i for i in result.items if i.id == ident)


def test_a_fully_met_submission_scores_100_and_the_top_band(rules: RuleSet) -> None:
    result = score_submission(rules, submission())
    assert (result.score, result.self_score, result.rating, result.vetoed) == (
        Decimal("100.00"),
        Decimal("100.00"),
        "优秀",
        False,
    )
    assert result.gaps == ()
    assert result.reference_date == date(2018, 12, 31)


def test_hand_worked_example_of_every_type(rules: RuleSet) -> None:
    result = score_submission(
        rules,
        submission(
            {
                "1.1.2": "较好",
                "1.1.3": Decimal("28.5"),
                "1.2.1": Decimal(95),
                "1.2.2": "否",
                "2.1.1": Decimal(9),
                "2.1.4": None,
            },
            election_date=date(2015, 6, 1),
        ),
    )
    earned = {i.id: str(i.earned) for i in result.items}
    assert earned == {
        "1.1.1": "10.00",
        "1.1.2": "8.00",
        "1.1.3": "8.91",
        "1.2.1": "9.50",
        "1.2.2": "0.00",
        "2.1.1": "14.00",
        "2.1.2": "10.00",
        "2.1.3": "0.00",
        "2.1.4": "0",
    }
    assert result.score == Decimal("60.41")
    assert result.rating == "基本达标"
    assert [(g.id, g.status, str(g.lost), str(g.gain)) for g in result.gaps] == [
        ("1.2.2", "unmet", "10.00", "10.00"),
        ("2.1.3", "unmet", "10.00", "10.00"),
        ("2.1.4", "unanswered", "10", "10.00"),
        ("2.1.1", "partial", "6.00", "6.00"),
        ("1.1.2", "partial", "2.00", "2.00"),
        ("1.1.3", "partial", "1.09", "1.09"),
        ("1.2.1", "partial", "0.50", "0.50"),
    ]
    assert item(result, "2.1.1").reason == "实际 9，要求不少于 12，少 3 扣 6 分，得 14/20 分"
    assert item(result, "1.1.2").reason == "评价为“较好”（得分系数 0.8），得 8/10 分"
    assert item(result, "2.1.3").reason == (
        "按支部信息“本届支部委员会选举日期”："
        "日期 2015-06-01 不在 2015-12-31 至 2018-12-31 之间（评估基准日前 36 个月内），得 0/10 分"
    )
    assert item(result, "2.1.4").reason == "未填写，得 0/10 分"
    assert (item(result, "1.1.3").status, item(result, "1.1.3").credit) == ("partial", Decimal("0.8906"))


def test_standard_and_area_sums_are_built_from_rounded_item_points(rules: RuleSet) -> None:
    result = score_submission(rules, submission({"1.1.3": Decimal("28.5"), "1.2.1": Decimal("33.3")}))
    area1 = result.areas[0]
    assert (str(area1.earned), str(area1.max), str(area1.percent)) == ("42.24", "50", "0.8448")
    assert (
        sum(s.earned for s in result.standards)
        == sum(a.earned for a in result.areas)
        == sum(i.earned for i in result.items)
    )


def test_earned_points_round_half_up_at_xx5(rules: RuleSet) -> None:
    # 2 of 32 class hours on a 10-point item: 0.625 points, half-up 0.63 (banker's rounding would give 0.62).
    result = score_submission(rules, submission({"1.1.3": Decimal(2)}))
    assert item(result, "1.1.3").earned == Decimal("0.63")


def test_deduction_never_goes_below_zero(rules: RuleSet) -> None:
    result = score_submission(rules, submission({"2.1.1": Decimal(0)}))
    assert (item(result, "2.1.1").earned, item(result, "2.1.1").status) == (Decimal("0.00"), "unmet")


def test_without_a_committee_its_items_leave_both_sums(rules: RuleSet) -> None:
    result = score_submission(
        rules, submission({"2.1.1": None}, has_committee="否", full_members=5, election_date=None)
    )
    for ident in ("2.1.1", "2.1.3"):
        r = item(result, ident)
        assert (r.status, r.max, r.points) == ("not_applicable", 0, Decimal(20 if ident == "2.1.1" else 10))
        assert r.reason == "不适用：适用条件“是否设立支部委员会为“是””不满足"
    assert result.score == Decimal("100.00")
    assert result.areas[1].max == 20


def test_answering_not_applicable_where_allowed(rules: RuleSet) -> None:
    result = score_submission(rules, submission({"1.2.2": "不适用", "1.1.1": "否"}))
    assert item(result, "1.2.2").status == "not_applicable"
    assert item(result, "1.2.2").reason == "不适用：自评填写“不适用”"
    assert result.score == Decimal("88.89")  # 80 of 90


def test_yearly_targets_are_prorated_for_a_branch_founded_mid_year(rules: RuleSet) -> None:
    result = score_submission(
        rules, submission({"2.1.1": Decimal(5), "1.1.3": Decimal(16)}, founded_date=date(2018, 7, 15))
    )
    r = item(result, "2.1.1")
    assert r.earned == Decimal("18.00")
    assert r.reason == (
        "实际 5，要求不少于 6（支部 2018-07-15 成立，按 6 个月折算，要求由 12 调整为 6），少 1 扣 2 分，得 18/20 分"
    )
    assert item(result, "1.1.3").status == "met"  # 32 class hours → 16.0


def test_the_reference_date_comes_from_the_profile_when_given(rules: RuleSet) -> None:
    result = score_submission(rules, submission(reference_date=date(2018, 11, 30)))
    assert result.reference_date == date(2018, 11, 30)
    # 2017-12-15 is within 12 months of 2018-11-30, not of the default 2018-12-31.
    late = score_submission(rules, submission({"2.1.4": date(2017, 12, 15)}, reference_date=date(2018, 11, 30)))
    assert item(late, "2.1.4").status == "met"
    default = score_submission(rules, submission({"2.1.4": date(2017, 12, 15)}))
    assert item(default, "2.1.4").status == "unmet"


def test_the_inspectors_answer_overrides_and_self_score_ignores_it(rules: RuleSet) -> None:
    result = score_submission(rules, submission(checks={"1.1.1": "否"}))
    r = item(result, "1.1.1")
    assert (r.answer, r.self_answer, r.earned) == ("否", "是", Decimal("0.00"))
    assert r.reason == "核查结果“否”取代自评“是”；填写“否”，得 0/10 分"
    assert (result.score, result.self_score) == (Decimal("90.00"), Decimal("100.00"))


def test_a_question_veto_answered_yes_gives_the_lowest_band(rules: RuleSet) -> None:
    result = score_submission(rules, submission(vetoes={"V1": "是"}))
    assert (result.score, result.rating, result.vetoed) == (Decimal("100.00"), "不达标", True)
    assert result.vetoes[0].status == "triggered"
    assert result.vetoes[0].reason == "自评填写“是”"


def test_an_unanswered_question_veto_is_undetermined_and_rated_as_triggered(rules: RuleSet) -> None:
    # Leaving a veto blank must never earn a better rating than answering "是".
    result = score_submission(rules, submission(vetoes={"V1": None}))
    assert (result.vetoes[0].status, result.score, result.vetoed) == ("undetermined", Decimal("100.00"), False)
    assert result.rating == score_submission(rules, submission(vetoes={"V1": "是"})).rating == "不达标"
    assert result.rating_detail is not None
    assert "否决项 V1 无法判定，按触发处理，评为最低等级" in result.rating_detail.reasons


def test_a_derived_veto_on_an_overdue_election(rules: RuleSet) -> None:
    result = score_submission(rules, submission(election_date=date(2014, 1, 1)))
    v2 = result.vetoes[1]
    assert (v2.status, result.rating) == ("triggered", "不达标")
    assert v2.reason == (
        "已触发：是否设立支部委员会为 是，本届支部委员会选举日期为 2014-01-01，"
        "符合否决条件“是否设立支部委员会为“是”且本届支部委员会选举日期早于评估基准日48个月以上”"
    )
    clear = score_submission(rules, submission()).vetoes[2]
    assert clear.reason == "未触发：检查要点 2.1.2 填写 1，不符合否决条件“检查要点 2.1.2 的结果小于1”"


def test_a_derived_veto_on_an_unanswered_item_is_undetermined_with_a_warning(rules: RuleSet) -> None:
    result = score_submission(rules, submission({"2.1.2": None}))
    assert result.vetoes[2].status == "undetermined"
    assert [d.code for d in result.diagnostics] == ["veto-undetermined"]
    assert result.diagnostics[0].message.startswith("否决项 V3（全年未开组织生活会）无法判定，评级时按触发处理：")


def test_a_derived_veto_reading_a_not_applicable_item_never_triggers(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["vetoes"][2]["condition"] = {"not": {"item": "1.2.2", "op": "eq", "value": "是"}}

    rules = load_rule_set(write_rules(tmp_path, edit))
    result = score_submission(rules, submission({"1.2.2": "不适用"}))
    assert (result.vetoes[2].status, result.vetoes[2].reason) == ("clear", "检查要点 1.2.2 不适用，本项不触发")


def test_a_submission_with_intake_errors_is_rejected(rules: RuleSet) -> None:
    bad = submission()
    bad = type(bad)(
        bad.source,
        bad.sha256,
        bad.profile,
        bad.items,
        bad.vetoes,
        (make("invalid-answer", title="自评结果", found="也许", allowed="是、否"),),
    )
    result = score_submission(rules, bad)
    assert (result.status, result.score, result.items, result.gaps) == ("rejected", None, (), ())


def test_changing_one_yes_to_no_lowers_the_score_by_its_gain(rules: RuleSet) -> None:
    full = score_submission(rules, submission())
    lower = score_submission(rules, submission({"1.2.2": "否"}))
    [gap] = lower.gaps
    assert full.score - lower.score == gap.gain == Decimal("10.00")
