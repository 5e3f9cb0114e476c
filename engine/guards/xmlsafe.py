"""XML parts: the encoding and the prolog up to the root element, no DTD or entity declaration."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from engine.diagnostics import make
from engine.guards.limits import MAX_PROLOG
from engine.guards.rejections import CORRUPT, _Rejected, _short, _unreadable

# ---------------------------------------------------------------- XML parts


@dataclass
class _Prolog:
    encoding: str
    root: str  # qualified name of the root element


_NAME_START = re.compile(r"<([^\s/>!?]+)")


def _encoding(head: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) for XML-looking bytes; None when the part is not XML."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None  # UTF-32: no spreadsheet writes it and the reader cannot decode it
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    if head.startswith(b"<\x00"):
        return "utf-16-le", 0
    if head.startswith(b"\x00<"):
        return "utf-16-be", 0
    stripped = head.lstrip(b" \t\r\n")
    if stripped.startswith(b"<") or not stripped:
        return "utf-8", 0
    return None


def _prolog(part: str, head: bytes, final: bool) -> _Prolog | None:
    """The prolog of an XML part up to its root element; None when more bytes are needed.

    Raises for a DTD or entity declaration, for text before the root (not XML), and for
    a prolog longer than MAX_PROLOG.
    """
    found = _encoding(head)
    if found is None:
        raise _unreadable(CORRUPT)
    encoding, bom = found
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head[bom:], final=final)
    i = 0
    n = len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            break
        if text[i] != "<":
            raise _unreadable(CORRUPT)
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                break
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                break
            i = end + 3
        elif text.startswith("<!", i):
            if n - i < 4 and "<!--".startswith(text[i:]):
                break
            raise _Rejected(make("xml-unsafe", part=_short(part), what="DTD 或实体声明（<!DOCTYPE、<!ENTITY）"))
        else:
            match = _NAME_START.match(text, i)
            if match is None or match.end() == n:
                break
            return _Prolog(encoding, match.group(1))
    if len(head) > MAX_PROLOG:
        raise _Rejected(make("xml-unsafe", part=_short(part), what=f"文件头超过 {MAX_PROLOG // 1024} KiB"))
    if final:
        raise _unreadable(CORRUPT)  # no root element at all
    return None
