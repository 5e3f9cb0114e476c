"""The free-text answer type: 本支部特色做法, 创新项目简介 … never scored, optionally required."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from engine.answers.base import AnswerType, DemoCase
from engine.intake import normalise
from engine.intake.cells import CellValue, display
from engine.rules.model import Item, RuleSet
from engine.template import validation

_DEMO = ("结合业务工作开展“党建+”活动，", "建立党员先锋岗，", "与结对支部联学共建，", "每月开展一次志愿服务，")


def _required(item: Item) -> bool:
    return bool(item.param("required", False))


class Text(AnswerType):
    name = "text"
    scored = False
    compares_as = "text"
    reads_na_words = False  # “无” or “N/A” is what the secretary wrote

    def choices(self, raw: Mapping[str, Any]) -> tuple[str, ...]:
        return ()

    def export(self, item: Item) -> dict[str, Any]:
        return {"required": _required(item)}

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        need = "必填" if _required(item) else "可不填"
        return f"用文字填写（不计分，{need}），写明具体做法、时间和成效。"

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        if not items:
            return None
        return "文字说明：按检查要点的要求用文字填写，不计分；填写说明中注明“必填”的不能空着。"

    def validation(self, item: Item) -> validation.Check:
        return validation.Check(None, "用文字填写（不计分）")

    def allowed(self, item: Item) -> str:
        return "任意文字"

    def read(self, item: Item, value: CellValue, reference: date | None) -> normalise.Reading:
        return normalise.Reading(value.strip() if isinstance(value, str) else display(value))

    def expects_answer(self, item: Item) -> bool:
        return _required(item)

    def demo(self, item: Item, case: DemoCase) -> object:
        if not case.met and not _required(item):
            return None
        return "".join(case.rng.sample(_DEMO, 2)) + "取得较好成效。"
