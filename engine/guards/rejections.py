"""How a guard says no: the exception that carries the diagnostic, its reasons and message helpers."""

from __future__ import annotations

from engine.diagnostics import Diagnostic, make
from engine.guards.limits import MAX_COLUMNS, MAX_ROWS, MIB

# Reasons given with file-unreadable (template: 无法读取文件：{reason}).
CORRUPT = "文件已损坏"
GONE = "文件已不存在（可能在读取前被移走或删除）"
FOLDER = "这是一个文件夹，不是文件"
SPECIAL = "这不是普通文件（是管道、设备等特殊文件）"
NO_PERMISSION = "没有读取权限，请检查文件的权限设置"
LOOP = "快捷方式（符号链接）循环指向自身，找不到实际的文件"
METHOD = "文件已损坏或使用了不支持的压缩方式"


class _Rejected(Exception):
    """Carries the diagnostic out of the nested checks."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _unreadable(reason: str) -> _Rejected:
    return _Rejected(make("file-unreadable", reason=reason))


def _zip_unsafe(reason: str) -> _Rejected:
    return _Rejected(make("zip-unsafe", reason=reason))


def _short(text: str, limit: int = 60) -> str:
    """Names and values taken from the file, cut for a message (they may be megabytes long)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mib(size: int) -> str:
    """A size in MiB for a message, rounded up to 0.01 (20 MiB and 1 byte is 20.01, not 20)."""
    hundredths = -(-size * 100 // MIB)
    return f"{hundredths / 100:.2f}".rstrip("0").rstrip(".")


def _too_large(sheet: str, found: str) -> _Rejected:
    return _Rejected(make("sheet-too-large", name=_short(sheet), found=found, rows=MAX_ROWS, columns=MAX_COLUMNS))
