"""The one place that turns raw calamine cell values into plain Python values.

calamine returns ``''`` for empty cells, floats for every number, and
``date``/``datetime``/``time``/``timedelta`` for date-formatted cells. After
:func:`cell` a value is ``None`` (blank), ``str`` (stripped, never empty),
``int`` (whole numbers), ``float``, ``bool`` or ``date``; times and durations
become their text so that they are reported as invalid where they do not fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeAlias

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


def grid(rows: Sequence[Sequence[object]]) -> Grid:
    """A whole sheet (as from ``to_python(skip_empty_area=False)``) converted cell by cell."""
    # Text (most cells, blanks included) inline: what cell() does for a str, without a call per cell.
    return [[(v.strip(SPACES) or None) if type(v) is str else cell(v) for v in row] for row in rows]


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
