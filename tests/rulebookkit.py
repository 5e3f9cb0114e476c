"""Rule sets for the rule-workbook tests: the mini set and variants that use every element of
the rule format the workbook carries (scales, explicit defaults, every kind of condition,
rating schemes, branch-type variants with their overlay files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from minirules import COMMON, write_rules
from ratingkit import EXAMPLE, edited_example
from variantrules import OVERLAY, write_variant_rules

Edit = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], None]
FOUR = [
    {"label": "好", "credit": 1},
    {"label": "较好", "credit": 0.8},
    {"label": "一般", "credit": 0.5},
    {"label": "差", "credit": 0},
]


def everything(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
    """The mini set with scales, explicit defaults, odd texts and every kind of condition."""
    r["scales"] = {
        "四档": FOUR,
        "三档": [{"label": "优", "credit": 1}, {"label": "中", "credit": 0.6}, {"label": "差", "credit": 0}],
    }
    r["source"]["handbook"] = "=1+1 测试手册"  # text, never a formula
    r["source"]["regulations"] = ["《中国共产党章程》", "《中国共产党支部工作条例（试行）》"]
    r["bands_note"] = "第一行\n第二行：等级系重构"
    r["profile"].append({"id": "code", "label": "支部编码", "type": "text", "required": False, "role": "branch_code",
                         "hint": "知道的填写"})  # fmt: skip
    r["profile_checks"].append({
        "id": "odd-texts",
        "condition": {"field": "branch_name", "op": "in", "value": ["a b", "正式党员人数", "7", "是"]},
        "message": "名称测试", "severity": "error",
    })  # fmt: skip
    r["profile_checks"].append({
        "id": "self", "condition": {"not": {"field": "full_members", "op": "lt", "value_field": "full_members"}},
        "message": "自比", "severity": "warning",
    })  # fmt: skip
    r["vetoes"].append({
        "id": "V4", "text": "学习效果差", "kind": "derived",
        "condition": {"any": [{"item": "1.1.2", "op": "in", "value": ["差"]}, {"all": [
            {"field": "has_committee", "op": "eq", "value": "否"}, {"item": "2.1.2", "op": "le", "value": 0.5}]}]},
    })  # fmt: skip
    items = a1["standards"][0]["items"]
    items[0]["na_allowed"] = False
    items[0]["applies_if"] = {"not": {"field": "has_committee", "op": "eq", "value": "否"}}
    items[1]["options"] = "四档"
    a1["standards"][1]["items"][0]["exceed"] = False
    a2["standards"][0]["items"][1]["decimals"] = 0
    a2["standards"][0]["items"][1]["hint"] = "多行提示：\n第二行"
    a2["standards"][0]["items"][3]["points"] = 5
    a2["standards"][0]["items"][3]["applies_if"] = {"all": [{"field": "has_committee", "op": "eq", "value": "是"}]}
    a2["standards"][0]["items"].append({
        "id": "2.1.5", "text": "三档评价", "type": "level", "points": 5, "options": [
            {"label": "优", "credit": 1}, {"label": "中", "credit": 0.6}, {"label": "差", "credit": 0}], **COMMON,
    })  # fmt: skip


def with_derived(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
    """A check point answered from 支部信息 (derived_from), and a percent that must exceed its target."""
    a2["standards"][0]["items"][0]["points"] = 10
    a2["standards"][0]["items"].append({
        "id": "2.1.5", "text": "正式党员7人以上的党支部设立支部委员会", "type": "yes_no", "points": 10,
        "derived_from": {"field": "has_committee", "op": "eq", "value": "是"},
        "applies_if": {"field": "full_members", "op": "ge", "value": 7}, **COMMON,
    })  # fmt: skip
    a1["standards"][1]["items"][0].update(exceed=True, target=80)


def with_text(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
    a1["standards"][0]["items"].append(
        {"id": "1.1.4", "text": "本支部特色做法", "type": "text", "required": True, **COMMON}
    )
    a1["standards"][0]["items"].append({"id": "1.1.5", "text": "创新项目简介", "type": "text", **COMMON})


CASES: dict[str, Edit | None] = {"mini": None, "everything": everything, "derived": with_derived, "text": with_text}


JOINT: dict[str, Any] = {
    "variant": "联合党支部",
    "changes": [
        {"item": "1.1.2", "action": "change", "set": {"options": "三档", "na_allowed": True}, "reason": "联合支部",
         "basis": "各地通行做法", "basis_kind": "practice"},
        {"item": "1.2.1", "action": "change", "set": {"target": 85, "exceed": False, "hint": "第一行\n第二行"},
         "reason": "联合支部", "basis": "各地通行做法", "basis_kind": "practice"},
    ],
}  # fmt: skip
RETIRED_MORE: dict[str, Any] = {
    **OVERLAY,
    "changes": [
        *OVERLAY["changes"][:3],
        {"item": "1.2.3", "action": "add", "set": {
            "text": "送学上门的效果", "type": "level", "points": 5, "options": [{"label": "好", "credit": 1},
            {"label": "差", "credit": 0}], "na_allowed": True, "hint": "如实评价",
            "applies_if": {"field": "full_members", "op": "ge", "value": 3}, "evidence": "送学记录",
            "advice": "定期送学"},
         "reason": "年老体弱党员通过送学上门参加学习", "basis": "各地通行做法", "basis_kind": "practice"},
        {"item": "2.1.5", "action": "add", "set": {"text": "心得", "type": "text", "required": True,
         "evidence": "心得", "advice": "撰写心得"}, "reason": "交流", "basis": "各地通行做法",
         "basis_kind": "practice"},
    ],
}  # fmt: skip


def _variants_more(folder: Path) -> Path:
    """Two overlays listed against the options' order, scale names, multi-line text, added check points."""

    def edit(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        three = [{"label": "优", "credit": 1}, {"label": "中", "credit": 0.6}, {"label": "差", "credit": 0}]
        r["scales"] = {"三档": three}
        r["variants"]["overlays"] = ["joint.yaml", "retired.yaml"]

    return write_variant_rules(folder, RETIRED_MORE, edit, extra={"joint.yaml": JOINT})


def _rating_more(folder: Path) -> Path:
    """The example scheme with a quota per 上级党组织, an integer component and a default veto effect."""

    def edit(docs: dict[str, dict[str, Any]]) -> None:
        root = docs["ruleset.yaml"]
        root["bands"][1].update(max_share=0.5, quota_per="parent_org")
        del root["vetoes"][0]["effect"]
        root["profile"].append({"id": "extra_score", "label": "加试得分", "type": "integer", "required": True})
        root["total"] = {"min": 10, "max": 95, "components": [
            {"source": "field", "field": "extra_score", "weight": 0.1},
            {"source": "checklist", "weight": 0.6}, {"source": "field", "field": "appraisal_score", "weight": 0.3}]}
        docs["bonus.yaml"]["cap"] = 5.5
        item = {**docs["bonus.yaml"]["standards"][0]["items"][0], "id": "3.2.1", "text": "其他加分", "points": 1.5}
        docs["bonus.yaml"]["standards"].append({"id": "3.2", "name": "其他", "items": [item]})

    return edited_example(folder, edit)


# Rule sets beyond the mini set's edits, made by their own builders (folder → rule-set folder).
BUILT: dict[str, Callable[[Path], Path]] = {
    "example-five-star": lambda folder: EXAMPLE,
    "rating-more": _rating_more,
    "variants": lambda folder: write_variant_rules(folder),
    "variants-more": _variants_more,
}


def rule_set_folder(name: str, folder: Path) -> Path:
    if name in BUILT:
        return BUILT[name](folder)
    return write_rules(folder, CASES[name])
