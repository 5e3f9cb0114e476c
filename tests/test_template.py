"""The self-assessment template (支部自评表): generated entirely from the rule set."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from minirules import write_rules
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine import contract as c
from engine.errors import UsageError
from engine.rules import RuleSet, load_rule_set
from engine.template import default_template_name, fill_workbook, write_template
from engine.template.writer import GUIDE_WIDTH, ITEM_WIDTHS, PROFILE_WIDTHS
from engine.xlsx import line_count, row_height

ROOT = Path(__file__).resolve().parent.parent
ASKED = ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "2.1.1", "2.1.2", "2.1.4"]


@pytest.fixture
def rules(mini_rules: RuleSet) -> RuleSet:
    return mini_rules


@pytest.fixture
def template(mini_template: Path) -> Path:
    """The mini rule set's template (shared by the session; never written to)."""
    return mini_template


def header(ws: Worksheet) -> tuple[int, dict[str, int]]:
    """Find the header the way readers do: first top row holding 编号 and 自评结果."""
    for row in ws.iter_rows(min_row=1, max_row=c.HEADER_SCAN_ROWS):
        titles = {cell.value: cell.column for cell in row if cell.value is not None}
        if c.COL_ID in titles and c.COL_SELF in titles:
            return row[0].row, titles
    raise AssertionError("no header")


def rows_by_id(ws: Worksheet) -> dict[str, int]:
    head, cols = header(ws)
    ids = ((r, ws.cell(row=r, column=cols[c.COL_ID]).value) for r in range(head + 1, ws.max_row + 1))
    return {value: r for r, value in ids if value}


def cell(ws: Worksheet, item_id: str, title: str) -> Any:
    return ws.cell(row=rows_by_id(ws)[item_id], column=header(ws)[1][title])


def validation(ws: Worksheet, coordinate: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, coordinate
    return found[0]


def test_the_default_name_carries_rule_set_id_and_version(rules: RuleSet) -> None:
    assert default_template_name(rules) == "支部自评表-mini-1.0.0.xlsx"
    assert default_template_name(rules, "办公室/党支部") == "办公室_党支部-支部自评表-mini-1.0.0.xlsx"


def test_it_has_the_four_sheets_in_order_with_meta_very_hidden(template: Path, rules: RuleSet) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames == [c.SHEET_GUIDE, c.SHEET_PROFILE, c.SHEET_ITEMS, c.SHEET_META]
    meta = wb[c.SHEET_META]
    assert meta.sheet_state == "veryHidden"
    pairs = {k: v for k, v in meta.iter_rows(min_col=1, max_col=2, values_only=True)}
    assert pairs[c.META_FORMAT] == c.TEMPLATE_FORMAT
    assert pairs[c.META_RULE_SET_ID] == "mini"
    assert pairs[c.META_RULE_SET_VERSION] == "1.0.0"
    assert pairs[c.META_FINGERPRINT] == rules.fingerprint
    assert [wb.worksheets[i].sheet_state for i in range(3)] == ["visible"] * 3


def test_the_item_sheet_has_one_header_row_with_exactly_the_contract_titles(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    row, _ = header(ws)
    assert row == 3
    assert tuple(ws.cell(row=row, column=n).value for n in range(1, ws.max_column + 1)) == c.ITEM_HEADERS
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"


def test_there_is_one_row_per_asked_check_point_and_question_veto(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    assert list(rows_by_id(ws)) == [*ASKED, "V1"]  # 2.1.3 reads the profile; V2, V3 are derived
    assert cell(ws, "2.1.1", c.COL_POINTS).value == 20
    assert cell(ws, "2.1.1", c.COL_STANDARD).value == "三会一课"


def test_section_rows_have_no_id_and_the_veto_section_comes_last(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    _, cols = header(ws)
    sections = [
        ws.cell(row=r, column=cols[c.COL_AREA]).value
        for r in range(4, ws.max_row + 1)
        if not ws.cell(row=r, column=cols[c.COL_ID]).value
    ]
    assert sections == [
        "1 政治建设标准（50 分）",
        "1.1 理论学习（30 分）",
        "1.2 党费（20 分）",
        "2 组织生活标准（50 分）",
        "2.1 三会一课（50 分）",
        c.VETO_SECTION,
    ]
    v1 = rows_by_id(ws)["V1"]
    assert ws.cell(row=v1, column=cols[c.COL_TEXT]).value == "支委会成员受到党纪重处分"
    assert "一票否决" in ws.cell(row=v1, column=cols[c.COL_GUIDE]).value


def test_the_progress_formula_counts_the_answers_above_the_header(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    last = rows_by_id(ws)["V1"]
    assert ws["A2"].value == f'="已填 "&COUNTA(G4:G{last})&" 项（共 9 项，不适用的可不填）"'


def test_the_guide_explains_the_progress_count_without_promising_it_reaches_the_total(template: Path) -> None:
    text = "\n".join(str(v) for (v,) in load_workbook(template)[c.SHEET_GUIDE].iter_rows(values_only=True))
    assert "共 9 项；按“支部信息”判定为不适用的检查要点可不填" in text
    assert "/ 9" not in text


@pytest.mark.parametrize(
    ("item", "kind", "formula1"),
    [
        ("1.1.1", "list", '"是,否"'),
        ("1.1.2", "list", '"好,较好,一般,差"'),
        ("1.1.3", "decimal", "0"),
        ("1.2.1", "decimal", "0"),
        ("1.2.2", "list", '"是,否,不适用"'),
        ("2.1.1", "whole", "0"),
        ("2.1.4", "date", "7853"),  # 1921-07-01
        ("V1", "list", '"是,否"'),
    ],
)
def test_self_and_check_results_are_validated_by_answer_type(
    template: Path, item: str, kind: str, formula1: str
) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    for title in (c.COL_SELF, c.COL_CHECK):
        dv = validation(ws, cell(ws, item, title).coordinate)
        assert (dv.type, dv.formula1) == (kind, formula1)
        assert dv.showErrorMessage and dv.error
        assert len(dv.error) <= 255 and len(dv.prompt) <= 255  # Excel's limits


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("1.1.1", "√、Y、有、符合 视为“是”"),
        ("1.1.3", "不小于 0 的数字"),
        ("1.2.1", "0%～100%"),
        ("1.2.2", "是、否、不适用"),
        ("2.1.1", "写成“12次”"),
        ("2.1.4", "2018年3月5日"),
        ("V1", "√、Y、有、符合 视为“是”"),
    ],
)
def test_answers_the_reader_accepts_in_other_spellings_only_warn(template: Path, item: str, expected: str) -> None:
    """√ for 是 or 12次 for 12 is accepted when read, so the workbook warns but lets it be kept."""
    ws = load_workbook(template)[c.SHEET_ITEMS]
    for title in (c.COL_SELF, c.COL_CHECK):
        dv = validation(ws, cell(ws, item, title).coordinate)
        assert (dv.errorStyle, dv.errorTitle) == ("warning", "请核对填写内容")
        assert dv.error.startswith("通常") and expected in dv.error and "可以保留" in dv.error


def test_a_level_accepts_only_its_labels_and_stops_anything_else(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    dv = validation(ws, cell(ws, "1.1.2", c.COL_SELF).coordinate)
    assert (dv.errorStyle, dv.errorTitle, dv.error) == ("stop", "输入有误", "请从下拉列表中选择：好、较好、一般、差")


def test_profile_values_only_warn(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_PROFILE]
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 4
    assert all(dv.errorStyle == "warning" and dv.showErrorMessage for dv in dvs)
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    assert "写成“12人”" in validation(ws, f"B{rows['正式党员人数']}").error
    assert "视为“是”" in validation(ws, f"B{rows['是否设立支部委员会']}").error


def test_cells_with_the_same_rule_share_one_validation(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    yes_no = [dv for dv in ws.data_validations.dataValidation if dv.formula1 == '"是,否"']
    assert len(yes_no) == 1
    assert str(yes_no[0].sqref) == "G6 G18 J6 J18"


def test_percent_and_date_answers_are_formatted(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    assert cell(ws, "1.2.1", c.COL_SELF).number_format == "0%"
    assert validation(ws, cell(ws, "1.2.1", c.COL_SELF).coordinate).formula2 == "1"
    assert cell(ws, "2.1.4", c.COL_CHECK).number_format == "yyyy-mm-dd"


def test_a_number_that_may_be_not_applicable_gets_a_prompt_but_no_hard_rule(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][1]["na_allowed"] = True

    rules = load_rule_set(write_rules(tmp_path / "r", edit))
    ws = load_workbook(write_template(rules, tmp_path / "t.xlsx"))[c.SHEET_ITEMS]
    dv = validation(ws, cell(ws, "2.1.2", c.COL_SELF).coordinate)
    assert dv.type is None and not dv.showErrorMessage and "不适用" in dv.prompt
    assert "不设输入限制" in cell(ws, "2.1.2", c.COL_GUIDE).value


def test_the_guide_column_states_target_applicability_and_evidence(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    guide = cell(ws, "2.1.1", c.COL_GUIDE).value
    assert "填写全年实际次数，要求不少于 12 次（每少 1 次扣 2 分）" in guide
    assert "仅当是否设立支部委员会为“是”时适用" in guide
    assert "佐证材料：会议记录" in guide
    assert "填写全年实际学时数，要求不少于 32 学时" in cell(ws, "1.1.3", c.COL_GUIDE).value
    assert "目标 100%" in cell(ws, "1.2.1", c.COL_GUIDE).value
    assert "评估基准日前 12 个月内" in cell(ws, "2.1.4", c.COL_GUIDE).value
    assert "好/较好/一般/差" in cell(ws, "1.1.2", c.COL_GUIDE).value
    assert "本年度无发展党员工作的填“不适用”" in cell(ws, "1.2.2", c.COL_GUIDE).value
    assert cell(ws, "2.1.1", c.COL_EVIDENCE).value is None


def test_only_input_cells_are_unlocked_on_protected_sheets(template: Path) -> None:
    wb = load_workbook(template)
    ws = wb[c.SHEET_ITEMS]
    assert all(wb[name].protection.sheet for name in (c.SHEET_GUIDE, c.SHEET_PROFILE, c.SHEET_ITEMS))
    assert not ws.protection.password
    inputs = {c.COL_SELF, c.COL_EVIDENCE, c.COL_NOTE, c.COL_CHECK, c.COL_CHECK_NOTE}
    for title in c.ITEM_HEADERS:
        assert cell(ws, "1.1.1", title).protection.locked is (title not in inputs), title
    assert wb[c.SHEET_PROFILE]["B2"].protection.locked is False


def test_blank_self_results_are_highlighted(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    (rng,) = [str(cf.sqref) for cf in ws.conditional_formatting]
    assert rng == f"G4:G{rows_by_id(ws)['V1']}"
    (rule,) = next(iter(ws.conditional_formatting)).rules
    assert "ISBLANK(G4)" in rule.formula[0]


def test_the_profile_sheet_lists_every_field_with_typed_input_and_hints(template: Path, rules: RuleSet) -> None:
    ws = load_workbook(template)[c.SHEET_PROFILE]
    assert tuple(ws[1][n].value for n in range(3)) == c.PROFILE_HEADERS
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == [f.label for f in rules.profile]
    hints = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)}
    assert hints["支部名称"].startswith("必填")
    assert hints["评估年度"].startswith("选填")
    assert hints["本届支部委员会选举日期"].startswith("当是否设立支部委员会为“是”时必填")
    assert "填“否”时，2.1.1、2.1.3共 2 个检查要点不适用" in hints["是否设立支部委员会"]
    kinds = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    assert validation(ws, f"B{kinds['正式党员人数']}").type == "whole"
    assert validation(ws, f"B{kinds['评估年度']}").formula2 == "2100"
    assert validation(ws, f"B{kinds['是否设立支部委员会']}").formula1 == '"是,否"'
    assert ws[f"B{kinds['评估基准日']}"].number_format == "yyyy-mm-dd"


def test_the_guide_sheet_explains_bands_vetoes_and_the_rule_set(template: Path, rules: RuleSet) -> None:
    text = "\n".join(str(v) for (v,) in load_workbook(template)[c.SHEET_GUIDE].iter_rows(values_only=True))
    for expected in (
        "优秀：≥ 90 分",
        "不达标：低于 60 分",
        "V1 支委会成员受到党纪重处分",
        "V2 超期未换届",
        "自动判定",
        rules.fingerprint,
        "√",
        "检查组",
        "核查意见",
    ):
        assert expected in text


def test_the_guide_states_one_rule_for_percentages_typed_as_numbers_or_text(template: Path) -> None:
    text = "\n".join(str(v) for (v,) in load_workbook(template)[c.SHEET_GUIDE].iter_rows(values_only=True))
    assert "不带 % 的数，不大于 1 的按小数理解（0.95 即 95%，1 即 100%），大于 1 的按百分数理解（95 即 95%）" in text
    assert "无论输入的是数字还是文字" in text


def wrapped_lines(ws: Worksheet, row: int, widths: dict[int, float]) -> int:
    """The most lines any text cell of ``row`` wraps to, by the writer's estimate."""
    found = [ws.cell(row=row, column=col).value for col in widths]
    return max([1, *(line_count(v, widths[col]) for v, col in zip(found, widths, strict=True) if isinstance(v, str))])


def test_every_item_row_is_tall_enough_for_its_wrapped_text(template: Path) -> None:
    """Spreadsheets do not grow rows for wrapped text: without heights, printed lines overlap."""
    ws = load_workbook(template)[c.SHEET_ITEMS]
    widths = {n: float(ITEM_WIDTHS[t]) for n, t in enumerate(c.ITEM_HEADERS, start=1)}
    heights = {}
    for item_id, row in rows_by_id(ws).items():
        height = ws.row_dimensions[row].height
        assert height is not None and ws.row_dimensions[row].customHeight, item_id
        assert height >= wrapped_lines(ws, row, widths) * 13.5, item_id
        heights[item_id] = height
    # 2.1.1: a three-line guide plus the applicability and evidence lines; 1.1.1: two lines.
    assert heights["2.1.1"] > heights["1.1.1"] >= 2 * 13.5
    assert ws.row_dimensions[1].height >= 14 * 1.3  # the 14 pt title


def test_long_guide_and_profile_texts_get_row_heights(template: Path) -> None:
    wb = load_workbook(template)
    guide = wb[c.SHEET_GUIDE]
    assert guide.column_dimensions["A"].width == GUIDE_WIDTH
    for row in range(1, guide.max_row + 1):
        lines = line_count(guide.cell(row=row, column=1).value, GUIDE_WIDTH)
        assert guide.row_dimensions[row].height >= lines * 13.5, row
    assert guide.cell(row=1, column=1).alignment.wrap_text
    profile = wb[c.SHEET_PROFILE]
    widths = dict(enumerate(map(float, PROFILE_WIDTHS), start=1))
    rows = {profile.cell(row=r, column=1).value: r for r in range(2, profile.max_row + 1)}
    tall, short = rows["是否设立支部委员会"], rows["正式党员人数"]  # the first switches items off
    assert wrapped_lines(profile, tall, widths) >= 3
    assert profile.row_dimensions[tall].height >= wrapped_lines(profile, tall, widths) * 13.5
    assert profile.row_dimensions[tall].height > profile.row_dimensions[short].height


def test_the_guide_fits_a4_portrait_one_page_wide(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_GUIDE]
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "portrait", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # Printable width of A4 portrait: 8.27 in less the margins; a column unit is about 7 px at 96 dpi,
    # or 9.3 px where LibreOffice lacks Calibri (it does not shrink a one-column sheet to fit).
    printable = (8.27 - ws.page_margins.left - ws.page_margins.right) * 96
    assert printable >= GUIDE_WIDTH * 9.3


def test_row_height_counts_wide_characters_as_about_two_units_and_wraps_at_words() -> None:
    assert line_count("", 10) == 1
    assert line_count("党" * 17, 34) == 1 and line_count("党" * 18, 34) == 2
    assert line_count("党" * 35, 34) == 3  # 17 whole characters a line, not 17.6
    assert line_count("甲\n乙\n丙", 40) == 3
    assert line_count("abcd abcd", 6) == 2  # words are not split
    assert line_count("党" * 16 + "。", 32) == 2  # 。 does not start a line: it takes 党 along
    assert row_height([("党" * 18, 34), (None, 5)]) == 2 * 13.5 + 3
    assert row_height([("党" * 30, 34)], size=14, line_height=15) == 3 * 15 * 1.4 + 3  # 12 a line at 14 pt
    assert row_height([("党" * 40_000, 10)]) == 409  # Excel's limit


def test_cli_help_shows_the_default_output_name_in_full(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run(capsys, "template", "--help")
    assert result.exit_code == 0
    assert "支部自评表-<编号>-<版本>.xlsx" in result.stdout and "…" not in result.stdout


def test_writing_twice_gives_identical_bytes(rules: RuleSet, tmp_path: Path) -> None:
    first = write_template(rules, tmp_path / "a.xlsx", branch="机关党支部")
    second = write_template(rules, tmp_path / "b.xlsx", branch="机关党支部")
    assert first.read_bytes() == second.read_bytes()


def test_bytes_do_not_depend_on_the_process_hash_seed(rules: RuleSet, tmp_path: Path) -> None:
    assert rules.path is not None
    code = (
        "import sys; from engine.rules import load_rule_set; from engine.template import write_template; "
        "write_template(load_rule_set(sys.argv[1]), sys.argv[2])"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = str(tmp_path / f"{seed}.xlsx")
        subprocess.run([sys.executable, "-c", code, str(rules.path), out], check=True, env=env, cwd=ROOT)
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes()


def test_branch_prefills_the_branch_name_as_literal_text(rules: RuleSet, tmp_path: Path) -> None:
    ws = load_workbook(write_template(rules, tmp_path / "t.xlsx", branch="=HYPERLINK(1)"))[c.SHEET_PROFILE]
    assert (ws["A2"].value, ws["B2"].value, ws["B2"].data_type) == ("支部名称", "=HYPERLINK(1)", "s")


def test_branch_needs_a_branch_name_field(rules: RuleSet, tmp_path: Path) -> None:
    nameless = dataclasses.replace(rules, profile=tuple(dataclasses.replace(f, role=None) for f in rules.profile))
    with pytest.raises(UsageError):
        write_template(nameless, tmp_path / "t.xlsx", branch="x")


def test_cli_writes_the_template_and_says_how_many_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_rules(tmp_path / "r")
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "template", "--rules", str(folder), "--branch", "测试支部")
    assert result.exit_code == 0
    name = "测试支部-支部自评表-mini-1.0.0.xlsx"  # the branch in the name: a second branch's is another file
    assert result.stdout == (
        f"已生成自评表：{name}（8 个检查要点，1 个否决项，共 9 项；另有 1 个检查要点由支部信息得出，不用填）\n"
        f"下一步：下发给支部书记填写；填写后可用 branchcheck check {name} 自查。\n"
    )
    assert load_workbook(tmp_path / name)[c.SHEET_PROFILE]["B2"].value == "测试支部"


def test_cli_output_folder_gets_the_default_name_and_bad_names_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_rules(tmp_path / "r")
    assert run(capsys, "template", "--rules", str(folder), "-o", str(tmp_path)).exit_code == 0
    assert (tmp_path / "支部自评表-mini-1.0.0.xlsx").is_file()
    result = run(capsys, "template", "--rules", str(folder), "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and result.stderr.startswith("错误：")
    assert run(capsys, "template", "--rules", str(folder), "-o", str(tmp_path / "no" / "x.xlsx")).exit_code == 2


def test_fill_workbook_writes_by_header_and_id(template: Path, tmp_path: Path) -> None:
    out = fill_workbook(
        template,
        tmp_path / "filled.xlsx",
        profile={
            "branch_name": "=机关党支部",
            "full_members": 9,
            "has_committee": "是",
            "reference_date": date(2018, 12, 31),
        },
        answers={"1.1.1": "是", "1.1.3": 30.5, "1.2.1": 0.95, "2.1.4": date(2018, 6, 1)},
        checks={"1.1.1": "否"},
        vetoes={"V1": "否"},
        evidence={"1.1.1": "学习计划（2018）"},
    )
    wb = load_workbook(out)
    profile, ws = wb[c.SHEET_PROFILE], wb[c.SHEET_ITEMS]
    assert profile["B2"].value == "=机关党支部" and profile["B2"].data_type == "s"
    assert (profile["B4"].value, profile["B5"].value) == (9, "是")
    assert profile["B8"].value.date() == date(2018, 12, 31)
    assert cell(ws, "1.1.1", c.COL_SELF).value == "是"
    assert cell(ws, "1.1.1", c.COL_CHECK).value == "否"
    assert cell(ws, "1.1.1", c.COL_EVIDENCE).value == "学习计划（2018）"
    assert cell(ws, "1.1.3", c.COL_SELF).value == 30.5
    assert cell(ws, "1.2.1", c.COL_SELF).value == 0.95
    assert cell(ws, "2.1.4", c.COL_SELF).value.date() == date(2018, 6, 1)
    assert cell(ws, "V1", c.COL_SELF).value == "否"
    assert wb[c.SHEET_META].sheet_state == "veryHidden"
    original = load_workbook(template)[c.SHEET_ITEMS]
    assert len(ws.data_validations.dataValidation) == len(original.data_validations.dataValidation)


def test_fill_workbook_rejects_an_unknown_id(template: Path, tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        fill_workbook(template, tmp_path / "f.xlsx", profile={}, answers={"9.9.9": "是"})
    with pytest.raises(KeyError):
        fill_workbook(template, tmp_path / "f.xlsx", profile={"nope": 1}, answers={})


def test_the_bundled_rule_set_gets_one_row_per_asked_check_point(bundled_rules: RuleSet, tmp_path: Path) -> None:
    ws = load_workbook(write_template(bundled_rules, tmp_path / "t.xlsx"))[c.SHEET_ITEMS]
    expected = [i.id for i in bundled_rules.items if i.asked] + [v.id for v in bundled_rules.question_vetoes]
    assert list(rows_by_id(ws)) == expected


@pytest.mark.libreoffice
def test_libreoffice_opens_the_template(template: Path, tmp_path: Path, soffice: str) -> None:
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo'}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(template)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / template.with_suffix(".pdf").name).stat().st_size > 0


@pytest.mark.parametrize(
    "branch",
    [
        "示范单位第1党支部",
        'a&b<c>"d"',
        "很长的党支部名称" * 12,
        " 前后有空格 ",
        "_x0041_支部",
        "=1+2",
        "-支部",
        "\x01控制",
    ],
)
def test_a_per_branch_template_is_the_full_build_byte_for_byte(rules: RuleSet, branch: str) -> None:
    """render_template patches the common workbook's 支部信息: the bytes are those of the full build."""
    from engine.template.many import render_template
    from engine.template.writer import build_template
    from engine.xlsx import save_bytes

    render_template(rules, "先建公共工作簿")  # the common workbook, then each branch patched into it
    assert render_template(rules, branch) == save_bytes(build_template(rules, branch))
    assert render_template(rules, branch) == render_template(rules, branch)
    assert render_template(rules) == save_bytes(build_template(rules))


def test_write_template_for_many_branches_fills_each_name(rules: RuleSet, tmp_path: Path) -> None:
    names = ["第一党支部", "第二党支部"]
    for n, name in enumerate(names):
        write_template(rules, tmp_path / f"{n}.xlsx", branch=name)
    for n, name in enumerate(names):
        ws = load_workbook(tmp_path / f"{n}.xlsx")[c.SHEET_PROFILE]
        assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)].count(name) == 1
