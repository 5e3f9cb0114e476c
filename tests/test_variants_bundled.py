"""The bundled rule set's 离退休干部党支部 overlay (rule set 1.2.0): every change has a reason and
a basis, the claim is a declared and cross-checked profile fact, in-service branches score as
before, and a retired branch is not scored as failing what does not apply to it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from test_bundled_scoring import BRANCH, RULES, met_answers, scored, submission

from engine.applicability import applies
from engine.rules.model import ADD, NOT_APPLICABLE
from engine.rules.tailor import resolve, select
from engine.scoring import score_submission
from engine.template import fill_workbook, write_template

RETIRED = "离退休干部党支部"
RETIRED_PROFILE: dict[str, Any] = {"branch_type": RETIRED, "retired_members": 8}


def test_the_bundled_rule_set_declares_the_branch_types() -> None:
    assert RULES.version == "1.2.0"
    assert RULES.variants is not None
    assert RULES.variants.field == "branch_type" and RULES.field("branch_type").label == "支部类型"
    assert RULES.variants.options == ("在职党支部", RETIRED, "联合党支部")
    assert [v.name for v in RULES.variants.overlays] == [RETIRED]


def test_every_change_of_the_retired_overlay_has_a_reason_and_a_basis() -> None:
    assert RULES.variants is not None
    [variant] = RULES.variants.overlays
    assert variant.note and "第二十三条" in variant.note
    for item in variant.changes:
        t = item.tailoring
        assert t is not None and t.reason and t.basis, item.id
        assert t.action != ADD  # the bundled overlay only excludes and changes
        if t.basis_kind == "regulation":
            assert "《" in t.basis, item.id
    excluded = {i.id for i in variant.changes if i.excluded}
    assert "4.3.2" in excluded  # 32 class hours: 不作硬性要求 for the old and infirm
    kept = {"3.1.1", "3.2.1", "3.4.1", "3.6.1", "3.6.6", "4.4.1"}  # 三会一课, 组织生活会, 党费 stay
    assert excluded.isdisjoint(kept)
    assert next(i for i in variant.changes if i.id == "4.3.2").tailoring.basis.startswith(  # type: ignore[union-attr]
        "《中国共产党党员教育管理工作条例》（2019年）第二十三条"
    )


def test_an_in_service_branch_is_scored_exactly_as_by_the_base_rules() -> None:
    answers = met_answers()
    answers["4.3.2"] = Decimal(60)
    answers["4.5.3"] = Decimal(3)
    blank = scored(answers)
    for branch_type in ("在职党支部", "联合党支部", "其他"):
        other = scored(answers, branch_type=branch_type)
        assert (other.score, other.items, other.gaps) == (blank.score, blank.items, blank.gaps)
    assert blank.variant is None
    # 4.3.2 0.6/1, 4.5.3 0.38/0.5 (3 of 4): 95.48 of 96 (no Party groups: 3.3, 2.1.4, 3.2.7 do not apply)
    assert blank.score == Decimal("99.46")


def test_a_retired_branch_is_held_to_its_own_targets() -> None:
    answers = met_answers()
    answers["4.3.2"] = Decimal(60)  # not applicable to it
    answers["4.5.3"] = Decimal(3)  # above its target of 2
    answers["4.5.1"] = "否"  # not applicable to it
    result = scored(answers, **RETIRED_PROFILE)
    assert result.variant == RETIRED and result.score == 100
    statuses = {i.id: i.status for i in result.items}
    assert statuses["4.3.2"] == statuses["4.5.1"] == NOT_APPLICABLE
    assert statuses["4.5.3"] == "met"
    # What stays: 三会一课 as for any branch.
    short = scored({**met_answers(), "3.1.1": Decimal(2)}, **RETIRED_PROFILE)
    assert next(i for i in short.items if i.id == "3.1.1").status == "partial"


def test_the_excluded_check_points_leave_both_sums() -> None:
    result = scored(met_answers(), **RETIRED_PROFILE)
    resolved = resolve(RULES, RETIRED)
    excluded = sum((i.points for i in resolved.items if i.excluded), Decimal(0))
    base = scored(met_answers())
    assert sum(i.max for i in base.items) - sum(i.max for i in result.items) == excluded == Decimal("5")


def test_the_claim_must_come_with_the_number_of_retired_members(tmp_path: Path) -> None:
    from engine.intake import read_submission

    template = write_template(RULES, tmp_path / "t.xlsx")
    answers = {k: float(v) if isinstance(v, Decimal) else v for k, v in met_answers().items()}
    answers = {k: v / 100 if RULES.item(k).type == "percent" else v for k, v in answers.items()}
    retired = resolve(RULES, RETIRED)
    profile = {**BRANCH, **RETIRED_PROFILE}
    answers = {k: v for k, v in answers.items() if applies(retired.item(k), retired, profile, date(2018, 12, 31))}
    vetoes = {v.id: "否" for v in RULES.question_vetoes}

    def read(**profile: Any) -> Any:
        values = {k: v for k, v in {**BRANCH, **profile}.items() if v is not None}
        path = fill_workbook(template, tmp_path / "f.xlsx", profile=values, answers=answers, vetoes=vetoes)
        return read_submission(path, RULES)

    missing = read(branch_type=RETIRED)
    [error] = [d for d in missing.diagnostics if d.is_error]
    assert error.code == "profile-missing" and "离退休党员人数" in error.message
    assert "支部类型为“离退休干部党支部”时，此项必填" in error.message
    few = read(branch_type=RETIRED, retired_members=3)  # 3 of 9 members
    checks = [d.message for d in few.diagnostics if d.code == "profile-check"]
    assert any("离退休干部党支部的党员应以离退休党员为主" in m for m in checks)
    assert score_submission(RULES, few).variant == RETIRED  # a warning: the inspector decides
    fine = read(branch_type=RETIRED, retired_members=8)
    assert [d.code for d in fine.diagnostics] == ["branch-type-applied"]
    assert score_submission(RULES, fine).score == 100


def test_select_reads_the_branch_type_of_the_profile() -> None:
    sub = submission(met_answers(), **RETIRED_PROFILE)
    assert select(RULES, sub.profile).variant == RETIRED
    assert select(RULES, {**sub.profile, "branch_type": None}) is RULES
    assert score_submission(RULES, sub).reference_date == date(2018, 12, 31)
