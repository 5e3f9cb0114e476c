"""File names made from user text (branch names, input file names): the one place that sanitises them.

:func:`safe_file_name` turns any text into one safe path component for Windows,
macOS and Linux; :class:`UniqueNames` keeps names distinct
ignoring case; :func:`inside` joins a name to the output folder and refuses any
result that would land outside it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

DEFAULT_MAX_BYTES = 150
EMPTY_NAME = "未命名"
REPLACEMENT = "_"

# Characters Windows does not allow in a file name (/ and \ are also path separators).
_RESERVED_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
_DOT_RUNS = re.compile(r"\.{2,}")
# Device names Windows reserves, alone or followed by an extension (con.txt, Aux.tar.gz).
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
# Unicode categories dropped: control, format (bidi overrides, zero-width), surrogates,
# private use, unassigned, line and paragraph separators.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_WHITESPACE_CONTROLS = frozenset("\t\n\r\v\f")
_MIN_BYTES = len(EMPTY_NAME.encode("utf-8")) + len("-999999")


class UnsafePathError(ValueError):
    """A name would resolve outside its folder (a bug, or a symbolic link planted in the folder)."""


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _truncate(text: str, max_bytes: int) -> str:
    """At most ``max_bytes`` UTF-8 bytes, cut between characters."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", errors="ignore")


def _is_reserved(name: str) -> bool:
    device = name.split(".", 1)[0].rstrip(" ").upper()
    return device in _RESERVED_NAMES


def _clean_characters(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _WHITESPACE_CONTROLS:
            out.append(" ")
        elif unicodedata.category(ch) not in _DROPPED_CATEGORIES:
            out.append(ch)
    cleaned = _trim(_RESERVED_CHARACTERS.sub(REPLACEMENT, "".join(out)))
    return _DOT_RUNS.sub(REPLACEMENT, cleaned)


def _trim(text: str) -> str:
    """No leading or trailing spaces or dots (hidden files; Windows drops trailing ones)."""
    return text.strip(" .\u3000")


def safe_file_name(text: str | None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """``text`` as one file-name component that is safe everywhere.

    Unicode NFC; control and invisible format characters dropped (tabs and line
    breaks become spaces); path separators and the characters Windows reserves
    (``<>:"/\\|?*``) and runs of dots (``..``) become ``_``; no leading or trailing
    dots or spaces; Windows device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, in any
    case, also with an extension) get a ``_`` prefix; at most ``max_bytes`` UTF-8
    bytes, never splitting a character. Empty text gives ``未命名``.
    """
    if max_bytes < _MIN_BYTES:
        raise ValueError(f"max_bytes must be at least {_MIN_BYTES}")
    name = _trim(_truncate(_clean_characters(text or ""), max_bytes))
    if _is_reserved(name):
        name = _trim(_truncate(REPLACEMENT + name, max_bytes))
    return name or EMPTY_NAME


class UniqueNames:
    """Hands out names that differ ignoring case, in the order asked: ``a``, ``a-2``, ``a-3``…"""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._taken: set[str] = set()

    def add(self, name: str) -> str:
        """``name`` itself if still free, else ``name-2``, ``name-3``… (cut to fit ``max_bytes``)."""
        candidate = name
        n = 1
        while candidate.casefold() in self._taken:
            n += 1
            suffix = f"-{n}"
            base = _trim(_truncate(name, self.max_bytes - _utf8_len(suffix)))
            candidate = (base or EMPTY_NAME) + suffix
        self._taken.add(candidate.casefold())
        return candidate


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, after checking that it resolves to a direct child of ``folder``."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise UnsafePathError(f"文件名“{name}”会写到输出文件夹 {folder} 之外")
    return folder / name
