"""The example rating scheme (rules/example-five-star) scored by hand-worked submissions, to
the cent: bonus and penalty blocks with caps, a composite total with a 评议 component,
clamping, capping and lowest vetoes, band labels (issue 16)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ratingkit import ALL_MET, EXAMPLE, submission

from engine.rules import load_rule_set
from engine.scoring import score_submission
from engine.scoring.model import Result
from engine.scoring.results import result_to_dict

RULES = load_rule_set(EXAMPLE)


def scored(**kwargs: object) -> Result:
    result = score_submission(RULES, submission(**kwargs))  # type: ignore[arg-type]
    assert result.scored, result.diagnostics
    return result


def test_all_met_with_both_bonuses_is_clamped_to_100() -> None:
    # checklist 100 + bonus min(3 + 3, cap 5) − 0 = 105; 0.7 × 105 + 0.3 × 90 = 100.5 → clamped to 100
    d = result_to_dict(scored())
    assert (d["base_score"], d["score"], d["rating"], d["rating_label"]) == (100, 100, "五星", "★★★★★ 五星")
    assert d["blocks"] == [
        {"id": "3", "name": "加分项", "kind": "bonus", "earned": 6, "cap": 5, "applied": 5},
        {"id": "4", "name": "减分项", "kind": "penalty", "earned": 0, "cap": 6, "applied": 0},
    ]
    assert d["components"] == [
        {"source": "checklist", "field": None, "name": "检查得分", "value": 105, "weight": 0.7},
        {"source": "field", "field": "appraisal_score", "name": "群众评议得分", "value": 90, "weight": 0.3},
    ]
    assert d["rating_before_quota"] == "五星"
    assert d["rating_reason"] == "总分 100，按等级划分为“五星”"


def test_a_hand_worked_branch_to_the_cent() -> None:
    answers = {
        "1.1.1": Decimal(3),  # 20 − 5 × 1 = 15
        "1.1.2": Decimal(9),  # 9 / 12 × 20 = 15
        "2.1.1": "一般",  # 0.5 × 20 = 10
        "2.1.2": Decimal("87.5"),  # 0.875 × 20 = 17.5
        "3.1.2": "否",  # bonus 3
        "4.1.1": "是",  # penalty 4 + 3 = 7, capped at 6
        "4.1.2": "是",
    }
    r = scored(answers=answers, appraisal_score=Decimal("83.35"))
    d = result_to_dict(r)
    # checklist 77.5; (77.5 + 3 − 6) × 0.7 + 83.35 × 0.3 = 52.15 + 25.005 = 77.155 → 77.16
    assert (d["base_score"], d["score"], d["rating"]) == (77.5, 77.16, "三星")
    assert [(b["earned"], b["applied"]) for b in d["blocks"]] == [(3, 3), (7, 6)]
    assert d["components"][0]["value"] == 74.5
    # Gains are on the total's scale: lost × 100 × 0.7 / 100.
    assert [(g["id"], g["lost"], g["gain"]) for g in d["gaps"]] == [
        ("2.1.1", 10, 7),
        ("1.1.1", 5, 3.5),
        ("1.1.2", 5, 3.5),
        ("2.1.2", 2.5, 1.75),
    ]
    items = {i["id"]: i for i in d["items"]}
    assert items["3.1.1"]["reason"] == "填写“是”，加 3/3 分"
    assert items["4.1.1"]["reason"] == "填写“是”，扣 4/4 分"
    assert [a["id"] for a in d["areas"]] == ["1", "2", "3", "4"]


def test_the_self_score_uses_the_same_formula() -> None:
    r = scored(answers={"1.1.3": "是"}, checks={"1.1.3": "否"})
    # checked: checklist 80 + 5 = 85 → 59.5 + 27 = 86.5; self: 100.5 → 100
    assert (r.score, r.self_score, r.rating) == (Decimal("86.50"), Decimal("100.00"), "四星")


def test_a_blank_penalty_counts_as_incurred() -> None:
    d = result_to_dict(scored(answers={"4.1.1": None}))
    # 100 + 5 − 4 = 101 → 70.7 + 27 = 97.7
    assert d["score"] == 97.7
    item = {i["id"]: i for i in d["items"]}["4.1.1"]
    assert (item["status"], item["earned"], item["reason"]) == ("unanswered", 4, "未填写，按发生计，扣 4/4 分")
    assert "4.1.1" not in [g["id"] for g in d["gaps"]]  # blocks are never gaps


def test_a_capping_veto_caps_the_rating_and_keeps_the_score() -> None:
    d = result_to_dict(scored(vetoes={"V2": "是"}))
    assert (d["score"], d["rating"], d["rating_label"], d["vetoed"]) == (100, "二星", "★★ 二星", True)
    assert d["rating_reason"] == "总分 100，按等级划分为“五星”；否决项 V2 已触发，等级不高于“二星”；评定为“二星”"


def test_a_capping_veto_does_not_raise_a_lower_rating() -> None:
    r = scored(vetoes={"V2": "是"}, appraisal_score=Decimal(0), answers={"1.1.3": "否", "2.1.1": "差"})
    # checklist 60 + 5 = 65 → 45.5 + 0 = 45.5: 一星 already below the cap
    assert (r.score, r.rating) == (Decimal("45.50"), "一星")
    assert (
        r.rating_detail is not None
        and r.rating_detail.reason == "总分 45.5，按等级划分为“一星”；否决项 V2 已触发，等级不高于“二星”"
    )


def test_a_lowest_veto_wins_over_a_cap() -> None:
    d = result_to_dict(scored(vetoes={"V1": "是", "V2": "是"}))
    assert d["rating"] == "一星"
    assert d["rating_reason"] == (
        "总分 100，按等级划分为“五星”；否决项 V1 已触发，评为最低等级；否决项 V2 已触发，等级不高于“二星”；评定为“一星”"
    )


def test_a_missing_component_is_never_scored() -> None:
    assert not score_submission(RULES, submission(appraisal_score=None)).scored


def test_the_appraisal_weight_moves_the_total() -> None:
    low, high = scored(appraisal_score=Decimal(60)), scored(appraisal_score=Decimal("60.01"))
    # 73.5 + 18 = 91.5; 73.5 + 18.003 = 91.503 → 91.50; 73.5 + 18.006 = 91.506 → 91.51 (half-up at the end)
    assert (low.score, high.score) == (Decimal("91.50"), Decimal("91.50"))
    assert scored(appraisal_score=Decimal("60.02")).score == Decimal("91.51")


ANSWERS = {
    "1.1.1": st.integers(0, 6).map(Decimal),
    "1.1.2": st.integers(0, 14).map(Decimal),
    "1.1.3": st.sampled_from(["是", "否"]),
    "2.1.1": st.sampled_from(["好", "较好", "一般", "差"]),
    "2.1.2": st.integers(0, 100).map(Decimal),
    "3.1.1": st.sampled_from(["是", "否"]),
    "3.1.2": st.sampled_from(["是", "否"]),
    "4.1.1": st.sampled_from(["是", "否"]),
    "4.1.2": st.sampled_from(["是", "否"]),
}


@settings(max_examples=150, deadline=None)
@given(
    answers=st.fixed_dictionaries(ANSWERS),
    blanked=st.sets(st.sampled_from(sorted(ALL_MET)), min_size=1),
    appraisal=st.integers(0, 10000).map(lambda n: Decimal(n) / 100),
)
def test_no_loophole_pays_a_blank_answer_never_raises_the_score_or_the_rating(
    answers: dict[str, object], blanked: set[str], appraisal: Decimal
) -> None:
    full = scored(answers=answers, appraisal_score=appraisal)
    partial = scored(answers={**answers, **dict.fromkeys(blanked)}, appraisal_score=appraisal)
    assert partial.score is not None and full.score is not None
    assert partial.score <= full.score
    names = [b.name for b in RULES.bands]
    assert names.index(str(partial.rating)) >= names.index(str(full.rating))
    assert not score_submission(RULES, submission(answers=answers, appraisal_score=None)).scored


@settings(max_examples=100, deadline=None)
@given(
    answers=st.fixed_dictionaries(ANSWERS),
    vetoes=st.fixed_dictionaries({"V1": st.sampled_from(["是", "否"]), "V2": st.sampled_from(["是", "否"])}),
    blanked=st.sets(st.sampled_from(["V1", "V2"]), min_size=1),
)
def test_no_loophole_pays_a_blank_veto_never_raises_the_rating(
    answers: dict[str, object], vetoes: dict[str, str], blanked: set[str]
) -> None:
    full = scored(answers=answers, vetoes=vetoes, appraisal_score=Decimal(80))
    partial = scored(answers=answers, vetoes={**vetoes, **dict.fromkeys(blanked)}, appraisal_score=Decimal(80))
    names = [b.name for b in RULES.bands]
    assert names.index(str(partial.rating)) >= names.index(str(full.rating))
    assert partial.score == full.score


def test_the_full_rectification_gain_is_what_fixing_every_gap_adds_to_the_total() -> None:
    from engine.reports.texts import reaches_full_marks, total_gain

    fixed = scored(appraisal_score=Decimal(60))
    for broken in ({"1.1.3": "否"}, {"1.1.1": Decimal(2), "2.1.1": "一般"}):  # checklist gaps (blocks have none)
        now = scored(answers=broken, appraisal_score=Decimal(60))
        d = result_to_dict(now)
        assert fixed.score is not None and now.score is not None
        assert total_gain(d) == fixed.score - now.score  # 0.7 × the checklist's shortfall, not 100 − score
        assert not reaches_full_marks(d)  # 群众评议 at 60 keeps the total below 100


def test_the_example_variants_to_the_cent() -> None:
    # 离退休干部党支部: 1.1.2's target is 6 (3 of 6 → 10 of 20) and 2.1.2 does not apply (checklist max 80):
    # checklist 70 / 80 = 87.5; (87.5 + 5) × 0.7 + 90 × 0.3 = 64.75 + 27 = 91.75.
    retired = result_to_dict(scored(answers={"1.1.2": Decimal(3)}, branch_type="离退休干部党支部"))
    assert (retired["variant"], retired["base_score"], retired["score"]) == ("离退休干部党支部", 87.5, 91.75)
    items = {i["id"]: i for i in retired["items"]}
    assert items["2.1.2"]["status"] == "not_applicable"
    assert items["1.1.2"]["reason"].startswith("离退休干部党支部目标为 6")
    # The same answers in service: 3 of 12 → 5 of 20; checklist 85; (85 + 5) × 0.7 + 27 = 90.
    base = result_to_dict(scored(answers={"1.1.2": Decimal(3)}))
    assert (base["variant"], base["base_score"], base["score"]) == (None, 85, 90)
    # 联合党支部: 1.1.2 is worth 10 and the added 1.1.4 (10 points) is unmet: checklist 90; 95 × 0.7 + 27 = 93.5.
    joint = result_to_dict(scored(answers={"1.1.4": "否"}, branch_type="联合党支部"))
    assert (joint["base_score"], joint["score"]) == (90, 93.5)
    assert [g["id"] for g in joint["gaps"]] == ["1.1.4"]
    # A blank or unknown type is the base rules, never "not applicable".
    assert result_to_dict(scored(branch_type="机关党支部"))["variant"] is None
