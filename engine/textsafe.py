"""Display safety of text that came from users (cell contents, file and branch names).

The one place that decides how such text is shown: consoles, diagnostic messages and report
cells show it shortened (:func:`shorten`); terminals never receive a control character
from it (:func:`printable`); text from non-UTF-8 file names becomes valid UTF-8
(:func:`escape_surrogates`). ``results.json`` keeps every value whole and exact.

Every function here is linear in the length of its input.

How control characters are shown: as the escape a Python programmer would type, ASCII only,
so that it can be read, copied and searched for: ESC is ``\\x1b``, DEL ``\\x7f``, the C1
control U+009B ``\\x9b``, a bidirectional override U+202E ``\\u202e``. An undecodable byte of
a file name (a lone surrogate U+DC80–U+DCFF from ``os.fsdecode``) is shown as ``\\xNN`` of
that byte, as Python's ``backslashreplace`` would show it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

DEFAULT_LIMIT = 200

# Lone surrogates: U+DC80–U+DCFF are undecodable bytes of a file name (surrogateescape).
_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates
# (they reorder what a terminal shows). One pattern with newline allowed, one without.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})
# For JSON text: what json.dumps(ensure_ascii=False) leaves raw but a terminal may act on.
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shorten(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """``text`` itself when at most ``limit`` characters, else its first ``limit`` characters
    followed by ``…（共 N 字）`` (N the length of the whole text)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 字）"


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape_surrogates(text: str) -> str:
    """``text`` as valid UTF-8: each lone surrogate replaced by a visible escape, ``\\xNN`` of the
    undecodable byte it stands for (``os.fsdecode`` of a non-UTF-8 file name), else ``\\uDXXX``."""
    return _SURROGATES.sub(_escape_surrogate, text)


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False, limit: int | None = DEFAULT_LIMIT) -> str:
    """``text`` safe to write to a terminal: shortened to ``limit`` characters (see :func:`shorten`;
    ``None`` keeps it whole), lone surrogates escaped (see :func:`escape_surrogates`), and every
    C0/C1 control character, DEL and bidirectional control shown as its escape (``\\x1b``).
    Newlines are kept with ``keep_newlines`` (where a table cell may wrap), else shown as ``\\x0a``.

    The count in ``…（共 N 字）`` is of the characters of ``text`` as given.
    """
    shown = text if limit is None else shorten(text, limit)
    shown = escape_surrogates(shown)
    pattern = _CONTROLS_BUT_NEWLINE if keep_newlines else _CONTROLS
    return pattern.sub(_escape_control, shown)


def is_printable(text: str, *, keep_newlines: bool = False) -> bool:
    """True when :func:`printable` (without a limit) would return ``text`` unchanged."""
    pattern = _CONTROLS_BUT_NEWLINE if keep_newlines else _CONTROLS
    return pattern.search(text) is None and _SURROGATES.search(text) is None


def reveal(text: str) -> str:
    """``text`` with its invisible characters shown as ``\\uXXXX``: format characters such as
    the zero-width joiner or a byte-order mark, and white space other than the ASCII space
    (for messages that name a title differing from the expected one only by such characters)."""
    return "".join(f"\\u{ord(ch):04x}" if is_invisible(ch) else ch for ch in text)


def is_invisible(ch: str) -> bool:
    """A format character (Cf), a line or paragraph separator, or white space but the ASCII space."""
    return ch != " " and (ch.isspace() or unicodedata.category(ch) in _INVISIBLE_CATEGORIES)


def quoted_list(texts: Sequence[str], *, count: int = 20, limit: int = 40) -> str:
    """Titles found in a file, for a message: each in “”, invisible characters revealed, shortened
    to ``limit`` characters and printable; at most ``count`` of them, then ``等 N 个``."""
    shown = "、".join(f"“{printable(reveal(shorten(t, limit)), limit=None)}”" for t in texts[:count])
    return shown + (f" 等 {len(texts)} 个" if len(texts) > count else "")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(dumped: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` that is valid UTF-8 and safe on a
    terminal, and decodes to exactly the same values: DEL, C1 controls, bidirectional controls
    and lone surrogates, which ``json.dumps`` leaves raw, become ``\\uXXXX`` escapes (C0
    controls are escaped by ``json.dumps`` itself). Such characters can only occur inside
    JSON strings, where the escape means the same character."""
    return _JSON_RAW.sub(_json_escape, dumped)
