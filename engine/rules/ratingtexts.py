"""The rating scheme in Chinese words (issue 16), shared by 填表说明, ``rules show`` and the
reports: block headings, veto effects, bands with labels and quotas, the total formula."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from engine.rules.model import Area, Band, RuleSet, Veto, format_number
from engine.rules.rating import BLOCK_WORDS, BONUS, CAP, CHECKLIST, share_text


def area_heading(area: Area) -> str:
    """``3 加分项（合计最多加 5 分）`` for a block, ``1 组织生活（60 分）`` for a checklist area."""
    if area.kind == CHECKLIST or area.cap is None:
        return f"{area.id} {area.name}（{format_number(area.points)} 分）"
    verb = "加" if area.kind == BONUS else "扣"
    word = "" if area.name == BLOCK_WORDS[area.kind] else f"{BLOCK_WORDS[area.kind]}，"
    return f"{area.id} {area.name}（{word}合计最多{verb} {format_number(area.cap)} 分）"


def block_line(area: Area) -> str:
    """How a bonus or penalty block is answered and counted, for 填表说明."""
    assert area.cap is not None
    cap = format_number(area.cap)
    if area.kind == BONUS:
        return f"{area.name}（{area.id}）：符合的填“是”，按所列分值加分，合计最多加 {cap} 分。"
    return (
        f"{area.name}（{area.id}）：发生所列情形的填“是”，按所列分值扣分，合计最多扣 {cap} 分；"
        "未填写的按发生计（扣分）。"
    )


def veto_effect(rules: RuleSet, veto: Veto) -> str:
    if veto.effect == CAP:
        return f"触发后等级不高于“{veto.cap}”"
    return f"触发后评为最低等级“{rules.lowest_band.name}”"


def band_text(band: Band, rules: RuleSet) -> str:
    """``★★★★★ 五星：≥ 90 分，名额不超过参评支部的 30%``: label (or name), minimum and quota."""
    return f"{band.display}：≥ {format_number(band.min)} 分" + quota_text(band, rules)


def quota_text(band: Band, rules: RuleSet) -> str:
    if band.max_share is None:
        return ""
    within = "参评支部" if band.quota_per is None else f"同一{rules.field(band.quota_per).label}的参评支部"
    return f"，名额不超过{within}的 {share_text(band.max_share)}"


def total_text(rules: RuleSet) -> str:
    """The total formula in words, e.g. ``总分 =（检查得分 + 加分 − 减分）× 70% + 群众评议得分 × 30%``."""
    checklist = "检查得分"
    if rules.blocks:
        kinds = {a.kind for a in rules.blocks}
        bonus = " + 加分" if BONUS in kinds else ""
        penalty = " − 减分" if kinds - {BONUS} else ""
        checklist = f"（检查得分{bonus}{penalty}）"
    parts = []
    for c in rules.total.components:
        name = checklist if c.source == CHECKLIST else rules.field(str(c.field)).label
        gap = "" if name.endswith("）") else " "
        parts.append(name if c.weight == 1 else f"{name}{gap}× {share_text(c.weight)}")
    low, high = format_number(rules.total.min), format_number(rules.total.max)
    return (
        f"检查得分 = 100 × 各检查要点得分之和 ÷ 适用检查要点满分之和；总分 ={'' if parts[0].startswith('（') else ' '}"
        f"{' + '.join(parts)}，"
        f"四舍五入到 2 位小数，最低 {low} 分、最高 {high} 分。"
    )


def scheme_lines(rules: RuleSet) -> list[str]:
    """填表说明 lines on the rating scheme beyond plain bands (none for a plain rule set)."""
    lines: list[str] = []
    if not rules.total.plain or rules.blocks:
        lines.append(total_text(rules))
    lines.extend(block_line(a) for a in rules.blocks)
    if any(b.max_share is not None for b in rules.bands):
        lines.append(
            "有名额限制的等级，全部支部评分后按总分从高到低确定：超出名额的支部评为下一等级；"
            "名额边界上总分相同的支部一并评为下一等级。"
        )
    return lines


def is_plain(rules: RuleSet) -> bool:
    """True when the rule set uses none of the rating scheme's features beyond plain bands."""
    return (
        rules.total.plain
        and not rules.blocks
        and all(v.effect != CAP for v in rules.vetoes)
        and all(b.max_share is None and b.label is None for b in rules.bands)
    )


def result_lines(d: Mapping[str, Any]) -> list[str]:
    """How one result's total and rating were formed, from its results.json form (the reports)."""
    lines: list[str] = []
    for block in d.get("blocks", ()):
        verb = "加" if block.get("kind") == BONUS else "扣"
        lines.append(
            f"{block.get('name')}：合计{verb} {_n(block.get('earned'))} 分，上限 {_n(block.get('cap'))} 分，"
            f"计入 {_n(block.get('applied'))} 分。"
        )
    components = list(d.get("components", ()))
    if len(components) > 1:
        parts = [f"{c.get('name')} {_n(c.get('value'))} × {_share(c.get('weight'))}" for c in components]
        lines.append(f"总分 = {' + '.join(parts)} = {_n(d.get('score'))}。")
    if d.get("rating_reason"):
        lines.append(f"评定：{d.get('rating_reason')}。")
    return lines


def _n(value: Any) -> str:
    return "" if value is None else format_number(value)


def _share(value: Any) -> str:
    return "" if value is None else share_text(Decimal(str(value)))
