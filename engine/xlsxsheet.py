"""Saving openpyxl workbooks fast: the same bytes as openpyxl's own writer, in a third of the time.

openpyxl serialises every cell through its pure-Python XML writer (``et_xmlfile``: an Element
per cell, its attributes escaped one by one) into a temporary file on disk per worksheet, and
:func:`engine.xlsx.save_bytes` then rewrote the whole archive to fix its entry times. Here:

- :class:`FastWorksheetWriter` writes the ``sheetData`` part (the rows and cells, nearly all of
  a worksheet's bytes) as text in one pass, byte for byte what openpyxl writes (tests/test_xlsx.py
  compares them), and leaves everything else of the worksheet to openpyxl. A sheet holding
  anything this writer does not know (comments, hyperlinks, rich text, array formulas, ISO dates),
  or any sheet where openpyxl writes with lxml, is written by openpyxl's own code, unchanged.
- :func:`write_archive` runs openpyxl's workbook writer into an archive in memory whose entries
  get a fixed time and attributes as they are written, worksheets included, so that no part is
  compressed twice and no temporary file is made.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import LXML
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

# Zip entry time: the earliest a zip file can hold.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ZIP_MODE = 0o100644 << 16  # a regular file, rw-r--r--, in the zip's external attributes
_UNIX = 3
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_NUMBERS = (int, float, Decimal)
_DATES = (datetime, date, time, timedelta)


class _Unsupported(Exception):
    """A sheet holds something only openpyxl's own writer handles."""


def zip_entry(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """The entry of ``name`` as every saved workbook has it: fixed time, a regular rw-r--r-- file."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = compress_type
    entry.create_system = _UNIX
    entry.external_attr = _ZIP_MODE
    return entry


class _FixedZip(zipfile.ZipFile):
    """A zip archive whose entries all get :func:`zip_entry`'s time and attributes."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        super().writestr(zip_entry(name, compress_type or self.compression), data)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        with open(filename, "rb") as source:
            self.writestr(arcname or filename, source.read(), compress_type)


class _Writer(ExcelWriter):  # type: ignore[misc]
    """openpyxl's workbook writer with the worksheets serialised in memory by :class:`FastWorksheetWriter`."""

    def write_worksheet(self, ws: Worksheet) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        data, rels = sheet_xml(ws)
        ws._rels = rels
        self._archive.writestr(ws.path[1:], data)
        self.manifest.append(ws)


def write_archive(wb: Workbook) -> bytes:
    """The workbook's archive (as ``wb.save`` writes it, without touching its properties), entries
    with fixed times."""
    out = io.BytesIO()
    archive = _FixedZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    _Writer(wb, archive).save()  # writes every part, then closes the archive
    return out.getvalue()


def sheet_xml(ws: Worksheet) -> tuple[bytes, Any]:
    """The worksheet's XML as openpyxl writes it, and the relationships its writing collected."""
    writer = FastWorksheetWriter(ws, out=io.BytesIO())
    writer.write()
    return writer.out.getvalue(), writer._rels


class FastWorksheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's worksheet writer with ``sheetData`` written as text (the same bytes)."""

    def write_rows(self) -> None:
        try:
            if LXML:  # openpyxl then writes with lxml, in its own way, through a stream without a raw writer
                raise _Unsupported
            text = _sheet_data(self.ws)
        except _Unsupported:
            super().write_rows()
            return
        xf = self.xf.send(True)
        xf._file(text)  # the raw writer of et_xmlfile's stream: the text is already XML
        self.xf.send(None)


def _sheet_data(ws: Worksheet) -> str:
    """``<sheetData>…</sheetData>`` of ``ws``; raises :class:`_Unsupported` for what it does not write."""
    wb = ws.parent
    if wb.iso_dates:
        raise _Unsupported
    rows: dict[int, list[Any]] = {}
    for key in sorted(ws._cells):
        rows.setdefault(key[0], []).append(ws._cells[key])
    for row in ws.row_dimensions.keys() - rows.keys():
        rows[row] = []
    dims = ws.row_dimensions
    style_ids: dict[bytes, int] = {}
    out = ["<sheetData>"]
    for row_idx in sorted(rows):
        dim = dims.get(row_idx)
        extra = "".join(f' {k}="{v}"' for k, v in dim) if dim is not None else ""
        out.append(f'<row r="{row_idx}"{extra}>')
        for cell in rows[row_idx]:
            if cell._comment is not None or cell.hyperlink is not None:
                raise _Unsupported
            style = cell._style
            styled = style is not None and any(style)
            if cell._value is None and not styled:
                continue
            out.append(_cell(cell, _style_id(wb, style, style_ids) if styled else None))
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out)


def _style_id(wb: Workbook, style: Any, known: dict[bytes, int]) -> int:
    """``cell.style_id`` (registering the style in the workbook the first time), looked up once per style."""
    key = style.tobytes()
    found = known.get(key)
    if found is None:
        found = known[key] = wb._cell_styles.add(style)
    return found


def _cell(cell: Any, style_id: int | None) -> str:
    """One ``<c>`` element as openpyxl's ``etree_write_cell`` writes it."""
    kind = cell.data_type
    value = cell._value
    head = f'<c r="{cell.coordinate}"' if style_id is None else f'<c r="{cell.coordinate}" s="{style_id}"'
    if kind == "d":
        if not isinstance(value, _DATES) or getattr(value, "tzinfo", None) is not None:
            raise _Unsupported  # openpyxl refuses time zones (and a missing date) with its own message
        value = to_excel(value, cell.parent.parent.epoch)
        kind = "n"
    if kind != "f":
        head += ' t="inlineStr"' if kind == "s" else f' t="{kind}"'
    if value is None or value == "":
        return f"{head} />"
    if kind == "s":
        if not isinstance(value, str):
            raise _Unsupported  # rich text
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f"{head}><is><t{space}>{value.translate(_TEXT_ESCAPES)}</t></is></c>"
    if kind == "f":
        if not isinstance(value, str):
            raise _Unsupported  # array or data table formula
        return f"{head}><f>{value[1:].translate(_TEXT_ESCAPES)}</f><v /></c>"
    if not isinstance(value, (*_NUMBERS, str)):
        raise _Unsupported
    text = safe_string(value)  # "" for NaN and infinity
    return f"{head}><v>{text.translate(_TEXT_ESCAPES)}</v></c>" if text else f"{head}><v /></c>"
