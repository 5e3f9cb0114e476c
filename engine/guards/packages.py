"""An xlsx or ods package: what the zip holds, then each part checked in turn."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from engine.guards.kinds import _SUFFIX_NAMES, ODS_MIMETYPE, _not_a_workbook, _unsupported
from engine.guards.limits import MAX_PROLOG, MAX_SHARED_STRINGS
from engine.guards.rejections import _too_large, _zip_unsafe
from engine.guards.sheets import _scan_ods
from engine.guards.worksheet import Oversize as _Oversize
from engine.guards.worksheet import scan_worksheet
from engine.guards.xlsxparts import SHARED_STRINGS, needed_sheets
from engine.guards.xmlsafe import _encoding, _prolog
from engine.guards.zipsafe import WHOLE_PART, _central_directory, _check_sizes, _Entry, _part, _stream

# What the reader parses, besides the ordinary XML checks every part gets.
_SHEET = "sheet"  # an xlsx worksheet the reader will load
_CONTENT = "content"  # the content.xml of an ods (all its tables are read on opening)
_STRINGS = "strings"  # the shared strings of an xlsx (read on opening)

_GLANCE = 4096  # most prologs end within the first bytes: decoded before the first MAX_PROLOG

_UNIQUE_COUNT = re.compile(rb"""uniqueCount[ \t\r\n]*+=[ \t\r\n]*+["'][ \t\r\n]*+\+?0*+([0-9]{1,30})""")


def _kind(handle: IO[bytes], size: int, entries: list[_Entry]) -> str:
    """xlsx, ods, or what else the zip holds (for the message)."""
    names = {e.name for e in entries}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    mimetype = next((e for e in entries if e.name == "mimetype"), None)
    if mimetype is not None:
        data = b"".join(_stream(handle, size, mimetype, verify=False, limit=256))
        if data.strip() == ODS_MIMETYPE:
            return "ods"
        return "OpenDocument 文档（不是表格）"
    if "word/document.xml" in names:
        return "Word 文档"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿"
    return "压缩包（zip）"


def _check_zip(handle: IO[bytes], size: int, path: Path) -> None:
    entries = _central_directory(handle, size)
    _check_sizes(entries)  # also: no two names equal but for ASCII case or slashes
    kind = _kind(handle, size, entries)
    if kind == "xlsb":
        _unsupported(path, _SUFFIX_NAMES[".xlsb"])
    if kind not in ("xlsx", "ods"):
        _not_a_workbook(path, kind)
    by_name = {e.name.lower(): e for e in entries}

    def read(name: str) -> bytes | None:
        entry = by_name.get(name)
        return None if entry is None else bytes(_whole(_stream(handle, size, entry, verify=False)))

    sheets = needed_sheets(read) if kind == "xlsx" else {}
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.name.endswith("/") or entry.size == 0:
            continue
        name = entry.name.lower()
        role = (
            _SHEET
            if name in sheets
            else _CONTENT
            if name == "content.xml"  # in an xlsx too: a reader failing on xl/ may try the package as ods
            else _STRINGS
            if kind == "xlsx" and name == SHARED_STRINGS
            else None
        )
        oversize = _check_part(handle, size, entry, role)
        if oversize is not None:
            raise _too_large(oversize.sheet or sheets.get(name, entry.name), oversize.found)


def _check_part(handle: IO[bytes], size: int, entry: _Entry, role: str | None) -> _Oversize | None:
    """Check one part: a sheet that is too large is returned, other problems raise.

    Every part that looks like XML has its prolog checked; the parts the reader parses are
    checked by what the reader does with their bytes, whatever they look like.
    """
    if entry.size <= WHOLE_PART:
        return _check_whole(_part(handle, size, entry), entry, role)
    chunks = _stream(handle, size, entry)
    head = b""
    xml = True
    prolog = None
    for chunk in chunks:
        head += chunk
        if _encoding(head[:4]) is None:
            xml = False  # not XML to look at (an image, a binary part, or bytes before the markup)
            break
        prolog = _prolog(entry.name, head[: MAX_PROLOG + 1], final=False)
        if prolog is not None or len(head) > MAX_PROLOG:
            break
    if xml and prolog is None:
        prolog = _prolog(entry.name, head[: MAX_PROLOG + 1], final=True)
    rest = _prepend(head, chunks)
    if role == _SHEET:
        return scan_worksheet(_whole(rest), entry.name)
    if role == _CONTENT:
        return _scan_ods(rest)
    if role == _STRINGS:
        _check_shared_strings(_whole(rest))
        return None
    if not xml:
        return None  # no XML parser reads it
    for _ in rest:  # read to the end: the actual size and CRC are verified
        pass
    return None


def _check_whole(data: bytes, entry: _Entry, role: str | None) -> _Oversize | None:
    """:func:`_check_part` of a part read whole (its size and CRC already verified)."""
    if _encoding(data[:4]) is not None:  # XML to look at: its prolog, as when streamed (a short look first)
        prolog = _prolog(entry.name, data[:_GLANCE], final=False) if len(data) > _GLANCE else None
        if prolog is None:
            prolog = _prolog(entry.name, data[: MAX_PROLOG + 1], final=False)
        if prolog is None and len(data) <= MAX_PROLOG:
            _prolog(entry.name, data, final=True)
    if role == _SHEET:
        return scan_worksheet(data, entry.name)
    if role == _CONTENT:
        return _scan_ods((data,))
    if role == _STRINGS:
        _check_shared_strings(data)
    return None


def _check_shared_strings(data: bytes | bytearray) -> None:
    """calamine reserves room for the declared ``uniqueCount`` before reading a single string."""
    for match in _UNIQUE_COUNT.finditer(data):
        count = int(match.group(1))
        if count > MAX_SHARED_STRINGS:
            raise _zip_unsafe(f"共享字符串表声明了 {count} 项，超过 {MAX_SHARED_STRINGS} 项的上限")


def _whole(chunks: Iterable[bytes]) -> bytearray:
    data = bytearray()
    for chunk in chunks:
        data += chunk
    return data


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest
