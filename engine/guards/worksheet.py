"""The extent of an xlsx worksheet as the reader (calamine, over quick-xml) will lay it out.

calamine reads a worksheet part from its raw bytes, whatever they start with and whatever
the root element is called: it waits for the first start tag whose local name is
``sheetData``, then places every ``c`` element at its ``r`` attribute (the last one), or,
without one, at the current row and the column after the previous cell; a ``row`` start
tag with ``r`` sets the row, every ``row`` end tag moves to the next row and column 0.
Whatever sits inside a cell's ``v``, ``f`` or ``is`` is never a row or a cell. The cells
with a value span the table it allocates. Comments, CDATA sections and processing
instructions are skipped; ``>`` may stand inside a quoted attribute value.

:func:`scan_worksheet` follows exactly those steps over the same bytes, so markup the reader
skips cannot hide a cell from it, and markup the reader honours cannot place one where the
guard does not look. Where it cannot be exact it errs towards a larger table: every
non-empty ``c`` element counts as a value, repeated ``r`` attributes count at their largest.

Speed: one pass over the bytes, token by token, with runs of plain cells (with one ``r``
well inside the limits, or none) and of empty rows taken whole by one regex match each: a
few Python steps per row. Every pattern is possessive or bounded, so no input makes a
match backtrack; the number of tokens handled one at a time is capped, beyond that the
sheet is refused as too large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.diagnostics import column_letter, make
from engine.guards.limits import MAX_COLUMNS, MAX_ROWS
from engine.guards.rejections import _Rejected, _short
from engine.guards.worksheet_patterns import (
    _ANY,
    _BEFORE,
    _CELL_REF,
    _DATA,
    _ENDS,
    _LETTERS,
    _NAME,
    _POSITION,
    _R_VALUE,
    _REF_VALUE,
)

# Tokens handled one at a time in one part; a sheet that needs more is refused (a genuine
# self-assessment sheet needs a few per row: its cells go in runs).
MAX_STEPS = 200_000
_HUGE = 1 << 40  # a position beyond any limit (more than 3 letters or 9 digits)


@dataclass(frozen=True)
class Oversize:
    """What was found beyond MAX_ROWS × MAX_COLUMNS; ``sheet`` when the part names it."""

    sheet: str | None
    found: str


def _local(name: bytes) -> bytes:
    """quick-xml's local name: after the first colon."""
    colon = name.find(b":")
    return name if colon < 0 else name[colon + 1 :]


def _split(body: bytes) -> tuple[bytes, bytes, bool]:
    """(name, attributes, empty) of a start tag's body."""
    empty = body.endswith(b"/")
    if empty:
        body = body[:-1]
    name = _NAME.match(body)
    assert name is not None
    return name.group(), body[name.end() :], empty


def _number(digits: bytes) -> int:
    return int(digits) if len(digits) <= 9 else _HUGE


def _letters(letters: bytes) -> int:
    if len(letters) > 3:
        return _HUGE
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


def _positions(attrs: bytes, need_column: bool) -> list[tuple[int, int]]:
    """1-based (row, column) of every well-formed ``r`` (column 0 when it has none)."""
    found = []
    for match in _R_VALUE.finditer(attrs):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        position = _POSITION.fullmatch(value)
        if position is None or (need_column and not position.group(1)):
            continue
        row = _number(position.group(2))
        if row > 0:
            found.append((row, _letters(position.group(1))))
    return found


def _cell_text(row: int, column: int) -> str:
    return f"单元格 {column_letter(min(column, 16384))}{row} 有内容"


def check_dimension(attrs: bytes) -> Oversize | None:
    """A ``dimension`` whose ``ref`` declares more than the limits (its ``ref`` shown as written)."""
    ref = _REF_VALUE.search(attrs)
    if ref is None:
        return None
    value = ref.group(1) if ref.group(1) is not None else ref.group(2)
    cells = _CELL_REF.findall(value)
    rows = max((_number(r) for _, r in cells), default=0)
    cols = max((_letters(c) for c, _ in cells), default=0)
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        text = value.decode("utf-8", errors="replace")
        return Oversize(None, f"声明的范围为 {_short(text, 40)}")
    return None


class _TooComplex(Exception):
    pass


class _Walk:
    """The reader's steps over one worksheet part; ``row`` and ``col`` as in calamine (0-based)."""

    def __init__(self, data: bytes | bytearray, part: str) -> None:
        self.data = data
        self.part = part
        self.steps = 0
        self.row = 0
        self.col = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _TooComplex

    def bang(self, pos: int) -> None:
        """``<!`` that is neither a comment nor CDATA: a DTD (rejected), or an unterminated one (the end)."""
        rest = bytes(self.data[pos : pos + 9])
        if b"<!--".startswith(rest[:4]) or b"<![CDATA[".startswith(rest):
            return
        raise _Rejected(make("xml-unsafe", part=_short(self.part), what="DTD 或实体声明（<!DOCTYPE、<!ENTITY）"))

    def run(self) -> Oversize | None:
        data = self.data
        pos = 0
        while True:  # before sheetData
            self.step()
            m = _BEFORE.match(data, pos)
            if m is None or m.group("eof") is not None:
                return None
            pos = m.end()
            if m.group("bang") is not None:
                self.bang(m.start("bang"))
                return None
            if m.group("start") is None:
                continue
            name, attrs, empty = _split(m.group("start"))
            local = _local(name)
            if local == b"dimension":
                found = check_dimension(attrs)
                if found is not None:
                    return found
            elif local == b"sheetData":
                if empty:
                    return None  # its end follows at once: no cells
                break
        return self.data_rows(pos)

    def data_rows(self, pos: int) -> Oversize | None:
        data = self.data
        while True:
            self.step()
            m = _DATA.match(data, pos)
            if m is None:
                return None
            pos = m.end()
            kind = m.lastgroup
            if kind == "bare":
                found = self.bare_cells(m.group("bare"))
            elif kind == "row":
                number = m.group("rowr") if m.group("rowr") is not None else m.group("rowq")
                self.row = int(number) if number is not None else self.row + 1
                self.col = 0
                found = None
            elif kind == "plain":
                letters = _LETTERS.match(data, data.rfind(b'<c r="', m.start(), m.end()) + 6)
                assert letters is not None
                self.col = _letters(letters.group())
                found = None
            elif kind == "refs":
                self.ref_cells(m)
                found = None
            elif kind == "rows" or kind == "rrows":
                self.empty_rows(m)
                found = None
            elif m.group("eof") is not None:
                return None
            elif m.group("bang") is not None:
                self.bang(m.start("bang"))
                return None
            elif m.group("end") is not None:
                local = _local(m.group("end").rstrip(b" \t\r\n"))
                if local == b"sheetData":
                    return None
                if local == b"row":
                    self.row += 1
                    self.col = 0
                found = None
            else:
                found, pos = self.tag(m.group("start"), pos)
            if found is not None:
                return found

    def bare_cells(self, run: bytes) -> Oversize | None:
        """A run of plain cells without ``r``: each in the next column (counted at least as often)."""
        last_value = run.rfind(b"</c>")
        if last_value >= 0:
            column = self.col + run.count(b"<c", 0, last_value)
            if self.row + 1 > MAX_ROWS or column > MAX_COLUMNS:
                return Oversize(None, _cell_text(self.row + 1, column))
        self.col += run.count(b"<c")
        return None

    def ref_cells(self, m: re.Match[bytes]) -> None:
        """A run of plain cells each with one ``r`` (well inside the limits when it has a value)."""
        last = max(("r1", "r2", "r3", "r4"), key=lambda g: m.end(g))
        position = _POSITION.fullmatch(m.group(last))
        assert position is not None
        self.col = _letters(position.group(1))

    def empty_rows(self, m: re.Match[bytes]) -> None:
        """A run of empty rows: each ends (next row); with ``r``, the last one's sets the row."""
        if m.lastgroup == "rows":
            self.row += m.group("rows").count(b"<row")
        else:
            self.row = int(m.group("rr") if m.group("rr") is not None else m.group("rq"))
        self.col = 0

    def tag(self, body: bytes, pos: int) -> tuple[Oversize | None, int]:
        name, attrs, empty = _split(body)
        local = _local(name)
        if local == b"row":
            refs = _positions(attrs, need_column=False)
            if refs:
                self.row = max(row for row, _ in refs) - 1
            if empty:
                self.row += 1
                self.col = 0
            return None, pos
        if local != b"c":
            return None, pos
        refs = _positions(attrs, need_column=True)
        if refs:
            row = max(row for row, _ in refs)
            self.col = max(column for _, column in refs) - 1
        else:
            row = self.row + 1
        column = self.col + 1
        self.col += 1
        if empty:
            return None, pos
        if row > MAX_ROWS or column > MAX_COLUMNS:
            return Oversize(None, _cell_text(row, column)), pos
        return None, self.cell(pos)

    # ------------------------------------------------------------ inside a cell

    def next(self, pos: int, pattern: re.Pattern[bytes] = _ANY) -> tuple[re.Match[bytes] | None, int]:
        """The next tag inside a cell; None at the end of the part (where the reader stops with an error)."""
        self.step()
        m = pattern.match(self.data, pos)
        if m is not None and m.group("bang") is not None:
            self.bang(m.start("bang"))
        if m is None or m.group("eof") is not None or m.group("bang") is not None:
            return None, len(self.data)
        return m, m.end()

    def cell(self, pos: int) -> int:
        """After a cell's start tag: its children as the reader reads them, up to the end of the cell."""
        while True:
            m, pos = self.next(pos)
            if m is None:
                return pos
            if m.group("end") is not None:
                if _local(m.group("end").rstrip(b" \t\r\n")) == b"c":
                    return pos
                continue
            name, _, empty = _split(m.group("start"))
            local = _local(name)
            if local == b"v":
                pos = pos if empty else self.to_end(pos, name)
            elif local == b"f":
                pos = pos if empty else self.to_matching_end(pos, name)
            elif local == b"is":
                pos = self.string(pos, name, empty)
            # anything else: the reader stops with an error; going on is the larger guess

    def to_end(self, pos: int, name: bytes) -> int:
        """Past the first end tag called ``name`` (how a value is read)."""
        while True:
            m, pos = self.next(pos, _ENDS)
            if m is None or (m.group("end") is not None and m.group("end").rstrip(b" \t\r\n") == name):
                return pos

    def to_matching_end(self, pos: int, name: bytes) -> int:
        """Past the end tag closing ``name``, nested ones of the same name counted (quick-xml's read_to_end)."""
        depth = 1
        while True:
            m, pos = self.next(pos)
            if m is None:
                return pos
            if m.group("end") is not None:
                if m.group("end").rstrip(b" \t\r\n") == name:
                    depth -= 1
                    if depth == 0:
                        return pos
            else:
                inner, _, empty = _split(m.group("start"))
                if inner == name and not empty:
                    depth += 1

    def string(self, pos: int, closing: bytes, empty: bool) -> int:
        """An inline string (calamine's read_string): up to the end tag called ``closing``; the text of
        ``t`` and the run properties ``rPr`` are read up to their first end tag of the same name."""
        if empty:
            return pos
        phonetic = False
        while True:
            m, pos = self.next(pos)
            if m is None:
                return pos
            if m.group("end") is not None:
                name = m.group("end").rstrip(b" \t\r\n")
                if name == closing:
                    return pos
                if _local(name) == b"rPh":
                    phonetic = False
                continue
            name, _, empty = _split(m.group("start"))
            local = _local(name)
            if local == b"rPh":
                phonetic = not empty
            elif local == b"rPr" or (local == b"t" and not phonetic):
                pos = pos if empty else self.to_end(pos, name)
            elif empty and name == closing:
                return pos


def scan_worksheet(data: bytes | bytearray, part: str) -> Oversize | None:
    """What was found when the reader would lay out a cell beyond MAX_ROWS × MAX_COLUMNS."""
    try:
        return _Walk(data, part).run()
    except _TooComplex:
        return Oversize(None, f"单元格和行的标记过多，超过 {MAX_STEPS} 处需要逐一检查")
