"""``rules import``: the problems of the rating-scheme columns and sheets (加分减分, 否决效果,
名额, 总分公式) and of the variant sheets (支部类型, 变体调整), each positioned by sheet and cell.
One test per kind of problem; the loader's own checks are reported at the cells they came from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rulebookkit import rule_set_folder
from test_rulebook_errors import cells, problems

from engine.rulebook import export_rulebook, import_rulebook
from engine.rules import load_rule_set

Edit = Callable[..., Path]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rules/example-five-star. 方面与标准 rows 4-5: the 加分项 and 减分项 blocks; 否决项 V1, V2 (封顶 二星);
    评定等级 五星 … 一星; 总分公式 row 2 检查得分 0.7, row 3 群众评议得分 0.3."""
    folder = tmp_path_factory.mktemp("example")
    return export_rulebook(load_rule_set(rule_set_folder("example-five-star", folder)), folder / "规则.xlsx")


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini set with the 离退休干部党支部 overlay retired.yaml. 支部类型 rows 2-4: 在职党支部,
    离退休干部党支部 (retired.yaml), 联合党支部; 变体调整 rows 2-5: 1.1.3 不适用, 1.2.1 修改 目标 (H),
    2.1.2 修改 分值 (G), 1.2.3 增设."""
    folder = tmp_path_factory.mktemp("variants")
    return export_rulebook(load_rule_set(rule_set_folder("variants", folder / "src")), folder / "规则.xlsx")


def test_the_rows_of_a_block_disagree_on_its_kind_or_cap(edit: Edit, example: Path, tmp_path: Path) -> None:
    more = {"A6": "3", "B6": "加分项", "C6": "3.2", "D6": "其他", "E6": "bonus.yaml", "F6": "减分项", "G6": 4}
    assert problems(cells(edit, example, "方面与标准", **more), tmp_path)[:2] == [
        "方面与标准!F6：方面 3 的加分减分“减分项”与前面各行的“加分项”不一致",
        "方面与标准!G6：方面 3 的封顶分“4”与前面各行的“5”不一致",
    ]


def test_a_later_row_of_a_block_may_leave_kind_and_cap_blank(edit: Edit, example: Path, tmp_path: Path) -> None:
    more = {"A6": "3", "B6": "加分项", "C6": "3.2", "D6": "其他"}
    found = problems(cells(edit, example, "方面与标准", **more), tmp_path)
    assert found == ["方面与标准!C6：标准“3.2”没有检查要点（在“检查要点”表中添加编号以 3.2. 开头的行）"]


def test_a_block_without_a_cap_is_reported_at_its_row(edit: Edit, example: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, example, "方面与标准", G4=None), tmp_path) == [
        "方面与标准!F4：加分项（kind: bonus）必须用 cap 写明合计最多加多少分"
    ]


def test_a_veto_capped_at_a_band_that_does_not_exist(edit: Edit, example: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, example, "否决项", F3="三颗星"), tmp_path) == [
        "否决项!F3：cap 引用了不存在的等级“三颗星”（已定义：五星、四星、三星、二星、一星）"
    ]


def test_a_quota_grouped_by_an_unknown_field(edit: Edit, example: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, example, "评定等级", E2="所属单位"), tmp_path) == [
        "评定等级!E2：“名额分组”填写的“所属单位”不是支部信息字段的名称"
    ]


def test_weights_of_the_total_that_do_not_add_up_to_one(edit: Edit, example: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, example, "总分公式", C2=0.6), tmp_path) == [
        "总分公式：总分各构成部分的权重合计为 0.9，应为 1"
    ]


def test_a_branch_type_listed_twice(edit: Edit, variants: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, variants, "支部类型", A4="在职党支部"), tmp_path) == [
        "支部类型!A4：支部类型“在职党支部”重复（另见第 2 行）"
    ]


def test_a_change_of_a_branch_type_not_listed(edit: Edit, variants: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, variants, "变体调整", A2="退休支部"), tmp_path) == [
        "变体调整!A2：支部类型“退休支部”不在“支部类型”表中"
    ]


def test_not_applicable_with_a_parameter(edit: Edit, variants: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, variants, "变体调整", H2=3), tmp_path) == [
        "变体调整!H2：调整方式为“不适用”时不用填写“目标”，请留空"
    ]


def test_a_change_that_changes_nothing(edit: Edit, variants: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, variants, "变体调整", H3=None), tmp_path) == [
        "变体调整!C3：调整方式为“修改”时须填写要修改的参数（如分值、目标）"
    ]


def test_a_file_or_note_for_a_branch_type_without_changes(edit: Edit, variants: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, variants, "支部类型", B2="x.yaml"), tmp_path) == [
        "支部类型!B2：“变体调整”表中没有支部类型“在职党支部”的调整，“变体文件”无处写出（没有调整的类型留空）"
    ]


def test_branch_types_without_any_change(edit: Edit, variants: Path, tmp_path: Path) -> None:
    def clear(wb: Any) -> None:
        wb["变体调整"].delete_rows(2, 4)
        wb["支部类型"]["B3"] = wb["支部类型"]["C3"] = None

    assert problems(edit(variants, None, clear), tmp_path) == [
        "变体调整!A2：“支部类型”表列出了支部类型，但本表没有任何调整：至少一种类型要有调整（不区分类型时请清空“支部类型”表）"
    ]


def test_an_overlay_file_name_that_cannot_be_used(edit: Edit, variants: Path, tmp_path: Path) -> None:
    assert problems(cells(edit, variants, "支部类型", B3="a1.yaml"), tmp_path) == [
        "支部类型!B3：变体文件名“a1.yaml”已是方面 1 的文件名，请换一个"
    ]
    assert problems(cells(edit, variants, "支部类型", B3="../x.yaml"), tmp_path) == [
        "支部类型!B3：变体文件名“../x.yaml”无效：应以 .yaml 结尾，不含“/”，且不是 ruleset.yaml"
    ]


def test_the_loaders_problems_with_a_variant_are_reported_at_its_cells(
    edit: Edit, variants: Path, tmp_path: Path
) -> None:
    assert problems(cells(edit, variants, "变体调整", B3="1.9.9", G4=6), tmp_path) == [
        "变体调整!B3：检查要点“1.9.9”不在规则集中（增设检查要点请用 action: add）",
    ]
    assert problems(cells(edit, variants, "变体调整", G4=6), tmp_path) == [
        "变体调整：按变体“离退休干部党支部”修改后，全部检查要点分值合计为 101，应为 100"
        "（标为不适用的检查要点照常计入；增设或提高分值的，须相应降低其他检查要点的分值）"
    ]


def test_a_workbook_without_the_newer_sheets_and_columns_still_imports(
    edit: Edit, tmp_path: Path
) -> None:
    """A workbook exported before rating schemes and variants (no 总分公式, 支部类型, 变体调整 sheets, no
    new columns) reads as a rule set without them."""
    original = load_rule_set(rule_set_folder("mini", tmp_path / "src"))

    def older(wb: Any) -> None:
        for name in ("总分公式", "支部类型", "变体调整"):
            wb.remove(wb[name])
        wb["方面与标准"].delete_cols(6, 2)
        wb["否决项"].delete_cols(5, 2)
        wb["评定等级"].delete_cols(3, 3)
        wb["规则集"].delete_rows(9, 2)

    book = edit(export_rulebook(original, tmp_path / "a.xlsx"), None, older)
    assert import_rulebook(book, tmp_path / "out") == original
