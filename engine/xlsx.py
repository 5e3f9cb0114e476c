"""The one place that writes .xlsx files: deterministic bytes, atomic saves, safe text.

Every workbook the product writes (the self-assessment template, filled copies,
reports) goes through :func:`save_workbook`, so the same content always gives
the same bytes, and user-supplied text goes through :func:`write_text`, so it
can never become a formula. Shared cell styles are built once here.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

CREATOR = "branchcheck"
# Document created/modified time when no timestamp is asked for: fixed, so reruns are identical.
FIXED_TIME = datetime(2018, 1, 1, 0, 0, 0)
# Zip entry time: the earliest a zip file can hold.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ZIP_MODE = 0o100644 << 16  # a regular file, rw-r--r--, in the zip's external attributes
_UNIX = 3

# Characters that make a spreadsheet treat typed text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
# Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32767

# -- Shared styles: built once, reused by every cell (openpyxl deduplicates equal styles) --
FONT_NAME = "宋体"
FONT = Font(name=FONT_NAME, size=10)
FONT_BOLD = Font(name=FONT_NAME, size=10, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=14, bold=True)
FONT_HEADING = Font(name=FONT_NAME, size=11, bold=True)

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
SECTION_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
SUBSECTION_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
BLANK_FILL = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")

_THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
LEFT = Alignment(vertical="center", horizontal="left")

UNLOCKED = Protection(locked=False)

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"


def write_text(cell: Cell, value: str | None) -> None:
    """Store ``value`` in ``cell`` as a literal text cell, never a formula.

    Text starting with =, +, - or @ stays text (and gets Excel's quote prefix,
    so editing the cell later keeps it text). Characters that cannot be stored
    in a worksheet are dropped; text longer than Excel's cell limit is cut.
    """
    if value is None:
        cell.value = None
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def save_workbook(wb: Workbook, path: Path | str, *, timestamp: datetime | None = None) -> Path:
    """Save ``wb`` to ``path`` atomically, with identical bytes for identical content.

    Document properties are fixed (creator ``branchcheck``, created and modified
    at ``timestamp`` or 2018-01-01, no last-modified-by) and the zip entries get
    a fixed time. Returns the path written.
    """
    target = Path(path)
    when = FIXED_TIME if timestamp is None else _naive_utc(timestamp)
    props = wb.properties
    props.creator = CREATOR
    props.lastModifiedBy = None
    props.created = when
    props.modified = when
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps "modified" with the current time here; core.xml is rewritten below
    props.modified = when
    core = tostring(props.to_tree())
    _write_atomic(target, _normalise_zip(buffer.getvalue(), {ARC_CORE: core}))
    return target


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _normalise_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same archive, entries in the same order, with fixed times and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename)
            if content is None:
                content = source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.create_system = _UNIX
            entry.external_attr = _ZIP_MODE
            target.writestr(entry, content)
    return out.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
