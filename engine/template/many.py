"""Per-branch templates, many of them fast: the bytes :func:`~engine.template.writer.write_template`
writes for a branch, without building and compressing the whole workbook again for each.

Templates for different branches differ in one part only: the 支部信息 worksheet, whose 支部名称
cell holds the branch (and whose row is as tall as that text needs). The workbook without a
branch is built once per process and rule set and kept as its finished archive; for a branch,
that one worksheet is written again by openpyxl with the name filled in, compressed, and put in
place of the old one, every other entry copied as it is. The result is byte-identical to the
full build (``tests/test_template.py`` compares them), and deterministic like it.

A name a spreadsheet would read as a formula gets the quote-prefix style, which the common
workbook has no format for: such names take the full build. Not thread-safe (the common
workbook is briefly changed while its worksheet is written).
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet

from engine import contract as c
from engine.cells import cell_text, looks_like_formula
from engine.rules.model import RuleSet
from engine.xlsx import normalised_entry, row_height, save_bytes, write_text

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
    sheet: Worksheet  # 支部信息 of the workbook without a branch
    part: str  # its name in the archive
    row: int  # the row of the branch_name field
    entries: list[_Entry]
    label: str  # the field's label and hint beside the name (they decide the row's height too)
    hint: str

    def height(self, branch: str) -> float:
        """The row's height as the full build sets it (writer._profile_sheet, writer._fit)."""
        from engine.template.writer import LINE_HEIGHT, PROFILE_WIDTHS

        cells = zip((self.label, branch, self.hint), PROFILE_WIDTHS, strict=True)
        return row_height([(t, w) for t, w in cells if isinstance(t, str)], line_height=LINE_HEIGHT)


_cache: list[_Common] = []  # one rule set at a time


def render_template(rules: RuleSet, branch: str | None = None) -> bytes:
    """The bytes of the template for ``branch`` (as ``write_template`` writes them)."""
    from engine.template.writer import build_template

    if branch is None or rules.field_with_role("branch_name") is None or looks_like_formula(cell_text(branch)):
        return save_bytes(build_template(rules, branch))
    common = _common(rules)
    ws, row = common.sheet, common.row
    cell = ws.cell(row=row, column=2)
    dimension = ws.row_dimensions[row]
    height = dimension.height
    write_text(cell, branch)
    dimension.height = common.height(branch)
    try:
        xml = _sheet_xml(ws)
    finally:
        cell.value = None
        dimension.height = height
    return _assemble(common.entries, common.part, normalised_entry(common.part, xml))


def _common(rules: RuleSet) -> _Common:
    from engine.template import texts
    from engine.template.writer import PROFILE_HEADER_ROW, build_template

    for found in _cache:
        if found.rules is rules:
            return found
    wb = build_template(rules)
    data = save_bytes(wb)
    sheet = wb[c.SHEET_PROFILE]
    row, field = next(
        (n, f) for n, f in enumerate(rules.profile, start=PROFILE_HEADER_ROW + 1) if f.role == "branch_name"
    )
    hint = texts.field_hint(field, rules)
    common = _Common(rules, sheet, sheet.path.lstrip("/"), row, _entries(data), field.label, hint)
    _cache[:] = [common]
    return common


def _sheet_xml(ws: Worksheet) -> bytes:
    """The worksheet's XML as the workbook's first save writes it."""
    ws.column_dimensions.max_outline = None  # the first save computed it only after writing it
    out = io.BytesIO()
    writer = WorksheetWriter(ws, out=out)
    writer.write()
    return out.getvalue()


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


def _assemble(entries: list[_Entry], part: str, replacement: bytes) -> bytes:
    """The archive of ``entries`` with entry ``part`` taken from ``replacement`` (a one-entry archive)."""
    (new,) = _entries(replacement)
    body = bytearray()
    central = bytearray()
    for entry in entries:
        chosen = new if entry.name == part else entry
        record = bytearray(chosen.central)
        struct.pack_into("<L", record, 42, len(body))  # the local header's offset
        body += chosen.local
        central += record
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)
