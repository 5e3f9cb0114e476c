"""Data validation of input cells: one rule per answer kind, shared by all its cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from engine.contract import EARLIEST_DATE
from engine.rules.model import NA, NO, YES, Item, ProfileField
from engine.template.texts import EXAMPLE_DATE, NUMERIC_TYPES

EARLIEST = date(*EARLIEST_DATE)
_EARLIEST_SERIAL = str(int(to_excel(EARLIEST)))
LATEST_YEAR = 2100

ERROR_TITLE = "输入有误"
PROMPT_TITLE = "填写提示"


@dataclass(frozen=True)
class Check:
    """One validation rule. Equal rules become one DataValidation with many ranges."""

    type: str | None  # "list" | "whole" | "decimal" | "date" | None: prompt only, anything accepted
    prompt: str
    error: str = ""
    operator: str | None = None
    formula1: str | None = None
    formula2: str | None = None


def _choices(labels: tuple[str, ...]) -> Check:
    shown = "、".join(labels)
    return Check("list", f"请选择：{shown}", f"请从下拉列表中选择：{shown}", formula1=f'"{",".join(labels)}"')


def _count(decimals: int) -> Check:
    if decimals > 0:
        return Check("decimal", "填写不小于 0 的数字", "请填写不小于 0 的数字", "greaterThanOrEqual", "0")
    return Check("whole", "填写不小于 0 的整数", "请填写不小于 0 的整数", "greaterThanOrEqual", "0")


PERCENT = Check("decimal", "填写百分比，如 95%", "请填写 0%～100% 之间的百分比，如 95%", "between", "0", "1")
DATE = Check(
    "date",
    f"填写日期，如 {EXAMPLE_DATE}",
    f"请填写 {EARLIEST.isoformat()} 以后的日期，如 {EXAMPLE_DATE}",
    "greaterThanOrEqual",
    _EARLIEST_SERIAL,
)
YES_NO = _choices((YES, NO))
YEAR = Check(
    "whole",
    "填写四位年份，如 2018",
    f"请填写 {EARLIEST.year}～{LATEST_YEAR} 之间的年份",
    "between",
    str(EARLIEST.year),
    str(LATEST_YEAR),
)


def item_check(item: Item) -> Check:
    """The validation of an item's 自评结果 and 核查结果 cells."""
    na = (NA,) if item.na_allowed else ()
    if item.type == "yes_no":
        return _choices((YES, NO, *na))
    if item.type == "level":
        return _choices((*(o.label for o in item.options), *na))
    if item.na_allowed and item.type in NUMERIC_TYPES:
        # A number or date rule cannot also accept the text 不适用: prompt only.
        what = {"count": "整数" if item.decimals == 0 else "数字", "percent": "百分比", "date": "日期"}[item.type]
        return Check(None, f"填写{what}，无此项工作的填“{NA}”")
    if item.type == "count":
        return _count(item.decimals)
    if item.type == "percent":
        return PERCENT
    if item.type == "date":
        return DATE
    raise ValueError(f"unknown item type {item.type}")


def field_check(field: ProfileField) -> Check | None:
    """The validation of a profile field's input cell (None for free text)."""
    return {
        "integer": _count(0),
        "year": YEAR,
        "date": DATE,
        "yes_no": YES_NO,
    }.get(field.type)


class Validations:
    """Collects cells per rule, then adds one DataValidation per rule to a sheet."""

    def __init__(self) -> None:
        self._cells: dict[Check, list[tuple[int, int]]] = {}

    def add(self, check: Check | None, row: int, column: int) -> None:
        if check is not None:
            self._cells.setdefault(check, []).append((column, row))

    def apply(self, ws: Worksheet) -> None:
        for check, cells in self._cells.items():
            dv = DataValidation(
                type=check.type,
                operator=check.operator,
                formula1=check.formula1,
                formula2=check.formula2,
                allow_blank=True,
                showErrorMessage=check.type is not None,
                showInputMessage=True,
                promptTitle=PROMPT_TITLE,
                prompt=check.prompt,
                errorTitle=ERROR_TITLE if check.error else None,
                error=check.error or None,
            )
            for ref in ranges(cells):
                dv.add(ref)
            ws.add_data_validation(dv)


def ranges(cells: list[tuple[int, int]]) -> list[str]:
    """(column, row) cells as A1 ranges, runs of consecutive rows joined: ``G5:G7``."""
    out: list[str] = []
    for column in sorted({col for col, _ in cells}):
        rows = sorted({r for col, r in cells if col == column})
        letter = get_column_letter(column)
        start = prev = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            out.append(f"{letter}{start}" if start == prev else f"{letter}{start}:{letter}{prev}")
            if row is not None:
                start = prev = row
    return out
