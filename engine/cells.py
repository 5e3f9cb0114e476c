"""Cell text and row heights, for every workbook writer (no spreadsheet library here).

:func:`cell_text` is the one function that makes text storable in a cell: every text cell the
engine writes, through openpyxl (:func:`engine.xlsx.write_text`) or XlsxWriter
(:meth:`engine.book.Sheet.text`), passes through it. :func:`row_height` estimates the height
a row needs to show its wrapped text: Excel, WPS and LibreOffice do not grow such rows on
their own for a file written by a program.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from engine.textsafe import escape_surrogates

# Characters that make a spreadsheet treat typed text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
# Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32767
# What a worksheet cannot hold: the C0 controls but tab, newline and carriage return
# (openpyxl's ILLEGAL_CHARACTERS_RE), and U+FFFE and U+FFFF (not characters in XML).
_NOT_IN_CELLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Anything :func:`cell_text` changes, for its fast path.
_TO_FIX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def cell_text(value: object) -> str:
    """``value`` as text a cell can hold: lone surrogates escaped (see
    :func:`engine.textsafe.escape_surrogates`), characters a worksheet cannot hold dropped,
    cut at Excel's cell limit. Whether it could be read as a formula is the writer's
    business: it must store the result as a string cell (and give a text starting with one of
    ``FORMULA_TRIGGERS`` the quote prefix, so that editing the cell keeps it text)."""
    text = value if isinstance(value, str) else str(value)
    if _TO_FIX.search(text) is not None:
        text = _NOT_IN_CELLS.sub("", escape_surrogates(text))
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS]


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` typed into a cell as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


# -- Row heights --
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


def line_count(text: str, width: float, size: float = BASE_SIZE) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` units wide, at ``size`` pt.

    Wraps the way spreadsheets do: at any wide character, at spaces between words, never
    before closing or after opening punctuation; a word longer than a line is broken.
    A text that would fit even if every character were wide is one line without measuring
    (names, numbers, short labels); others are measured once per process (cached: the same
    texts recur in every row and workbook a process writes).
    """
    if len(text) * WIDE_WIDTH * size / BASE_SIZE + _MARGIN <= max(width - 0.5, 1.0) and "\n" not in text:
        return 1
    return _measured_lines(text, width, size)


_MARGIN = 1e-6  # more than the rounding of summing a line's widths: the shortcut never decides a tie


@lru_cache(maxsize=16384)
def _measured_lines(text: str, width: float, size: float) -> int:
    """Lines of ``text`` wrapped into ``width``: the pieces of :func:`_pieces` placed one after the
    other, measured in the same pass that cuts them (one look-up per character)."""
    room = max(width - 0.5, 1.0)
    scale = size / BASE_SIZE
    lines = 0
    chars = _CHARS
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        piece: float = 0  # the width of the piece being cut (summed as display_width sums it)
        blank = True  # the piece is all spaces
        glue = before_wide = before_space = False
        for at, ch in enumerate(paragraph):
            char_width, wide, space = chars.get(ch) or _char(ch)
            if at and not (glue or ch in _NO_LINE_START or not (before_wide or wide or before_space or space)):
                used, lines = _place(piece * scale, blank, used, lines, room)
                piece, blank = 0, True
            piece += char_width
            blank = blank and space
            glue, before_wide, before_space = ch in _NO_LINE_END, wide, space
        if paragraph:
            used, lines = _place(piece * scale, blank, used, lines, room)
    return lines


def _place(piece_width: float, blank: bool, used: float, lines: int, room: float) -> tuple[float, int]:
    """A piece put after ``used`` units of the current line: a new line when it does not fit (a
    space at the end of a line takes no room), more when it is longer than a line."""
    if used > 0 and used + piece_width > room:
        if blank:
            return used, lines
        lines += 1
        used = 0.0
    used += piece_width
    while used > room:
        lines += 1
        used -= room
    return used, lines


# Each character's (width, wide, space), for the characters measured so far (a few thousand at most
# in practice; cleared if a text brings very many).
_CHARS: dict[str, tuple[float, bool, bool]] = {}


def _char(ch: str) -> tuple[float, bool, bool]:
    if len(_CHARS) >= 100_000:
        _CHARS.clear()
    wide = _wide(ch)
    found = _CHARS[ch] = (WIDE_WIDTH if wide else NARROW_WIDTH, wide, ch.isspace())
    return found


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
    return _points(lines * line_height * size / BASE_SIZE)


def _points(text_height: float) -> float:
    """Row height for text ``text_height`` points tall: padded, whole pixels, at most Excel's limit."""
    points = text_height + ROW_PADDING
    return min(math.ceil(round(points / _HEIGHT_STEP, 6)) * _HEIGHT_STEP, MAX_ROW_HEIGHT)


def fitted_height(texts: Iterable[tuple[str | None, float]], minimum: int = 1) -> float | None:
    """The height of a row showing every (text, column width) pair in full at 10 pt
    (what :func:`row_height` gives), or ``None`` when one line is enough: the row keeps
    the default height."""
    lines = minimum
    for text, width in texts:  # a plain loop: this runs for most rows of every report
        if text:
            short = _ONE_LINE.get(width)
            if short is None:
                short = _one_line(width)
            if len(text) > short or "\n" in text:
                count = _measured_lines(text, width, BASE_SIZE)
                if count > lines:
                    lines = count
    return _points(lines * LINE_HEIGHT) if lines > 1 else None


# Per column width: the most characters a text can have to take one line without measuring at
# 10 pt (line_count's shortcut, worked out once per width).
_ONE_LINE: dict[float, int] = {}


def _one_line(width: float) -> int:
    room = max(width - 0.5, 1.0)
    most = int(room / WIDE_WIDTH) + 2
    while most > 0 and not most * WIDE_WIDTH * BASE_SIZE / BASE_SIZE + _MARGIN <= room:
        most -= 1
    if len(_ONE_LINE) < 4096:
        _ONE_LINE[width] = most
    return most
