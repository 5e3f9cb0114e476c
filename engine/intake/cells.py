"""The one place that turns raw calamine cell values into plain Python values.

calamine returns ``''`` for empty cells, floats for every number, and
``date``/``datetime``/``time``/``timedelta`` for date-formatted cells. After
:func:`cell` a value is ``None`` (blank), ``str`` (stripped, never empty),
``int`` (whole numbers), ``float``, ``bool`` or ``date``; times and durations
become their text so that they are reported as invalid where they do not fit.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeAlias
from xml.etree import ElementTree

from engine.diagnostics import column_letter

CellValue: TypeAlias = str | int | float | bool | date | None
Grid = list[list[CellValue]]

# Spaces trimmed from cell text: ASCII white space, no-break space, ideographic space.
SPACES = " \t\r\n\u00a0\u3000"

# Excel's 1900 date system: serial 1 is 1900-01-01, with the fictitious 1900-02-29.
_EXCEL_EPOCH = date(1899, 12, 30)


def cell(raw: object) -> CellValue:
    """A calamine value as a plain value (see the module docstring)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip(SPACES)
        return text or None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return str(raw)
        return int(raw) if raw == int(raw) else raw
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (time, timedelta)):
        return str(raw)
    return str(raw).strip(SPACES) or None


def grid(rows: Sequence[Sequence[object]], times: list[tuple[int, int]] | None = None) -> Grid:
    """A whole sheet (as from ``to_python(skip_empty_area=False)``) converted cell by cell.

    With ``times``, the 0-based (row, column) of every time or duration calamine returned is
    appended to it (see :func:`typed_numbers`).
    """
    # Text (most cells, blanks included) inline: what cell() does for a str, without a call per cell.
    table = [[(v.strip(SPACES) or None) if type(v) is str else cell(v) for v in row] for row in rows]
    if times is not None:
        for r, row in enumerate(rows):
            if not _TIMES.isdisjoint(map(type, row)):  # a set test in C: rows without times cost little
                times.extend((r, c) for c, v in enumerate(row) if type(v) in _TIMES)
    return table


# -- Numbers calamine turned into times --
# A date-formatted cell below 1 (a negative serial, say -5) comes back from calamine as a time of
# day (00:00:00): the number typed is lost. For .xlsx it is read back from the sheet's XML.
_TIMES = frozenset({time, timedelta})
MAX_TYPED_LOOKUPS = 20  # times per sheet looked up (each is one search of the sheet's XML)
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?v>([^<]{1,40})</")


def typed_numbers(data: bytes, sheet: str, table: Grid, times: Sequence[tuple[int, int]]) -> None:
    """Put back into ``table`` the negative numbers that calamine read as times, for the cells at
    ``times`` of the .xlsx worksheet named ``sheet`` in ``data`` (the first MAX_TYPED_LOOKUPS).

    Real times (0 to 1) stay as read; anything that cannot be found leaves the cell as it is.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return
            xml = archive.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return
    for r, c in times[:MAX_TYPED_LOOKUPS]:
        found = _typed(xml, f"{column_letter(c + 1)}{r + 1}")
        if found is not None and found < 0:
            table[r][c] = cell(found)


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip part of the worksheet named ``sheet``, through workbook.xml and its relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    rid = None
    for element in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get("name") == sheet:
            rid = element.get(_REL_NS)
            break
    target = None
    for element in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter():
        if rid is not None and element.get("Id") == rid:
            target = element.get("Target")
            break
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    return part if part in names else None


def _typed(xml: bytes, ref: str) -> float | None:
    """The number in the ``<v>`` of the cell ``ref`` in worksheet ``xml``; ``None`` if not found."""
    for quote in (b'"', b"'"):
        at = xml.find(b" r=" + quote + ref.encode() + quote)
        if at >= 0:
            break
    else:
        return None
    start, end = xml.rfind(b"<", 0, at), xml.find(b">", at)
    tag = xml[start + 1 : at].split(None, 1)[0] if start >= 0 else b""
    if not (tag == b"c" or tag.endswith(b":c")) or end < 0 or xml[end - 1 : end] == b"/":
        return None  # not a cell's start tag, or an empty cell
    content = xml[end + 1 : end + 1 + 400]
    close = content.find(b"c>")  # </c> or </x:c>: the value must be this cell's
    match = _VALUE.search(content if close < 0 else content[:close])
    try:
        return float(match.group(1)) if match else None
    except ValueError:
        return None


def at(table: Grid, row: int, column: int) -> CellValue:
    """The value at 0-based ``row``/``column``; ``None`` outside the data."""
    if 0 <= row < len(table):
        values = table[row]
        if 0 <= column < len(values):
            return values[column]
    return None


def to_decimal(value: int | float) -> Decimal:
    """A number as a Decimal, rounded to Excel's 15 significant digits (0.1+0.2 → 0.3)."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(value, ".15g"))


def serial_date(serial: int | float) -> date | None:
    """An Excel serial day number as a date; ``None`` when it cannot be one."""
    if not math.isfinite(serial) or serial < 61 or serial >= 2958466:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def display(value: CellValue) -> str:
    """A cell value as the text shown in a message: 12, 0.95, 2018-03-05, 是."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(to_decimal(value), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def text(value: CellValue) -> str:
    """A free-text cell (佐证材料, 备注, …) as a string; blank is ``""``."""
    return display(value)
