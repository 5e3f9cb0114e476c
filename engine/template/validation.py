"""Data validation of input cells: one rule per answer kind, shared by all its cells.

Most rules only warn: the reader also accepts common spellings that a typed rule would refuse
(√ or 有 for 是, 12次 for 12, 2018年3月5日 for a date), so the secretary sees what is normally
expected and can still keep such a value, as 填表说明 says. Only a list whose labels are the
sole accepted answers (a level without 不适用) stops other input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from engine import answers
from engine.contract import EARLIEST_DATE
from engine.rules.model import NA, NO, YES, Item, ProfileField

EXAMPLE_DATE = "2018-03-05"

# The other spellings of 是/否 the reader accepts: in 填表说明 and in the warning of 是/否 cells.
SYNONYMS = f"也接受常见写法：√、Y、有、符合 视为“{YES}”；×、N、无、不符合 视为“{NO}”。"
# Title of the warning shown when a typed value is not the usual form (the value may be kept).
WARNING_TITLE = "请核对填写内容"
EARLIEST = date(*EARLIEST_DATE)
_EARLIEST_SERIAL = str(int(to_excel(EARLIEST)))
LATEST_YEAR = 2100

ERROR_TITLE = "输入有误"  # a strict rule: the value is refused; a warning has WARNING_TITLE
PROMPT_TITLE = "填写提示"
KEEP = "确认无误的可以保留。"


@dataclass(frozen=True)
class Check:
    """One validation rule. Equal rules become one DataValidation with many ranges."""

    type: str | None  # "list" | "whole" | "decimal" | "date" | None: prompt only, anything accepted
    prompt: str
    error: str = ""
    operator: str | None = None
    formula1: str | None = None
    formula2: str | None = None
    strict: bool = False  # refuse other input (errorStyle stop) rather than warn

    @property
    def error_style(self) -> str:
        return "stop" if self.strict else "warning"


def choices(labels: tuple[str, ...]) -> Check:
    shown = "、".join(labels)
    formula = f'"{",".join(labels)}"'
    if YES in labels or NA in labels:  # the reader also takes 是/否/不适用 spelt otherwise
        synonyms = SYNONYMS if YES in labels else ""
        error = f"通常从下拉列表中选择：{shown}。{synonyms}{KEEP}"
        return Check("list", f"请选择：{shown}", error, formula1=formula)
    return Check("list", f"请选择：{shown}", f"请从下拉列表中选择：{shown}", formula1=formula, strict=True)


def count_check(decimals: int, unit: str = "次") -> Check:
    """A number not below 0; typed with a unit (12次, 9人) it is text, which the reader also accepts."""
    if decimals > 0:
        error = f"通常填写不小于 0 的数字，如 31.5；写成“31.5学时”等带单位的形式也能识别。{KEEP}"
        return Check("decimal", "填写不小于 0 的数字", error, "greaterThanOrEqual", "0")
    error = f"通常填写不小于 0 的整数，如 12；写成“12{unit}”等带单位的形式也能识别。{KEEP}"
    return Check("whole", "填写不小于 0 的整数", error, "greaterThanOrEqual", "0")


PERCENT = Check("decimal", "填写百分比，如 95%", f"通常填写 0%～100% 之间的百分比，如 95%。{KEEP}", "between", "0", "1")
DATE = Check(
    "date",
    f"填写日期，如 {EXAMPLE_DATE}",
    f"通常填写 {EARLIEST.isoformat()} 以后的日期，如 {EXAMPLE_DATE}；写成“2018年3月5日”等形式也能识别。{KEEP}",
    "greaterThanOrEqual",
    _EARLIEST_SERIAL,
)
YES_NO = choices((YES, NO))
YEAR = Check(
    "whole",
    "填写四位年份，如 2018",
    f"通常填写 {EARLIEST.year}～{LATEST_YEAR} 之间的四位年份，如 2018。{KEEP}",
    "between",
    str(EARLIEST.year),
    str(LATEST_YEAR),
)


def item_check(item: Item) -> Check:
    """The validation of an item's 自评结果 and 核查结果 cells."""
    kind = answers.answer_type(item.type)
    if item.na_allowed and kind.typed_cell:
        # A number or date rule cannot also accept the text 不适用: prompt only.
        return Check(None, f"填写{kind.prompt_what(item)}，无此项工作的填“{NA}”")
    return kind.validation(item)


def field_check(field: ProfileField) -> Check | None:
    """The validation of a profile field's input cell (None for free text)."""
    return {
        "integer": count_check(0, "人"),
        "number": count_check(2, "分"),
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
                errorStyle=check.error_style if check.error else None,
                errorTitle=(ERROR_TITLE if check.strict else WARNING_TITLE) if check.error else None,
                error=check.error or None,
                sqref=" ".join(ranges(cells)),  # disjoint ranges: one parse, not one overlap check per range
            )
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
