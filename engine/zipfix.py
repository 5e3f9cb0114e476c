"""One time and one set of attributes for every entry of a finished zip archive (the workbooks
the engine writes), set in the headers without inflating anything again."""

from __future__ import annotations

import struct

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
_MADE_BY_UNIX = 3
_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_END = struct.Struct("<4s4H2LH")  # end of central directory
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory file header
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header


def fixed_zip_entries(data: bytes) -> bytes:
    """``data``, a zip archive without comments or zip64 records, with every entry's time set
    to 1980-01-01 00:00, made by Unix, mode rw-r--r--. Only header fields change: the
    compressed data is copied as it is."""
    out = bytearray(data)
    end = len(out) - _END.size
    signature, _, _, _, count, size, start, comment = _END.unpack_from(out, end)
    if signature != b"PK\x05\x06" or comment or start + size != end:
        raise ValueError("not a plain zip archive")
    at = start
    for _ in range(count):
        fields = list(_CENTRAL.unpack_from(out, at))
        if fields[0] != b"PK\x01\x02":
            raise ValueError("broken central directory")
        version = fields[1] & 0xFF
        fields[1] = (_MADE_BY_UNIX << 8) | version
        fields[5], fields[6] = _DOS_TIME, _DOS_DATE
        fields[15] = _MODE
        local = fields[16]
        _CENTRAL.pack_into(out, at, *fields)
        header = list(_LOCAL.unpack_from(out, local))
        if header[0] != b"PK\x03\x04":
            raise ValueError("broken local header")
        header[4], header[5] = _DOS_TIME, _DOS_DATE
        _LOCAL.pack_into(out, local, *header)
        at += _CENTRAL.size + fields[10] + fields[11] + fields[12]
    return bytes(out)
