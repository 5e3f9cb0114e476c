"""The workbooks the engine writes (reports, the roll-up, return notices), through XlsxWriter.

- **Deterministic bytes.** The document's created and modified times are fixed (2018-01-01, or
  a timestamp asked for), formats are numbered in the order cells first use them, and every
  zip entry carries the same time (1980-01-01) and attributes (a Unix rw-r--r-- file), set in
  the finished archive's headers without inflating anything again.
- **Atomic saves** (:func:`engine.files.write_bytes_atomic`).
- **Text never becomes a formula.** Every text cell is written by :meth:`Sheet.text` or
  :meth:`Sheet.link`, which share one private writer: it takes :func:`engine.cells.cell_text` of
  the value, stores it with ``write_string`` and gives text starting with ``=``, ``+``, ``-`` or
  ``@`` the quote prefix, so editing the cell in a spreadsheet keeps it text. The workbook is
  also opened with XlsxWriter's string conversions off (``strings_to_formulas`` …), so not even
  a stray ``write`` could turn text into a formula, number or link.

Cells take a named style (a dict of XlsxWriter format properties, see
:mod:`engine.reports.styles`), optionally with an accent (a font or fill drawn over it); a
book makes each (style, accent) format once, on first use. Rows and columns are 1-based in
this module's methods, as in the A1 names of the sheets.

``streamed`` books (the roll-up) are written with ``constant_memory``: each row goes to a
temporary file once the next one starts, so rows must be written in order, a row's height
before its cells, and memory stays flat for any number of rows.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.url import Url
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellDatetimeTuple, CellNumberTuple, CellStringTuple, Worksheet

from engine.cells import cell_text, fitted_height, looks_like_formula
from engine.files import write_bytes_atomic

CREATOR = "branchcheck"
# Document created/modified time when no timestamp is asked for: fixed, so reruns are identical.
FIXED_TIME = datetime(2018, 1, 1, 0, 0, 0)

Props = Mapping[str, Any]  # XlsxWriter format properties
CellValue = str | int | float | Decimal | date | None

_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
_DIGIT_PIXELS = 7  # a character unit of column width (the default font's digit)


class Book:
    """One workbook being written: its sheets, its formats, its save."""

    def __init__(self, styles: Mapping[str, Props], accents: Mapping[str, Props], *, streamed: bool = False) -> None:
        self._buffer = io.BytesIO()
        mode = {"constant_memory": True} if streamed else {"in_memory": True}
        self.wb = xlsxwriter.Workbook(self._buffer, {**_OPTIONS, **mode})
        self.streamed = streamed
        self._styles, self._accents = styles, accents
        self._formats: dict[tuple[str, str | None, bool], Format] = {}

    def format(self, style: str, accent: str | None = None, quote: bool = False) -> Format:
        """The format of named ``style`` with ``accent`` drawn over it (and the quote prefix)."""
        key = (style, accent, quote)
        found = self._formats.get(key)
        if found is None:
            props = dict(self._styles[style])
            if accent is not None:
                props.update(self._accents[accent])
            if quote:
                props["quote_prefix"] = True
            found = self._formats[key] = self.wb.add_format(props)
        return found

    def sheet(self, name: str, widths: Sequence[float]) -> Sheet:
        """A new sheet with the given column widths (from column A).

        A width is stored in the file as given, in character units of 7 pixels, as the reports
        always had it (``set_column`` would add Excel's 5 pixels of padding to it).
        """
        ws = self.wb.add_worksheet(name, worksheet_class=FastWorksheet)
        for n, width in enumerate(widths):
            ws.set_column_pixels(n, n, round(width * _DIGIT_PIXELS))
        return Sheet(self, ws, widths)

    def chart(self, options: Props) -> Chart:
        chart = self.wb.add_chart(dict(options))
        assert chart is not None  # a known chart type
        return chart

    def save(self, path: Path, *, timestamp: datetime | None = None) -> Path:
        """Write the workbook to ``path`` atomically; identical content gives identical bytes."""
        when = FIXED_TIME if timestamp is None else _naive_utc(timestamp)
        self.wb.set_properties({"author": CREATOR, "created": when})
        self.wb.close()
        write_bytes_atomic(path, fixed_zip_entries(self._buffer.getvalue()))
        return path


class Sheet:
    """A worksheet of a :class:`Book`; rows and columns 1-based."""

    def __init__(self, book: Book, ws: Worksheet, widths: Sequence[float]) -> None:
        self.book, self.ws, self.widths = book, ws, tuple(widths)
        self.heights: dict[int, float] = {}  # rows made taller by fit/height (1-based), for print planning
        # XlsxWriter's write_* methods without their A1-notation wrapper (the engine gives numbers).
        self._write_string, self._write_number = ws._write_string, ws._write_number
        self._write_blank, self._write_datetime = ws._write_blank, ws._write_datetime
        self._formats = book._formats  # (style, accent, quote prefix) → format, looked up without a call

    def put(self, row: int, column: int, value: CellValue, style: str = "bc-text", accent: str | None = None) -> None:
        """One cell: text always as a literal string (never a formula), numbers and dates as they are."""
        if value.__class__ is str or isinstance(value, str):
            self._string(row, column, value, style, accent)
            return
        fmt = self._formats.get((style, accent, False)) or self.book.format(style, accent)
        if value is None:
            self._write_blank(row - 1, column - 1, None, fmt)
        elif isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
            self._write_number(row - 1, column - 1, value, fmt)
        elif isinstance(value, Decimal):
            number = float(value) if value != value.to_integral_value() else int(value)
            self._write_number(row - 1, column - 1, number, fmt)
        elif isinstance(value, date):
            self._write_datetime(row - 1, column - 1, value, fmt)
        else:
            raise TypeError(f"cannot write {type(value).__name__} to a cell")

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
        text, formula, markup = _TEXTS.get(value) or _text_info(value)
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
        """A cell merged across ``width`` columns; every covered cell takes the style (for the borders)."""
        if width > 1:
            fmt = self.book.format(style, accent)
            self.ws.merge_range(row - 1, column - 1, row - 1, column + width - 2, "", fmt)
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


Part = tuple[CellValue, str, int]  # (value, named style, columns spanned)


def _taken_as_markup(text: str) -> bool:
    """True for text XlsxWriter would store as rich-text markup instead of escaping it."""
    return text.startswith("<r>") and text.endswith("</r>")


# What _string needs of a text, kept for the texts that recur in every report a process writes
# (check-point texts, reasons, labels): (cell_text, quote prefix needed, taken as markup).
_TEXTS: dict[str, tuple[str, bool, bool]] = {}
_MAX_TEXTS = 20_000
_MAX_KEPT_CHARS = 400  # longer texts are worked out each time (memory stays bounded)


def _text_info(value: str) -> tuple[str, bool, bool]:
    found = _TEXTS.get(value)
    if found is None:
        text = cell_text(value)
        found = (text, looks_like_formula(text), _taken_as_markup(text))
        if len(value) <= _MAX_KEPT_CHARS:
            if len(_TEXTS) >= _MAX_TEXTS:
                _TEXTS.clear()
            _TEXTS[value] = found
    return found


# -- Writing the cells: the XML XlsxWriter writes, faster --
_COLUMNS = [xl_col_to_name(n) for n in range(256)]
_INFINITIES = (float("inf"), float("-inf"))


def _COLUMNS_ANY(column: int) -> str:
    return _COLUMNS[column] if column < len(_COLUMNS) else str(xl_col_to_name(column))
_CONTROL_ESCAPES = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XML_ESCAPES = re.compile("[&<>]")
_EDGE_SPACE = re.compile(r"^\s|\s$")


class FastWorksheet(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet with a faster writer of ``<sheetData>``.

    Writing the cells is most of a report's cost, and XlsxWriter's writer is generic (a list of
    attributes per cell, each escaped). This one writes the usual cells (numbers, dates, shared or
    inline strings and blanks with a format) with one f-string each and hands any other cell to
    XlsxWriter's own ``_write_cell``; the XML is the same byte for byte (``tests/test_fast_paths.py``
    compares the files of both). It overrides private methods, so the XlsxWriter version is pinned
    below the next major release and the tests run against the version installed.
    """

    fh: Any  # XlsxWriter's attributes this class sets
    previous_row: int
    dim_rowmin: int | None
    dim_rowmax: int | None
    dim_colmin: int | None
    dim_colmax: int | None

    # -- Storing cells: XlsxWriter's _write_string, _write_number, _write_blank and merge_range with
    # fewer steps for an in-memory sheet (the cases they share with XlsxWriter's are handed to it).

    def _write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> int:
        if self.constant_memory or len(string) > self.xls_strmax // 2 or self._outside(row, col):
            return int(super()._write_string(row, col, string, cell_format))
        strings = self.str_table  # SharedStringTable._get_shared_string_index, inline
        index = strings.string_table.get(string)
        if index is None:
            index = strings.string_table[string] = strings.unique_count
            strings.unique_count += 1
        strings.count += 1
        self.table[row][col] = CellStringTuple(index, cell_format)
        return 0

    def _write_number(self, row: int, col: int, number: Any, cell_format: Format | None = None) -> int:
        if self.constant_memory or (number.__class__ is not float and number.__class__ is not int):
            return int(super()._write_number(row, col, number, cell_format))
        if number != number or number in _INFINITIES or self._outside(row, col):
            return int(super()._write_number(row, col, number, cell_format))
        self.table[row][col] = CellNumberTuple(number, cell_format)
        return 0

    def _write_blank(self, row: int, col: int, blank: Any, cell_format: Format | None = None) -> int:
        if self.constant_memory or cell_format is None or self._outside(row, col):
            return int(super()._write_blank(row, col, blank, cell_format))
        self.table[row][col] = CellBlankTuple(cell_format)
        return 0

    def _outside(self, row: int, col: int) -> bool:
        """XlsxWriter's _check_dimensions for an in-memory sheet: True when out of bounds, else the
        cell is counted in the sheet's dimensions."""
        if row < 0 or col < 0 or row >= self.xls_rowmax or col >= self.xls_colmax:
            return True
        if self.dim_rowmin is None or row < self.dim_rowmin:
            self.dim_rowmin = row
        if self.dim_rowmax is None or row > self.dim_rowmax:
            self.dim_rowmax = row
        if self.dim_colmin is None or col < self.dim_colmin:
            self.dim_colmin = col
        if self.dim_colmax is None or col > self.dim_colmax:
            self.dim_colmax = col
        return False

    def merge_range(
        self, first_row: int, first_col: int, last_row: int, last_col: int, data: Any, cell_format: Any = None
    ) -> int:
        """One row's merged cells with an empty first cell (how Sheet.span uses it), else XlsxWriter's."""
        if self.constant_memory or data != "" or first_row != last_row or not 0 <= first_col < last_col:
            return int(super().merge_range(first_row, first_col, last_row, last_col, data, cell_format))
        if self._outside(first_row, first_col) or self._outside(last_row, last_col):
            return -1
        merged = self.merged_cells
        cell_range = f"{_COLUMNS_ANY(first_col)}{first_row + 1}:{_COLUMNS_ANY(last_col)}{first_row + 1}"
        for col in range(first_col, last_col + 1):
            if merged.get((first_row, col)) or self.table_cells.get((first_row, col)):
                return int(super().merge_range(first_row, first_col, last_row, last_col, data, cell_format))
        for col in range(first_col, last_col + 1):
            merged[(first_row, col)] = cell_range
        self.merge.append([first_row, first_col, last_row, last_col])
        if cell_format is None:  # XlsxWriter writes no blank cell without a format
            return 0
        cells = self.table[first_row]
        blank = CellBlankTuple(cell_format)
        for col in range(first_col, last_col + 1):
            cells[col] = blank
        return 0

    def _write_rows(self) -> None:
        """The cells of an in-memory sheet, row by row (XlsxWriter's ``_write_rows``)."""
        if self.comments:
            super()._write_rows()
            return
        table, info = self.table, self.row_info
        rows = sorted({r for r, cells in table.items() if cells}.union(info))
        spans = _spans(table, rows)
        self.row_spans = spans
        write = self.fh.write
        for row in rows:
            cells = table.get(row)
            span = spans.get(row // 16)
            if cells:
                self._write_row(row, span, info.get(row))
                write(self._cells(row, cells))
                write("</row>")
            else:
                self._write_empty_row(row, span, info.get(row))

    def _write_single_row(self, current_row_num: int = 0) -> None:
        """The previous row of a streamed sheet (XlsxWriter's ``_write_single_row``)."""
        row = self.previous_row
        self.previous_row = current_row_num
        cells = self.table.get(row)
        if row in self.row_info or row in self.comments or cells:
            if self.comments:
                self.previous_row = row
                super()._write_single_row(current_row_num)
                return
            if cells:
                self._write_row(row, None, self.row_info.get(row))
                self.fh.write(self._cells(row, cells))
                self.fh.write("</row>")
            else:
                self._write_empty_row(row, None, self.row_info[row])
        self.table.clear()

    def _cells(self, row: int, cells: dict[int, Any]) -> str:
        number = str(row + 1)
        out: list[str] = []
        inline = self.constant_memory
        xfs = self.__dict__.setdefault("_xf_texts", {})  # format → its index as text, per sheet
        for column in sorted(cells):
            cell = cells[column]
            kind, fmt = cell.__class__, cell.format
            if fmt is None or column >= len(_COLUMNS):
                out.append(self._stock_cell(row, column, cell))
                continue
            xf = xfs.get(id(fmt))
            if xf is None:
                xf = xfs[id(fmt)] = str(fmt._get_xf_index())
            head = f'<c r="{_COLUMNS[column]}{number}" s="{xf}"'
            if kind is CellStringTuple:
                if inline:
                    out.append(head + _inline(cell.string))
                else:
                    out.append(f'{head} t="s"><v>{cell.string}</v></c>')
            elif kind is CellNumberTuple or kind is CellDatetimeTuple:
                out.append(f"{head}><v>{cell.number:.16G}</v></c>")
            elif kind is CellBlankTuple:
                out.append(head + "/>")
            else:
                out.append(self._stock_cell(row, column, cell))
        return "".join(out)

    def _stock_cell(self, row: int, column: int, cell: Any) -> str:
        """XlsxWriter's own writing of one cell, caught as text."""
        fh, caught = self.fh, io.StringIO()
        self.fh = caught
        try:
            self._write_cell(row, column, cell)
        finally:
            self.fh = fh
        return caught.getvalue()


def _inline(string: str) -> str:
    """The rest of an inline string cell, as XlsxWriter writes it (control characters as _xHHHH_)."""
    if _CONTROL_ESCAPES.search(string) is not None:
        string = Worksheet._escape_control_characters(string)
    if string.startswith("<r>") and string.endswith("</r>"):  # rich text: XlsxWriter writes it as it is
        return f' t="inlineStr"><is>{string}</is></c>'
    preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(string) is not None else ""
    if _XML_ESCAPES.search(string) is not None:
        string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{preserve}>{string}</t></is></c>'


def _si(string: str) -> str:
    """One ``<si>`` of the shared strings, as XlsxWriter's ``SharedStrings._write_si`` writes it."""
    if _CONTROL_ESCAPES.search(string) is not None:
        string = Worksheet._escape_control_characters(string)
    if string.startswith("<r>") and string.endswith("</r>"):  # rich text: XlsxWriter writes it as it is
        return f"<si>{string}</si>"
    preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(string) is not None else ""
    if _XML_ESCAPES.search(string) is not None:
        string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<si><t{preserve}>{string}</t></si>"


def _write_sst_strings(self: SharedStrings) -> None:
    """XlsxWriter's ``SharedStrings._write_sst_strings`` in one write (the same bytes; the shared strings
    of a report are a few hundred texts, each written through three method calls by XlsxWriter)."""
    self.fh.write("".join([_si(string) for string in self.string_table.string_array]))


STOCK_SST_WRITER = SharedStrings._write_sst_strings  # for the test that compares both
setattr(SharedStrings, "_write_sst_strings", _write_sst_strings)  # noqa: B010 - replaces a method of the class


def _spans(table: Mapping[int, Mapping[int, Any]], rows: list[int]) -> dict[int, str]:
    """The ``spans`` of each block of 16 rows: its first and last column with a cell (1-based)."""
    spans: dict[int, list[int]] = {}
    for row in rows:
        cells = table.get(row)
        if cells:
            low, high = min(cells), max(cells)
            found = spans.get(row // 16)
            if found is None:
                spans[row // 16] = [low, high]
            else:
                found[0], found[1] = min(found[0], low), max(found[1], high)
    return {block: f"{low + 1}:{high + 1}" for block, (low, high) in spans.items()}


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


# -- zip entries: one time and one set of attributes for all, in the headers of the finished archive --
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
_MADE_BY_UNIX = 3
_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_END = struct.Struct("<4s4H2LH")  # end of central directory
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory file header
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header


def fixed_zip_entries(data: bytes) -> bytes:
    """``data``, a zip archive without comments or zip64 records, with every entry's time set
    to 1980-01-01 00:00, made by Unix, mode rw-r--r--. Only header fields change: the
    compressed data is copied as it is."""
    out = bytearray(data)
    end = len(out) - _END.size
    signature, _, _, _, count, size, start, comment = _END.unpack_from(out, end)
    if signature != b"PK\x05\x06" or comment or start + size != end:
        raise ValueError("not a plain zip archive")
    at = start
    for _ in range(count):
        fields = list(_CENTRAL.unpack_from(out, at))
        if fields[0] != b"PK\x01\x02":
            raise ValueError("broken central directory")
        version = fields[1] & 0xFF
        fields[1] = (_MADE_BY_UNIX << 8) | version
        fields[5], fields[6] = _DOS_TIME, _DOS_DATE
        fields[15] = _MODE
        local = fields[16]
        _CENTRAL.pack_into(out, at, *fields)
        header = list(_LOCAL.unpack_from(out, local))
        if header[0] != b"PK\x03\x04":
            raise ValueError("broken local header")
        header[4], header[5] = _DOS_TIME, _DOS_DATE
        _LOCAL.pack_into(out, local, *header)
        at += _CENTRAL.size + fields[10] + fields[11] + fields[12]
    return bytes(out)
