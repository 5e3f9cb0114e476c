"""The cells of the engine's in-memory workbooks, written as XML when they are put.

XlsxWriter keeps every cell as an object in its table and a format object per style and
workbook, and turns both into XML when the workbook is closed. For the per-branch reports
(3,500 cells each, thousands of reports per run) that bookkeeping was half of a report's
cost, so :class:`engine.book.Sheet` renders each cell's ``<c>`` element right away, into a
:class:`CellWorksheet`'s rows, and XlsxWriter writes everything else of the file (sheet
setup, merges, hyperlinks, charts, conditional formats, validations, print setup, the
package). The style of a cell is its index in a table of formats made once per process
(:class:`FormatTable`); each workbook numbers the formats it uses in the order it first
uses them and its ``styles.xml`` lists exactly those, so a workbook's bytes depend only on
what was written into it.

``tests/test_fast_paths.py`` reads reports written this way and through XlsxWriter's own
cell table back with openpyxl and compares every cell's value, type and style.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.styles import Styles, XFormatType
from xlsxwriter.utility import _datetime_to_excel_datetime, xl_col_to_name
from xlsxwriter.worksheet import RowInfo, Worksheet

from engine.cells import cell_text, looks_like_formula

Props = Mapping[str, Any]  # XlsxWriter format properties
FormatKey = tuple[str, str | None, bool]  # (named style, accent, quote prefix)


def column_name(column: int) -> str:
    """The letters of 1-based ``column``."""
    return LETTERS[column]


def format_props(styles: Mapping[str, Props], accents: Mapping[str, Props], key: FormatKey) -> dict[str, Any]:
    """The XlsxWriter properties of named style ``key[0]`` with accent ``key[1]`` drawn over it (and the
    quote prefix when ``key[2]``)."""
    style, accent, quote = key
    props = dict(styles[style])
    if accent is not None:
        props.update(accents[accent])
    if quote:
        props["quote_prefix"] = True
    return props


class FormatTable:
    """Every (style, accent, quote prefix) of a set of named styles as an ``<xf>`` element of
    ``styles.xml``, written by XlsxWriter once: fonts, fills, borders and number formats of all
    of them (a few dozen) are listed in every workbook, the cell formats only as used."""

    def __init__(self, styles: Mapping[str, Props], accents: Mapping[str, Props]) -> None:
        self.styles, self.accents = styles, accents
        scratch = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
        self._index: dict[FormatKey, int] = {}
        for style in styles:
            for accent in (None, *accents):
                key = (style, accent, False)
                self._index[key] = scratch.add_format(format_props(styles, accents, key))._get_xf_index()
        scratch._prepare_format_properties()
        text = _styles_xml(scratch)
        scratch.fileclosed = True  # nothing to write: it only numbered the formats
        head, rest = text.split("<cellXfs", 1)
        body, tail = rest.split("</cellXfs>", 1)
        self._xfs: list[str] = _XF.findall(body[body.index(">") + 1 :])
        if len(self._xfs) != len(scratch.xf_formats):
            raise RuntimeError("unexpected styles.xml from XlsxWriter")
        self._formats: list[Format] = scratch.xf_formats  # each <xf> as XlsxWriter prepared it
        self._seen = {xf: n for n, xf in reversed(list(enumerate(self._xfs)))}  # first index of each <xf>
        self._head, self._tail = head, "</cellXfs>" + tail

    def index(self, key: FormatKey) -> int:
        """The format's index in this table (the same for formats that are written the same)."""
        found = self._index.get(key)
        if found is None:
            style, accent, quote = key
            if not quote or (style, accent, False) not in self._index:
                raise KeyError(key)  # a style or accent the table does not have
            found = self._index[key] = self._quoted(key)
        return found

    def _quoted(self, key: FormatKey) -> int:
        """The quote-prefixed twin of a format (made when first asked for: the prefix changes no font,
        fill, border or number format, so the twin takes those of the format without it)."""
        twin = self._formats[self._index[(key[0], key[1], False)]]
        fmt = Format(format_props(self.styles, self.accents, key))
        fmt.font_index, fmt.fill_index = twin.font_index, twin.fill_index
        fmt.border_index, fmt.num_format_index = twin.border_index, twin.num_format_index
        writer, out = Styles(), io.StringIO()
        writer._set_xml_writer(out)
        writer._write_xf(fmt, XFormatType.USER)
        xf = out.getvalue()
        found = self._seen.get(xf)
        if found is None:
            found = self._seen[xf] = len(self._xfs)
            self._xfs.append(xf)
            self._formats.append(fmt)
        return found

    def styles_xml(self, used: list[int]) -> str:
        """``styles.xml`` of a workbook whose cell format n (from 1) is table format ``used[n - 1]``."""
        xfs = self._xfs
        return f'{self._head}<cellXfs count="{len(used) + 1}">{xfs[0]}{"".join([xfs[i] for i in used])}{self._tail}'


_XF = re.compile(r"<xf [^>]*/>|<xf [^>]*>.*?</xf>", re.S)
_TABLES: dict[tuple[int, int], tuple[Mapping[str, Props], Mapping[str, Props], FormatTable]] = {}


def format_table(styles: Mapping[str, Props], accents: Mapping[str, Props]) -> FormatTable:
    """The process's :class:`FormatTable` of these styles and accents (made on first use; the
    mappings are kept with it, so their ids stay theirs)."""
    found = _TABLES.get((id(styles), id(accents)))
    if found is None or found[0] is not styles or found[1] is not accents:
        if len(_TABLES) >= 16:
            _TABLES.clear()
        found = _TABLES[(id(styles), id(accents))] = (styles, accents, FormatTable(styles, accents))
    return found[2]


def _styles_xml(wb: Any) -> str:
    """``styles.xml`` as XlsxWriter's packager writes it for ``wb`` (formats prepared)."""
    styles = Styles()
    styles._set_style_properties([
        wb.xf_formats, wb.palette, wb.font_count, wb.num_formats, wb.border_count, wb.fill_count,
        wb.custom_colors, wb.dxf_formats, wb.has_comments,
    ])  # fmt: skip
    out = io.StringIO()
    styles._set_xml_writer(out)
    styles._assemble_xml_file()
    return out.getvalue()


class CellWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """An XlsxWriter workbook whose ``styles.xml`` is given (``styles_xml``) when its cells were
    rendered with the formats of a :class:`FormatTable`."""

    styles_xml: str | None = None

    def _get_packager(self) -> Packager:
        return _Packager()

    def _store_workbook(self) -> None:
        with _compression():
            super()._store_workbook()


# Deflate level of the parts of a rendered workbook: 1 takes 40 % of the time of zlib's default (6)
# for a report's 200 KB of XML and makes the file about a fifth larger (47 against 39 KB).
COMPRESS_LEVEL = 1


class _LeveledZipInfo(zipfile.ZipInfo):
    """A zip entry deflated at ``COMPRESS_LEVEL`` (XlsxWriter makes its entries itself, without a level)."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compresslevel = COMPRESS_LEVEL  # type: ignore[misc]  # a slot of ZipInfo (3.11)


@contextmanager
def _compression() -> Iterator[None]:
    """XlsxWriter's zip entries deflated at ``COMPRESS_LEVEL`` while the block runs."""
    module: Any = xlsxwriter.workbook
    stock = module.ZipInfo
    module.ZipInfo = _LeveledZipInfo
    try:
        yield
    finally:
        module.ZipInfo = stock


class _Packager(Packager):  # type: ignore[misc]
    workbook: Any

    def _write_styles_file(self) -> None:
        text = self.workbook.styles_xml
        if text is None:
            super()._write_styles_file()
            return
        if any(f.xf_index for f in self.workbook.formats) or self.workbook.dxf_formats:
            raise RuntimeError("a format was used past engine.book: styles.xml would not list it")
        self._filename("xl/styles.xml").write(text)


class CellWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose cells are ``cells`` (1-based row → 1-based column → ``<c>`` XML),
    written into ``<sheetData>`` with XlsxWriter's row attributes (heights) and spans."""

    fh: Any
    dim_rowmin: int | None
    dim_rowmax: int | None
    dim_colmin: int | None
    dim_colmax: int | None

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[int, dict[int, str]] = {}
        self._columns: dict[int, list[int]] = {}  # row → its cells' columns in order, when written

    def set_row(self, row: int, height: float | None = None, cell_format: Any = None, options: Any = None) -> int:
        """XlsxWriter's ``set_row`` in fewer steps for a row given only a height (how Sheet uses it)."""
        pixels = int(height * 4.0 / 3.0 + 0.5) if height is not None else 0
        if cell_format is not None or options or pixels <= 0:
            return int(super().set_row(row, height, cell_format, options))
        if self._check_dimensions(row, self.dim_colmin if self.dim_colmin is not None else 0):
            return -1
        self.row_info[row] = RowInfo(height=pixels)
        self.row_sizes[row] = [pixels, False]
        return 0

    def _write_dimension(self) -> None:
        """The cells' extent joins what XlsxWriter counted (rows sized, merges), then its <dimension>."""
        columns = self._columns = {row: sorted(cells) for row, cells in sorted(self.cells.items()) if cells}
        if columns and max(columns) > self.xls_rowmax:  # as XlsxWriter does, cells past the last row are left out
            columns = self._columns = {row: used for row, used in columns.items() if row <= self.xls_rowmax}
        if columns:
            low, high = min(c[0] for c in columns.values()) - 1, max(c[-1] for c in columns.values()) - 1
            first, last = min(columns) - 1, max(columns) - 1
            self.dim_rowmin = first if self.dim_rowmin is None else min(self.dim_rowmin, first)
            self.dim_rowmax = last if self.dim_rowmax is None else max(self.dim_rowmax, last)
            self.dim_colmin = low if self.dim_colmin is None else min(self.dim_colmin, low)
            self.dim_colmax = high if self.dim_colmax is None else max(self.dim_colmax, high)
        super()._write_dimension()

    def _write_merge_cells(self) -> None:
        """``<mergeCells>`` as XlsxWriter writes it, one f-string per range."""
        if self.merge:
            refs = "".join([
                f'<mergeCell ref="{column_name(c0 + 1)}{r0 + 1}:{column_name(c1 + 1)}{r1 + 1}"/>'
                for r0, c0, r1, c1 in self.merge
            ])  # fmt: skip
            self.fh.write(f'<mergeCells count="{len(self.merge)}">{refs}</mergeCells>')

    def _write_rows(self) -> None:
        if self.table or self.comments:
            raise RuntimeError("cells written past engine.book into a sheet of rendered cells")
        cells_of, info, columns = self.cells, self.row_info, self._columns  # columns: see _write_dimension
        spans = _spans(columns)
        out: list[str] = []
        for row in sorted(set(columns).union([r + 1 for r in info])):
            tag = self._row_tag(row, spans.get((row - 1) // 16), info.get(row - 1))
            cells = cells_of.get(row)
            if cells:
                out.append(f"{tag}>{''.join([cells[c] for c in columns[row]])}</row>")
            else:
                out.append(tag + "/>")
        self.fh.write("".join(out))

    def _row_tag(self, row: int, span: str | None, info: Any) -> str:
        """``<row`` with its attributes, as XlsxWriter's ``_write_row`` writes them (without the end)."""
        tag = f'<row r="{row}" spans="{span}"' if span is not None else f'<row r="{row}"'
        if info is None and self.excel_version != 2010:
            return tag
        if self.excel_version == 2010 or info.row_format or info.hidden or info.level or info.collapsed:
            caught, fh = io.StringIO(), self.fh
            self.fh = caught
            try:
                self._write_row(row - 1, span, info, empty_row=True)
            finally:
                self.fh = fh
            return caught.getvalue()[:-2]
        height = self.default_row_height if info.height is None else info.height
        if height != self.original_row_height or height != self.default_row_height:
            return f'{tag} ht="{height * 0.75:.16g}" customHeight="1"'
        return tag


def _spans(columns: Mapping[int, list[int]]) -> dict[int, str]:
    """The ``spans`` of each block of 16 rows (0-based block): its first and last column with a cell."""
    spans: dict[int, list[int]] = {}
    for row, used in columns.items():
        found = spans.get((row - 1) // 16)
        if found is None:
            spans[(row - 1) // 16] = [used[0], used[-1]]
        else:
            found[0], found[1] = min(found[0], used[0]), max(found[1], used[-1])
    return {block: f"{low}:{high}" for block, (low, high) in spans.items()}


# -- What a cell holds --
CellValue = str | int | float | Decimal | date | None


class _Letters(dict[int, str]):
    """Column letters by 1-based number, made on first use."""

    def __missing__(self, column: int) -> str:
        if not 0 < column <= 16384:
            raise ValueError(f"no column {column} in a worksheet")
        letters = self[column] = str(xl_col_to_name(column - 1))
        return letters


LETTERS = _Letters()
INFINITIES = (float("inf"), float("-inf"))


def cell_number(value: CellValue) -> str:
    """A number or date as the ``<v>`` of a cell, as XlsxWriter writes it."""
    if value.__class__ is float or value.__class__ is int:
        number: float | int = value  # type: ignore[assignment]
    elif isinstance(value, bool):
        raise TypeError("cannot write bool to a cell")
    elif isinstance(value, float | int):
        number = value
    elif isinstance(value, Decimal):
        number = decimal_number(value)
    elif isinstance(value, date):
        number = _datetime_to_excel_datetime(value, False, False)
    else:
        raise TypeError(f"cannot write {type(value).__name__} to a cell")
    if number != number or number in INFINITIES:
        raise TypeError("NAN/INF not supported in a cell")
    return f"{number:.16G}"


def decimal_number(value: Decimal) -> float | int:
    return float(value) if value != value.to_integral_value() else int(value)


def _taken_as_markup(text: str) -> bool:
    """True for text XlsxWriter would store as rich-text markup instead of escaping it."""
    return text.startswith("<r>") and text.endswith("</r>")


# What _string needs of a text, kept for the texts that recur in every report a process writes
# (check-point texts, reasons, labels): (cell_text, quote prefix needed, taken as markup).
KEPT_TEXTS: dict[str, tuple[str, bool, bool]] = {}
_MAX_TEXTS = 20_000
_MAX_KEPT_CHARS = 400  # longer texts are worked out each time (memory stays bounded)


def text_info(value: str) -> tuple[str, bool, bool]:
    found = KEPT_TEXTS.get(value)
    if found is None:
        text = cell_text(value)
        found = (text, looks_like_formula(text), _taken_as_markup(text))
        if len(value) <= _MAX_KEPT_CHARS:
            if len(KEPT_TEXTS) >= _MAX_TEXTS:
                KEPT_TEXTS.clear()
            KEPT_TEXTS[value] = found
    return found


# -- Text as XML, as XlsxWriter writes it --
_CONTROL_ESCAPES = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XML_ESCAPES = re.compile("[&<>]")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def t_element(string: str) -> str:
    """``<t>`` of ``string``: control characters as _xHHHH_, edge spaces preserved, XML escaped
    (also text that looks like rich-text markup: it is text)."""
    if _CONTROL_ESCAPES.search(string) is not None:
        string = Worksheet._escape_control_characters(string)
    preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(string) is not None else ""
    if _XML_ESCAPES.search(string) is not None:
        string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<t{preserve}>{string}</t>"
