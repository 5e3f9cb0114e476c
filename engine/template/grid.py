"""Putting the template's cells into an openpyxl worksheet cheaply.

openpyxl hashes each style object (recursively) every time one is assigned to a cell, and
checks every text twice. :func:`put` assigns each combination of styles the normal way once per
workbook, keeps the resulting style of the cell and copies it to every later cell given the same
combination: the same styles, registered in the same order, as assigning them one by one.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from engine.xlsx import BASE_SIZE, BORDER, FONT, WRAP, row_height, write_text

# Points per line of 10 pt text: a little more than Excel needs for 宋体, so that
# LibreOffice and WPS (other line spacing, other fallback fonts) show every line too.
LINE_HEIGHT = 15.0
_STYLED = "_branchcheck_styled"  # the workbook's kept styles: (style before, style objects) → style


def put(
    ws: Worksheet,
    row: int,
    column: int,
    value: object = None,
    *,
    font: object = FONT,
    align: object = WRAP,
    fill: object = None,
    border: object = BORDER,
    protection: object = None,
    number_format: str | None = None,
) -> Cell:
    """The cell at (row, column), made if missing, with ``value`` (text through ``write_text``)
    and the styles given."""
    cell = ws._cells.get((row, column))
    if cell is None:
        cell = ws._cells[row, column] = Cell(ws, row=row, column=column)
    if isinstance(value, str):
        write_text(cell, value)
    elif value is not None:
        cell.value = value
    styled: dict[tuple[object, ...], tuple[StyleArray, tuple[object, ...]]] = ws.parent.__dict__.setdefault(_STYLED, {})
    before = None if cell._style is None else tuple(cell._style)
    # The objects are held with the kept style (below), so that their ids stay theirs.
    key = (before, id(font), id(align), id(fill), id(border), id(protection), number_format)
    found = styled.get(key)
    if found is not None:
        cell._style = StyleArray(found[0])
        return cell
    cell.font = font
    cell.alignment = align
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if protection is not None:
        cell.protection = protection
    if number_format is not None:
        cell.number_format = number_format
    styled[key] = (StyleArray(cell._style), (font, align, fill, border, protection))
    return cell


def merge_row(ws: Worksheet, row: int, first: int, last: int) -> None:
    """Merge columns ``first`` to ``last`` of ``row``, before its first cell is styled: what
    ``ws.merge_cells`` does then (the other cells become merged cells; the first has no border
    nor protection of its own to pass on to them), without its work on borders."""
    ref = f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"
    ws.merged_cells.add(MergedCellRange(ws, ref))  # makes the first cell if missing
    start = ws._cells[row, first]
    if start.has_style:
        raise ValueError(f"merge {ref} before styling {start.coordinate}")
    for column in range(first + 1, last + 1):
        ws._cells[row, column] = MergedCell(ws, row=row, column=column)


def fit(ws: Worksheet, row: int, cells: Iterable[tuple[object, float]], size: float = BASE_SIZE) -> None:
    """Make ``row`` tall enough for its (value, column width) cells; only text is measured."""
    sized = [(value, width) for value, width in cells if isinstance(value, str)]
    ws.row_dimensions[row].height = row_height(sized, size=size, line_height=LINE_HEIGHT)
