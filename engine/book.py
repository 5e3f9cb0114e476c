"""The workbooks the engine writes (reports, the roll-up, return notices), through XlsxWriter.

- **Deterministic bytes.** The document's created and modified times are fixed (2018-01-01, or
  a timestamp asked for), formats are numbered in the order cells first use them, and every
  zip entry carries the same time (1980-01-01) and attributes (a Unix rw-r--r-- file), set in
  the finished archive's headers without inflating anything again.
- **Atomic saves** (:func:`engine.files.write_bytes_atomic`).
- **Text never becomes a formula.** Every text cell is written by :meth:`Sheet.put`,
  :meth:`Sheet.puts`, :meth:`Sheet.text` or :meth:`Sheet.link`: each takes
  :func:`engine.cells.cell_text` of the value, stores it as a string cell (a shared string, or an
  escaped inline string) and gives text starting with ``=``, ``+``, ``-`` or ``@`` the quote
  prefix, so editing the cell in a spreadsheet keeps it text. The workbook is also opened with
  XlsxWriter's string conversions off (``strings_to_formulas`` …), so not even a stray ``write``
  could turn text into a formula, number or link.

Cells take a named style (a dict of XlsxWriter format properties, see
:mod:`engine.reports.styles`), optionally with an accent (a font or fill drawn over it). Rows and
columns are 1-based in this module's methods, as in the A1 names of the sheets.

In-memory books (reports, notices) render each cell's XML when it is put, with the formats of a
table made once per process (:mod:`engine.sheetxml`); XlsxWriter writes the rest of the package.
``streamed`` books (the roll-up) are written with ``constant_memory`` through XlsxWriter's cell
table (:class:`PlainSheet`, a format made per (style, accent) on first use): each row goes to a
temporary file once the next one starts, so rows must be written in order, a row's height before
its cells, and memory stays flat for any number of rows.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.url import Url
from xlsxwriter.worksheet import Worksheet

from engine.cells import fitted_height
from engine.files import write_bytes_atomic
from engine.sheetxml import (
    INFINITIES,
    KEPT_TEXTS,
    LETTERS,
    CellValue,
    CellWorkbook,
    CellWorksheet,
    FormatKey,
    cell_number,
    decimal_number,
    format_props,
    format_table,
    t_element,
    text_info,
)
from engine.streamsheet import FastWorksheet
from engine.zipfix import fixed_zip_entries

__all__ = ["Book", "CellValue", "Part", "Sheet", "fixed_zip_entries", "link_target"]

CREATOR = "branchcheck"
# Document created/modified time when no timestamp is asked for: fixed, so reruns are identical.
FIXED_TIME = datetime(2018, 1, 1, 0, 0, 0)

Props = Mapping[str, Any]  # XlsxWriter format properties

_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
_DIGIT_PIXELS = 7  # a character unit of column width (the default font's digit)


class Book:
    """One workbook being written: its sheets, its formats, its save.

    In-memory books render each cell's XML when it is put (:mod:`engine.sheetxml`) with the
    formats of the process's table; ``streamed`` books keep XlsxWriter's cell table and make
    an XlsxWriter format per (style, accent) on first use."""

    def __init__(self, styles: Mapping[str, Props], accents: Mapping[str, Props], *, streamed: bool = False) -> None:
        self._buffer = io.BytesIO()
        self.streamed = streamed
        self.rendered = not streamed and RENDERED_CELLS
        if self.rendered:
            self.wb = CellWorkbook(self._buffer, {**_OPTIONS, "in_memory": True})
            self._table = format_table(styles, accents)
        else:
            mode = {"constant_memory": True} if streamed else {"in_memory": True}
            self.wb = xlsxwriter.Workbook(self._buffer, {**_OPTIONS, **mode})
        self._styles, self._accents = styles, accents
        self._formats: dict[tuple[str, str | None, bool], Format] = {}
        self._xf: dict[FormatKey, str] = {}  # rendered books: format → ' s="n"', its attribute in a cell
        self._used: dict[int, int] = {}  # rendered books: index in the format table → the workbook's index
        self._sheets: list[Sheet] = []

    def format(self, style: str, accent: str | None = None, quote: bool = False) -> Format:
        """The XlsxWriter format of named ``style`` with ``accent`` drawn over it (and the quote prefix)."""
        key = (style, accent, quote)
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.wb.add_format(format_props(self._styles, self._accents, key))
        return found

    def xf(self, key: FormatKey) -> str:
        """The ``s`` attribute of a rendered cell of format ``key``: the workbook numbers the formats
        in the order it first uses them (formats XlsxWriter finds equal share a number)."""
        found = self._xf.get(key)
        if found is None:
            index = self._table.index(key)
            number = self._used.get(index)
            if number is None:
                number = self._used[index] = len(self._used) + 1
            found = self._xf[key] = f' s="{number}"'
        return found

    def sheet(self, name: str, widths: Sequence[float]) -> Sheet:
        """A new sheet with the given column widths (from column A).

        A width is stored in the file as given, in character units of 7 pixels, as the reports
        always had it (``set_column`` would add Excel's 5 pixels of padding to it).
        """
        kind = CellWorksheet if self.rendered else FastWorksheet
        ws = self.wb.add_worksheet(name, worksheet_class=kind)
        for n, width in enumerate(widths):
            ws.set_column_pixels(n, n, round(width * _DIGIT_PIXELS))
        sheet = Sheet(self, ws, widths) if self.rendered else PlainSheet(self, ws, widths)
        self._sheets.append(sheet)
        return sheet

    def chart(self, options: Props) -> Chart:
        chart = self.wb.add_chart(dict(options))
        assert chart is not None  # a known chart type
        return chart

    def save(self, path: Path, *, timestamp: datetime | None = None) -> Path:
        """Write the workbook to ``path`` atomically; identical content gives identical bytes."""
        self.close(timestamp)
        write_bytes_atomic(path, fixed_zip_entries(self._buffer.getvalue()))
        return path

    def close(self, timestamp: datetime | None = None) -> None:
        """Finish the workbook in memory (``save`` does it)."""
        when = FIXED_TIME if timestamp is None else _naive_utc(timestamp)
        self.wb.set_properties({"author": CREATOR, "created": when})
        if self.rendered:
            strings = self.wb.str_table
            strings.unique_count = len(strings.string_table)
            strings.count = sum(sheet.strings for sheet in self._sheets)
            self.wb.styles_xml = self._table.styles_xml(list(self._used))
        self.wb.close()
        # No cycle left (the book and its sheets, each XlsxWriter sheet and its workbook's add_format):
        # a saved book is freed as soon as it is dropped, not by a later garbage collection.
        self._sheets.clear()
        for ws in self.wb.worksheets():
            ws.workbook_add_format = None


class Sheet:
    """A worksheet of a :class:`Book`; rows and columns 1-based.

    Its cells are rendered as XML when they are put (see :mod:`engine.sheetxml`); a cell put
    again replaces the one before.
    """

    def __init__(self, book: Book, ws: Worksheet, widths: Sequence[float]) -> None:
        self.book, self.ws, self.widths = book, ws, tuple(widths)
        self.heights: dict[int, float] = {}  # rows made taller by fit/height (1-based), for print planning
        self.strings = 0  # shared-string cells written
        self._cells: dict[int, dict[int, str]] = getattr(ws, "cells", {})  # row → column → <c> XML
        self._xf = book._xf  # format → its cell attribute, looked up without a call
        self._shared: dict[str, int] = book.wb.str_table.string_table  # text → shared-string index

    def put(self, row: int, column: int, value: CellValue, style: str = "bc-text", accent: str | None = None) -> None:
        """One cell: text always as a literal string (never a formula), numbers and dates as they are."""
        if value.__class__ is str or isinstance(value, str):
            self._string(row, column, value, style, accent)
            return
        xf = self._xf.get((style, accent, False)) or self.book.xf((style, accent, False))
        cells = self._cells.get(row)
        if cells is None:
            cells = self._cells[row] = {}
        if value is None:
            cells[column] = f'<c r="{LETTERS[column]}{row}"{xf}/>'
        else:
            cells[column] = f'<c r="{LETTERS[column]}{row}"{xf}><v>{cell_number(value)}</v></c>'

    def puts(self, row: int, cells: Iterable[tuple[CellValue, str, str | None]], column: int = 1) -> None:
        """Cells of ``row`` side by side from ``column``, each (value, style, accent), as :meth:`put`
        writes them (the usual texts and blanks without a call each: most cells of a report)."""
        xfs, book, texts, shared = self._xf, self.book, KEPT_TEXTS, self._shared
        out = self._cells.get(row)
        if out is None:
            out = self._cells[row] = {}
        strings = 0
        for value, style, accent in cells:
            if value.__class__ is str:
                text, formula, markup = texts.get(value) or text_info(value)  # type: ignore[arg-type]
                if markup:
                    self._string(row, column, value, style, accent)  # type: ignore[arg-type]
                else:
                    xf = xfs.get((style, accent, formula)) or book.xf((style, accent, formula))
                    index = shared.get(text)
                    if index is None:
                        index = shared[text] = len(shared)
                    strings += 1
                    out[column] = f'<c r="{LETTERS[column]}{row}"{xf} t="s"><v>{index}</v></c>'
            elif value is None:
                xf = xfs.get((style, accent, False)) or book.xf((style, accent, False))
                out[column] = f'<c r="{LETTERS[column]}{row}"{xf}/>'
            elif (value.__class__ is float or value.__class__ is int) and value == value and value not in INFINITIES:
                xf = xfs.get((style, accent, False)) or book.xf((style, accent, False))
                out[column] = f'<c r="{LETTERS[column]}{row}"{xf}><v>{value:.16G}</v></c>'
            else:
                self.put(row, column, value, style, accent)
            column += 1
        self.strings += strings

    def text(self, row: int, column: int, value: str | None, style: str = "bc-text", accent: str | None = None) -> None:
        """A text cell (blank for ``None``): see :meth:`_string`."""
        if value is None:
            self.put(row, column, None, style, accent)
        else:
            self._string(row, column, value, style, accent)

    def link(self, row: int, column: int, target: str, text: str, style: str) -> None:
        """A text cell that links to ``target``, a file path relative to the workbook (``/`` between
        folders; ``%``, ``#`` and spaces are escaped here)."""
        self._string(row, column, text, style, None, target)

    def _string(
        self, row: int, column: int, value: str, style: str, accent: str | None, target: str | None = None
    ) -> None:
        """The one writer of text: ``cell_text`` of ``value`` as a string cell, quote prefix where
        a spreadsheet would read a formula; with ``target``, also a hyperlink."""
        text, formula, markup = KEPT_TEXTS.get(value) or text_info(value)
        xf = self._xf.get((style, accent, formula)) or self.book.xf((style, accent, formula))
        cells = self._cells.get(row)
        if cells is None:
            cells = self._cells[row] = {}
        if markup:  # as an inline string, escaped: XlsxWriter's shared strings would take it as markup
            cells[column] = f'<c r="{LETTERS[column]}{row}"{xf} t="inlineStr"><is>{t_element(text)}</is></c>'
        else:
            index = self._shared.get(text)
            if index is None:
                index = self._shared[text] = len(self._shared)
            self.strings += 1
            cells[column] = f'<c r="{LETTERS[column]}{row}"{xf} t="s"><v>{index}</v></c>'
        if target is not None:
            self.ws.hlink_count += 1
            self.ws.hyperlinks[row - 1][column - 1] = _file_link(target, text)

    def span(self, row: int, column: int, width: int, value: CellValue, style: str, accent: str | None = None) -> None:
        """A cell merged across ``width`` columns; every covered cell takes the style (for the borders)."""
        if width > 1:
            self.ws.merge.append([row - 1, column - 1, row - 1, column + width - 2])
            xf = self._xf.get((style, accent, False)) or self.book.xf((style, accent, False))
            cells = self._cells.get(row)
            if cells is None:
                cells = self._cells[row] = {}
            for n in range(column + 1, column + width):
                cells[n] = f'<c r="{LETTERS[n]}{row}"{xf}/>'
        self.put(row, column, value, style, accent)

    def line(self, row: int, parts: Sequence[Part], accent: str | None = None) -> None:
        """One row of parts from column A, tall enough to show its wrapped text."""
        column = 1
        sized: list[tuple[str | None, float]] = []
        for value, _, width in parts:
            if isinstance(value, str):
                sized.append((value, sum(self.widths[column - 1 : column - 1 + width])))
            column += width
        self.fit(row, sized)
        column = 1
        for value, style, width in parts:
            self.span(row, column, width, value, style, accent)
            column += width

    def fit(self, row: int, texts: Iterable[tuple[str | None, float]], minimum: int = 1) -> None:
        """Make ``row`` tall enough to show every (text, column width) pair in full (10 pt text);
        a row that needs one line keeps the default height. In a streamed book call it before
        writing the row's cells."""
        height = fitted_height(texts, minimum)
        if height is not None:
            self.heights[row] = height
            self.ws.set_row(row - 1, height)

    def height(self, row: int, points: float) -> None:
        self.heights[row] = points
        self.ws.set_row(row - 1, points)

    def freeze(self, cell: str) -> None:
        self.ws.freeze_panes(cell)

    def autofilter(self, ref: str) -> None:
        self.ws.autofilter(ref)


class PlainSheet(Sheet):
    """A sheet whose cells go through XlsxWriter's cell table with its format objects: streamed
    books (rows written out in order) and, in tests, the reference the rendered cells are
    compared with."""

    def __init__(self, book: Book, ws: Worksheet, widths: Sequence[float]) -> None:
        super().__init__(book, ws, widths)
        self._write_string, self._write_number = ws._write_string, ws._write_number
        self._write_blank, self._write_datetime = ws._write_blank, ws._write_datetime
        self._formats = book._formats

    def put(self, row: int, column: int, value: CellValue, style: str = "bc-text", accent: str | None = None) -> None:
        if value.__class__ is str or isinstance(value, str):
            self._string(row, column, value, style, accent)
            return
        fmt = self._formats.get((style, accent, False)) or self.book.format(style, accent)
        if value is None:
            self._write_blank(row - 1, column - 1, None, fmt)
        elif isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
            self._write_number(row - 1, column - 1, value, fmt)
        elif isinstance(value, Decimal):
            self._write_number(row - 1, column - 1, decimal_number(value), fmt)
        elif isinstance(value, date):
            self._write_datetime(row - 1, column - 1, value, fmt)
        else:
            raise TypeError(f"cannot write {type(value).__name__} to a cell")

    def puts(self, row: int, cells: Iterable[tuple[CellValue, str, str | None]], column: int = 1) -> None:
        for n, (value, style, accent) in enumerate(cells, start=column):
            self.put(row, n, value, style, accent)

    def _string(
        self, row: int, column: int, value: str, style: str, accent: str | None, target: str | None = None
    ) -> None:
        text, formula, markup = KEPT_TEXTS.get(value) or text_info(value)
        fmt = self._formats.get((style, accent, formula)) or self.book.format(style, accent, formula)
        if markup:
            # XlsxWriter writes a string from <r> to </r> into the file as it is (as rich-text
            # markup): "<r>a&b</r>" would break the file. Plain fragments (it takes three at
            # least) are escaped. Never a link's text: those are file names.
            self.ws.write_rich_string(row - 1, column - 1, text[:1], text[1:2], text[2:], fmt)
        elif target is None:
            self._write_string(row - 1, column - 1, text, fmt)
        else:
            self.ws.write_url(row - 1, column - 1, _file_link(target, text), fmt)

    def span(self, row: int, column: int, width: int, value: CellValue, style: str, accent: str | None = None) -> None:
        if width > 1:
            fmt = self.book.format(style, accent)
            self.ws.merge_range(row - 1, column - 1, row - 1, column + width - 2, "", fmt)
        self.put(row, column, value, style, accent)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while one workbook is built and saved.

    A report allocates thousands of container objects that live until it is saved (the rows of
    cells, the parts of its rows); collections in between would walk them again and again and
    move them to older generations. Held off, what the report leaves (mostly freed already by
    reference counting) is collected after it. Nothing changes when the collector is already off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


RENDERED_CELLS = True  # in-memory books render their cells (tests turn it off for the reference files)


Part = tuple[CellValue, str, int]  # (value, named style, columns spanned)


def link_target(relative: str) -> str:
    """A relative file link for a hyperlink relationship: ``%``, ``#`` and spaces escaped."""
    return relative.replace("%", "%25").replace("#", "%23").replace(" ", "%20")


def _file_link(target: str, text: str) -> Url:
    """A link to a file beside the workbook, its relationship target exactly ``link_target(target)``.

    XlsxWriter's own ``external:`` links turn ``/`` into ``\\`` and skip escaping a path that
    holds something like ``%41``; the relative target with forward slashes is what every
    spreadsheet program resolves (and what the reports always wrote).
    """
    url = Url("external:" + link_target(target))
    url._relationship_link = link_target(target)
    url.text = text
    return url


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
