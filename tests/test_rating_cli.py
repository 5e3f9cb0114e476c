"""The example rating scheme through the CLI, the template, intake and the reports (issue 16):
``rules validate``, ``rules show``, ``template --rules rules/example-five-star``, a filled
workbook scored end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run
from openpyxl import load_workbook
from ratingkit import EXAMPLE

from engine import contract as c
from engine.rules import load_rule_set, to_dict
from engine.rules.export import scoring_content
from engine.template.fill import fill_workbook

RULES = load_rule_set(EXAMPLE)
ANSWERS = {"1.1.1": 4, "1.1.2": 12, "1.1.3": "是", "2.1.1": "较好", "2.1.2": 0.95, "3.1.1": "是", "3.1.2": "否"}
PROFILE = {"branch_name": "甲党支部", "parent_org": "示例机关党委", "assessment_year": 2024, "appraisal_score": 88.5}


def test_validate_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "validate", str(EXAMPLE))
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "规则集 example-five-star 0.1.0：2 个方面，4 项标准，9 个检查要点，满分 100，另有加分项、减分项 2 块（sha256:"
    )


def test_show_tree_states_the_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "show", str(EXAMPLE))
    assert result.exit_code == 0
    out = result.stdout
    assert "3 加分项（合计最多加 5 分）" in out and "4 减分项（合计最多扣 6 分）" in out
    assert "V2 被上级党组织确定为软弱涣散党支部（触发后等级不高于“二星”）" in out
    assert "★★★★★ 五星：≥ 90 分，名额不超过参评支部的 30%" in out


def test_show_json_exports_the_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "show", str(EXAMPLE), "--format", "json")
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(to_dict(RULES), ensure_ascii=False))
    assert [(a["id"], a["kind"], a["cap"]) for a in data["areas"]] == [
        ("1", "checklist", None),
        ("2", "checklist", None),
        ("3", "bonus", 5),
        ("4", "penalty", 6),
    ]
    assert data["bands"][0] == {"name": "五星", "min": 90, "label": "★★★★★ 五星", "max_share": 0.3, "quota_per": None}
    assert data["vetoes"][1]["effect"] == "cap" and data["vetoes"][1]["cap"] == "二星"
    assert data["total"] == {
        "min": 0,
        "max": 100,
        "components": [
            {"source": "checklist", "field": None, "weight": 0.7},
            {"source": "field", "field": "appraisal_score", "weight": 0.3},
        ],
    }
    assert data["profile"][4]["type"] == "number"


def test_the_scheme_is_in_the_fingerprint_only_when_used() -> None:
    plain = scoring_content(load_rule_set())
    assert "total" not in plain and "blocks" not in plain
    assert all(set(b) == {"name", "min"} for b in plain["bands"])
    ours = scoring_content(RULES)
    assert ours["blocks"] == [{"id": "3", "kind": "bonus", "cap": 5}, {"id": "4", "kind": "penalty", "cap": 6}]
    assert ours["bands"][0]["max_share"] == 0.3 and "label" not in ours["bands"][0]


def test_the_template_asks_the_blocks_in_their_own_sections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.xlsx"
    result = run(capsys, "template", "--rules", str(EXAMPLE), "-o", str(out))
    assert result.exit_code == 0
    wb = load_workbook(out)
    rows = [[v for v in row if v is not None] for row in wb[c.SHEET_ITEMS].iter_rows(values_only=True)]
    sections = [r[0] for r in rows if len(r) == 1 and isinstance(r[0], str)]
    assert "3 加分项（合计最多加 5 分）" in sections and "4 减分项（合计最多扣 6 分）" in sections
    guide = "\n".join(str(v) for row in wb[c.SHEET_GUIDE].iter_rows(values_only=True) for v in row if v)
    assert "总分 =（检查得分 + 加分 − 减分）× 70% + 群众评议得分 × 30%" in guide
    assert "减分项（4）：发生所列情形的填“是”，按所列分值扣分，合计最多扣 6 分；未填写的按发生计（扣分）。" in guide
    assert "★★★★★ 五星：≥ 90 分，名额不超过参评支部的 30%" in guide
    assert "名额边界上总分相同的支部一并评为下一等级" in guide
    penalty = next(r for r in rows if r and r[0] == "4.1.1")
    assert "发生该情形的填“是”（扣分）" in penalty[4]


def test_a_filled_workbook_is_scored_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.xlsx"
    run(capsys, "template", "--rules", str(EXAMPLE), "-o", str(template))
    inputs = tmp_path / "in"
    inputs.mkdir()
    fill_workbook(template, inputs / "a.xlsx", profile=PROFILE, answers=ANSWERS, vetoes={"V1": "否", "V2": "否"})
    result = run(capsys, "score", str(inputs), "--rules", str(EXAMPLE), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 0, result.stderr
    sub = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["submissions"][0]
    # checklist 20+20+20+16+19 = 95; bonus 3; penalty items blank → 4 + 3 = 7, capped at 6
    # (95 + 3 − 6) × 0.7 + 88.5 × 0.3 = 64.4 + 26.55 = 90.95; alone in the batch, 五星's quota is 0
    assert (sub["base_score"], sub["score"], sub["rating_before_quota"], sub["rating"]) == (95, 90.95, "五星", "四星")
    codes = [d["code"] for d in sub["diagnostics"]]
    assert codes.count("penalty-unanswered") == 2
    report = next((tmp_path / "out").glob("*问题清单.xlsx"))
    overview = [v for row in load_workbook(report).worksheets[0].iter_rows(values_only=True) for v in row if v]
    assert "★★★★ 四星" in overview
    assert "减分项：合计扣 7 分，上限 6 分，计入 6 分。" in overview
    assert "总分 = 检查得分 92 × 70% + 群众评议得分 88.5 × 30% = 90.95。" in overview


def test_a_component_above_100_is_refused_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.xlsx"
    run(capsys, "template", "--rules", str(EXAMPLE), "-o", str(template))
    fill_workbook(template, tmp_path / "a.xlsx", profile={**PROFILE, "appraisal_score": 150}, answers=ANSWERS)
    result = run(capsys, "check", str(tmp_path / "a.xlsx"), "--rules", str(EXAMPLE), "--json")
    diagnostics = json.loads(result.stdout)["files"][0]["diagnostics"]
    found = next(d for d in diagnostics if d["code"] == "profile-invalid")
    assert found["cell"] == "支部信息!B6"
    assert found["message"] == "“群众评议得分”填写的“150”不是有效的0～100 之间的分数（最多 2 位小数）"
    assert result.exit_code == 1


def test_a_blank_component_is_a_problem_not_a_lower_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.xlsx"
    run(capsys, "template", "--rules", str(EXAMPLE), "-o", str(template))
    fill_workbook(template, tmp_path / "a.xlsx", profile={**PROFILE, "appraisal_score": None}, answers=ANSWERS)
    result = run(capsys, "check", str(tmp_path / "a.xlsx"), "--rules", str(EXAMPLE), "--json")
    codes = [d["code"] for d in json.loads(result.stdout)["files"][0]["diagnostics"]]
    assert "profile-missing" in codes and result.exit_code == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(88.5, "88.5"), ("92.35分", "92.35"), (0, "0"), (92.355, None), (-1, None), ("良好", None)],
)
def test_a_number_profile_field_takes_up_to_two_decimals(raw: object, expected: str | None) -> None:
    from engine.intake.normalise import profile_value

    reading = profile_value(RULES.field("appraisal_score"), raw)  # type: ignore[arg-type]
    assert (str(reading.value) if reading.ok else None) == expected
