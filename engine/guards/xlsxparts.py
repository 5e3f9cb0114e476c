"""Which parts of an xlsx package the reader will parse, found the way calamine finds them.

calamine opens ``xl/workbook.xml`` and ``xl/_rels/workbook.xml.rels`` (names compared
without regard to ASCII case), takes each ``sheet`` element's ``name`` and relationship id,
and reads the relationship's ``Target`` as the sheet's part: ``/xl/…`` from the package
root, anything else below ``xl/``, never normalised (``..`` is part of the name), whatever
its extension or content type. It parses a sheet only when asked for it by name, and the
reader asks only for the sheets it needs; ``xl/sharedStrings.xml`` is parsed on opening.

Everything here is a superset: every candidate part of every sheet whose name the reader
might ask for, in every reading of an attribute that calamine might take.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from collections.abc import Callable

from engine.contract import SHEET_ITEMS, SHEET_META, SHEET_PROFILE
from engine.reportcontract import SHEET_GAPS
from engine.roster.contract import SHEET_ROSTER

WORKBOOK = "xl/workbook.xml"
RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedstrings.xml"

# A tag's body up to its '>' outside quotes, or to the end of the part: a tag left open (which the
# reader cannot parse) ends the search instead of being searched again from every later '<'.
_BODY = rb"""((?:[^>"']++|"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z))*+)(?:(>)|\Z)"""
_SHEET = re.compile(rb"<(?:[^ \t\r\n:>]*+:)?sheet[ \t\r\n]" + _BODY)
_RELATIONSHIP = re.compile(rb"<(?:[^ \t\r\n:>]*+:)?Relationship[ \t\r\n]" + _BODY)
_ATTRIBUTE = re.compile(rb"""([^ \t\r\n=>/"']++)[ \t\r\n]*+=[ \t\r\n]*+(?:"([^"]*+)"|'([^']*+)')""")
_DECLARED = re.compile(rb"""^\s*+<\?xml[^>]*?encoding[ \t\r\n]*+=[ \t\r\n]*+["']([A-Za-z0-9._\-]{1,40})["']""")


def _skeleton(name: str) -> str:
    """A sheet name without what the eye cannot tell apart: NFKC, case, spaces and invisible characters."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "CZ")


# 问题清单: read back from returned reports by ``rectification import`` (engine.history.returned);
# 名册: a roster.
_NEEDED = {_skeleton(name) for name in (SHEET_PROFILE, SHEET_ITEMS, SHEET_META, SHEET_GAPS, SHEET_ROSTER)}


def may_be_read(sheet: str) -> bool:
    """Whether the reader (engine.intake.reader) may load the sheet called ``sheet``.

    A superset of the reader's own choice, which matches names exactly or after removing
    such differences; tests/test_guards.py keeps the two in step.
    """
    return _skeleton(sheet) in _NEEDED


def _attributes(body: bytes) -> list[tuple[bytes, bytes]]:
    return [(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTRIBUTE.finditer(body)]


def _texts(raw: bytes, encodings: tuple[str, ...]) -> set[str]:
    """An attribute value as calamine may read it: decoded as declared or as UTF-8, escaped or not."""
    found: set[str] = set()
    for encoding in encodings:
        try:
            text = raw.decode(encoding, errors="replace")
        except LookupError:
            continue
        found.update((text, html.unescape(text)))
    return found


def _encodings(data: bytes) -> tuple[str, ...]:
    declared = _DECLARED.match(data[:1024])
    if declared is None:
        return ("utf-8",)
    name = declared.group(1).decode("ascii")
    try:
        codecs.lookup(name)
    except LookupError:
        return ("utf-8",)
    return ("utf-8", name)


def _part_names(target: str) -> set[str]:
    """The part names (lower case) calamine may look up for a relationship target."""
    names = {target, "xl/" + target, target[1:] if target.startswith("/") else target}
    names |= {n.replace("\\", "/") for n in names}
    return {n.lower() for n in names}


_MAX_KEPT = 256  # workbook.xml and relationships seen, with the sheets they name (one template: one pair)
_MAX_KEPT_BYTES = 256 * 1024  # larger pairs are worked out each time, never kept
_kept: dict[tuple[bytes, bytes], dict[str, str]] = {}


def needed_sheets(read: Callable[[str], bytes | None]) -> dict[str, str]:
    """Part name (lower case) → sheet name, for every sheet the reader may load.

    ``read(name)`` gives a part's bytes by its lower-case name, or None. The answer depends on the
    bytes of the two parts alone: it is kept for the next file made from the same template.
    """
    rels = read(RELATIONSHIPS)
    book = read(WORKBOOK)
    if rels is None or book is None:
        return {}
    if len(rels) + len(book) > _MAX_KEPT_BYTES:
        return _needed(rels, book)
    key = (bytes(rels), bytes(book))
    found = _kept.get(key)
    if found is None:
        if len(_kept) >= _MAX_KEPT:
            _kept.clear()
        found = _kept[key] = _needed(rels, book)
    return dict(found)


def _needed(rels: bytes, book: bytes) -> dict[str, str]:
    targets: dict[str, set[str]] = {}
    rel_encodings = _encodings(rels)
    for match in _RELATIONSHIP.finditer(rels):
        if match.group(2) is None:
            break  # left open: the reader stops with an error there
        attributes = _attributes(match.group(1))
        ids = [value for key, value in attributes if key == b"Id"]
        for key, value in attributes:
            if key == b"Target":
                for rel_id in ids:
                    targets.setdefault(rel_id.decode("latin-1"), set()).update(_texts(value, rel_encodings))
    found: dict[str, str] = {}
    book_encodings = _encodings(book)
    for match in _SHEET.finditer(book):
        if match.group(2) is None:
            break
        attributes = _attributes(match.group(1))
        names = set().union(*(_texts(v, book_encodings) for k, v in attributes if k == b"name"))
        wanted = [n for n in names if may_be_read(n)]
        if not wanted:
            continue
        for key, value in attributes:
            if key == b"id" or key.endswith(b":id"):
                for target in targets.get(value.decode("latin-1"), ()):
                    for part in _part_names(target):
                        found.setdefault(part, min(wanted))
    return found
