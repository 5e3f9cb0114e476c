"""Is a file found in a submission folder a spreadsheet at all? By its name, else by its first bytes.

Branches send folders: the self-assessment workbook beside evidence (PDF, photos, Word
files). Only spreadsheets are candidate submissions; everything else is listed, not read.
:func:`is_spreadsheet` decides cheaply and once per file: a spreadsheet suffix
(:data:`engine.contract.SPREADSHEET_SUFFIXES`) is enough; otherwise the file is opened
without blocking and looked at: a zip holding a workbook (xlsx, xlsm, xlsb) or an
OpenDocument spreadsheet (its central directory only), an OLE2 file with a Workbook or Book
stream (xls, et; its directory only), or an Excel 2003 XML spreadsheet (its first 4 KiB).
Anything unreadable, special or empty is not a spreadsheet here; a file named explicitly
on the command line is read whatever it is (that is the caller's business).
"""

from __future__ import annotations

import os
import stat
import struct
import zlib
from pathlib import Path
from typing import IO

from engine.contract import SPREADSHEET_SUFFIXES
from engine.guards.files import _open_regular
from engine.guards.kinds import ODS_MIMETYPE, OLE2_MAGIC, ZIP_MAGIC, _describe
from engine.guards.ole2 import _Ole
from engine.guards.rejections import _Rejected
from engine.guards.zipsafe import _central_directory, _stream

HEAD = 4096
_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/workbook.bin")
_OLE_BOOKS = ("Workbook", "Book")
_XML_SPREADSHEET = "Excel 2003 XML 表格"
# Failures of a damaged or hostile file while sniffing: then it is simply not a spreadsheet.
_DAMAGED = (_Rejected, OSError, ValueError, struct.error, zlib.error, EOFError, IndexError, OverflowError)


def has_spreadsheet_suffix(name: str) -> bool:
    return name.lower().endswith(SPREADSHEET_SUFFIXES)


def is_spreadsheet(path: str) -> bool:
    """Whether the file at ``path`` is a spreadsheet by its name or, failing that, by its content."""
    return has_spreadsheet_suffix(os.path.basename(path)) or spreadsheet_content(path)


def spreadsheet_content(path: str) -> bool:
    """Whether a regular, non-empty file holds a spreadsheet, whatever its name."""
    try:
        entry = os.stat(path)
        if not stat.S_ISREG(entry.st_mode) or entry.st_size == 0:
            return False
        with _open_regular(Path(path)) as handle:
            size = os.fstat(handle.fileno()).st_size
            return _sniff(handle, size)
    except _DAMAGED:
        return False


def _sniff(handle: IO[bytes], size: int) -> bool:
    head = handle.read(HEAD)
    if head.startswith(ZIP_MAGIC):
        entries = _central_directory(handle, size)
        names = {e.name for e in entries}
        if names.intersection(_WORKBOOK_PARTS):
            return True
        mimetype = next((e for e in entries if e.name == "mimetype"), None)
        if mimetype is None:
            return False
        return b"".join(_stream(handle, size, mimetype, verify=False, limit=256)).strip() == ODS_MIMETYPE
    if head.startswith(OLE2_MAGIC):
        return bool(_Ole(handle, size).names().intersection(_OLE_BOOKS))
    return _describe(head)[0] == _XML_SPREADSHEET
