"""Per-branch templates, many of them fast: the bytes :func:`~engine.template.writer.write_template`
writes for a branch, without building and compressing the whole workbook again for each.

Templates for different branches differ only in what :func:`~engine.template.writer.prefill` sets
(the 支部名称 cell of 支部信息 and its row's height). The workbook without a branch is built once
per process and rule set and kept, with its finished archive; for a branch, ``prefill`` fills it in,
the sheets it changed are written again by openpyxl and compressed, and put in place of their old
entries, every other entry copied as it is; then ``prefill`` sets the workbook back. The result is
byte-identical to the full build (``tests/test_template.py`` compares them), and deterministic.

A name a spreadsheet would read as a formula gets the quote-prefix style, which the common
workbook has no format for: such names take the full build. Not thread-safe (the common
workbook is changed while a branch's sheets are written).
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine.cells import cell_text, looks_like_formula
from engine.rules.model import RuleSet
from engine.xlsx import normalised_entry, save_bytes
from engine.xlsxsheet import sheet_xml

_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory file header
_END = struct.Struct("<4s4H2LH")  # end of central directory


@dataclass
class _Entry:
    name: str
    local: bytes  # local header and compressed data
    central: bytes  # central directory record (its offset rewritten when placed)


@dataclass
class _Common:
    rules: RuleSet
    wb: Workbook  # built without a branch
    entries: list[_Entry]  # its archive


_cache: list[_Common] = []  # one rule set at a time


def render_template(rules: RuleSet, branch: str | None = None) -> bytes:
    """The bytes of the template for ``branch`` (as ``write_template`` writes them)."""
    from engine.template.writer import build_template, prefill

    if branch is None or rules.field_with_role("branch_name") is None or looks_like_formula(cell_text(branch)):
        return save_bytes(build_template(rules, branch))
    common = _common(rules)
    try:
        parts = {_part(ws): normalised_entry(_part(ws), _sheet_xml(ws)) for ws in prefill(common.wb, rules, branch)}
    finally:
        prefill(common.wb, rules, None)
    return _assemble(common.entries, parts)


def _common(rules: RuleSet) -> _Common:
    from engine.template.writer import build_template

    for found in _cache:
        if found.rules is rules:
            return found
    wb = build_template(rules)
    common = _Common(rules, wb, _entries(save_bytes(wb)))
    _cache[:] = [common]
    return common


def _part(ws: Worksheet) -> str:
    return str(ws.path).lstrip("/")


def _sheet_xml(ws: Worksheet) -> bytes:
    """The worksheet's XML as the workbook's first save writes it."""
    ws.column_dimensions.max_outline = None  # the first save computed it only after writing it
    return sheet_xml(ws)[0]


def _entries(data: bytes) -> list[_Entry]:
    """The entries of a plain zip archive (as ``zipfile`` writes it: no gaps, no comment), in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    signature, _, _, _, count, _, start, _ = _END.unpack_from(data, len(data) - _END.size)
    assert signature == b"PK\x05\x06" and count == len(infos)
    entries = []
    at = start
    for n, info in enumerate(infos):
        fields = _CENTRAL.unpack_from(data, at)
        length = _CENTRAL.size + fields[10] + fields[11] + fields[12]
        end = infos[n + 1].header_offset if n + 1 < len(infos) else start
        entries.append(_Entry(info.filename, data[info.header_offset : end], data[at : at + length]))
        at += length
    return entries


def _assemble(entries: list[_Entry], parts: dict[str, bytes]) -> bytes:
    """The archive of ``entries``, each named in ``parts`` taken from its one-entry archive there."""
    new = {name: _entries(archive)[0] for name, archive in parts.items()}
    assert set(new) <= {e.name for e in entries}
    body = bytearray()
    central = bytearray()
    for entry in entries:
        chosen = new.get(entry.name, entry)
        record = bytearray(chosen.central)
        struct.pack_into("<L", record, 42, len(body))  # the local header's offset
        body += chosen.local
        central += record
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)
