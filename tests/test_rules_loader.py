"""Loading a rule set: every problem is reported with its file, line and path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from minirules import write_rules

from engine.errors import RuleSetError
from engine.rules import load_rule_set
from engine.rules.checks import FIELDS_ONLY
from engine.rules.model import AllOf, Leaf


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        load_rule_set(folder)
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text]
    return hits[occurrence - 1]


def test_mini_rule_set_loads_into_a_frozen_model(tmp_path: Path) -> None:
    rules = load_rule_set(write_rules(tmp_path))
    assert [a.id for a in rules.areas] == ["1", "2"]
    assert len(rules.items) == 9
    assert rules.total_points == 100
    assert rules.item("2.1.1").applies_if == Leaf(op="eq", field="has_committee", value="是")
    assert isinstance(rules.vetoes[1].condition, AllOf)
    assert [b.name for b in rules.bands] == ["优秀", "达标", "基本达标", "不达标"]
    with pytest.raises(AttributeError):
        rules.id = "other"  # type: ignore[misc]


def test_duplicate_item_id_names_the_id_the_file_and_the_line(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][1]["id"] = "1.1.1"

    folder = write_rules(tmp_path, edit)
    line = line_of(folder / "a1.yaml", "id: 1.1.1", 2)
    first = line_of(folder / "a1.yaml", "id: 1.1.1", 1)
    assert problems_of(folder) == [
        f"a1.yaml:{line} [standards[0].items[1].id]：检查要点编号“1.1.1”重复（首次出现在 a1.yaml:{first}）"
    ]


def test_points_not_adding_up_to_100(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["points"] = 9.5

    folder = write_rules(tmp_path, edit)
    assert problems_of(folder) == [
        f"ruleset.yaml:{line_of(folder / 'ruleset.yaml', 'areas:')} [areas]：全部检查要点分值合计为 99.5，应为 100"
    ]


def test_condition_on_an_unknown_field(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][0]["applies_if"]["field"] = "has_comittee"

    folder = write_rules(tmp_path, edit)
    line = line_of(folder / "a2.yaml", "field: has_comittee")
    assert problems_of(folder) == [
        f"a2.yaml:{line} [standards[0].items[0].applies_if.field]：条件引用了不存在的支部信息字段“has_comittee”"
    ]


def test_applies_if_on_an_optional_field(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][0]["applies_if"] = {"field": "founded_date", "op": "older_than_months", "value": 6}

    folder = write_rules(tmp_path, edit)
    [problem] = problems_of(folder)
    assert problem.startswith(f"a2.yaml:{line_of(folder / 'a2.yaml', 'field: founded_date')} ")
    assert "适用条件只能引用必填字段，“founded_date”（支部成立日期）不是必填字段" in problem


def test_applies_if_may_not_read_a_check_point(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][1]["applies_if"] = {"item": "1.1.1", "op": "eq", "value": "是"}

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[standards[0].items[1].applies_if.item]：" + FIELDS_ONLY)


def test_band_gap_below_the_lowest_minimum(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["bands"][-1]["min"] = 10

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[bands]：等级未覆盖 0 至 100 分：最低下限为 10，应有一个等级下限为 0")


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    folder = write_rules(tmp_path)
    text = (folder / "a1.yaml").read_text(encoding="utf-8").replace("name: 理论学习", "name: [理论学习", 1)
    (folder / "a1.yaml").write_text(text, encoding="utf-8")
    [problem] = problems_of(folder)
    assert problem.startswith("a1.yaml:")
    assert "YAML 语法错误" in problem


def test_wrong_type_of_a_value(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["points"] = "十"

    folder = write_rules(tmp_path, edit)
    line = line_of(folder / "a1.yaml", "points: 十")
    assert problems_of(folder) == [f"a1.yaml:{line} [standards[0].items[0].points]：值 '十' 的类型不对，应为数字"]


def test_unknown_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["weight"] = 3

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert "[standards[0].items[0]]：不允许的键：“weight”（允许的键：" in problem


def test_deduction_too_small_to_reach_zero(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][0]["deduction_per_unit"] = 1

    folder = write_rules(tmp_path, edit)
    line = line_of(folder / "a2.yaml", "deduction_per_unit: 1")
    assert problems_of(folder) == [
        f"a2.yaml:{line} [standards[0].items[0].deduction_per_unit]：每少一次扣 1 分 × 目标 12 = 12，"
        "小于分值 20：一次未开也扣不完，应满足 扣分 × 目标 ≥ 分值"
    ]


def test_missing_type_parameter(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        del a1["standards"][0]["items"][2]["target"]

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[standards[0].items[2]]：类型为 count 的检查要点缺少参数“target”")


def test_parameter_of_another_type(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["within_months"] = 12

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[standards[0].items[0].within_months]：类型为 yes_no 的检查要点不能有参数“within_months”")


def test_level_options_may_not_include_not_applicable(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][1]["options"][3]["label"] = "不适用"

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[standards[0].items[1].options[3].label]：“不适用”不能作为等级选项")


def test_veto_referring_to_an_unknown_item(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["vetoes"][2]["condition"]["item"] = "9.9.9"

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[vetoes[2].condition.item]：条件引用了不存在的检查要点“9.9.9”")


def test_condition_value_of_the_wrong_kind(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][0]["applies_if"]["value"] = "有"

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[standards[0].items[0].applies_if.value]：值 '有' 无效，允许：是、否")


def test_item_id_outside_its_standard(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][1]["items"][0]["id"] = "1.1.9"

    [problem] = problems_of(write_rules(tmp_path, edit))
    assert problem.endswith("[standards[1].items[0].id]：检查要点编号“1.1.9”应以所属标准编号“1.2.”开头")


def test_missing_area_file(tmp_path: Path) -> None:
    folder = write_rules(tmp_path)
    (folder / "a2.yaml").unlink()
    assert problems_of(folder) == [
        f"ruleset.yaml:{line_of(folder / 'ruleset.yaml', '- a2.yaml')} [areas[1]]：找不到方面文件“a2.yaml”"
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][1]["id"] = "1.1.1"
        a2["standards"][0]["items"][0]["applies_if"]["field"] = "nope"
        r["bands"][-1]["min"] = 5

    problems = problems_of(write_rules(tmp_path, edit))
    assert len(problems) == 3


def test_a_folder_without_ruleset_yaml(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [
        f"{tmp_path}：找不到规则集文件 ruleset.yaml（规则集应为一个包含 ruleset.yaml 的文件夹）"
    ]


def test_a_named_option_scale_reads_as_the_options_written_out(tmp_path: Path) -> None:
    inline = load_rule_set(write_rules(tmp_path / "inline"))

    def edit(r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["scales"] = {"四档": a1["standards"][0]["items"][1]["options"]}
        a1["standards"][0]["items"][1]["options"] = "四档"

    named = load_rule_set(write_rules(tmp_path / "named", edit))
    assert named.item("1.1.2").options == inline.item("1.1.2").options
    assert named.fingerprint == inline.fingerprint  # the same rules, written shorter


def test_an_unknown_option_scale_is_named(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["scales"] = {"四档": a1["standards"][0]["items"][1]["options"]}
        a1["standards"][0]["items"][1]["options"] = "五档"

    [problem] = problems_of(write_rules(tmp_path, edit))
    expected = "[standards[0].items[1].options]：等级量表“五档”未在 ruleset.yaml 的 scales 中定义（已定义：四档）"
    assert problem.endswith(expected)
