"""Cheap checks on an input file before any parser touches it.

Inspectors score folders of returned files; some are broken, some odd, a few
possibly hostile. :func:`precheck` looks, in this order and stopping at the
first problem, at

1. the file-system entry (``stat`` only: a FIFO or device is never opened
   for reading, a directory or a vanished file or a symlink loop is named as such),
   its size (empty, over the limit);
2. the content type from the first bytes (never the name): zip (.xlsx/.xlsm/.ods),
   OLE2 (.xls; an encrypted .xlsx is an OLE2 file too), or something else
   (PDF, image, text/CSV, HTML, unknown binary);
3. for zip: the central directory only (entry count, declared sizes, compression
   ratio, duplicate names), then each XML part streamed and bounded: no DTD or
   entity declaration in its prolog (also UTF-16), its actual size and CRC as
   declared; then what the reader parses, by what it does with the bytes: the sheet
   extent of every xlsx worksheet the reader loads (found through workbook.xml and its
   relationships, whatever its part name, first bytes or root element), the declared
   size of the shared strings, and the tables of an ods content.xml;
4. for OLE2: the directory entries (encryption streams, Word/PowerPoint), and for
   .xls the BIFF records of the Workbook stream (FILEPASS = encrypted; cells or a
   declared extent far outside a self-assessment sheet, in every sheet where the
   reader goes: from each BOUNDSHEET offset).

The result is one file-level error (``sheet`` is None) or None. Work is bounded by
the size limit; a normal 30 KB workbook takes about a millisecond.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path
from typing import IO

from engine.diagnostics import Diagnostic, make
from engine.guards.files import _check_entry, _open_regular, _os_error, _regular_size_ok
from engine.guards.kinds import (
    EMPTY_ZIP_MAGIC,
    ODS_MIMETYPE,
    OLE2_MAGIC,
    ZIP_MAGIC,
    _describe,
    _not_a_workbook,
    _unsupported,
)
from engine.guards.limits import (
    CHUNK,
    MAX_COLUMNS,
    MAX_ENTRIES,
    MAX_ENTRY_SIZE,
    MAX_PROLOG,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SIZE,
    MAX_TAG,
    MAX_TOTAL_SIZE,
    MIB,
    RATIO_FLOOR,
)
from engine.guards.ole2 import _check_ole
from engine.guards.packages import _check_zip
from engine.guards.rejections import CORRUPT, FOLDER, GONE, LOOP, METHOD, NO_PERMISSION, SPECIAL, _mib, _Rejected

__all__ = [
    "CHUNK",
    "CORRUPT",
    "EMPTY_ZIP_MAGIC",
    "FOLDER",
    "GONE",
    "LOOP",
    "MAX_COLUMNS",
    "MAX_ENTRIES",
    "MAX_ENTRY_SIZE",
    "MAX_PROLOG",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_SIZE",
    "MAX_TAG",
    "MAX_TOTAL_SIZE",
    "METHOD",
    "MIB",
    "NO_PERMISSION",
    "ODS_MIMETYPE",
    "OLE2_MAGIC",
    "RATIO_FLOOR",
    "SPECIAL",
    "ZIP_MAGIC",
    "digest",
    "precheck",
]


# ---------------------------------------------------------------- entry point


def precheck(path: Path, max_size: int = MAX_SIZE) -> Diagnostic | None:
    """``None`` when ``path`` may be handed to the workbook reader, else the file-level error."""
    found = load(path, max_size)
    return found if isinstance(found, Diagnostic) else None


def load(path: Path, max_size: int = MAX_SIZE) -> bytes | Diagnostic:
    """The file's bytes when the reader may parse them, else the file-level error.

    The file is opened and read once; the checks and then the reader work on these bytes, so
    a file swapped (for a FIFO, a bigger or another file) after the checks cannot reach the
    reader, and its type is decided once, here.
    """
    try:
        return _check(Path(path), max_size)
    except _Rejected as rejected:
        return rejected.diagnostic


def digest(path: Path | str, max_size: int = MAX_SIZE) -> str:
    """The sha256 of a regular file no larger than ``max_size``; ``""`` for anything else.

    Safe on whatever precheck rejected: a FIFO or device is never read, a huge file never hashed.
    """
    try:
        if not _regular_size_ok(os.stat(path), max_size):
            return ""
        with _open_regular(Path(path)) as handle:
            if not _regular_size_ok(os.fstat(handle.fileno()), max_size):
                return ""
            sha = hashlib.sha256()
            for block in iter(lambda: handle.read(MIB), b""):
                sha.update(block)
            return sha.hexdigest()
    except OSError:
        return ""


def _check(path: Path, max_size: int) -> bytes:
    try:
        _check_entry(os.stat(path), max_size)  # follows symlinks; never opens anything
        handle = _open_regular(path)
    except OSError as exc:
        raise _os_error(exc) from None
    with handle:
        try:
            st = os.fstat(handle.fileno())
            _check_entry(st, max_size)  # the same file as stat'ed, still regular and small enough
            data = handle.read(max_size + 1)
        except OSError as exc:
            raise _os_error(exc) from None
    if len(data) > max_size:  # it grew after fstat
        raise _Rejected(make("file-too-large", size=_mib(len(data)), limit=_mib(max_size)))
    try:
        _content(_Bytes(data), len(data), path)
    except OSError as exc:
        raise _os_error(exc) from None
    return data


class _Bytes(io.BytesIO):
    """The file's bytes, seeking like a file: an offset before the start (from a damaged
    directory) is EINVAL, reported as a damaged file, not a ValueError."""

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 0 and pos < 0:
            raise OSError(errno.EINVAL, "negative offset")
        return super().seek(pos, whence)


# ---------------------------------------------------------------- content type


def _content(handle: IO[bytes], size: int, path: Path) -> None:
    head = handle.read(4096)
    if head.startswith(ZIP_MAGIC):
        _check_zip(handle, size, path)
    elif head.startswith(OLE2_MAGIC):
        _check_ole(handle, size, path)
    elif head.startswith(EMPTY_ZIP_MAGIC):
        _not_a_workbook(path, "空的压缩包")
    else:
        what, unsupported = _describe(head)
        if unsupported:
            _unsupported(path, what)
        _not_a_workbook(path, what)
