"""The one place that writes .xlsx files: deterministic bytes, atomic saves, safe text.

Every workbook the product writes (the self-assessment template, filled copies,
reports) goes through :func:`save_workbook`, so the same content always gives
the same bytes, and user-supplied text goes through :func:`write_text`, so it
can never become a formula. Shared cell styles are built once here.
"""

from __future__ import annotations

import io
import math
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from engine.files import write_bytes_atomic
from engine.textsafe import escape_surrogates

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
    in a worksheet are dropped (control characters) or escaped (lone surrogates, see
    :func:`engine.textsafe.escape_surrogates`); text longer than Excel's cell limit is cut.
    """
    if value is None:
        cell.value = None
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", escape_surrogates(str(value)))[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


# -- Row heights: Excel, WPS and LibreOffice do not grow a row for wrapped text written by openpyxl --
BASE_SIZE = 10.0  # font size (pt) that the widths and LINE_HEIGHT below are measured at
WIDE_WIDTH = 1.9  # a CJK or full-width character, in column units (宋体; a unit is a Calibri digit)
# Other characters: 宋体 and Calibri take about 1 unit, but where 宋体 is missing the fallback
# (DejaVu Sans on Linux) takes about 1.2; err on the wide side so that no line is cut off.
NARROW_WIDTH = 1.2
LINE_HEIGHT = 13.5  # points per line of 10 pt text
ROW_PADDING = 3.0  # points above and below the text
MAX_ROW_HEIGHT = 409.0  # Excel's limit
_HEIGHT_STEP = 0.75  # one pixel at 96 dpi: heights are whole pixels


def display_width(text: str) -> float:
    """Width in column units of ``text`` at 10 pt (see WIDE_WIDTH and NARROW_WIDTH)."""
    return sum(WIDE_WIDTH if _wide(ch) else NARROW_WIDTH for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


# Punctuation that may not start a line (it stays with what precedes) or end one (it stays with what follows).
_NO_LINE_START = frozenset("，。、；：？！）》」』”’】〕,.;:?!)]}%")
_NO_LINE_END = frozenset("（《「『“‘【〔([{")


def _pieces(paragraph: str) -> list[str]:
    """What a line never breaks inside: a wide character, a run of narrow non-space characters
    (a Latin word or number), or a space; closing punctuation joins the piece before it and
    opening punctuation the piece after it. Pieces are slices, cut where one ends (linear time:
    a megabyte-long word is never built a character at a time)."""
    pieces: list[str] = []
    start = 0
    glue = False
    before = ""
    for at, ch in enumerate(paragraph):
        if at and not (glue or ch in _NO_LINE_START or _continues_word(before, ch)):
            pieces.append(paragraph[start:at])
            start = at
        glue = ch in _NO_LINE_END
        before = ch
    if paragraph:
        pieces.append(paragraph[start:])
    return pieces


def _continues_word(before: str, ch: str) -> bool:
    return not (_wide(before) or _wide(ch) or before.isspace() or ch.isspace())


@lru_cache(maxsize=16384)
def line_count(text: str, width: float, size: float = BASE_SIZE) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` units wide, at ``size`` pt.

    Wraps the way spreadsheets do: at any wide character, at spaces between words, never
    before closing or after opening punctuation; a word longer than a line is broken.
    Cached: the same texts recur in every row and workbook a process writes.
    """
    room = max(width - 0.5, 1.0)
    scale = size / BASE_SIZE
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for piece in _pieces(paragraph):
            piece_width = display_width(piece) * scale
            if used > 0 and used + piece_width > room:
                if piece.isspace():  # a space at the end of a line takes no room
                    continue
                lines += 1
                used = 0.0
            used += piece_width
            while used > room:
                lines += 1
                used -= room
    return lines


def row_height(
    texts: Iterable[tuple[str | None, float]],
    *,
    size: float = BASE_SIZE,
    line_height: float = LINE_HEIGHT,
    minimum: int = 1,
) -> float:
    """Height in points of a row showing every (text, column width) pair in full at ``size`` pt.

    The tallest cell decides: its line count × ``line_height`` (scaled by ``size``) plus padding,
    rounded up to whole pixels and capped at Excel's limit; at least ``minimum`` lines.
    """
    lines = max([minimum, *(line_count(t, w, size) for t, w in texts if t)])
    points = lines * line_height * size / BASE_SIZE + ROW_PADDING
    return min(math.ceil(round(points / _HEIGHT_STEP, 6)) * _HEIGHT_STEP, MAX_ROW_HEIGHT)


def fit_height(ws: Worksheet, row: int, texts: Iterable[tuple[str | None, float]], minimum: int = 1) -> None:
    """Set the height of ``row`` to show every (text, column width) pair in full (10 pt text).

    A row that needs only one line keeps the default height.
    """
    pairs = list(texts)
    if max([minimum, *(line_count(t, w) for t, w in pairs if t)]) > 1:
        ws.row_dimensions[row].height = row_height(pairs, minimum=minimum)


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
    write_bytes_atomic(target, _normalise_zip(buffer.getvalue(), {ARC_CORE: core}))
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
