"""``rules import``: every problem of a workbook positioned by sheet and cell, in Chinese, all at
once; nothing is written while there is one. One test per kind of problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from rulebookkit import rule_set_folder

from engine.rulebook import RulebookError, export_rulebook, import_rulebook
from engine.rules import load_rule_set

Edit = Callable[..., Path]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini set's workbook. 检查要点 rows 2-10: 1.1.1 是否, 1.1.2 等级, 1.1.3 计数, 1.2.1 百分比,
    1.2.2 是否, 2.1.1 计数, 2.1.2 计数, 2.1.3 日期 (取自支部信息), 2.1.4 日期."""
    folder = tmp_path_factory.mktemp("rulebook")
    return export_rulebook(load_rule_set(rule_set_folder("mini", folder / "src")), folder / "规则.xlsx")


def problems(path: Path, tmp_path: Path) -> list[str]:
    target = tmp_path / "out"
    with pytest.raises(RulebookError) as info:
        import_rulebook(path, target)
    assert not target.exists()  # nothing written
    return info.value.problems


def cells(edit: Edit, book: Path, sheet: str, **values: Any) -> Path:
    """A copy of ``book`` with the cells of ``sheet`` set (``E4=None`` empties E4)."""

    def change(wb: Any) -> None:
        for ref, value in values.items():
            wb[sheet][ref] = value

    return edit(book, None, change)


def test_a_missing_sheet_is_named_with_the_sheets_present(edit: Edit, book: Path, tmp_path: Path) -> None:
    path = edit(book, None, lambda wb: wb.remove(wb["否决项"]))
    assert problems(path, tmp_path) == [
        "否决项：找不到工作表“否决项”（本文件中的工作表：“说明”、“规则集”、“支部信息字段”、“方面与标准”、“检查要点”、"
        "“等级量表”、“评定等级”、“信息核对”、“总分公式”、“支部类型”、“变体调整”）"
    ]


def test_a_missing_column_is_named_at_the_header_row(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", C1="答案类型"), tmp_path) == ["检查要点!1:1：表头中缺少列“类型”"]


def test_a_moved_column_and_a_renamed_sheet_in_full_width_are_still_read(
    edit: Edit, book: Path, tmp_path: Path
) -> None:
    def change(wb: Any) -> None:
        wb["检查要点"].move_range("U1:U10", cols=3)  # 填写提示 moved right, past an empty column
        wb["评定等级"].title = "评定等级 "

    imported = import_rulebook(edit(book, None, change), tmp_path / "out")
    assert imported == load_rule_set(rule_set_folder("mini", tmp_path / "src"))


def test_a_blank_required_cell(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", B2=None), tmp_path) == ["检查要点!B2：“检查要点”未填写"]


def test_a_word_outside_a_closed_vocabulary(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", C2="是/否"), tmp_path) == [
        "检查要点!C2：“类型”填写的“是/否”无效，允许：是否、等级、计数、百分比、日期、文字"
    ]


def test_the_rule_files_code_is_read_as_well_as_the_chinese_word(edit: Edit, book: Path, tmp_path: Path) -> None:
    imported = import_rulebook(cells(edit, book, "检查要点", C2="yes_no", R2="regulation"), tmp_path / "out")
    assert imported.item("1.1.1").type == "yes_no"


def test_text_where_a_number_belongs(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", D2="两分", G4=1.5), tmp_path) == [
        "检查要点!D2：“分值”应为数字，填写的是“两分”",
        "检查要点!G4：“小数位数”应为整数，填写的是“1.5”",
    ]


def test_a_yes_no_cell_with_another_word(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", O2="可以"), tmp_path) == [
        "检查要点!O2：“可填不适用”应填“是”或“否”，填写的是“可以”"
    ]


def test_a_type_without_a_parameter_it_needs(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", E4=None), tmp_path) == ["检查要点!E4：类型“计数”需要填写“目标”"]


def test_a_parameter_the_type_does_not_take(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", C2="文字"), tmp_path) == [
        "检查要点!D2：类型“文字”不用填写“分值”，请留空"
    ]
    assert problems(cells(edit, book, "检查要点", E2=3), tmp_path) == ["检查要点!E2：类型“是否”不用填写“目标”，请留空"]


def test_a_condition_that_does_not_parse(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", P7="是否设立支部委员 = 是 且"), tmp_path) == [
        "检查要点!P7：“适用条件”的条件写法有误：第 1 个字符处（“是否设立支部委员”）："
        "未知的支部信息字段“是否设立支部委员”"
        "（字段名称须与“支部信息字段”表中的名称一致）"
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("正式党员人数 =< 7", "第 8 个字符处：未知的运算符“=<”（可用：= ≠ < <= > >= 属于 距基准日超过）"),
        ("是否设立支部委员会 = 是 且 或 正式党员人数 >= 7", "第 15 个字符处（“且”）：“且”之后缺少条件"),
        ("(是否设立支部委员会 = 是", "条件在末尾不完整：第 1 个字符处的括号没有配对的右括号"),
    ],
    ids=["operator", "and-or", "bracket"],
)
def test_a_condition_error_says_what_is_wrong(edit: Edit, book: Path, tmp_path: Path, text: str, why: str) -> None:
    assert problems(cells(edit, book, "检查要点", P7=text), tmp_path) == [
        f"检查要点!P7：“适用条件”的条件写法有误：{why}"
    ]


def test_level_options_not_written_as_name_and_credit(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", M3="好=1；差0"), tmp_path) == [
        "检查要点!M3：等级选项“差0”应写成“名称=得分系数”，如“较好=0.8”，各项之间用“；”分隔"
    ]


def test_an_unknown_profile_field(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", K9="选举日期"), tmp_path) == [
        "检查要点!K9：“取自支部信息”填写的“选举日期”不是支部信息字段的名称"
    ]


def test_check_point_ids_badly_formed_repeated_or_of_no_standard(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", A2="1.1", A4="1.1.2", A5="1.9.1"), tmp_path) == [
        "检查要点!A2：编号“1.1”格式不对，应为 标准编号.序号（如 3.1.2）",
        "检查要点!A4：编号“1.1.2”重复（另见第 3 行）",
        "检查要点!A5：编号“1.9.1”所属的标准“1.9”不在“方面与标准”表中",
    ]


def test_a_standard_without_check_points_as_in_a_skeleton(tmp_path: Path) -> None:
    skeleton = export_rulebook(load_rule_set(), tmp_path / "骨架.xlsx", skeleton=True)
    found = problems(skeleton, tmp_path)
    assert len(found) == 27
    assert found[0] == "方面与标准!C2：标准“1.1”没有检查要点（在“检查要点”表中添加编号以 1.1. 开头的行）"


def test_areas_and_standards_that_disagree(edit: Edit, book: Path, tmp_path: Path) -> None:
    changed = cells(
        edit, book, "方面与标准", B3="政治建设", E3="a1.txt", A5="2", B5="组织生活标准", C5="2.1", D5="三会一课"
    )
    assert problems(changed, tmp_path) == [
        "方面与标准!B3：方面 1 的名称“政治建设”与前面各行的“政治建设标准”不一致",
        "方面与标准!E3：方面 1 的文件名“a1.txt”与前面各行的“a1.yaml”不一致",
        "方面与标准!C5：标准编号“2.1”重复（另见第 4 行）",
    ]


def test_an_area_file_name_that_cannot_be_a_rule_file(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "方面与标准", E2="../a1.yaml", E3="../a1.yaml"), tmp_path) == [
        "方面与标准!A2：方面 1 的文件名“../a1.yaml”无效：应以 .yaml 结尾，不含“/”，且不是 ruleset.yaml"
    ]


def test_a_missing_row_of_the_rule_set_sheet(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "规则集", A4="版本号"), tmp_path) == [
        "规则集：缺少“版本”一行（“项目”列中应有“版本”）"
    ]


def test_a_workbook_of_another_format(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "_meta", B1="branchcheck.template/1"), tmp_path) == [
        "_meta!B1：不是规则工作簿：格式为“branchcheck.template/1”，应为“branchcheck.rulebook/1”"
    ]


def test_the_loaders_problems_are_reported_at_their_cells(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", D2=10.125, P2="正式党员人数 >= 3 且 支部成立日期 > 0"), tmp_path) == [
        "检查要点!D2：分值 10.125 最多保留 2 位小数",
        "检查要点!P2：适用条件只能引用必填字段，“founded_date”（支部成立日期）不是必填字段",
        "检查要点!P2：op gt 只能用于数值，而比较对象的类型是 date",
        "检查要点：全部检查要点分值合计为 100.125，应为 100",
    ]


def test_every_problem_at_once_and_exit_2(
    edit: Edit, book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = cells(edit, book, "检查要点", C2="是/否", E4=None, O2="可以")
    result = run(capsys, "rules", "import", str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：规则工作簿有 3 个问题：\n"
        "  - 检查要点!C2：“类型”填写的“是/否”无效，允许：是否、等级、计数、百分比、日期、文字\n"
        "  - 检查要点!O2：“可填不适用”应填“是”或“否”，填写的是“可以”\n"
        "  - 检查要点!E4：类型“计数”需要填写“目标”\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "规则.xlsx"
    bad.write_text("不是工作簿", encoding="utf-8")
    result = run(capsys, "rules", "import", str(bad), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：无法读取文件 {bad}：不是 Excel（.xlsx）或 LibreOffice（.ods）工作簿，"
        "请导入由 rules export 导出的规则工作簿\n"
    )
    assert run(capsys, "rules", "import", str(tmp_path / "无.xlsx"), "-o", str(tmp_path / "out")).exit_code == 2


def test_a_scale_name_that_is_not_declared(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "检查要点", M3="五档"), tmp_path) == [
        "检查要点!M3：等级选项“五档”既不是“名称=得分系数”的写法，也不是“等级量表”表中的量表名称"
    ]


def test_a_row_of_the_rule_set_sheet_given_twice(edit: Edit, book: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, book, "规则集", A9="版本", B9="9.9.9"), tmp_path) == [
        "规则集!A9：“版本”出现了两行（另见 规则集!B4），请删除一行"
    ]
