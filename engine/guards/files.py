"""The file-system entry: stat without opening, special files, size, a non-blocking open."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import IO

from engine.diagnostics import make
from engine.guards.rejections import (
    CORRUPT,
    FOLDER,
    GONE,
    LOOP,
    NO_PERMISSION,
    SPECIAL,
    _mib,
    _Rejected,
    _unreadable,
)


def _regular_size_ok(st: os.stat_result, max_size: int) -> bool:
    return stat.S_ISREG(st.st_mode) and st.st_size <= max_size


def _open_regular(path: Path) -> IO[bytes]:
    """Open for reading without blocking (a FIFO swapped in after ``stat`` opens at once)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    return os.fdopen(fd, "rb")


def _os_error(exc: OSError) -> _Rejected:
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOTDIR:
        return _unreadable(GONE)
    if exc.errno == errno.ELOOP:
        return _unreadable(LOOP)
    if isinstance(exc, PermissionError):
        return _unreadable(NO_PERMISSION)
    if exc.errno == errno.EINVAL:  # a seek to an offset the file's own directory gave: damaged
        return _unreadable(CORRUPT)
    if isinstance(exc, IsADirectoryError):
        return _unreadable(FOLDER)
    return _unreadable(f"文件打不开（{exc.strerror or type(exc).__name__}）")


def _check_entry(st: os.stat_result, max_size: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise _unreadable(FOLDER)
    if not stat.S_ISREG(st.st_mode):
        raise _unreadable(SPECIAL)
    if st.st_size == 0:
        raise _Rejected(make("file-empty"))
    if st.st_size > max_size:
        raise _Rejected(make("file-too-large", size=_mib(st.st_size), limit=_mib(max_size)))
