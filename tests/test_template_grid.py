"""engine.template.grid: the cheap cell helpers give the workbook that openpyxl's own calls give."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from engine.template.grid import merge_row, put
from engine.xlsx import (
    DATE_FORMAT,
    FONT,
    FONT_BOLD,
    HEADER_FILL,
    LEFT,
    UNLOCKED,
    WRAP,
    WRAP_CENTER,
    save_bytes,
    write_text,
)


def by_grid(ws: Worksheet) -> None:
    merge_row(ws, 1, 1, 4)
    put(ws, 1, 1, "标题", font=FONT_BOLD, align=LEFT, border=None)
    for row in range(2, 6):
        put(ws, row, 1, f"=看似公式{row}", align=WRAP_CENTER, fill=HEADER_FILL)
        put(ws, row, 2, row * 1.5)
        put(ws, row, 3, protection=UNLOCKED, number_format=DATE_FORMAT if row % 2 else None)
        merge_row(ws, row, 4, 6)
        put(ws, row, 4, "合并", font=FONT)


def by_openpyxl(ws: Worksheet) -> None:
    from engine.xlsx import BORDER

    def style(
        cell: Cell, font: Font = FONT, align: Alignment = WRAP, fill: object = None, border: object = BORDER
    ) -> None:
        cell.font = font
        cell.alignment = align
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border

    ws.merge_cells("A1:D1")
    write_text(ws["A1"], "标题")
    style(ws["A1"], font=FONT_BOLD, align=LEFT, border=None)
    for row in range(2, 6):
        write_text(ws.cell(row=row, column=1), f"=看似公式{row}")
        style(ws.cell(row=row, column=1), align=WRAP_CENTER, fill=HEADER_FILL)
        ws.cell(row=row, column=2).value = row * 1.5
        style(ws.cell(row=row, column=2))
        cell = ws.cell(row=row, column=3)
        style(cell)
        cell.protection = UNLOCKED
        if row % 2:
            cell.number_format = DATE_FORMAT
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
        write_text(ws.cell(row=row, column=4), "合并")
        style(ws.cell(row=row, column=4))


def test_put_and_merge_row_save_the_same_bytes_as_openpyxls_own_calls() -> None:
    ours, theirs = Workbook(), Workbook()
    by_grid(ours.active)
    by_openpyxl(theirs.active)
    assert save_bytes(ours) == save_bytes(theirs)
    assert ours.active["A2"].data_type == "s" and ours.active["A2"].quotePrefix
    assert isinstance(ours.active["B1"], MergedCell) and isinstance(ours.active["F5"], MergedCell)
    assert {str(r) for r in ours.active.merged_cells.ranges} == {"A1:D1", *(f"D{r}:F{r}" for r in range(2, 6))}


def test_merging_a_row_whose_first_cell_is_styled_is_refused() -> None:
    ws = Workbook().active
    put(ws, 1, 1, "已有格式")
    with pytest.raises(ValueError):
        merge_row(ws, 1, 1, 3)
