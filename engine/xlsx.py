"""Workbooks written with openpyxl: deterministic bytes, atomic saves, safe text.

The self-assessment template and filled copies of it (demo data, tests) are built or edited
with openpyxl and saved through :func:`save_workbook`, so the same content always gives the
same bytes; user-supplied text goes through :func:`write_text`, so it can never become a
formula. Shared cell styles are built once here. The reports, the roll-up and the return
notices are written with XlsxWriter instead (:mod:`engine.book`); both writers take cell text
and row heights from :mod:`engine.cells`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine.cells import BASE_SIZE as BASE_SIZE  # re-exported: the template sizes its rows with these
from engine.cells import FORMULA_TRIGGERS as FORMULA_TRIGGERS
from engine.cells import MAX_CELL_CHARS as MAX_CELL_CHARS
from engine.cells import cell_text, fitted_height, looks_like_formula
from engine.cells import display_width as display_width
from engine.cells import line_count as line_count
from engine.cells import row_height as row_height
from engine.files import write_bytes_atomic
from engine.xlsxsheet import ZIP_TIME as ZIP_TIME
from engine.xlsxsheet import write_archive, zip_entry

CREATOR = "branchcheck"
# Document created/modified time when no timestamp is asked for: fixed, so reruns are identical.
FIXED_TIME = datetime(2018, 1, 1, 0, 0, 0)

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
    so editing the cell later keeps it text). The text is :func:`engine.cells.cell_text` of
    ``value``: characters that cannot be stored in a worksheet dropped or escaped, cut at
    Excel's cell limit.
    """
    if value is None:
        cell.value = None
        return
    text = cell_text(value)
    # Stored as openpyxl's ``cell.value = text`` would, without its second scan of the text
    # (cell_text already dropped what a worksheet cannot hold and cut it at the cell limit).
    cell._value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def fit_height(ws: Worksheet, row: int, texts: Iterable[tuple[str | None, float]], minimum: int = 1) -> None:
    """Set the height of ``row`` to show every (text, column width) pair in full (10 pt text).

    A row that needs only one line keeps the default height.
    """
    height = fitted_height(texts, minimum)
    if height is not None:
        ws.row_dimensions[row].height = height


def save_workbook(wb: Workbook, path: Path | str, *, timestamp: datetime | None = None) -> Path:
    """Save ``wb`` to ``path`` atomically, with identical bytes for identical content.

    Document properties are fixed (creator ``branchcheck``, created and modified
    at ``timestamp`` or 2018-01-01, no last-modified-by) and the zip entries get
    a fixed time. Returns the path written.
    """
    target = Path(path)
    write_bytes_atomic(target, save_bytes(wb, timestamp=timestamp))
    return target


def save_bytes(wb: Workbook, *, timestamp: datetime | None = None) -> bytes:
    """The bytes :func:`save_workbook` writes for ``wb``."""
    when = FIXED_TIME if timestamp is None else _naive_utc(timestamp)
    props = wb.properties
    props.creator = CREATOR
    props.lastModifiedBy = None
    props.created = when
    props.modified = when
    if wb.read_only:
        raise TypeError("a read-only workbook cannot be saved")
    return write_archive(wb)  # openpyxl's writer, not ``wb.save``: that would stamp "modified" with now


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
            target.writestr(zip_entry(info.filename, info.compress_type), content)
    return out.getvalue()


def normalised_entry(name: str, content: bytes) -> bytes:
    """A one-entry archive holding ``content`` as ``name``, the entry as :func:`save_workbook` writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr(zip_entry(name, zipfile.ZIP_DEFLATED), content)
    return out.getvalue()
