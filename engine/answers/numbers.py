"""Numeric answer types: a count against a target (次数/数量), and a percentage."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from engine.answers.base import AddProblem, AnswerType, DemoCase
from engine.intake import normalise
from engine.intake.cells import CellValue
from engine.rules.model import Item, RuleSet, format_number, json_number
from engine.scoring import credit as cr
from engine.submission import Value
from engine.template import validation
from engine.xlsx import PERCENT_FORMAT

# Units recognised after a count target in the item text (longest first).
_UNITS = ("人次", "学时", "课时", "小时", "次", "人", "名", "篇", "天", "个", "项", "份", "期", "场", "批")


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def count_unit(item: Item) -> str:
    """The unit written after the target in the item text (次, 学时, ...), or ''."""
    if item.target is None:
        return ""
    number = re.escape(format_number(item.target))
    found = re.search(rf"(?<![\d.]){number}\s*({'|'.join(_UNITS)})", item.text)
    return found.group(1) if found else ""


def _exceed(item: Item) -> bool:
    """A percent that must exceed its target: met or unmet, no partial credit."""
    return bool(item.param("exceed", False))


def _count_value(value: Decimal | int, decimals: int) -> Decimal | int:
    if decimals:
        return Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    return int(value)


class Count(AnswerType):
    name = "count"
    compares_as = "number"
    typed_cell = True

    def check_rule(self, raw: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]], add: AddProblem) -> None:
        points = _dec(raw["points"])
        if "deduction_per_unit" in raw and "target" in raw:
            reach = _dec(raw["deduction_per_unit"]) * _dec(raw["target"])
            if reach < points:
                add(
                    ("deduction_per_unit",),
                    f"每少一次扣 {raw['deduction_per_unit']} 分 × 目标 {raw['target']} = {reach.normalize():f}，"
                    f"小于分值 {raw['points']}：一次未开也扣不完，应满足 扣分 × 目标 ≥ 分值",
                )
        whole = "target" in raw and _dec(raw["target"]) == _dec(raw["target"]).to_integral_value()
        if "target" in raw and not raw.get("decimals") and not whole:
            add(("target",), f"目标 {raw['target']} 应为整数（或设置 decimals）")

    def export(self, item: Item) -> dict[str, Any]:
        assert item.target is not None
        return {
            "target": json_number(item.target),
            "deduction_per_unit": None if item.deduction_per_unit is None else json_number(item.deduction_per_unit),
            "decimals": item.decimals,
            "per": item.per,
        }

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        unit = count_unit(item)
        period = "全年" if item.per == "year" else ""
        noun = f"实际{unit}数" if unit else "实际数值"
        target = format_number(item.target) if item.target is not None else "0"
        text = f"填写{period}{noun}，要求不少于 {target}{' ' + unit if unit else ''}"
        if item.deduction_per_unit is not None:
            text += f"（每少 1{' ' + unit if unit else ''}扣 {format_number(item.deduction_per_unit)} 分）"
        text += "。"
        text += f"可保留 {item.decimals} 位小数。" if item.decimals > 0 else "填写整数。"
        if item.per == "year" and rules.field_with_role("founded_date") is not None:
            text += "年内新成立的支部按成立月数折算要求。"
        return text

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        if not items:
            return None
        return "次数/数量：填写不小于 0 的数字；除填写说明注明可保留小数的以外，须为整数。"

    def variant_note(self) -> str | None:
        return "次数可带单位，如“12次”"

    def validation(self, item: Item) -> validation.Check:
        return validation.count_check(item.decimals)

    def prompt_what(self, item: Item) -> str:
        return "整数" if item.decimals == 0 else "数字"

    def allowed(self, item: Item) -> str:
        return "不小于 0 的整数" if item.decimals == 0 else f"不小于 0 的数字（最多 {item.decimals} 位小数）"

    def read(self, item: Item, value: CellValue, reference: date | None) -> normalise.Reading:
        return normalise.count(value, item.decimals)

    def credit(self, item: Item, value: Value, ref: date, prorated: cr.Proration | None) -> cr.Credit:
        assert isinstance(value, (Decimal, int))
        actual = Decimal(value)
        target = cr.effective_target(item, prorated)
        note = ""
        if prorated is not None:
            note = (
                f"（支部 {prorated.founded.isoformat()} 成立，按 {prorated.months} 个月折算，"
                f"要求由 {format_number(item.target or cr.ZERO)} 调整为 {format_number(target)}）"
            )
        found = f"实际 {format_number(actual)}，要求不少于 {format_number(target)}{note}"
        points = item.points
        if item.deduction_per_unit is not None:
            short = max(target - actual, cr.ZERO)
            earned = cr.half_up(max(points - item.deduction_per_unit * short, cr.ZERO))
            if short:
                lost = cr.half_up(item.deduction_per_unit * short)
                found += f"，少 {format_number(short)} 扣 {format_number(lost)} 分"
            return cr.Credit(earned / points, earned, found)
        c = min(actual / target, cr.ONE)
        return cr.Credit(c, cr.half_up(c * points), found)

    def show(self, value: Any, item: Item) -> str:
        return format_number(_dec(value))

    def demo(self, item: Item, case: DemoCase) -> object:
        target = cr.effective_target(item, cr.proration(item, case.founded, case.ref))
        if case.met:
            extra = case.rng.randint(0, 2) if case.margin else 0
            return _count_value(target + extra, item.decimals)
        low = case.rng.uniform(0, float(target) * 0.9) if item.decimals else case.rng.randint(0, int(target) - 1)
        return _count_value(Decimal(str(low)), item.decimals)


class Percent(AnswerType):
    name = "percent"
    compares_as = "number"
    typed_cell = True
    number_format = PERCENT_FORMAT

    def check_rule(self, raw: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]], add: AddProblem) -> None:
        if raw.get("target", 0) > 100:
            add(("target",), f"百分比目标 {raw['target']} 不能超过 100")
        elif raw.get("exceed") and raw.get("target", 0) == 100:
            add(("exceed",), "exceed 要求填写的百分比超过目标，目标为 100 时无法达到")

    def export(self, item: Item) -> dict[str, Any]:
        assert item.target is not None
        return {"target": json_number(item.target), "exceed": _exceed(item)}

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        target = format_number(item.target) if item.target is not None else "100"
        if _exceed(item):
            return f"填写百分比，须超过 {target}%（恰好 {target}% 的不符合要求）；超过的得满分，否则不得分。"
        return f"填写百分比，目标 {target}%（如 95%）。"

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        if not items:
            return None
        return (
            "百分比：填写 0%～100% 之间的百分比，如 95%（单元格已设为百分比格式，直接输入 95% 即可）。"
            "不带 % 的数，不大于 1 的按小数理解（0.95 即 95%，1 即 100%），大于 1 的按百分数理解（95 即 95%），"
            "无论输入的是数字还是文字。"
        )

    def validation(self, item: Item) -> validation.Check:
        return validation.PERCENT

    def prompt_what(self, item: Item) -> str:
        return "百分比"

    def allowed(self, item: Item) -> str:
        return "0%～100% 的百分比，如 95%"

    def read(self, item: Item, value: CellValue, reference: date | None) -> normalise.Reading:
        return normalise.percent(value)

    def credit(self, item: Item, value: Value, ref: date, prorated: cr.Proration | None) -> cr.Credit:
        assert isinstance(value, (Decimal, int)) and item.target is not None
        actual = Decimal(value)
        if _exceed(item):
            c = cr.ONE if actual > item.target else cr.ZERO
            reason = f"填写 {format_number(actual)}%，须超过 {format_number(item.target)}%"
        else:
            c = min(actual / item.target, cr.ONE)
            reason = f"填写 {format_number(actual)}%，目标 {format_number(item.target)}%"
        return cr.Credit(c, cr.half_up(c * item.points), reason)

    def show(self, value: Any, item: Item) -> str:
        return f"{format_number(_dec(value))}%"

    def demo(self, item: Item, case: DemoCase) -> object:
        assert item.target is not None
        if case.met and _exceed(item):  # at least one whole percent above the target
            value = float(item.target) + 1 + (case.rng.uniform(0, 99 - float(item.target)) if case.margin else 0)
        elif case.met:
            value = float(item.target) + (case.rng.uniform(0, 100 - float(item.target)) if case.margin else 0)
        else:
            value = case.rng.uniform(float(item.target) * 0.5, float(item.target) - 1)
        return round(value / 100, 2)  # Excel stores 95% as 0.95
