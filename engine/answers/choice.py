"""Answer types chosen from a fixed list: 是/否, and a level (好/较好/一般/差 …)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from engine.answers.base import AddProblem, AnswerType, DemoCase
from engine.conditions import Env, describe, evaluate
from engine.intake import normalise
from engine.intake.cells import CellValue
from engine.rules.model import NA, NO, YES, Item, RuleSet, format_number, json_number
from engine.scoring import credit as cr
from engine.submission import Value
from engine.template import validation

INVALID = "也许"


class YesNo(AnswerType):
    """是/否; or, with ``derived_from``, 是 when a condition over 支部信息 holds (not asked)."""

    name = "yes_no"
    condition_params = ("derived_from",)

    def choices(self, raw: Mapping[str, Any]) -> tuple[str, ...]:
        return (YES, NO)

    def export(self, item: Item) -> dict[str, Any]:
        from engine.rules.export import condition_dict

        return {"derived_from": condition_dict(item.derived_from)}

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        return f"填写“{YES}”或“{NO}”：达到要求的填“{YES}”。"

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        if not items and not rules.question_vetoes:  # veto questions are answered 是/否 too
            return None
        return f"是/否：填写“{YES}”或“{NO}”，“{YES}”表示达到检查要点的要求（否决项中“{YES}”表示发生了该情形）。"

    def validation(self, item: Item) -> validation.Check:
        return validation.choices((YES, NO, *((NA,) if item.na_allowed else ())))

    def allowed(self, item: Item) -> str:
        return f"{YES}、{NO}"

    def read(self, item: Item, value: CellValue, reference: date | None) -> normalise.Reading:
        return normalise.yes_no(value)

    def derived_answer(self, item: Item, profile: Mapping[str, Value], reference: date | None) -> Value:
        assert item.derived_from is not None
        env = Env(field=lambda f: profile.get(f), item=lambda _i: None, reference_date=reference)
        holds = evaluate(item.derived_from, env)
        return None if holds is None else YES if holds else NO

    def derivation(self, item: Item, rules: RuleSet) -> str:
        assert item.derived_from is not None
        return f"按支部信息判定（{describe(item.derived_from, rules)}）"

    def credit(self, item: Item, value: Value, ref: date, prorated: cr.Proration | None) -> cr.Credit:
        c = cr.ONE if value == YES else cr.ZERO
        said = ("符合" if value == YES else "不符合") if item.derived_from is not None else f"填写“{value}”"
        return cr.Credit(c, cr.half_up(c * item.points), said)

    def demo(self, item: Item, case: DemoCase) -> object:
        return YES if case.met else NO

    def invalid_example(self) -> str | None:
        return INVALID


class Level(AnswerType):
    name = "level"
    refuses_other_input = True

    def check_rule(self, raw: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]], add: AddProblem) -> None:
        if "options" not in raw:
            return
        labels = [o["label"] for o in raw["options"]]
        for on, label in enumerate(labels):
            if label in labels[:on]:
                add(("options", on, "label"), f"等级选项“{label}”重复")
            if label in (NA, YES, NO):
                add(("options", on, "label"), f"“{label}”不能作为等级选项")
        if max(Decimal(str(o["credit"])) for o in raw["options"]) != 1:
            add(("options",), "等级选项中必须有一项得分系数为 1（完全达标）")

    def choices(self, raw: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(o["label"] for o in raw.get("options", ()))

    def export(self, item: Item) -> dict[str, Any]:
        return {"options": [{"label": o.label, "credit": json_number(o.credit)} for o in item.options]}

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        return f"填写 {'/'.join(o.label for o in item.options)}（可从下拉列表选择）。"

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        if not items:
            return None
        label_sets = list(dict.fromkeys(tuple(o.label for o in i.options) for i in items))
        choices = "；".join("/".join(s) for s in label_sets)
        return f"等级：按该检查要点的等级填写其中之一（{choices}），可从下拉列表选择。"

    def validation(self, item: Item) -> validation.Check:
        return validation.choices((*(o.label for o in item.options), *((NA,) if item.na_allowed else ())))

    def allowed(self, item: Item) -> str:
        return "、".join(o.label for o in item.options)

    def read(self, item: Item, value: CellValue, reference: date | None) -> normalise.Reading:
        return normalise.level(item, value)

    def credit(self, item: Item, value: Value, ref: date, prorated: cr.Proration | None) -> cr.Credit:
        option = item.option(str(value))
        assert option is not None, f"intake let through level answer {value!r}"
        reason = f"评价为“{value}”（得分系数 {format_number(option.credit)}）"
        return cr.Credit(option.credit, cr.half_up(option.credit * item.points), reason)

    def demo(self, item: Item, case: DemoCase) -> object:
        labels = [o.label for o in item.options]
        return labels[0] if case.met else case.rng.choice(labels[1:])


__all__ = ["Level", "YesNo"]
