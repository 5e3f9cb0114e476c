"""Quotas on bands (issue 16): applied after scoring over the whole batch, by rank, with ties at
the boundary all demoted; the explanation and results.json record the rating before and after."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

from ratingkit import EXAMPLE, submission

from engine.batch.scoring import cross_file_checks
from engine.rules import load_rule_set
from engine.rules.model import RuleSet
from engine.scoring import score_submission
from engine.scoring.model import Result
from engine.scoring.quota import apply_quotas
from engine.scoring.results import result_to_dict

RULES = load_rule_set(EXAMPLE)
NO_BONUS = {"3.1.1": "否", "3.1.2": "否"}  # total = 70 + 0.3 × 群众评议得分


def batch(appraisals: list[int], parents: list[str] | None = None, rules: RuleSet = RULES) -> list[Result]:
    """One branch per appraisal score, all else met without bonus: total = 70 + 0.3 × appraisal."""
    results = []
    for n, a in enumerate(appraisals):
        parent = parents[n] if parents else "示例机关党委"
        sub = submission(NO_BONUS, source=f"{n:02}.xlsx", appraisal_score=Decimal(a), parent_org=parent)
        results.append(score_submission(rules, sub))
    return results


def ratings(results: list[Result]) -> list[str | None]:
    return [r.rating for r in results]


def test_branches_beyond_the_quota_take_the_next_band() -> None:
    # totals 100, 97, 94, 91 (五星) and six at 70 (三星): 10 branches, 五星 at most floor(0.3 × 10) = 3
    results = apply_quotas(RULES, batch([100, 90, 80, 70, 0, 0, 0, 0, 0, 0]))
    assert ratings(results)[:5] == ["五星", "五星", "五星", "四星", "三星"]
    d = result_to_dict(results[3])
    assert (d["score"], d["rating_before_quota"], d["rating"], d["rating_label"]) == (91, "五星", "四星", "★★★★ 四星")
    assert d["rating_reason"] == "总分 91，按等级划分为“五星”；因名额限制（五星不超过 30%），评定为四星"
    assert result_to_dict(results[0])["rating_reason"] == "总分 100，按等级划分为“五星”"


def test_ties_at_the_boundary_are_all_demoted() -> None:
    # 五星 totals 100, 97, 94, 94 with room for 3: the two at 94 tie at the boundary and both take 四星
    results = apply_quotas(RULES, batch([100, 90, 80, 80, 0, 0, 0, 0, 0, 0]))
    assert ratings(results)[:4] == ["五星", "五星", "四星", "四星"]
    assert [r.score for r in results[:4]] == [Decimal("100.00"), Decimal("97.00"), Decimal("94.00"), Decimal("94.00")]


def test_a_tie_for_the_whole_quota_demotes_everyone_tied() -> None:
    results = apply_quotas(RULES, batch([100, 100, 100, 100, 0, 0, 0, 0, 0, 0]))
    assert ratings(results)[:4] == ["四星"] * 4


def test_ties_inside_the_quota_are_all_admitted() -> None:
    results = apply_quotas(RULES, batch([100, 100, 90, 0, 0, 0, 0, 0, 0, 0]))
    assert ratings(results)[:3] == ["五星", "五星", "五星"]


def test_the_quota_is_rounded_down() -> None:
    # 3 branches: floor(0.9) = 0, so no branch can be 五星
    results = apply_quotas(RULES, batch([100, 90, 0]))
    assert ratings(results) == ["四星", "四星", "三星"]


def test_a_demoted_branch_counts_in_the_next_bands_quota() -> None:
    bands = tuple(dataclasses.replace(b, max_share=Decimal("0.2")) if b.name == "四星" else b for b in RULES.bands)
    rules = dataclasses.replace(RULES, bands=bands)
    # 5 branches: 五星 room floor(1.5) = 1, 四星 room floor(1.0) = 1; totals 100, 97 (五星), 88 (四星), 70, 70
    results = apply_quotas(rules, batch([100, 90, 60, 0, 0], rules=rules))
    assert ratings(results) == ["五星", "四星", "三星", "三星", "三星"]
    assert results[1].rating_detail is not None
    assert results[1].rating_detail.reasons[-1] == "因名额限制（五星不超过 30%），评定为四星"
    reasons = results[2].rating_detail.reasons if results[2].rating_detail else ()
    assert reasons[-1] == "因名额限制（四星不超过 20%），评定为三星"


def test_a_quota_per_parent_organisation() -> None:
    bands = tuple(dataclasses.replace(b, quota_per="parent_org") if b.name == "五星" else b for b in RULES.bands)
    rules = dataclasses.replace(RULES, bands=bands)
    parents = ["甲委"] * 4 + ["乙委"] * 4
    # 甲委: totals 100, 97, 70, 70 → room floor(1.2) = 1; 乙委: 94, 70, 70, 70 → room 1
    results = apply_quotas(rules, batch([100, 90, 0, 0, 80, 0, 0, 0], parents, rules=rules))
    assert ratings(results) == ["五星", "四星", "三星", "三星", "五星", "三星", "三星", "三星"]
    reasons = results[1].rating_detail.reasons if results[1].rating_detail else ()
    assert reasons[-1] == "因名额限制（同一上级党组织中五星不超过 30%），评定为四星"


def test_rejected_submissions_do_not_count() -> None:
    rejected = score_submission(RULES, submission(appraisal_score=None, source="z.xlsx"))
    assert not rejected.scored
    results = apply_quotas(RULES, [*batch([100, 90, 0, 0, 0, 0, 0, 0, 0, 0]), rejected])
    assert ratings(results)[:2] == ["五星", "五星"] and results[-1].rating is None


def test_a_duplicate_copy_is_counted_once_and_rated_as_its_first() -> None:
    results = batch([100, 90, 80, 0, 0, 0, 0, 0, 0, 0])
    copy = dataclasses.replace(results[2], source="10-copy.xlsx")
    rated = apply_quotas(RULES, cross_file_checks([*results, copy]))
    # 10 distinct branches: room 3, so 94 keeps 五星 and so does its copy
    assert ratings(rated)[:3] == ["五星", "五星", "五星"] and rated[-1].rating == "五星"


def test_quotas_do_not_depend_on_input_order() -> None:
    results = batch([100, 90, 80, 80, 70, 0, 0, 0, 0, 0])
    forward = {r.source: r.rating for r in apply_quotas(RULES, results)}
    backward = {r.source: r.rating for r in apply_quotas(RULES, results[::-1])}
    assert forward == backward


def test_without_quotas_results_are_unchanged() -> None:
    plain = dataclasses.replace(RULES, bands=tuple(dataclasses.replace(b, max_share=None) for b in RULES.bands))
    results = batch([100, 90, 80, 70], rules=plain)
    assert apply_quotas(plain, results) == results


def test_the_score_run_applies_quotas(tmp_path: Path) -> None:
    """Through workbooks and score_batch: the parent's cross-file step applies the quota."""
    from engine.batch.scoring import BatchOptions, find_inputs, score_batch
    from engine.template import write_template
    from engine.template.fill import fill_workbook

    template = write_template(RULES, tmp_path / "t.xlsx")
    answers = {
        "1.1.1": 4,
        "1.1.2": 12,
        "1.1.3": "是",
        "2.1.1": "好",
        "2.1.2": 1,
        **NO_BONUS,
        "4.1.1": "否",
        "4.1.2": "否",
    }
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n, appraisal in enumerate([100, 90, 0, 0]):
        profile = {"branch_name": f"{n}支部", "parent_org": "示例机关党委", "assessment_year": 2024}
        fill_workbook(
            template,
            inputs / f"{n}.xlsx",
            profile={**profile, "appraisal_score": appraisal},
            answers=answers,
            vetoes={"V1": "否", "V2": "否"},
        )
    results = score_batch(RULES, find_inputs([inputs]), BatchOptions(jobs=1)).results
    # 4 branches: room floor(1.2) = 1 for 五星
    assert [(str(r.score), r.rating) for r in results] == [
        ("100.00", "五星"),
        ("97.00", "四星"),
        ("70.00", "三星"),
        ("70.00", "三星"),
    ]
