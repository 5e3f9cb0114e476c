"""OLE2 files (.xls, encrypted .xlsx): the directory, encryption, and the BIFF records of the Workbook stream."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from engine.diagnostics import make
from engine.guards.kinds import _not_a_workbook, _suffix, _unsupported
from engine.guards.limits import MAX_COLUMNS, MAX_ROWS
from engine.guards.rejections import CORRUPT, _Rejected, _too_large, _unreadable

# ---------------------------------------------------------------- OLE2 (.xls, encrypted .xlsx)

_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA


@dataclass(frozen=True)
class _DirEntry:
    name: str
    kind: int
    start: int
    size: int


class _Ole:
    """Just enough of MS-CFB to list the directory and read a stream, every step bounded."""

    def __init__(self, handle: IO[bytes], size: int) -> None:
        self.handle = handle
        handle.seek(0)
        header = handle.read(512)
        if len(header) < 512:
            raise _unreadable(CORRUPT)
        shift, mini_shift = struct.unpack_from("<HH", header, 30)
        if shift not in (9, 12) or mini_shift >= shift:
            raise _unreadable(CORRUPT)
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        self.count = max(0, (size - self.sector) // self.sector + (1 if (size - self.sector) % self.sector else 0))
        (num_fat, first_dir, _, self.mini_cutoff, first_mini, _, first_difat, num_difat) = struct.unpack_from(
            "<8L", header, 44
        )
        self.first_mini = first_mini
        difat = [s for s in struct.unpack_from("<109L", header, 76) if s <= _MAX_SECTOR]
        per_sector = self.sector // 4
        seen: set[int] = set()
        next_difat = first_difat
        while next_difat <= _MAX_SECTOR and len(difat) < num_fat:
            if next_difat in seen or len(seen) > num_difat:
                raise _unreadable(CORRUPT)
            seen.add(next_difat)
            values = struct.unpack(f"<{per_sector}L", self._read_sector(next_difat))
            difat.extend(s for s in values[:-1] if s <= _MAX_SECTOR)
            next_difat = values[-1]
        if len(difat) > self.count + 1:
            raise _unreadable(CORRUPT)
        fat_bytes = b"".join(self._read_sector(s) for s in difat[:num_fat])
        self.fat = struct.unpack(f"<{len(fat_bytes) // 4}L", fat_bytes)
        self.entries = self._directory(first_dir)
        self._minifat: tuple[int, ...] | None = None
        self._mini_stream: bytes | None = None

    def _read_sector(self, sector: int) -> bytes:
        if sector >= self.count:
            raise _unreadable(CORRUPT)
        self.handle.seek((sector + 1) * self.sector)
        data = self.handle.read(self.sector)
        if len(data) < self.sector:
            data += b"\x00" * (self.sector - len(data))  # a short last sector, as writers leave it
        return data

    def _chain(self, start: int, fat: tuple[int, ...] | None = None) -> Iterator[int]:
        table = self.fat if fat is None else fat
        seen: set[int] = set()
        sector = start
        while sector != _END:
            if sector >= len(table) or sector in seen:
                raise _unreadable(CORRUPT)
            seen.add(sector)
            yield sector
            sector = table[sector]

    def _directory(self, first: int) -> list[_DirEntry]:
        entries = []
        for sector in self._chain(first):
            data = self._read_sector(sector)
            for at in range(0, self.sector, 128):
                raw = data[at : at + 128]
                name_len, kind = struct.unpack_from("<HB", raw, 64)
                start, size = struct.unpack_from("<LQ", raw, 116)
                if self.sector == 512:
                    size &= 0xFFFFFFFF
                name = raw[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", errors="replace")
                entries.append(_DirEntry(name, kind, start, size))
        if not entries or entries[0].kind != 5:
            raise _unreadable(CORRUPT)
        return entries

    def names(self) -> set[str]:
        return {e.name for e in self.entries if e.kind in (1, 2)}

    def stream(self, name: str) -> bytes | None:
        entry = next((e for e in self.entries if e.kind == 2 and e.name == name), None)
        if entry is None:
            return None
        if entry.size < self.mini_cutoff:
            return self._mini(entry)
        parts = []
        total = 0
        for sector in self._chain(entry.start):
            parts.append(self._read_sector(sector))
            total += self.sector
            if total >= entry.size:
                break
        return b"".join(parts)[: entry.size]

    def _mini(self, entry: _DirEntry) -> bytes:
        if self._minifat is None:
            data = b"".join(self._read_sector(s) for s in self._chain(self.first_mini))
            self._minifat = struct.unpack(f"<{len(data) // 4}L", data)
            root = self.entries[0]
            self._mini_stream = b"".join(self._read_sector(s) for s in self._chain(root.start))[: root.size]
        assert self._mini_stream is not None
        parts = []
        for sector in self._chain(entry.start, self._minifat):
            parts.append(self._mini_stream[sector * self.mini_sector : (sector + 1) * self.mini_sector])
            if len(parts) * self.mini_sector >= entry.size:
                break
        return b"".join(parts)[: entry.size]


_ENCRYPTION_STREAMS = {"EncryptionInfo", "EncryptedPackage"}
# BIFF records that put a value in a cell (row and column are their first two fields).
_CELL_RECORDS = {0x0006, 0x0206, 0x0406, 0x00BD, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
_MULRK = 0x00BD
_BOF = 0x0809
_EOF = 0x000A
_FILEPASS = 0x002F
_BOUNDSHEET = 0x0085
_DIMENSIONS = 0x0200


def _check_ole(handle: IO[bytes], size: int, path: Path) -> None:
    ole = _Ole(handle, size)
    names = ole.names()
    if names & _ENCRYPTION_STREAMS:
        raise _Rejected(make("file-encrypted"))
    if "WordDocument" in names:
        _not_a_workbook(path, "Word 文档")
    if "PowerPoint Document" in names:
        _not_a_workbook(path, "PowerPoint 演示文稿")
    book = "Workbook" if "Workbook" in names else "Book" if "Book" in names else None
    if book is None or _suffix(path) in (".et", ".ett"):
        _unsupported(path, "无法识别的 Office 文件")
    assert book is not None
    data = ole.stream(book)
    if data is not None:
        _check_biff(data)


def _records(data: bytes, pos: int) -> Iterator[tuple[int, int, int]]:
    """(position, type, length) of the records from ``pos`` on, as the reader walks them."""
    end = len(data)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", data, pos)
        if pos + 4 + length > end:
            return  # the reader stops here with an error
        yield pos, kind, length
        pos += 4 + length


def _check_biff(data: bytes) -> None:
    """FILEPASS (encrypted) in the globals; value cells and declared extents beyond MAX_ROWS × MAX_COLUMNS
    in every sheet the reader reads.

    The reader walks the globals from the start up to their EOF, then each sheet from the offset its
    BOUNDSHEET record gives (whatever lies there: a sheet's BOF, or the middle of another record) up
    to the next EOF. The guard takes the same walks; a record position reached by two of them is
    checked once.
    """
    biff8 = len(data) >= 8 and struct.unpack_from("<HH", data, 0)[0] == _BOF and data[4:6] == b"\x00\x06"
    sheets: dict[int, str] = {}
    for pos, kind, length in _records(data, 0):  # the globals, up to their EOF
        body = pos + 4
        if kind == _EOF:
            break
        if kind == _FILEPASS:
            raise _Rejected(make("file-encrypted"))
        if kind == _BOUNDSHEET and length >= 8:
            offset = struct.unpack_from("<L", data, body)[0]
            sheets.setdefault(offset, _sheet_label(data[body : body + length], biff8))
    checked = bytearray(len(data) + 1)  # record positions already walked from a sheet offset
    declared: tuple[str, str] | None = None  # a sheet declaring too much, told when no cell is too far
    for offset, name in sheets.items():
        for pos, kind, length in _records(data, offset):
            if checked[pos]:
                break
            checked[pos] = 1
            if kind == _EOF:
                break
            if kind in _CELL_RECORDS:
                _check_cell(data, pos + 4, kind, length, name)
            elif kind == _DIMENSIONS and declared is None:
                declared = _declared_too_much(data[pos + 4 : pos + 4 + length], name)
    if declared is not None:
        raise _too_large(*declared)


def _check_cell(data: bytes, body: int, kind: int, length: int, sheet: str) -> None:
    if length < 4:
        return
    row, col = struct.unpack_from("<HH", data, body)
    if kind == _MULRK and length >= 6:  # one value per 6 bytes from the first column; the last field repeats it
        col = max(col + (length - 6) // 6 - 1, struct.unpack_from("<H", data, body + length - 2)[0])
    if row + 1 > MAX_ROWS or col + 1 > MAX_COLUMNS:
        raise _too_large(sheet, f"第 {row + 1} 行第 {col + 1} 列有内容")


def _declared_too_much(body: bytes, sheet: str) -> tuple[str, str] | None:
    """The reader reserves room for the declared rows × columns (u32 arithmetic, as calamine does it)."""
    if len(body) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body)
    elif len(body) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<LLHH", body)
    else:
        return None  # the reader stops with an error
    end_row, end_col = (last_row - 1, last_col - 1) if last_row >= 1 and last_col >= 1 else (first_row, first_col)
    rows = (end_row - first_row + 1) % (1 << 32)
    cols = (end_col - first_col + 1) % (1 << 32)
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        return sheet, f"声明的范围为 {rows} 行 × {cols} 列"
    return None


def _sheet_label(body: bytes, biff8: bool) -> str:
    """The sheet name in a BOUNDSHEET record body."""
    count = body[6]
    if not biff8:
        return body[7 : 7 + count].decode("gbk", errors="replace")
    high = body[7] & 1
    raw = body[8 : 8 + count * (2 if high else 1)]
    return raw.decode("utf-16-le" if high else "latin-1", errors="replace")
