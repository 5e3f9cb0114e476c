"""Zip containers: the central directory (count, declared sizes, ratio, duplicates) and bounded streaming of a part."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from engine.diagnostics import make
from engine.guards.kinds import EMPTY_ZIP_MAGIC, ZIP_MAGIC
from engine.guards.limits import CHUNK, MAX_ENTRIES, MAX_ENTRY_SIZE, MAX_RATIO, MAX_TOTAL_SIZE, RATIO_FLOOR
from engine.guards.rejections import CORRUPT, METHOD, _mib, _Rejected, _short, _unreadable, _zip_unsafe

# ---------------------------------------------------------------- zip containers


@dataclass(frozen=True)
class _Entry:
    name: str
    offset: int
    compressed: int
    size: int
    crc: int
    method: int
    flags: int


def _eocd(handle: IO[bytes], size: int) -> tuple[int, int]:
    """(entries, central directory size) from the end-of-central-directory record."""
    tail_len = min(size, 22 + 65535)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    at = tail.rfind(EMPTY_ZIP_MAGIC)
    if at < 0 or len(tail) - at < 22:
        raise _unreadable(CORRUPT)
    entries, cd_size = struct.unpack_from("<HL", tail, at + 10)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", tail, at - 20 + 8)
        if record + 56 <= size:
            handle.seek(record)
            zip64 = handle.read(56)
            if zip64[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", zip64, 32)
    return entries, cd_size


def _central_directory(handle: IO[bytes], size: int) -> list[_Entry]:
    entries, cd_size = _eocd(handle, size)
    if entries > MAX_ENTRIES or cd_size > MAX_ENTRIES * 1024:
        raise _zip_unsafe(f"内含 {entries} 个部件，超过 {MAX_ENTRIES} 个的上限")
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error, IndexError):
        raise _unreadable(CORRUPT) from None
    if len(infos) > MAX_ENTRIES:
        raise _zip_unsafe(f"内含 {len(infos)} 个部件，超过 {MAX_ENTRIES} 个的上限")
    return [
        _Entry(i.filename, i.header_offset, i.compress_size, i.file_size, i.CRC, i.compress_type, i.flag_bits)
        for i in infos
    ]


def _check_sizes(entries: list[_Entry]) -> None:
    """Declared sizes only: nothing is decompressed here."""
    seen: set[str] = set()
    total = 0
    for e in entries:
        key = e.name.replace("\\", "/").lower()
        if key in seen:
            raise _zip_unsafe(f"有两个同名的部件 {_short(e.name)}")
        seen.add(key)
        if e.size > MAX_ENTRY_SIZE:
            raise _zip_unsafe(
                f"部件 {_short(e.name)} 解压后有 {_mib(e.size)} MiB，超过 {_mib(MAX_ENTRY_SIZE)} MiB 的上限"
            )
        if e.size > RATIO_FLOOR and e.size > MAX_RATIO * max(e.compressed, 1):
            ratio = e.size // max(e.compressed, 1)
            raise _zip_unsafe(f"部件 {_short(e.name)} 的压缩率异常（{ratio}:1），疑似“压缩炸弹”")
        total += e.size
    if total > MAX_TOTAL_SIZE:
        raise _zip_unsafe(f"解压后共 {_mib(total)} MiB，超过 {_mib(MAX_TOTAL_SIZE)} MiB 的上限")


WHOLE_PART = 8 * 1024 * 1024  # parts up to this size are inflated in one call (larger ones streamed)


def _start(handle: IO[bytes], size: int, entry: _Entry) -> int:
    """Where ``entry``'s data starts, after checking how it is stored; the handle is left there."""
    if entry.flags & 0x1:
        raise _Rejected(make("file-encrypted"))
    if entry.method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _unreadable(METHOD)
    handle.seek(entry.offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != ZIP_MAGIC:
        raise _unreadable(CORRUPT)
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    start: int = entry.offset + 30 + name_len + extra_len
    if start + entry.compressed > size:
        raise _unreadable(CORRUPT)
    handle.seek(start)
    return start


def _part(handle: IO[bytes], size: int, entry: _Entry) -> bytes:
    """The whole decompressed part (declared size at most WHOLE_PART), its size and CRC verified.

    The same checks as reading :func:`_stream` to the end, in one call: never more than one byte
    beyond the declared size is inflated.
    """
    assert entry.size <= WHOLE_PART
    _start(handle, size, entry)
    raw = handle.read(entry.compressed)
    if len(raw) < entry.compressed:
        raise _unreadable(CORRUPT)
    if entry.method == zipfile.ZIP_DEFLATED:
        try:
            out = zlib.decompressobj(-15).decompress(raw, entry.size + 1)
        except zlib.error:
            raise _unreadable(CORRUPT) from None
    else:
        out = raw
    if len(out) > entry.size:
        raise _zip_unsafe(f"部件 {_short(entry.name)} 的实际大小超过了声明的大小")
    if len(out) != entry.size or zlib.crc32(out) != entry.crc:
        raise _unreadable(CORRUPT)
    return out


def _stream(
    handle: IO[bytes], size: int, entry: _Entry, *, verify: bool = True, limit: int | None = None
) -> Iterator[bytes]:
    """The decompressed bytes of ``entry`` in chunks of at most CHUNK, never more than declared.

    Read to the end with ``verify``, the actual size and the CRC must be as declared.
    ``limit`` stops after about that many bytes (nothing is then verified).
    """
    _start(handle, size, entry)
    left = entry.compressed
    produced = 0
    crc = 0
    inflate = zlib.decompressobj(-15) if entry.method == zipfile.ZIP_DEFLATED else None
    while left > 0:
        raw = handle.read(min(CHUNK, left))
        if not raw:
            raise _unreadable(CORRUPT)
        left -= len(raw)
        data = raw
        while True:
            if inflate is None:
                out, data, full = data, b"", False
            else:
                # At most one byte more than declared: enough to notice a lie, never a bomb.
                cap = min(CHUNK, entry.size + 1 - produced)
                try:
                    out = inflate.decompress(data, cap)
                except zlib.error:
                    raise _unreadable(CORRUPT) from None
                data, full = inflate.unconsumed_tail, len(out) == cap
            if out:
                produced += len(out)
                if produced > entry.size:
                    raise _zip_unsafe(f"部件 {_short(entry.name)} 的实际大小超过了声明的大小")
                if verify:
                    crc = zlib.crc32(out, crc)
                yield out
                if limit is not None and produced >= limit:
                    return
            if not data and not full:  # a full output may leave more inside the inflater
                break
            if not out and inflate is not None and inflate.eof:
                break
        if inflate is not None and inflate.eof:
            break
    if verify and (produced != entry.size or crc != entry.crc):
        raise _unreadable(CORRUPT)
