"""Text from users and file systems made safe to show: valid UTF-8, no control characters."""

from __future__ import annotations


def escape_surrogates(text: str) -> str:
    r"""Lone surrogates (undecodable bytes of a non-UTF-8 file name) shown as ``\xNN``: valid UTF-8 out."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of byte code - 0xDC00
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
