"""The rating scheme's rule-file checks (issue 16): one test per new problem, each positioned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ratingkit import EXAMPLE, edited_example

from engine.errors import RuleProblem, RuleSetError
from engine.rules import load_rule_set

Docs = dict[str, dict[str, Any]]


def problems(tmp_path: Path, edit: Any) -> list[RuleProblem]:
    with pytest.raises(RuleSetError) as info:
        load_rule_set(edited_example(tmp_path, edit))
    return info.value.problems


def only(tmp_path: Path, edit: Any) -> RuleProblem:
    found = problems(tmp_path, edit)
    assert len(found) == 1, [str(p) for p in found]
    assert found[0].line is not None
    return found[0]


def test_the_example_rule_set_loads_with_every_feature() -> None:
    rules = load_rule_set(EXAMPLE)
    assert [(a.id, a.kind, a.cap) for a in rules.blocks] == [("3", "bonus", 5), ("4", "penalty", 6)]
    assert rules.total_points == 100
    assert [(c.source, c.field, str(c.weight)) for c in rules.total.components] == [
        ("checklist", None, "0.7"),
        ("field", "appraisal_score", "0.3"),
    ]
    assert (rules.bands[0].display, str(rules.bands[0].max_share)) == ("★★★★★ 五星", "0.3")
    assert [(v.effect, v.cap) for v in rules.vetoes] == [("lowest", None), ("cap", "二星")]
    assert "另有加分项、减分项 2 块" in rules.summary


def test_a_block_without_a_cap(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        del d["bonus.yaml"]["cap"]

    p = only(tmp_path, edit)
    assert (p.file, p.path, p.message) == ("bonus.yaml", "kind", "加分项（kind: bonus）必须用 cap 写明合计最多加多少分")


def test_a_cap_on_a_checklist_area(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["area-1.yaml"]["cap"] = 5

    p = only(tmp_path, edit)
    assert (p.file, p.path, p.message) == (
        "area-1.yaml",
        "cap",
        "只有加分项、减分项（kind: bonus 或 penalty）可以有上限 cap",
    )


def test_a_cap_above_the_blocks_points(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["penalty.yaml"]["cap"] = 8

    p = only(tmp_path, edit)
    assert (p.file, p.path) == ("penalty.yaml", "cap")
    assert p.message == "减分项上限 8 大于本块检查要点分值合计 7，上限不起作用"


def test_block_points_do_not_count_towards_the_checklists_100(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["bonus.yaml"]["standards"][0]["items"][0]["points"] = 4  # the checklist still adds up to 100

    assert load_rule_set(edited_example(tmp_path, edit)).blocks[0].points == 7


def test_a_capping_veto_without_its_band(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        del d["ruleset.yaml"]["vetoes"][1]["cap"]

    p = only(tmp_path, edit)
    assert (p.file, p.path) == ("ruleset.yaml", "vetoes[1].effect")
    assert p.message == "否决效果为 cap 时必须用 cap 写明触发后最高可评的等级"


def test_a_cap_on_a_veto_that_gives_the_lowest_band(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["vetoes"][0]["cap"] = "三星"

    p = only(tmp_path, edit)
    assert (p.file, p.path) == ("ruleset.yaml", "vetoes[0].cap")
    assert p.message.startswith("只有 effect: cap 的否决项可以有 cap")


def test_a_veto_capped_at_an_unknown_band(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["vetoes"][1]["cap"] = "六星"

    p = only(tmp_path, edit)
    assert (p.file, p.path) == ("ruleset.yaml", "vetoes[1].cap")
    assert p.message == "cap 引用了不存在的等级“六星”（已定义：五星、四星、三星、二星、一星）"


def test_an_unknown_veto_effect_is_a_schema_error(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["vetoes"][1]["effect"] = "demote"

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("vetoes[1].effect", "值 'demote' 不在允许范围内，允许：lowest、cap")


def test_a_quota_group_without_a_quota(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["bands"][1]["quota_per"] = "parent_org"

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("bands[1].quota_per", "quota_per 只能与名额比例 max_share 一起使用")


def test_a_quota_on_the_lowest_band(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["bands"][4]["max_share"] = 0.5

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("bands[4].max_share", "最低等级不能有名额限制（超出名额的支部没有更低的等级可评）")


def test_a_quota_grouped_by_an_unknown_field(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["bands"][0]["quota_per"] = "district"

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("bands[0].quota_per", "名额分组字段“district”不是支部信息字段")


def test_a_quota_share_of_one_or_more_is_a_schema_error(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["bands"][0]["max_share"] = 1

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("bands[0].max_share", "值 1 超出范围，应 < 1")


def test_weights_not_adding_up_to_one(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["components"][1]["weight"] = 0.2

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("total.components", "总分各构成部分的权重合计为 0.9，应为 1")


def test_a_total_without_the_checklist(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["components"][0] = {"source": "field", "field": "appraisal_score", "weight": 0.7}

    found = [(p.path, p.message) for p in problems(tmp_path, edit)]
    assert ("total.components", "总分构成中必须有且只有一项 source: checklist（现有 0 项）") in found
    assert ("total.components[1].field", "支部信息字段“appraisal_score”在总分构成中出现了两次") in found


def test_a_checklist_component_naming_a_field(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["components"][0]["field"] = "appraisal_score"

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("total.components[0].field", "source: checklist 的构成部分不能有 field")


def test_a_field_component_without_its_field(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        del d["ruleset.yaml"]["total"]["components"][1]["field"]

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("total.components[1]", "source: field 的构成部分必须用 field 指明支部信息字段")


def test_a_component_on_an_unknown_field(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["components"][1]["field"] = "public_score"

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("total.components[1].field", "总分构成引用了不存在的支部信息字段“public_score”")


def test_a_component_on_a_text_field(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["components"][1]["field"] = "branch_name"

    p = only(tmp_path, edit)
    assert p.path == "total.components[1].field"
    assert p.message == "构成总分的字段“branch_name”类型为 text，应为数值（number、integer）"


def test_a_component_on_an_optional_field(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["profile"][4]["required"] = False

    p = only(tmp_path, edit)
    assert p.path == "total.components[1].field"
    assert p.message == "构成总分的字段“appraisal_score”（群众评议得分）必须是必填字段：缺少时不予评分，而不是少算一项"


def test_a_total_range_upside_down(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["min"] = 100

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("total.min", "总分下限 100 应小于上限 100")


def test_a_total_maximum_below_the_top_band(tmp_path: Path) -> None:
    def edit(d: Docs) -> None:
        d["ruleset.yaml"]["total"]["max"] = 85

    p = only(tmp_path, edit)
    assert (p.path, p.message) == ("total.max", "总分上限 85 低于最高等级的下限 90，该等级无法达到")
