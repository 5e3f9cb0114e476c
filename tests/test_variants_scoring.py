"""Branch-type variants applied: the submission's 支部类型 selects the overlay; scoring evaluates
the resolved model unchanged; one template serves every variant. Hand-worked to the cent."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from variantrules import RETIRED, write_variant_rules

from engine import contract as c
from engine.intake import read_submission
from engine.rules import load_rule_set, to_dict
from engine.rules.model import NO, YES, RuleSet
from engine.rules.tailor import resolve, select, template_model
from engine.scoring import score_submission
from engine.scoring.model import Result
from engine.scoring.results import result_to_dict
from engine.submission import ItemEntry, Submission
from engine.template import fill_workbook, write_template
from engine.template.texts import guide_lines

PROFILE: dict[str, Any] = {
    "branch_name": "老干部党支部",
    "parent_org": "测试机关党委",
    "branch_type": None,
    "full_members": 5,
    "has_committee": NO,
    "election_date": None,
    "assessment_year": 2018,
    "reference_date": None,
    "founded_date": None,
}
ANSWERS: dict[str, Any] = {
    "1.1.1": YES,
    "1.1.2": "较好",
    "1.2.1": Decimal(85),
    "1.2.2": YES,
    "2.1.2": Decimal(1),
    "2.1.4": date(2018, 10, 1),
    "1.2.3": NO,
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_rule_set(write_variant_rules(tmp_path_factory.mktemp("variant")))


def score(rules: RuleSet, branch_type: str | None) -> Result:
    profile = {**PROFILE, "branch_type": branch_type}
    items = {k: ItemEntry(k, self_value=v) for k, v in ANSWERS.items()}
    vetoes = {v.id: ItemEntry(v.id, self_value=NO) for v in rules.question_vetoes}
    result = score_submission(rules, Submission("t.xlsx", "0" * 64, profile, items, vetoes, ()))
    assert result.scored
    return result


def item(result: Result, ident: str) -> Any:
    return next(i for i in result.items if i.id == ident)


def test_the_variant_named_by_the_profile_is_scored_to_the_cent(rules: RuleSet) -> None:
    result = score(rules, RETIRED)
    assert result.variant == RETIRED
    # 1.1.1 10 + 1.1.2 8 + 1.2.1 10 (85 % ≥ 80 %) + 1.2.2 10 + 2.1.2 5/5 + 2.1.4 10 + 1.2.3 0/5 = 53 of 60
    # (1.1.3 not applicable by the variant; 2.1.1 and 2.1.3 by applies_if: no committee).
    assert sum(i.earned for i in result.items) == 53 and sum(i.max for i in result.items) == 60
    assert result.score == Decimal("88.33")
    excluded = item(result, "1.1.3")
    assert (excluded.status, excluded.max, excluded.points) == ("not_applicable", 0, 10)
    assert excluded.reason == (
        "离退休干部党支部不适用（依据《中国共产党党员教育管理工作条例》第二十三条）：年老体弱党员的学习培训不作硬性要求"
    )
    target = item(result, "1.2.1")
    assert target.reason == (
        "离退休干部党支部目标为 80%（依据《中国共产党党员教育管理工作条例》第二十三条）；"
        "填写 85%，目标 80%，得 10/10 分"
    )
    assert item(result, "2.1.2").max == 5
    added = item(result, "1.2.3")
    assert (added.status, added.max) == ("unmet", 5) and added.reason.startswith("离退休干部党支部增设本检查要点")
    assert [g.id for g in result.gaps][:2] == ["1.2.3", "1.1.2"]  # 5 points (8.33), then 2 (3.33)


@pytest.mark.parametrize("branch_type", [None, "在职党支部", "联合党支部", "社区党支部"])
def test_a_blank_or_other_branch_type_means_the_base_rules(rules: RuleSet, branch_type: str | None) -> None:
    result = score(rules, branch_type)
    assert result.variant is None
    # 1.1.3 unanswered 0/10, 1.2.1 8.5/10 (85 % of 100 %), 2.1.2 10/10, no 1.2.3: 56.5 of 70.
    assert sum(i.earned for i in result.items) == Decimal("56.5") and sum(i.max for i in result.items) == 70
    assert result.score == Decimal("80.71")
    assert item(result, "1.1.3").status == "unanswered"  # never "not applicable" for want of a type
    assert "1.2.3" not in [i.id for i in result.items]


def test_the_branch_type_is_matched_whatever_its_width_or_spacing(rules: RuleSet) -> None:
    assert score(rules, " 离退休干部 党支部 ").variant == RETIRED


def test_results_json_names_the_variant(rules: RuleSet) -> None:
    assert result_to_dict(score(rules, RETIRED))["variant"] == RETIRED
    assert result_to_dict(score(rules, None))["variant"] is None


def test_the_resolved_model_is_an_ordinary_model(rules: RuleSet) -> None:
    resolved = resolve(rules, RETIRED)
    assert resolved is resolve(rules, RETIRED)  # resolved once per base model
    assert resolved.fingerprint == rules.fingerprint and resolved.variant == RETIRED
    assert [i.id for i in resolved.items] == [
        "1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "1.2.3", "2.1.1", "2.1.2", "2.1.3", "2.1.4",
    ]  # fmt: skip
    assert resolved.item("1.2.1").target == 80 and rules.item("1.2.1").target == 100
    assert select(resolved, {"branch_type": None}) is resolved
    assert select(rules, {"branch_type": "在职党支部"}) is rules


def test_the_json_export_lists_every_overlay_change(rules: RuleSet) -> None:
    exported = to_dict(rules)["variants"]
    assert exported["field"] == "branch_type" and exported["options"] == ["在职党支部", RETIRED, "联合党支部"]
    [overlay] = exported["overlays"]
    assert (overlay["name"], overlay["file"], overlay["note"]) == (RETIRED, "retired.yaml", "测试用变体")
    changes = {ch["item"]: ch for ch in overlay["changes"]}
    assert changes["1.1.3"]["action"] == "not_applicable" and changes["1.1.3"]["check_point"] is None
    assert changes["1.2.1"]["set"] == ["target"] and changes["1.2.1"]["check_point"]["target"] == 80
    assert changes["1.2.3"]["action"] == "add" and changes["1.2.3"]["standard"] == "1.2"
    assert changes["1.2.3"]["check_point"]["text"] == "对年老体弱党员送学上门"
    json.dumps(exported, ensure_ascii=False)


# ------------------------------------------------------------------ one template, every variant


def template(rules: RuleSet, folder: Path) -> Path:
    return write_template(rules, folder / "t.xlsx")


def filled(rules: RuleSet, folder: Path, name: str, branch_type: str | None, answers: dict[str, Any]) -> Path:
    profile = {k: v for k, v in {**PROFILE, "branch_type": branch_type}.items() if v is not None}
    vetoes = {v.id: NO for v in rules.question_vetoes}
    path = folder / "t.xlsx"
    if not path.exists():
        template(rules, folder)
    return fill_workbook(path, folder / name, profile=profile, answers=answers, vetoes=vetoes)


def workbook_answers() -> dict[str, Any]:
    return {**ANSWERS, "1.2.1": 0.85, "2.1.2": 1}


def test_the_template_asks_every_variants_check_points_and_offers_the_types(rules: RuleSet, tmp_path: Path) -> None:
    wb = load_workbook(template(rules, tmp_path))
    ids = [row[0].value for row in wb[c.SHEET_ITEMS].iter_rows(min_row=4)]
    assert "1.2.3" in ids and ids.index("1.2.3") == ids.index("1.2.2") + 1
    profile = wb[c.SHEET_PROFILE]
    row = next(r for r in range(2, profile.max_row + 1) if profile.cell(r, 1).value == "支部类型")
    [dropdown] = [dv for dv in profile.data_validations.dataValidation if f"B{row}" in str(dv.sqref)]
    assert dropdown.formula1 == '"在职党支部,离退休干部党支部,联合党支部"'
    assert (
        "选“离退休干部党支部”的，按该类型的规则评分：1 个检查要点不适用，2 个检查要点要求不同，增设 1 个检查要点"
        in str(profile.cell(row, 3).value)
    )
    guides = {r[0].value: r[4].value for r in wb[c.SHEET_ITEMS].iter_rows(min_row=4) if r[0].value}
    assert "离退休干部党支部不适用（依据《中国共产党党员教育管理工作条例》第二十三条）" in guides["1.1.3"]
    assert "离退休干部党支部目标为 80%" in guides["1.2.1"]
    assert guides["1.2.3"].startswith("填写") and "仅离退休干部党支部填写" in guides["1.2.3"]
    text = "\n".join(line.text for line in guide_lines(rules))
    assert "离退休干部党支部——不适用（无需填写）：1.1.3。要求不同：1.2.1 目标为 80%" in text
    assert "增设（仅离退休干部党支部填写）：1.2.3" in text
    assert "未填写或选择其他类型的，按基础规则评分（不会因此不适用）" in text


def test_a_returned_workbook_is_read_and_scored_by_its_branch_type(rules: RuleSet, tmp_path: Path) -> None:
    answers = {**workbook_answers(), "1.1.3": 20}  # answered although the variant excludes it
    read = read_submission(filled(rules, tmp_path, "retired.xlsx", RETIRED, answers), rules)
    codes = [d.code for d in read.diagnostics]
    assert codes == ["branch-type-applied", "answer-not-applicable"], read.diagnostics
    applied, ignored = read.diagnostics
    assert applied.message == (
        "“支部类型”填写“离退休干部党支部”，按离退休干部党支部的规则评分"
        "（1 个检查要点不适用，2 个检查要点要求不同，增设 1 个检查要点），请检查组核实支部类型"
    )
    assert (applied.sheet, applied.row, applied.column) == (c.SHEET_PROFILE, 4, "B")
    assert "支部类型为离退休干部党支部，年老体弱党员的学习培训不作硬性要求" in ignored.message
    result = score_submission(rules, read)
    assert (result.variant, result.score) == (RETIRED, Decimal("88.33"))


def test_an_in_service_branch_answering_a_variants_check_point_is_told_it_is_ignored(
    rules: RuleSet, tmp_path: Path
) -> None:
    read = read_submission(filled(rules, tmp_path, "base.xlsx", "在职党支部", workbook_answers()), rules)
    [missing, ignored] = read.diagnostics  # in row order
    assert (
        ignored.code == "answer-not-applicable"
        and "检查要点 1.2.3 不适用（仅适用于离退休干部党支部）" in ignored.message
    )
    assert missing.code == "item-unanswered" and "1.1.3" in missing.message
    assert score_submission(rules, read).score == Decimal("80.71")


def test_an_unknown_branch_type_is_flagged_and_scored_by_the_base_rules(rules: RuleSet, tmp_path: Path) -> None:
    answers = {k: v for k, v in workbook_answers().items() if k != "1.2.3"}
    read = read_submission(filled(rules, tmp_path, "other.xlsx", "社区党支部", answers), rules)
    unknown = next(d for d in read.diagnostics if d.code == "branch-type-unknown")
    assert not unknown.is_error
    assert unknown.message == (
        "“支部类型”填写的“社区党支部”不是可选的支部类型（可选：在职党支部、离退休干部党支部、联合党支部），按基础规则评分"
    )
    assert score_submission(rules, read).variant is None


def test_the_template_model_holds_the_added_check_points(rules: RuleSet) -> None:
    union = template_model(rules)
    assert [i.id for i in union.items if i.tailoring] == ["1.2.3"]
    assert union.fingerprint == rules.fingerprint and union.variant is None


def test_the_reports_name_the_variant_and_describe_its_check_points(rules: RuleSet, tmp_path: Path) -> None:
    from engine.reports import write_reports

    other_branch = replace(score(rules, None), source="u.xlsx", branch_name="在职党支部")
    written = write_reports(rules, [score(rules, RETIRED), other_branch], tmp_path)
    report, other, rollup = (load_workbook(p) for p in written)
    notes = [r[0] for r in report["总览"].iter_rows(values_only=True) if r[0]]
    assert "按“离退休干部党支部”的规则评分（依据“支部信息”所填支部类型，请检查组核实）。" in notes
    assert not [n for n in (r[0] for r in other["总览"].iter_rows(values_only=True)) if n and "规则评分" in str(n)]
    gaps = [list(r) for r in report["问题清单"].iter_rows(values_only=True)]
    header = next(r for r in gaps if "编号" in r)
    added = next(r for r in gaps if r[header.index("编号")] == "1.2.3")  # the variant's own check point, described
    assert added[header.index("检查要点")] == "对年老体弱党员送学上门"
    table = [list(r) for r in rollup["总表"].iter_rows(values_only=True)]
    header = next(r for r in table if "备注" in r)
    remarks = {r[header.index("支部名称")]: r[header.index("备注")] for r in table if r[header.index("支部名称")]}
    assert remarks["老干部党支部"] == "按离退休干部党支部的规则评分" and remarks["在职党支部"] is None
