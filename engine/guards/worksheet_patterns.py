"""The byte patterns of :mod:`engine.guards.worksheet`: the tokens of a worksheet part as
quick-xml yields them, and the runs of plain cells and empty rows taken whole.

Every pattern is possessive or bounded, so no input makes a match backtrack.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- the walk: tokens

_Q = rb"""(?:"[^"]*+"|'[^']*+')"""
_BODY = rb"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""  # a start tag up to its '>', as quick-xml reads it
_SKIP_MARKUP = rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
_NAME_PREFIX = rb"""(?:[^ \t\r\n:>"'/]*+:)?"""


def _skip_but(start_names: bytes, end_names: bytes) -> bytes:
    """Everything the reader ignores at one level: text, comments, CDATA, PIs, and start and end
    tags whose local names are not those given (a start tag with a quote in its name is never skipped)."""
    return (
        rb"(?:[^<]++|" + _SKIP_MARKUP + rb"|</(?!(?:[^:>]*+:)?(?:" + end_names + rb")[ \t\r\n]*+>)[^>]*+>"
        rb"|<(?![!?/])(?![^ \t\r\n>]*?[\"'])(?!"
        + _NAME_PREFIX
        + rb"(?:"
        + start_names
        + rb")(?:[ \t\r\n]|/?>))"
        + _BODY
        + rb">)*+"
    )


_TOKEN = rb"(?:</(?P<end>[^>]*+)>|<(?P<start>(?![!?/])" + _BODY + rb")>|(?P<bang><!)|(?P<eof><|\Z))"

# Before sheetData: only dimension and sheetData start tags matter.
_BEFORE = re.compile(_skip_but(rb"dimension|sheetData", rb"(?!)") + _TOKEN, re.S)

# Plain cells and empty rows, taken in runs.
_KEY_NOT_R = rb"""(?:r[^ \t\r\n=>/"']++|[^r \t\r\n=>/"'][^ \t\r\n=>/"']*+)"""
_ATTR_NOT_R = rb"[ \t\r\n]++" + _KEY_NOT_R + rb"[ \t\r\n]*+=[ \t\r\n]*+" + _Q
_ATTRS = rb"(?:[ \t\r\n]++[^ \t\r\n=>/\"']++[ \t\r\n]*+=[ \t\r\n]*+" + _Q + rb")*+[ \t\r\n]*+"
_CONTENT = (
    rb"(?:[^<]++|<v>[^<]*+</v>|<v/>|<f" + _ATTRS + rb"(?:/>|>[^<]*+</f>)"
    rb"|<is><t" + _ATTRS + rb">[^<]*+</t></is>)*+"
)
_END_OF_CELL = rb"[ \t\r\n]*+(?:/>|>" + _CONTENT + rb"</c>)"
_SAFE_REF = rb"(?:[A-Fa-f][A-Za-z]|[Gg][A-Ra-r]|[A-Za-z])0*+(?:[1-9][0-9]{0,2}|[1-4][0-9]{3}|5000)"
_R = rb"[ \t\r\n]++r[ \t\r\n]*+=[ \t\r\n]*+"
_ANY_REF = rb"[A-Za-z]{1,3}[0-9]{1,7}"


def _run(item: bytes, last: bytes) -> bytes:
    """A run of ``item`` whose last one is matched by ``last`` (which captures what the walk needs).

    Each item but the last is taken only when the next one follows whole (a lookahead), so the
    run never gives anything back; no group captures inside a repetition (the re module can
    fail on those under a possessive repeat, and keeps every repetition of a greedy one).
    """
    return rb"(?:" + item + rb"[^<]*+(?=" + item + rb"))*+" + last + rb"[^<]*+"


def _with_r(r1: bytes, r2: bytes, r3: bytes, r4: bytes) -> bytes:
    """A plain cell with one ``r``: within the limits when it may hold a value, any when empty."""
    return (
        rb"(?:<c(?:" + _ATTR_NOT_R + rb")*+" + _R + rb"(?:\"" + r1 + _SAFE_REF + rb")\"|'" + r2 + _SAFE_REF + rb")')"
        rb"(?:"
        + _ATTR_NOT_R
        + rb")*+"
        + _END_OF_CELL
        + rb"|<c(?:"
        + _ATTR_NOT_R
        + rb")*+"
        + _R
        + rb"(?:\""
        + r3
        + _ANY_REF
        + rb")\"|'"
        + r4
        + _ANY_REF
        + rb")')"
        rb"(?:" + _ATTR_NOT_R + rb")*+[ \t\r\n]*+/>)"
    )


def _plain(r: bytes) -> bytes:
    """A cell as Excel, WPS and openpyxl write it: one safe ``r`` first, plain attributes, an optional
    value or inline string."""
    return (
        rb'<c r="' + r + _SAFE_REF + rb'")(?: [a-qs-z][a-z]*+="[^"]*+")*+'
        rb"(?: ?/>|>(?:<v>[^<]*+</v>|<is><t>[^<]*+</t></is>)?</c>)"
    )


def _row_with_r(rr: bytes, rq: bytes) -> bytes:
    return (
        rb"<row(?:" + _ATTR_NOT_R + rb")*+" + _R + rb"(?:\"" + rr + rb"[0-9]{1,9})\"|'" + rq + rb"[0-9]{1,9})')"
        rb"(?:" + _ATTR_NOT_R + rb")*+[ \t\r\n]*+/>"
    )


_NO = rb"(?:"  # an item inside a run captures nothing
_CELLS_WITHOUT_R = rb"(?P<bare>(?:<c(?:" + _ATTR_NOT_R + rb")*+" + _END_OF_CELL + rb"[^<]*+)++)"
_CELLS_WITH_R = (
    rb"(?P<refs>" + _run(_with_r(_NO, _NO, _NO, _NO), _with_r(b"(?P<r1>", b"(?P<r2>", b"(?P<r3>", b"(?P<r4>")) + rb")"
)
# No double quote inside a double-quoted value, no '<' in a value: the last '<c r="' is the last cell.
_PLAIN_CELLS = rb"(?P<plain>(?:" + _plain(_NO) + rb")++)"
# A whole row of cells each placed by a safe ``r`` (or empty): one match, whatever its length.
_SAFE_ROW = (
    rb"(?P<row><row(?:" + _ATTR_NOT_R + rb")*+(?:" + _R + rb"(?:\"(?P<rowr>[0-9]{1,9})\"|'(?P<rowq>[0-9]{1,9})')"
    rb"(?:"
    + _ATTR_NOT_R
    + rb")*+)?[ \t\r\n]*+>[^<]*+(?:(?:"
    + _plain(_NO)
    + rb"|"
    + _with_r(_NO, _NO, _NO, _NO)
    + rb")[^<]*+)*+</row>)"
)
_EMPTY_ROWS = rb"(?P<rows>(?:<row(?:" + _ATTR_NOT_R + rb")*+[ \t\r\n]*+/>[^<]*+)++)"
_EMPTY_ROWS_WITH_R = rb"(?P<rrows>" + _run(_row_with_r(_NO, _NO), _row_with_r(b"(?P<rr>", b"(?P<rq>")) + rb")"
# In sheetData: rows, cells, the end of sheetData.
_DATA = re.compile(
    _skip_but(rb"row|c", rb"row|sheetData")
    + rb"(?:"
    + _SAFE_ROW
    + rb"|"
    + _PLAIN_CELLS
    + rb"|"
    + _CELLS_WITHOUT_R
    + rb"|"
    + _CELLS_WITH_R
    + rb"|"
    + _EMPTY_ROWS
    + rb"|"
    + _EMPTY_ROWS_WITH_R
    + rb"|"
    + _TOKEN
    + rb")",
    re.S,
)
# Inside a cell and its children: every tag (their names decide).
_ANY = re.compile(rb"(?:[^<]++|" + _SKIP_MARKUP + rb")*+" + _TOKEN, re.S)
# Inside a value: only end tags (start tags are skipped, as the reader skips them there).
_ENDS = re.compile(rb"(?:[^<]++|" + _SKIP_MARKUP + rb"|<(?![!?/])" + _BODY + rb">)*+" + _TOKEN, re.S)

_NAME = re.compile(rb"[^ \t\r\n]*+")
_R_VALUE = re.compile(rb"""(?:^|[ \t\r\n])r[ \t\r\n]*+=[ \t\r\n]*+(?:"([^"]*+)"|'([^']*+)')""")
_REF_VALUE = re.compile(rb"""(?:^|[ \t\r\n])ref[ \t\r\n]*+=[ \t\r\n]*+(?:"([^"]*+)"|'([^']*+)')""")
_POSITION = re.compile(rb"([A-Za-z]*+)([0-9]++)")
_LETTERS = re.compile(rb"[A-Za-z]*+")
_CELL_REF = re.compile(rb"\$?([A-Za-z]++)\$?([0-9]++)")
