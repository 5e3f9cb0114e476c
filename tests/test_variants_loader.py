"""Branch-type variants in the rule format: the loader validates overlay files with positioned
problems (one test per problem), and the fingerprint covers them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from minirules import write_rules
from test_rules_loader import line_of, problems_of
from variantrules import OVERLAY, REGULATION, RETIRED, overlay_with, write_variant_rules

from engine.rules import load_rule_set
from engine.rules.model import ADD, CHANGE, NOT_APPLICABLE


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_valid_overlay_becomes_part_of_the_frozen_model(tmp_path: Path) -> None:
    rules = load_rule_set(write_variant_rules(tmp_path))
    assert rules.variants is not None and rules.variant is None
    assert rules.variants.field == "branch_type"
    assert rules.variants.options == ("在职党支部", RETIRED, "联合党支部")
    [variant] = rules.variants.overlays
    assert (variant.name, variant.file, variant.note) == (RETIRED, "retired.yaml", "测试用变体")
    actions = {i.id: i.tailoring.action for i in variant.changes if i.tailoring}
    assert actions == {"1.1.3": NOT_APPLICABLE, "1.2.1": CHANGE, "2.1.2": CHANGE, "1.2.3": ADD}
    assert len(rules.items) == 9  # the base model is unchanged: the added check point is the variant's
    changed = next(i for i in variant.changes if i.id == "1.2.1")
    assert changed.target == 80 and changed.tailoring is not None
    assert changed.tailoring.summary == "离退休干部党支部目标为 80%（依据《中国共产党党员教育管理工作条例》第二十三条）"
    with pytest.raises(AttributeError):
        variant.name = "x"  # type: ignore[misc]


def test_an_unknown_check_point(tmp_path: Path) -> None:
    change = {"item": "9.9.9", "action": "not_applicable", "reason": "无", **REGULATION}
    folder = write_variant_rules(tmp_path, overlay_with(change))
    problem = only(problems_of(folder))
    assert problem.startswith(f"retired.yaml:{line_of(folder / 'retired.yaml', '9.9.9')} [changes[4].item]")
    assert "检查要点“9.9.9”不在规则集中" in problem


def test_a_parameter_the_changed_type_does_not_take(tmp_path: Path) -> None:
    change = {"item": "1.1.1", "action": "change", "set": {"target": 3}, "reason": "无", **REGULATION}
    folder = write_variant_rules(tmp_path, overlay_with(change))
    problem = only(problems_of(folder))
    line = line_of(folder / "retired.yaml", "target: 3")
    assert problem.startswith(f"retired.yaml:{line} [changes[4].set.target]")
    assert "类型为 yes_no 的检查要点不能有参数“target”" in problem


def test_a_changed_parameter_the_answer_type_refuses(tmp_path: Path) -> None:
    # 2.1.1: 20 points, target 12; a deduction of 1 per meeting can never reach 0 points.
    change = {"item": "2.1.1", "action": "change", "set": {"deduction_per_unit": 1}, "reason": "无", **REGULATION}
    folder = write_variant_rules(tmp_path, overlay_with(change))
    problem = only(problems_of(folder))
    assert problem.startswith(f"retired.yaml:{line_of(folder / 'retired.yaml', 'deduction_per_unit: 1')} [changes[4]")
    assert "deduction_per_unit" in problem


def test_points_that_no_longer_add_up_to_100(tmp_path: Path) -> None:
    change = {"item": "1.1.1", "action": "change", "set": {"points": 15}, "reason": "无", **REGULATION}
    folder = write_variant_rules(tmp_path, overlay_with(change))
    problem = only(problems_of(folder))
    assert problem.startswith(f"retired.yaml:{line_of(folder / 'retired.yaml', 'changes:')} [changes]")
    assert "按变体“离退休干部党支部”修改后，全部检查要点分值合计为 105，应为 100" in problem


def test_a_key_a_variant_may_not_change(tmp_path: Path) -> None:
    change = {"item": "1.1.1", "action": "change", "set": {"text": "别的问题"}, "reason": "无", **REGULATION}
    folder = write_variant_rules(tmp_path, overlay_with(change))
    problem = only(problems_of(folder))
    assert "[changes[4].set.text]" in problem and "变体不能修改检查要点的“text”" in problem


def test_a_variant_that_is_not_an_option(tmp_path: Path) -> None:
    folder = write_variant_rules(tmp_path, {**copy.deepcopy(OVERLAY), "variant": "社区党支部"})
    problem = only(problems_of(folder))
    assert (
        problem.startswith("retired.yaml:1 [variant]")
        and "变体“社区党支部”不在 ruleset.yaml 的 variants.options 中" in problem
    )


def test_two_overlays_for_one_branch_type(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["variants"]["overlays"].append("again.yaml")

    again = {"variant": RETIRED, "changes": [OVERLAY["changes"][0]]}
    problem = only(problems_of(write_variant_rules(tmp_path, edit=edit, extra={"again.yaml": again})))
    assert problem.startswith("again.yaml:1 [variant]") and "已由变体文件 retired.yaml 定义" in problem


def test_a_missing_overlay_file(tmp_path: Path) -> None:
    folder = write_variant_rules(tmp_path)
    (folder / "retired.yaml").unlink()
    problem = only(problems_of(folder))
    assert (
        problem.startswith("ruleset.yaml:")
        and "[variants.overlays[0]]" in problem
        and "找不到变体文件“retired.yaml”" in problem
    )


def test_an_overlay_listed_as_an_area_file(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["variants"]["overlays"] = ["a1.yaml"]

    problem = only(problems_of(write_variant_rules(tmp_path, edit=edit)))
    assert "变体文件“a1.yaml”与方面文件或其他变体文件重复" in problem


def test_variants_without_a_branch_type_field(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["profile"] = [f for f in r["profile"] if f["id"] != "branch_type"]

    problem = only(problems_of(write_variant_rules(tmp_path, edit=edit)))
    assert "[variants]" in problem and "必须有角色为 branch_type 的字段" in problem


def test_a_branch_type_option_listed_twice(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["variants"]["options"].append("在职党支部")

    problem = only(problems_of(write_variant_rules(tmp_path, edit=edit)))
    assert "[variants.options[3]]" in problem and "支部类型“在职党支部”重复列出" in problem


def test_adding_a_check_point_that_exists(tmp_path: Path) -> None:
    change = {**copy.deepcopy(OVERLAY["changes"][3]), "item": "1.1.1"}
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change, replace=3))))
    assert "[changes[3].item]" in problem and "检查要点编号“1.1.1”已在规则集中，不能增设" in problem


def test_adding_to_an_unknown_standard(tmp_path: Path) -> None:
    change = {**copy.deepcopy(OVERLAY["changes"][3]), "item": "1.9.1"}
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change, replace=3))))
    assert "增设的检查要点“1.9.1”所属的标准“1.9”不在规则集中" in problem


def test_adding_a_check_point_with_its_id_in_set(tmp_path: Path) -> None:
    change = copy.deepcopy(OVERLAY["changes"][3])
    change["set"]["id"] = "1.2.3"
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change, replace=3))))
    assert "[changes[3].set.id]" in problem and "写在本条的 item、basis、basis_kind 中" in problem


def test_an_added_check_point_missing_its_type_parameters(tmp_path: Path) -> None:
    change = copy.deepcopy(OVERLAY["changes"][3])
    change["set"]["type"] = "count"  # without its target
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change, replace=3))))
    assert "[changes[3]]" in problem and "类型为 count 的检查要点缺少参数“target”" in problem


def test_two_overlays_adding_the_same_id(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["variants"]["overlays"].append("joint.yaml")

    joint = {"variant": "联合党支部", "changes": copy.deepcopy(OVERLAY["changes"][2:])}
    problem = only(problems_of(write_variant_rules(tmp_path, edit=edit, extra={"joint.yaml": joint})))
    assert problem.startswith("joint.yaml:") and "已由变体文件 retired.yaml 增设" in problem


def test_one_check_point_changed_twice(tmp_path: Path) -> None:
    change = {"item": "1.2.1", "action": "change", "set": {"target": 90}, "reason": "无", **REGULATION}
    folder = write_variant_rules(tmp_path, overlay_with(change))
    problem = only(problems_of(folder))
    first = line_of(folder / "retired.yaml", "1.2.1")
    assert "[changes[4].item]" in problem and f"检查要点 1.2.1 已在第 {first} 行出现" in problem


def test_not_applicable_with_set(tmp_path: Path) -> None:
    change = {**copy.deepcopy(OVERLAY["changes"][0]), "set": {"points": 5}}
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change, replace=0))))
    assert "[changes[0].set]" in problem and "action 为 not_applicable 时不能有 set" in problem


def test_change_without_set(tmp_path: Path) -> None:
    change = {"item": "1.1.1", "action": "change", "reason": "无", **REGULATION}
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change))))
    assert "[changes[4]]" in problem and "action 为 change 时必须有 set" in problem


def test_an_unknown_action(tmp_path: Path) -> None:
    change = {"item": "1.1.1", "action": "remove", "reason": "无", **REGULATION}
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change))))
    assert "[changes[4].action]" in problem and "'remove' 不在允许范围内" in problem


def test_a_regulation_basis_without_the_documents_name(tmp_path: Path) -> None:
    change = {**copy.deepcopy(OVERLAY["changes"][0]), "basis": "党员教育管理工作条例"}
    problem = only(problems_of(write_variant_rules(tmp_path, overlay_with(change, replace=0))))
    assert "[changes[0].basis]" in problem and "依据应写明文件名称（《…》）" in problem


def test_a_variant_leaving_nothing_to_score(tmp_path: Path) -> None:
    base = load_rule_set(write_rules(tmp_path / "base"))
    changes = [{"item": i.id, "action": "not_applicable", "reason": "无", **REGULATION} for i in base.items]
    problem = only(problems_of(write_variant_rules(tmp_path / "v", {"variant": RETIRED, "changes": changes})))
    assert "把全部计分的检查要点都标为不适用，无法评分" in problem


def test_a_named_scale_in_a_changed_options(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        r["scales"] = {"两档": [{"label": "好", "credit": 1}, {"label": "差", "credit": 0}]}

    change = {"item": "1.1.2", "action": "change", "set": {"options": "两档"}, "reason": "简化", **REGULATION}
    rules = load_rule_set(write_variant_rules(tmp_path, overlay_with(change), edit=edit))
    assert rules.variants is not None
    changed = next(i for i in rules.variants.overlays[0].changes if i.id == "1.1.2")
    assert [o.label for o in changed.options] == ["好", "差"]


# ------------------------------------------------------------------ fingerprint


def test_the_fingerprint_covers_the_overlays(tmp_path: Path) -> None:
    base = load_rule_set(write_variant_rules(tmp_path / "a"))
    assert load_rule_set(write_variant_rules(tmp_path / "b")).fingerprint == base.fingerprint
    target = overlay_with(
        {"item": "1.2.1", "action": "change", "set": {"target": 70}, "reason": "量力而行", **REGULATION}, 1
    )
    assert load_rule_set(write_variant_rules(tmp_path / "c", target)).fingerprint != base.fingerprint
    fewer = copy.deepcopy(OVERLAY)
    fewer["changes"].pop(0)
    assert load_rule_set(write_variant_rules(tmp_path / "d", fewer)).fingerprint != base.fingerprint
    reworded = copy.deepcopy(OVERLAY)
    reworded["changes"][0]["reason"] = "另一种说法"
    reworded["note"] = "另一个说明"
    assert load_rule_set(write_variant_rules(tmp_path / "e", reworded)).fingerprint == base.fingerprint


def test_rule_sets_without_variants_keep_their_fingerprint(tmp_path: Path) -> None:
    from engine.rules.export import scoring_content

    rules = load_rule_set(write_rules(tmp_path))
    assert rules.variants is None
    assert "variants" not in scoring_content(rules)
