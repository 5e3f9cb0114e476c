"""Sheet extent: xlsx worksheets and ods content.xml scanned for content beyond MAX_ROWS × MAX_COLUMNS."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from engine.diagnostics import column_letter, make
from engine.guards.limits import MAX_COLUMNS, MAX_ROWS, MAX_TAG, MIB
from engine.guards.rejections import CORRUPT, _Rejected, _short, _unreadable
from engine.guards.xmlsafe import _encoding
from engine.guards.zipsafe import _Entry, _stream


@dataclass(frozen=True)
class _Oversize:
    """A sheet beyond the limits: its name when the part says it (ods), and what was found."""

    sheet: str | None
    found: str


_PREFIX = r"<(?:[A-Za-z_][\w.\-]*:)?"
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension(?=[\s/>])([^>]*)>")
# What the quick pass cannot settle: a cell tag without ``r`` as its first attribute, or whose
# ``r`` may be beyond the limits (3 letters, after GR, row 5000 or more); a cell tag with a
# second ``r`` (the reader takes the last); a prefixed cell tag. Three searches, each with a
# literal start, are much faster than one with alternatives.
_QUICK_UNSURE = (
    re.compile(
        rb"""<c(?:[\t\n\r>/]| (?!r=["'])| r=["'](?:[A-Za-z]{3}|[H-Zh-z][A-Za-z]\d|[Gg][S-Zs-z]\d"""
        rb"""|[A-Za-z]{1,2}0*(?:[5-9]\d{3}|[1-9]\d{4})))"""
    ),
    re.compile(rb"""<c r=["'][^"'>]*["'](?=[^>]*?\sr\s*=)"""),
    re.compile(rb":c[\s/>]"),
)
_TAG = re.compile(_PREFIX + r"(row|c|dimension)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(r"""(?:^|\s)r\s*=\s*["']\s*([A-Za-z]*)(\d+)\s*["']""")
_HUGE = 10**9  # a position with more than 3 letters or 9 digits: far beyond any limit
_REF_ATTR = re.compile(r"""(?:^|\s)ref\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


def _row_number(digits: str) -> int:
    return int(digits) if len(digits) <= 9 else _HUGE


def _column_number(letters: str) -> int:
    if len(letters) > 3:
        return _HUGE
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _tags(encoding: str, chunks: Iterable[bytes]) -> Iterator[str]:
    """Decoded text in pieces that never split a tag; one tag may be at most MAX_TAG long."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending: list[str] = []
    pending_len = 0
    for chunk in chunks:
        text = decoder.decode(chunk)
        if pending:
            if ">" not in text:
                pending.append(text)
                pending_len += len(text)
                if pending_len > MAX_TAG:
                    raise _unreadable(CORRUPT)
                continue
            text = "".join(pending) + text
            pending, pending_len = [], 0
        last_open = text.rfind("<")
        if last_open >= 0 and text.find(">", last_open) < 0:
            pending, pending_len = [text[last_open:]], len(text) - last_open
            text = text[:last_open]
        yield text
    yield "".join(pending) + decoder.decode(b"", final=True)


def _scan_sheet(encoding: str, chunks: Iterable[bytes], again: Callable[[], Iterator[bytes]]) -> _Oversize | None:
    """What was found when the worksheet declares or holds a cell beyond MAX_ROWS × MAX_COLUMNS.

    A quick pass over the bytes settles the usual sheet (every cell tag starts with an ``r``
    well inside the limits); anything else, and UTF-16, is walked tag by tag from a fresh
    stream (``again``).
    """
    if encoding != "utf-8":
        return _walk_sheet(_tags(encoding, chunks))
    dimension_seen = False
    for piece in _pieces(chunks):
        if not dimension_seen:
            match = _DIMENSION.search(piece)
            if match is not None:
                dimension_seen = True
                oversize = _check_dimension(match.group(1).decode("utf-8", errors="replace"))
                if oversize is not None:
                    return oversize
        if any(pattern.search(piece) for pattern in _QUICK_UNSURE):
            return _walk_sheet(_tags(encoding, again()))
    return None


def _pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes in pieces that never split a tag; one tag may be at most MAX_TAG long."""
    pending: list[bytes] = []
    pending_len = 0
    for chunk in chunks:
        if pending:
            if b">" not in chunk:
                pending.append(chunk)
                pending_len += len(chunk)
                if pending_len > MAX_TAG:
                    raise _unreadable(CORRUPT)
                continue
            chunk = b"".join(pending) + chunk
            pending, pending_len = [], 0
        last_open = chunk.rfind(b"<")
        if last_open >= 0 and chunk.find(b">", last_open) < 0:
            pending, pending_len = [chunk[last_open:]], len(chunk) - last_open
            chunk = chunk[:last_open]
        yield chunk
    yield b"".join(pending)


def _check_dimension(attrs: str) -> _Oversize | None:
    ref = _REF_ATTR.search(attrs)
    if ref is None:
        return None
    cells = _CELL_REF.findall(ref.group(1))
    rows = max((_row_number(r) for _, r in cells), default=0)
    cols = max((_column_number(c) for c, _ in cells), default=0)
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        return _Oversize(None, f"声明的范围为 {_short(ref.group(1), 40)}")
    return None


def _walk_sheet(texts: Iterable[str]) -> _Oversize | None:
    """Every dimension, row and cell tag; cells without ``r`` placed as the reader places them
    (the next column; the row's ``r`` or the next row); empty self-closing cells do not count."""
    row = 0
    col = 0
    for text in texts:
        for match in _TAG.finditer(text):
            name, attrs = match.group(1), match.group(2)
            refs = _R_ATTR.findall(attrs)  # the reader takes the last of repeated attributes
            if name == "c":
                if refs and refs[-1][0]:
                    row_at = max(_row_number(r) for _, r in refs)
                    col = max(_column_number(letters) for letters, _ in refs)
                else:
                    row_at, col = row, col + 1
                if (row_at > MAX_ROWS or col > MAX_COLUMNS) and not attrs.rstrip().endswith("/"):
                    return _Oversize(None, f"单元格 {column_letter(min(col, 16384))}{row_at} 有内容")
            elif name == "row":
                row = _row_number(refs[-1][1]) if refs else row + 1
                col = 0
            else:
                oversize = _check_dimension(attrs)
                if oversize is not None:
                    return oversize
    return None


def _scan_ods(chunks: Iterable[bytes]) -> _Oversize | None:
    """The table found when a table of content.xml holds content beyond the limits, repeats counted."""
    scan = _OdsScan()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            if scan.found is not None:
                return scan.found
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _unreadable(CORRUPT) from None
    return scan.found


def _no_dtd(*_: Any) -> None:
    raise _Rejected(make("xml-unsafe", part="content.xml", what="DTD 或实体声明（<!DOCTYPE、<!ENTITY）"))


_REPEAT = re.compile(r"\d{1,9}")
_CELLS = ("table:table-cell", "table:covered-table-cell")


def _repeat(value: str | None) -> int:
    if value is None:
        return 1
    return int(value) if _REPEAT.fullmatch(value.strip()) else 10**9


class _OdsScan:
    """Row and column positions as the reader expands them; only cells with content count."""

    def __init__(self) -> None:
        self.found: _Oversize | None = None
        self.tables: list[str] = []
        self.row = 0
        self.row_repeat = 1
        self.col = 0
        self.cell_repeat = 0
        self.cell_depth = 0  # >0 inside a cell
        self.cell_content = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.cell_depth:
            self.cell_depth += 1
            self.cell_content = True
            return
        if name == "table:table":
            self.tables.append(attrs.get("table:name", f"第{len(self.tables) + 1}个工作表"))
            self.row = 0
        elif name == "table:table-row":
            self.row_repeat = _repeat(attrs.get("table:number-rows-repeated"))
            self.col = 0
        elif name in _CELLS:
            self.cell_depth = 1
            self.cell_repeat = _repeat(attrs.get("table:number-columns-repeated"))
            self.cell_content = "office:value-type" in attrs or "calcext:value-type" in attrs

    def end(self, name: str) -> None:
        if self.cell_depth > 1:
            self.cell_depth -= 1
            return
        if self.cell_depth == 1 and name in _CELLS:
            self.cell_depth = 0
            last_col = self.col + self.cell_repeat
            last_row = self.row + self.row_repeat
            if self.cell_content and self.found is None and (last_row > MAX_ROWS or last_col > MAX_COLUMNS):
                sheet = self.tables[-1] if self.tables else "第1个工作表"
                ref = f"{column_letter(min(last_col, 16384))}{last_row}"
                self.found = _Oversize(sheet, f"单元格 {ref} 有内容")
            self.col = last_col
        elif name == "table:table-row":
            self.row += self.row_repeat
        elif name == "table:table" and self.tables:
            self.tables.pop()


_SHEET_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?sheet\s([^>]*)>")
_REL_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?Relationship\s([^>]*)>")
_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*["']([^"']*)["']""")


def _sheet_name(handle: IO[bytes], size: int, entries: list[_Entry], part: str) -> str:
    """The sheet name of an xlsx worksheet part, from workbook.xml and its relationships (regex only)."""
    from xml.sax.saxutils import unescape

    by_name = {e.name: e for e in entries}

    def text(name: str) -> str:
        entry = by_name.get(name)
        if entry is None:
            return ""
        data = b"".join(_stream(handle, size, entry, verify=False, limit=MIB))
        found = _encoding(data[:4])
        return data.decode(found[0] if found else "utf-8", errors="replace")

    try:
        targets = {}
        for match in _REL_TAG.finditer(text("xl/_rels/workbook.xml.rels")):
            attrs = dict(_ATTR.findall(match.group(1)))
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else os.path.normpath("xl/" + target)
            targets[attrs.get("Id", "")] = target.replace("\\", "/")
        for match in _SHEET_TAG.finditer(text("xl/workbook.xml")):
            attrs = dict(_ATTR.findall(match.group(1)))
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            if targets.get(rid) == part and "name" in attrs:
                return unescape(attrs["name"], {"&quot;": '"', "&apos;": "'"})
    except _Rejected:
        pass
    return part
