"""The date answer type: a date that must fall within N months before the reference date."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from engine.answers.base import AddProblem, AnswerType, DemoCase
from engine.intake import normalise
from engine.intake.cells import CellValue
from engine.months import add_months
from engine.rules.model import Item, RuleSet
from engine.scoring import credit as cr
from engine.submission import Value
from engine.template import validation
from engine.xlsx import DATE_FORMAT


class Date(AnswerType):
    name = "date"
    compares_as = "date"
    typed_cell = True
    number_format = DATE_FORMAT

    def check_rule(self, raw: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]], add: AddProblem) -> None:
        if "value_from" not in raw:
            return
        f = fields.get(raw["value_from"])
        if f is None:
            add(("value_from",), f"value_from 引用了不存在的支部信息字段“{raw['value_from']}”")
        elif f["type"] != "date":
            add(("value_from",), f"value_from 字段“{raw['value_from']}”应为日期类型，实际为 {f['type']}")

    def export(self, item: Item) -> dict[str, Any]:
        return {"within_months": item.within_months, "value_from": item.value_from}

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        return f"填写日期（如 {validation.EXAMPLE_DATE}），须在评估基准日前 {item.within_months} 个月内。"

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        return f"日期：按“年-月-日”填写，如 {validation.EXAMPLE_DATE}。" if items else None

    def variant_note(self) -> str | None:
        return "日期也可写作“2018年3月5日”"

    def validation(self, item: Item) -> validation.Check:
        return validation.DATE

    def prompt_what(self, item: Item) -> str:
        return "日期"

    def allowed(self, item: Item) -> str:
        return f"日期，如 {validation.EXAMPLE_DATE}"

    def read(self, item: Item, value: CellValue, reference: date | None) -> normalise.Reading:
        return normalise.answer_date(value, reference)

    def derived_answer(self, item: Item, profile: Mapping[str, Value], reference: date | None) -> Value:
        assert item.value_from is not None
        return profile.get(item.value_from)

    def derivation(self, item: Item, rules: RuleSet) -> str:
        assert item.value_from is not None
        return f"按支部信息“{rules.field(item.value_from).label}”"

    def credit(self, item: Item, value: Value, ref: date, prorated: cr.Proration | None) -> cr.Credit:
        assert isinstance(value, date) and item.within_months is not None
        months = item.within_months
        start = add_months(ref, -months)
        if start <= value <= ref:
            found = f"日期 {value.isoformat()} 在评估基准日前 {months} 个月内"
            return cr.Credit(cr.ONE, cr.half_up(item.points), found)
        return cr.Credit(
            cr.ZERO,
            cr.half_up(cr.ZERO),
            f"日期 {value.isoformat()} 不在 {start.isoformat()} 至 {ref.isoformat()} 之间"
            f"（评估基准日前 {months} 个月内）",
        )

    def demo(self, item: Item, case: DemoCase) -> object:
        assert item.within_months is not None
        if case.met:
            return add_months(case.ref, -case.rng.randint(0, item.within_months - 1) if case.margin else 0)
        return add_months(case.ref, -(item.within_months + case.rng.randint(1, 12)))
