"""The template's texts about branch-type variants (engine.rules.variants): which check points
differ by type, in 填表说明, in each check point's 填写说明 and beside the 支部类型 field.
One template serves every variant. Pure functions."""

from __future__ import annotations

from engine import contract as c
from engine.rules.model import ADD, NOT_APPLICABLE, Item, ProfileField, RuleSet, Variant
from engine.rules.tailor import counts_text, tailorings

BASE_RULES = "基础规则"


def variant_lines(item: Item, rules: RuleSet) -> list[str]:
    """What each branch type does differently with ``item`` (its 填写说明 cell)."""
    own = item.tailoring
    if own is not None and own.action == ADD:
        return [f"仅{own.variant}填写（{own.summary}：{own.reason}）；其他类型的支部无需填写。"]
    return [f"{t.tailoring.summary}。" for t in tailorings(rules, item.id) if t.tailoring is not None]


def branch_type_lines(field: ProfileField, rules: RuleSet) -> list[str]:
    """The 说明 of the 支部类型 field: the options and what each one changes."""
    variants = rules.variants
    if variants is None or field.id != variants.field:
        return []
    lines = [f"从下拉列表中选择：{'、'.join(variants.options)}。"]
    for variant in variants.overlays:
        lines.append(f"选“{variant.name}”的，按该类型的规则评分：{counts_text(variant)}（详见填表说明）。")
    lines.append(f"未填或选择其他类型的，按{BASE_RULES}评分；所选类型列在检查结果和评分报告中，由检查组核实。")
    return lines


def variant_guide_lines(rules: RuleSet) -> list[str]:
    """填表说明: which check points differ by branch type, and how the type is chosen."""
    variants = rules.variants
    if variants is None:
        return []
    label = rules.field(variants.field).label
    lines = [
        f"支部类型：按“{c.SHEET_PROFILE}”中“{label}”所填类型评分。下列类型的部分检查要点不同；"
        f"未填写或选择其他类型的，按{BASE_RULES}评分（不会因此不适用）。所选类型由检查组核实。"
    ]
    for variant in variants.overlays:
        lines.append(_variant_line(variant))
    return lines


def _variant_line(variant: Variant) -> str:
    parts: list[str] = []
    excluded = [i.id for i in variant.changes if i.tailoring and i.tailoring.action == NOT_APPLICABLE]
    added = [i.id for i in variant.changes if i.tailoring and i.tailoring.action == ADD]
    changed = [i for i in variant.changes if i.tailoring and i.tailoring.action not in (NOT_APPLICABLE, ADD)]
    if excluded:
        parts.append(f"不适用（无需填写）：{'、'.join(excluded)}")
    if changed:
        parts.append("要求不同：" + "；".join(f"{i.id} {_without_name(i)}" for i in changed))
    if added:
        parts.append(f"增设（仅{variant.name}填写）：{'、'.join(added)}")
    return f"{variant.name}——" + "。".join(parts) + "。"


def _without_name(item: Item) -> str:
    assert item.tailoring is not None
    return item.tailoring.summary.removeprefix(item.tailoring.variant)
