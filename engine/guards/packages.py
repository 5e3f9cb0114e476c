"""An xlsx or ods package: what the zip holds, then each part checked in turn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from engine.guards.kinds import _SUFFIX_NAMES, ODS_MIMETYPE, _not_a_workbook, _unsupported
from engine.guards.limits import MAX_PROLOG
from engine.guards.rejections import _too_large
from engine.guards.sheets import _Oversize, _scan_ods, _scan_sheet, _sheet_name
from engine.guards.xmlsafe import _encoding, _prolog
from engine.guards.zipsafe import _central_directory, _check_sizes, _Entry, _stream


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
    _check_sizes(entries)
    kind = _kind(handle, size, entries)
    if kind == "xlsb":
        _unsupported(path, _SUFFIX_NAMES[".xlsb"])
    if kind not in ("xlsx", "ods"):
        _not_a_workbook(path, kind)
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.name.endswith("/") or entry.size == 0:
            continue
        oversize = _check_part(handle, size, entry)
        if oversize is not None:
            sheet = oversize.sheet or _sheet_name(handle, size, entries, entry.name)
            raise _too_large(sheet, oversize.found)


def _check_part(handle: IO[bytes], size: int, entry: _Entry) -> _Oversize | None:
    """Check one part: a sheet that is too large is returned, other problems raise."""
    chunks = _stream(handle, size, entry)
    head = b""
    prolog = None
    for chunk in chunks:
        head += chunk
        if _encoding(head[:4]) is None:
            return None  # not XML (an image, a binary part): no XML parser reads it
        prolog = _prolog(entry.name, head[: MAX_PROLOG + 1], final=False)
        if prolog is not None or len(head) > MAX_PROLOG:
            break
    if prolog is None:
        prolog = _prolog(entry.name, head[: MAX_PROLOG + 1], final=True)
        if prolog is None:
            return None
    local = prolog.root.rsplit(":", 1)[-1]
    rest = _prepend(head, chunks)
    if local in ("worksheet", "dialogsheet", "macrosheet"):
        return _scan_sheet(prolog.encoding, rest, lambda: _stream(handle, size, entry))
    if prolog.root == "office:document-content":
        return _scan_ods(rest)
    for _ in rest:  # read to the end: the actual size and CRC are verified
        pass
    return None


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest
