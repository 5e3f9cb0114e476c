"""The rows of the engine's streamed workbooks (the roll-up), written faster, and the shared strings
of every workbook the engine writes in one pass.

:class:`FastWorksheet` is XlsxWriter's worksheet in ``constant_memory`` mode with a faster writer
of each finished row; the XML is the same byte for byte (``tests/test_fast_paths.py`` compares the
files of both). It overrides private methods, so the XlsxWriter version is pinned below the next
major release and the tests run against the version installed.
"""

from __future__ import annotations

import io
import re
from typing import Any

from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellDatetimeTuple, CellNumberTuple, CellStringTuple, Worksheet

_COLUMNS = [xl_col_to_name(n) for n in range(256)]
_CONTROL_ESCAPES = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XML_ESCAPES = re.compile("[&<>]")
_EDGE_SPACE = re.compile(r"^\s|\s$")


class FastWorksheet(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet with a faster writer of each row of a ``constant_memory`` sheet: the
    usual cells (numbers, dates, inline strings and blanks with a format) with one f-string each,
    any other cell by XlsxWriter's own ``_write_cell``."""

    fh: Any  # XlsxWriter's attributes this class sets
    previous_row: int
    dim_rowmin: int | None
    dim_rowmax: int | None
    dim_colmin: int | None
    dim_colmax: int | None

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
                out.append(head + _inline(cell.string))
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
    of a report are a few hundred texts, each written through three method calls by XlsxWriter). The
    ``<si>`` of a text is kept per process: the same texts recur in every report."""
    kept = _SI
    self.fh.write("".join([kept.get(string) or _kept_si(string) for string in self.string_table.string_array]))


_SI: dict[str, str] = {}
_MAX_SI = 20_000
_MAX_KEPT_CHARS = 400  # longer texts are written each time (memory stays bounded)


def _kept_si(string: str) -> str:
    found = _si(string)
    if len(string) <= _MAX_KEPT_CHARS:
        if len(_SI) >= _MAX_SI:
            _SI.clear()
        _SI[string] = found
    return found


STOCK_SST_WRITER = SharedStrings._write_sst_strings  # for the test that compares both
setattr(SharedStrings, "_write_sst_strings", _write_sst_strings)  # noqa: B010 - replaces a method of the class
