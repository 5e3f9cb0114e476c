"""Shared report styles: fonts, fills and named styles built once, plus cell and page helpers.

Every report workbook registers the same named styles (:func:`new_workbook`);
cells then take a style by name, which copies an index array and creates no
style objects. The few per-cell accents (veto rows, band colours) assign the
shared objects defined here.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from datetime import date
from decimal import Decimal
from functools import lru_cache
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.named_styles import NamedStyleList
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from engine.scoring.model import MET, NOT_APPLICABLE, PARTIAL, UNANSWERED, UNMET
from engine.xlsx import (
    BLANK_FILL,
    BORDER,
    DATE_FORMAT,
    FONT,
    FONT_BOLD,
    FONT_HEADING,
    FONT_NAME,
    FONT_TITLE,
    HEADER_FILL,
    LEFT,
    SECTION_FILL,
    SUBSECTION_FILL,
    UNLOCKED,
    WRAP_CENTER,
    fit_height,
    write_text,
)

SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


# -- Shared objects (built once) --
GREY_FILL = _fill("FFEDEDED")
TRIGGERED_FILL = _fill("FFFFC7CE")
UNDETERMINED_FILL = _fill("FFFCE4D6")
TOTAL_FILL = _fill("FFFFF2CC")
FONT_GREY = Font(name=FONT_NAME, size=10, color="FF7F7F7F")
FONT_NOTE = Font(name=FONT_NAME, size=9, color="FF595959")
FONT_BIG = Font(name=FONT_NAME, size=28, bold=True)
FONT_BIG_GREY = Font(name=FONT_NAME, size=20, bold=True, color="FF7F7F7F")
FONT_RATING = Font(name=FONT_NAME, size=20, bold=True)
FONT_RED_BOLD = Font(name=FONT_NAME, size=10, bold=True, color="FF9C0006")
FONT_LINK = Font(name=FONT_NAME, size=10, color="FF0563C1", underline="single")
FONT_ORANGE_BOLD = Font(name=FONT_NAME, size=10, bold=True, color="FF9C5700")
FONT_GREEN_BOLD = Font(name=FONT_NAME, size=10, bold=True, color="FF006100")
# 状态 column of 评分明细: met green, partial orange, unmet/unanswered red, not applicable grey.
STATUS_FONTS: dict[str, Font] = {
    MET: FONT_GREEN_BOLD,
    PARTIAL: FONT_ORANGE_BOLD,
    UNMET: FONT_RED_BOLD,
    UNANSWERED: FONT_RED_BOLD,
    NOT_APPLICABLE: FONT_GREY,
}
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MIDDLE = Alignment(vertical="center", wrap_text=True)

# Band colours, best to worst; a rule set's bands take evenly spaced entries.
_BAND_COLOURS = ("FF63BE7B", "FFB7DD8C", "FFFFE699", "FFF8B26A", "FFF8696B")
BAND_FILLS = tuple(_fill(c) for c in _BAND_COLOURS)
# Colour scale of percentages (得分率 / heat map): red at 0, yellow at 60%, green at 100%.
SCALE_LOW, SCALE_MID, SCALE_HIGH = "FFF8696B", "FFFFEB84", "FF63BE7B"


def _band_colour(index: int, count: int) -> int:
    """Which of the band colours band ``index`` (0 = highest) among ``count`` bands takes."""
    if count <= 1:
        return 0
    return round(index * (len(BAND_FILLS) - 1) / (count - 1))


def percent_scale() -> ColorScaleRule:
    """The 得分率 colour scale: red at 0, yellow at 60%, green at 100%."""
    return ColorScaleRule(
        start_type="num", start_value=0, start_color=SCALE_LOW,
        mid_type="num", mid_value=0.6, mid_color=SCALE_MID,
        end_type="num", end_value=1, end_color=SCALE_HIGH,
    )  # fmt: skip


def band_fill(index: int, count: int) -> PatternFill:
    """The fill of band ``index`` among ``count`` bands: green … red."""
    return BAND_FILLS[_band_colour(index, count)]


# -- Named styles: (font, fill, alignment, number format, locked) --
_Spec = tuple[Font, PatternFill | None, Alignment, str, bool]
_SPECS: dict[str, _Spec] = {
    "bc-title": (FONT_TITLE, None, LEFT, "General", True),
    "bc-heading": (FONT_HEADING, None, LEFT, "General", True),
    "bc-note": (FONT_NOTE, None, Alignment(vertical="top", wrap_text=False), "General", True),
    "bc-header": (FONT_BOLD, HEADER_FILL, WRAP_CENTER, "General", True),
    "bc-label": (FONT_BOLD, SUBSECTION_FILL, MIDDLE, "General", True),
    "bc-text": (FONT, None, MIDDLE, "General", True),
    "bc-center": (FONT, None, WRAP_CENTER, "General", True),
    "bc-number": (FONT, None, WRAP_CENTER, "General", True),
    "bc-score": (FONT, None, WRAP_CENTER, SCORE_FORMAT, True),
    "bc-percent": (FONT, None, WRAP_CENTER, PERCENT_FORMAT, True),
    "bc-date": (FONT, None, WRAP_CENTER, DATE_FORMAT, True),
    "bc-value": (FONT, None, MIDDLE, "General", True),
    "bc-value-date": (FONT, None, LEFT, DATE_FORMAT, True),
    "bc-value-na": (FONT_GREY, GREY_FILL, LEFT, "General", True),
    "bc-na": (FONT_GREY, GREY_FILL, WRAP_CENTER, "General", True),
    "bc-section": (FONT_BOLD, SECTION_FILL, LEFT, "General", True),
    "bc-subsection": (FONT_BOLD, SUBSECTION_FILL, LEFT, "General", True),
    "bc-total": (FONT_BOLD, TOTAL_FILL, MIDDLE, "General", True),
    "bc-total-number": (FONT_BOLD, TOTAL_FILL, WRAP_CENTER, "General", True),
    "bc-total-score": (FONT_BOLD, TOTAL_FILL, WRAP_CENTER, SCORE_FORMAT, True),
    "bc-total-percent": (FONT_BOLD, TOTAL_FILL, WRAP_CENTER, PERCENT_FORMAT, True),
    "bc-input": (FONT, BLANK_FILL, MIDDLE, "General", False),
    "bc-input-center": (FONT, BLANK_FILL, WRAP_CENTER, "General", False),
    "bc-input-date": (FONT, BLANK_FILL, WRAP_CENTER, DATE_FORMAT, False),
    "bc-link": (FONT_LINK, None, MIDDLE, "General", True),
    "bc-big": (FONT_BIG, None, CENTER, SCORE_FORMAT, True),
    "bc-big-grey": (FONT_BIG_GREY, None, CENTER, SCORE_FORMAT, True),
    "bc-rating": (FONT_RATING, None, CENTER, "General", True),
}
for _n, _band in enumerate(BAND_FILLS):
    _SPECS[f"bc-band-{_n}"] = (FONT_BOLD, _band, WRAP_CENTER, "General", True)


def band_style(index: int, count: int) -> str:
    """The named style of band ``index`` (0 = highest) among ``count`` bands."""
    return f"bc-band-{_band_colour(index, count)}"


def _named(name: str, spec: _Spec) -> NamedStyle:
    font, fill, alignment, number_format, locked = spec
    boxed = name not in ("bc-title", "bc-heading", "bc-note", "bc-big", "bc-big-grey", "bc-rating")
    style = NamedStyle(name=name, font=font, alignment=alignment, number_format=number_format)
    if fill is not None:
        style.fill = fill
    if boxed:
        style.border = BORDER
    if not locked:
        style.protection = UNLOCKED
    return style


# Per workbook: named style → its index array, so a cell takes a style by one copy
# (what openpyxl does for ``cell.style = name``, minus two scans of the style names).
_ARRAYS: WeakKeyDictionary[Workbook, dict[str, StyleArray]] = WeakKeyDictionary()


# The style tables a workbook holds; registering the named styles fills them.
_TABLES = ("_fonts", "_alignments", "_borders", "_fills", "_number_formats", "_protections", "_cell_styles")


@lru_cache(maxsize=1)
def _registered() -> tuple[Workbook, dict[str, StyleArray]]:
    """A workbook with only the report styles registered, built once per process.

    Registering hashes every font, fill, border and alignment (about 2 ms); a new
    workbook copies the finished tables instead, so it holds the same styles at the
    same indexes, and its files are byte for byte what registering would give.
    """
    wb = Workbook()
    arrays = {}
    for name, spec in _SPECS.items():
        style = _named(name, spec)
        wb.add_named_style(style)
        arrays[name] = style.as_tuple()
    return wb, arrays


def _copy_table(table: IndexedList) -> IndexedList:
    copied = IndexedList()
    list.extend(copied, table)
    copied._dict = dict(table._dict)  # keeps the stored hashes: nothing is hashed again
    copied.clean = table.clean
    return copied


def new_workbook(*, write_only: bool = False) -> Workbook:
    """A workbook with the report styles registered (normal mode: no sheets yet)."""
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    registered, arrays = _registered()
    for table in _TABLES:
        setattr(wb, table, _copy_table(getattr(registered, table)))
    named = NamedStyleList()
    list.extend(named, registered._named_styles)  # the styles' indexes are set already
    wb._named_styles = named
    wb._date_formats = dict(registered._date_formats)
    wb._timedelta_formats = dict(registered._timedelta_formats)
    _ARRAYS[wb] = arrays
    return wb


def apply_style(cell: Cell, style: str) -> None:
    """Give ``cell`` the named style ``style`` of a workbook made by :func:`new_workbook`."""
    cell._style = copy(_ARRAYS[cell.parent.parent][style])


# Per workbook: shared font/fill object → its index in the workbook's collection. Assigning
# ``cell.font = FONT_X`` hashes the whole font on every call; an accent looks it up once.
_INDEXES: WeakKeyDictionary[Workbook, dict[int, tuple[object, int]]] = WeakKeyDictionary()


def _index(wb: Workbook, collection: str, shared: Font | PatternFill) -> int:
    known = _INDEXES.setdefault(wb, {})
    found = known.get(id(shared))
    if found is None:
        found = known[id(shared)] = (shared, getattr(wb, collection).add(shared))  # keeps ``shared`` alive
    return found[1]


def accent(cell: Cell, *, font: Font | None = None, fill: PatternFill | None = None) -> Cell:
    """Give a styled cell one of the shared fonts or fills above (same file as ``cell.font = font``)."""
    wb = cell.parent.parent
    if font is not None:
        cell._style.fontId = _index(wb, "_fonts", font)
    if fill is not None:
        cell._style.fillId = _index(wb, "_fills", fill)
    return cell


CellValue = str | int | float | Decimal | date | None


def set_value(cell: Cell, value: CellValue) -> Cell:
    """Text always as a literal string (never a formula); numbers and dates as they are."""
    if isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, Decimal):
        cell.value = float(value) if value != value.to_integral_value() else int(value)
    else:
        cell.value = value
    return cell


def put(ws: Worksheet, row: int, column: int, value: CellValue = None, style: str = "bc-text") -> Cell:
    """Write one cell of a normal-mode sheet with a named style."""
    cell = ws.cell(row=row, column=column)
    apply_style(cell, style)  # before the value: write_text may add the quote prefix to the style
    return set_value(cell, value)


def wcell(ws: Worksheet, value: CellValue = None, style: str = "bc-text") -> Cell:
    """A cell for a write-only sheet's ``append``."""
    cell = WriteOnlyCell(ws)
    apply_style(cell, style)
    return set_value(cell, value)


class _Merge(MergedCellRange):  # type: ignore[misc]
    """A merged range whose cells are already styled: openpyxl's border rebuilding is skipped
    (slow, and needless: every covered cell has the same style, so the borders are unchanged)."""

    def _get_borders(self) -> None:
        self.start_cell = self.ws._cells.get((self.min_row, self.min_col))


def span(ws: Worksheet, row: int, column: int, width: int, value: CellValue, style: str) -> Cell:
    """A cell merged across ``width`` columns (normal mode), every covered cell styled for the borders."""
    cell = put(ws, row, column, value, style)
    if width > 1:
        for c in range(column + 1, column + width):
            apply_style(ws.cell(row=row, column=c), style)
        # Registered directly in the set of ranges: the spans of a report never overlap, and the
        # overlap check of ``merged_cells.add`` scans every earlier range. Readers see an ordinary merge.
        last = get_column_letter(column + width - 1)
        ws.merged_cells.ranges.add(_Merge(ws, f"{get_column_letter(column)}{row}:{last}{row}"))
    return cell


Part = tuple[CellValue, str, int]  # (value, named style, columns spanned)


def line(ws: Worksheet, row: int, parts: Sequence[Part], widths: Sequence[float]) -> None:
    """One row of parts from column A, tall enough to show its wrapped text."""
    column = 1
    sized: list[tuple[str | None, float]] = []
    for value, style, width in parts:
        span(ws, row, column, width, value, style)
        if isinstance(value, str):
            sized.append((value, sum(widths[column - 1 : column - 1 + width])))
        column += width
    fit_height(ws, row, sized)


def column_letter(index: int) -> str:
    return str(get_column_letter(index))


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width


# -- Printing --
PAPER_A4 = 9


def footer_text(text: str, limit: int = 60) -> str:
    """User text for a header/footer section: ``&`` escaped, cut short."""
    return text[:limit].replace("&", "&&")


def page_setup(ws: Worksheet, *, landscape: bool, title_row: int | None, footer: str, one_page: bool = False) -> None:
    """A4, one page wide, ``title_row`` repeated, footer: ``footer`` left and ``&P / &N`` right.

    On a write-only sheet call it before the first row: the fit-to-page flag is written with the sheet's top.
    """
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    ws.oddFooter.left.text = footer_text(footer)
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.right.size = 9
