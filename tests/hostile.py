"""A corpus of hostile, broken and odd inputs, built from code (no binary blobs are committed).

``build_corpus(folder, rules)`` writes, into ``folder``, valid filled workbooks of the bundled
rule set (engine.demo.generate), odd-but-valid ones that must still be scored, and at least 25
bad inputs, each with the diagnostic code and the Chinese text its rejection must carry.
Cases this machine cannot build honestly (``chmod 000`` when running as root, FIFOs or
symbolic links where the OS has none) are listed in ``Corpus.skipped`` with the reason.

The byte-level helpers (``ole2``, ``biff8``, ``rezip``…) are also used by tests/test_guards.py.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from openpyxl import load_workbook

from engine import contract as c
from engine.demo.branches import BranchSpec
from engine.demo.generate import batch_specs, write_branch
from engine.rules.model import RuleSet
from engine.template import write_template

MIB = 1024 * 1024

# ---------------------------------------------------------------- expected reasons

CORRUPT = "无法读取文件：文件已损坏"
GONE = "文件已不存在"
SPECIAL = "这不是普通文件"
FOLDER = "这是一个文件夹，不是文件"
LOOP = "循环指向自身"
NO_PERMISSION = "没有读取权限"
ENCRYPTED = "文件已加密，请去除密码后重新提交"
NOT_EXCEL = "不是 Excel 文件"
UNSUPPORTED = "不支持的文件类型"
DTD = "DTD 或实体声明"
TOO_LARGE_SHEET = "超出自评表的合理范围（最多 5000 行、200 列）"

# ---------------------------------------------------------------- OLE2 (compound file) writer

_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FATSECT = 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole2(streams: Mapping[str, bytes]) -> bytes:
    """A minimal, valid compound file (version 3, 512-byte sectors) holding ``streams`` at the root.

    Every stream is padded to at least 4096 bytes so that it lives in ordinary sectors
    (no mini stream is needed).
    """
    sector = 512
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(4096, b"\x00") for n in names]
    data_sectors = [(len(d) + sector - 1) // sector for d in datas]
    entries = 1 + len(names)
    dir_sectors = (entries + 3) // 4
    fat_sectors = 1
    while fat_sectors * (sector // 4) < fat_sectors + dir_sectors + sum(data_sectors):
        fat_sectors += 1
    fat = [_FATSECT] * fat_sectors
    first_dir = len(fat)
    fat += [len(fat) + i + 1 for i in range(dir_sectors - 1)] + [_END]
    starts = []
    for count in data_sectors:
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * (sector // 4) - len(fat))

    def entry(name: str, kind: int, start: int, size: int, right: int, child: int) -> bytes:
        raw = name.encode("utf-16-le")
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB3L", len(raw) + 2, kind, 1, _NOSTREAM, right, child)
            + b"\x00" * 36
            + struct.pack("<LLL", start, size, 0)
        )

    directory = entry("Root Entry", 5, _END, 0, _NOSTREAM, 1 if names else _NOSTREAM)
    for n, (name, data) in enumerate(zip(names, datas, strict=True)):
        right = n + 2 if n + 1 < len(names) else _NOSTREAM
        directory += entry(name, 2, starts[n], len(data), right, _NOSTREAM)
    unused = b"\x00" * 64 + struct.pack("<HBB3L", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\x00" * 48
    directory = directory.ljust(dir_sectors * sector, b"\x00")
    directory = b"".join(
        directory[i : i + 128] if directory[i : i + 128].strip(b"\x00") else unused
        for i in range(0, len(directory), 128)
    )
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    header = (
        OLE2_MAGIC
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<9L", 0, fat_sectors, first_dir, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109L", *difat)
    )
    assert len(header) == 512
    body = struct.pack(f"<{len(fat)}L", *fat) + directory
    body += b"".join(d.ljust(count * sector, b"\x00") for d, count in zip(datas, data_sectors, strict=True))
    return header + body


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff8(
    sheet: str,
    cells: Mapping[tuple[int, int], float],
    *,
    filepass: bool = False,
    dimensions: tuple[int, int] | None = None,
) -> bytes:
    """A minimal BIFF8 Workbook stream: one worksheet with NUMBER cells at 0-based (row, column);
    its DIMENSIONS record declares the cells' extent, or ``dimensions`` (rows, columns)."""
    bof_globals = _record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    filepass_record = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48) if filepass else b""
    name = sheet.encode("utf-16-le")
    codepage = _record(0x0042, struct.pack("<H", 1200))

    def boundsheet(offset: int) -> bytes:
        return _record(0x0085, struct.pack("<LBBBB", offset, 0, 0, len(sheet), 1) + name)

    eof = _record(0x000A)
    globals_len = len(bof_globals + filepass_record + codepage + boundsheet(0) + eof)
    globals_ = bof_globals + filepass_record + codepage + boundsheet(globals_len) + eof
    rows = max((r for r, _ in cells), default=0) + 1
    cols = max((col for _, col in cells), default=0) + 1
    if dimensions is not None:
        rows, cols = dimensions
    body = _record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
    body += _record(0x0200, struct.pack("<LLHHH", 0, rows, 0, cols, 0))
    for (row, col), value in sorted(cells.items()):
        body += _record(0x0203, struct.pack("<HHHd", row, col, 15, value))
    return globals_ + body + eof


def xls_sheet_inside_a_record(far: tuple[int, int] = (60000, 250)) -> bytes:
    """A Workbook stream whose second BOUNDSHEET points into the body of an unknown record of the
    globals, where a whole sheet (BOF, a value in A1 and one at ``far``, EOF) hides: a walk from the
    start steps over it, the reader goes there."""
    bof_globals = _record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    bof_sheet = _record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
    eof = _record(0x000A)

    def number(row: int, col: int) -> bytes:
        return _record(0x0203, struct.pack("<HHHd", row, col, 15, 1.0))

    def boundsheet(offset: int, name: str) -> bytes:
        return _record(0x0085, struct.pack("<LBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    head = bof_globals + _record(0x0042, struct.pack("<H", 1200))
    sheets_len = len(boundsheet(0, c.SHEET_ITEMS)) + len(boundsheet(0, "附表"))
    hidden = _record(0x1234, bof_sheet + number(0, 0) + number(*far) + eof)
    visible_at = len(head) + sheets_len + len(hidden) + len(eof)
    hidden_at = len(head) + sheets_len + 4  # inside the unknown record's body
    globals_ = head + boundsheet(visible_at, c.SHEET_ITEMS) + boundsheet(hidden_at, "附表") + hidden + eof
    return globals_ + bof_sheet + number(0, 0) + eof


# ---------------------------------------------------------------- other formats from code


def png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">L", len(data)) + kind + data + struct.pack(">L", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">LLBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def zip_bytes(entries: Mapping[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are wanted sometimes
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, data in entries.items():
                archive.writestr(name.split("\0", 1)[0], data)
    return buffer.getvalue()


def parts(workbook: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(workbook: Path, out: Path, changes: Mapping[str, bytes | None]) -> Path:
    """A copy of ``workbook`` with parts replaced (``None`` removes a part, new names are added)."""
    entries = parts(workbook)
    for name, data in changes.items():
        if data is None:
            entries.pop(name, None)
        else:
            entries[name] = data
    out.write_bytes(zip_bytes(entries))
    return out


def sheet_part(workbook: Path, title: str) -> str:
    """The part name of the worksheet called ``title``."""
    entries = parts(workbook)
    rels = dict(re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', entries["xl/_rels/workbook.xml.rels"]))
    rels.update(
        {k: v for v, k in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', entries["xl/_rels/workbook.xml.rels"])}
    )
    for name, rid in re.findall(rb'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', entries["xl/workbook.xml"]):
        if name.decode() == title:
            target = rels[rid].decode()
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(title)


def _central_directory_offset(data: bytes) -> int:
    at = data.rfind(b"PK\x05\x06")
    return int(struct.unpack_from("<L", data, at + 16)[0])


def patch_entry(
    data: bytes,
    name: str,
    *,
    size: int | None = None,
    flags: int | None = None,
    method: int | None = None,
    crc_flip: bool = False,
) -> bytes:
    """The zip ``data`` with the declared uncompressed size, the flags, the compression method or
    (inverted) the CRC-32 of ``name`` changed in both its local header and its central directory
    record (no ZIP64)."""
    out = bytearray(data)
    encoded = name.encode()
    at = _central_directory_offset(data)
    while out[at : at + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, at + 28)
        if bytes(out[at + 46 : at + 46 + name_len]) == encoded:
            (local,) = struct.unpack_from("<L", out, at + 42)
            if size is not None:
                struct.pack_into("<L", out, at + 24, size)
                struct.pack_into("<L", out, local + 22, size)
            if flags is not None:
                struct.pack_into("<H", out, at + 8, flags)
                struct.pack_into("<H", out, local + 6, flags)
            if method is not None:
                struct.pack_into("<H", out, at + 10, method)
                struct.pack_into("<H", out, local + 8, method)
            if crc_flip:
                (crc,) = struct.unpack_from("<L", out, at + 16)
                struct.pack_into("<L", out, at + 16, crc ^ 0xFFFFFFFF)
                struct.pack_into("<L", out, local + 14, crc ^ 0xFFFFFFFF)
            return bytes(out)
        at += 46 + name_len + extra_len + comment_len
    raise KeyError(name)


def flip_byte_in(data: bytes, name: str) -> bytes:
    """``data`` with one byte in the middle of the compressed bytes of ``name`` inverted."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    name_len, extra_len = struct.unpack_from("<HH", out, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    out[start + info.compress_size // 2] ^= 0xFF
    return bytes(out)


def flip_crc_of(data: bytes, name: str) -> bytes:
    """``data`` with the CRC-32 recorded for ``name`` (local and central headers) not matching its
    content. Unlike a flipped byte of the compressed data, which may inflate to a corrupt stream
    or to more bytes than declared depending on the exact bytes, this is damage of one kind."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        central = archive.start_dir
    out[info.header_offset + 14] ^= 0xFF
    at = central
    while out[at : at + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, at + 28)
        if bytes(out[at + 46 : at + 46 + name_len]) == name.encode():
            out[at + 16] ^= 0xFF
        at += 46 + name_len + extra_len + comment_len
    return bytes(out)


def bomb(out: Path, size: int, name: str = "xl/worksheets/sheet1.xml") -> Path:
    """A zip whose one entry is ``size`` zero bytes, written streaming (little memory)."""
    block = b"\x00" * MIB
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w", force_zip64=True) as w:
        for _ in range(size // MIB):
            w.write(block)
    return out


def far_cell_workbook(out: Path, dimension: str = "A1") -> Path:
    """A small xlsx with values in A1 and XFD1048576 whose sheet declares ``dimension``."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = c.SHEET_ITEMS
    ws["A1"] = "编号"
    ws["XFD1048576"] = "是"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(buffer.getvalue())
    sheet = parts(tmp)["xl/worksheets/sheet1.xml"]
    sheet = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="' + dimension.encode() + b'"/>', sheet)
    rezip(tmp, out, {"xl/worksheets/sheet1.xml": sheet})
    tmp.unlink()
    return out


# A value in A1 and one in the last cell of a sheet: the reader would lay out 16384 × 1048576 cells.
FAR_ROWS = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
SPREADSHEETML = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(rows: bytes, *, before: bytes = b"", root: bytes = b"worksheet", prefix: bytes = b"") -> bytes:
    """A worksheet part holding ``rows`` in its sheetData, after ``before``; its root element called
    ``root``; with ``prefix``, every element of it in that namespace prefix."""
    p = prefix + b":" if prefix else b""
    xmlns = b"xmlns" + (b":" + prefix if prefix else b"")
    if prefix:
        rows = re.sub(rb"<(/?)(row|c|v)\b", lambda m: b"<" + m.group(1) + p + m.group(2), rows)
    return (
        before
        + b"<"
        + p
        + root
        + b" "
        + xmlns
        + b'="'
        + SPREADSHEETML
        + b'"><'
        + p
        + b"sheetData>"
        + rows
        + b"</"
        + p
        + b"sheetData></"
        + p
        + root
        + b">"
    )


def replace_sheet(workbook: Path, out: Path, title: str, xml: bytes, *, part: str | None = None) -> Path:
    """A copy of ``workbook`` whose sheet ``title`` holds ``xml``; with ``part``, stored under that
    part name, the workbook's relationship pointing there (``/…`` from the package root, else below xl/)."""
    old = sheet_part(workbook, title)
    if part is None:
        return rezip(workbook, out, {old: xml})
    rels = parts(workbook)["xl/_rels/workbook.xml.rels"]
    target = re.search(rb'Target="(/?(?:xl/)?' + re.escape(old.removeprefix("xl/").encode()) + rb')"', rels)
    assert target is not None, rels
    rels = rels.replace(target.group(0), b'Target="' + part.encode() + b'"')
    stored = part[1:] if part.startswith("/") else "xl/" + part
    return rezip(workbook, out, {old: None, "xl/_rels/workbook.xml.rels": rels, stored: xml})


def with_shared_strings_count(workbook: Path, out: Path, count: int) -> Path:
    """A copy of ``workbook`` whose shared strings (read by name, added when missing) declare
    ``uniqueCount`` = ``count``."""
    strings = parts(workbook).get(
        "xl/sharedStrings.xml", b'<sst xmlns="' + SPREADSHEETML + b'"><si><t>a</t></si></sst>'
    )
    strings = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="%d"' % count, strings)
    if b"uniqueCount" not in strings:
        strings = strings.replace(b"<sst ", b'<sst uniqueCount="%d" ' % count, 1)
    return rezip(workbook, out, {"xl/sharedStrings.xml": strings})


def with_far_cell_in_another_sheet(workbook: Path, out: Path, title: str = "附表") -> Path:
    """A copy of ``workbook`` with one more sheet, which no reader of the self-assessment needs,
    holding values in A1 and XFD1048576."""
    wb = load_workbook(workbook)
    ws = wb.create_sheet(title)
    ws["A1"] = "备注"
    ws["XFD1048576"] = "远处的单元格"
    wb.save(out)
    return out


def ods(content_table: bytes) -> bytes:
    """A minimal .ods whose content.xml holds one table with the given rows."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        b'<office:body><office:spreadsheet><table:table table:name="'
        + c.SHEET_ITEMS.encode()
        + b'">'
        + content_table
        + b"</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10)
    )
    + b']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
)
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


# ---------------------------------------------------------------- valid and odd workbooks


def _answer_cells(path: Path) -> tuple[int, dict[str, int]]:
    """(the 自评结果 column, the row of each 编号) of the 自评表 sheet (1-based)."""
    wb = load_workbook(path)
    ws = wb[c.SHEET_ITEMS]
    for row in ws.iter_rows(min_row=1, max_row=10):
        titles = {str(cell.value).strip(): cell.column for cell in row if cell.value is not None}
        if c.COL_ID in titles and c.COL_SELF in titles:
            header = row[0].row
            rows = {
                str(r[titles[c.COL_ID] - 1].value).strip(): r[0].row
                for r in ws.iter_rows(min_row=header + 1)
                if r[titles[c.COL_ID] - 1].value is not None
            }
            return titles[c.COL_SELF], rows
    raise ValueError("no header")


def raw_texts(source: Path, out: Path, sheet: str, texts: Mapping[tuple[int, int], str]) -> Path:
    """``source`` with the cells at 1-based (row, column) of ``sheet`` holding ``texts`` exactly:
    any length (openpyxl cuts text at 32,767 characters) and any character, control bytes
    such as ESC included (written raw into the XML, where calamine reads them as they are)."""
    wb = load_workbook(source)
    ws = wb[sheet]
    marks = {f"@@hostile-{n}@@": text for n, text in enumerate(texts.values())}
    for (row, column), mark in zip(texts, marks, strict=True):
        ws.cell(row=row, column=column).value = mark
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    changes: dict[str, bytes | None] = {}
    for name, data in parts(tmp).items():
        patched = data
        for mark, text in marks.items():
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            patched = patched.replace(mark.encode(), escaped.encode("utf-8"))
        if patched != data:
            changes[name] = patched
    rezip(tmp, out, changes)
    tmp.unlink()
    return out


def profile_rows(path: Path) -> dict[str, int]:
    """The 1-based row of each 支部信息 label (the value is in column B)."""
    ws = load_workbook(path)[c.SHEET_PROFILE]
    return {str(r[0].value).strip(): r[0].row for r in ws.iter_rows() if r[0].value is not None}


def merged_answers(source: Path, out: Path, ids: list[str]) -> Path:
    """``source`` with the 自评结果 cells of ``ids`` (consecutive rows) merged into one."""
    column, rows = _answer_cells(source)
    wb = load_workbook(source)
    ws = wb[c.SHEET_ITEMS]
    first, last = min(rows[i] for i in ids), max(rows[i] for i in ids)
    ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    wb.save(out)
    return out


def formula_answer(source: Path, out: Path, item_id: str, cached: str = "是") -> Path:
    """``source`` with the 自评结果 of ``item_id`` a formula whose cached value is ``cached``.

    The formula itself would give the other answer: reading ``cached`` shows that the cached
    value is read and nothing is evaluated."""
    from openpyxl.utils import get_column_letter

    column, rows = _answer_cells(source)
    ref = f"{get_column_letter(column)}{rows[item_id]}"
    wb = load_workbook(source)
    ws = wb[c.SHEET_ITEMS]
    other = "否" if cached == "是" else "是"
    ws[ref] = f'=IF(1=1,"{other}","{cached}")'
    tmp = out.with_suffix(".tmp")
    wb.save(tmp)
    part = sheet_part(tmp, c.SHEET_ITEMS)
    xml = parts(tmp)[part].decode("utf-8")
    pattern = re.compile(rf'<c r="{ref}"([^>]*?)(?: t="[^"]*")?([^>]*)>(<f>.*?</f>)(?:<v\s*/>|<v>.*?</v>)?</c>')
    patched, count = pattern.subn(
        lambda m: f'<c r="{ref}"{m.group(1)}{m.group(2)} t="str">{m.group(3)}<v>{cached}</v></c>', xml
    )
    assert count == 1, xml[:2000]
    rezip(tmp, out, {part: patched.encode("utf-8")})
    tmp.unlink()
    return out


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Bad:
    name: str  # path relative to the corpus folder
    code: str
    reason: str  # a substring of the error message
    cell: str | None = None  # where the error is: None for the whole file, else e.g. 自评表!G14


@dataclass
class Corpus:
    folder: Path
    bad: list[Bad] = field(default_factory=list)
    valid: list[str] = field(default_factory=list)  # must be scored
    ignored: list[str] = field(default_factory=list)  # present but not an input (folders, folder links)
    skipped: dict[str, str] = field(default_factory=dict)  # case → why it is not built here
    self_answers: dict[str, dict[str, str]] = field(default_factory=dict)  # file → item → 自评结果 read

    def inputs(self) -> list[str]:
        return sorted([b.name for b in self.bad] + self.valid)


def valid_workbooks(rules: RuleSet, folder: Path, count: int = 4, seed: int = 2018) -> list[Path]:
    """``count`` ordinary filled workbooks of ``rules`` (as engine.demo.generate writes them)."""
    folder.mkdir(parents=True, exist_ok=True)
    template = write_template(rules, folder / ".template.xlsx")
    try:
        return [
            write_branch(rules, template, spec, folder / f"valid-{n}.xlsx", seed)
            for n, spec in enumerate(batch_specs(count, seed), 1)
        ]
    finally:
        template.unlink()


def build_corpus(folder: Path, rules: RuleSet) -> Corpus:
    """Write the whole corpus into ``folder`` (created) for the bundled-style ``rules``."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder)
    valid = valid_workbooks(rules, folder)
    corpus.valid += [p.name for p in valid]
    base = valid[0]
    base_bytes = base.read_bytes()

    def bad(name: str, code: str, reason: str, data: bytes | Callable[[Path], object]) -> None:
        path = folder / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            data(path)
        corpus.bad.append(Bad(name, code, reason))

    _odd_but_valid(corpus, rules, base)
    _hostile_text(corpus, rules, base)

    # The file-system entry
    def sparse(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.truncate(21 * MIB)

    bad("oversize.xlsx", "file-too-large", "文件大小 21 MiB，超过 20 MiB 的上限", sparse)
    bad("empty.xlsx", "file-empty", "文件是空的", b"")
    (folder / "folder.xlsx").mkdir()
    corpus.ignored.append("folder.xlsx")
    if hasattr(os, "mkfifo"):
        bad("pipe.xlsx", "file-unreadable", SPECIAL, lambda p: os.mkfifo(p))
    else:
        corpus.skipped["pipe.xlsx"] = "no FIFOs on this system"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        corpus.skipped["unreadable.xlsx"] = (
            "running as root: chmod 000 does not deny root (tests/test_guards.py simulates it)"
        )
    else:
        bad("unreadable.xlsx", "file-unreadable", NO_PERMISSION, lambda p: (p.write_bytes(base_bytes), p.chmod(0)))
    try:
        os.symlink("no-such-file.xlsx", folder / "dangling.xlsx")
        corpus.bad.append(Bad("dangling.xlsx", "file-unreadable", GONE))
        os.symlink("loop-b.xlsx", folder / "loop-a.xlsx")
        os.symlink("loop-a.xlsx", folder / "loop-b.xlsx")
        corpus.bad += [Bad("loop-a.xlsx", "file-unreadable", LOOP), Bad("loop-b.xlsx", "file-unreadable", LOOP)]
        os.symlink(folder.resolve(), folder / "loop")  # a folder containing itself: never entered
        corpus.ignored.append("loop")
    except (OSError, NotImplementedError):
        corpus.skipped["symlinks"] = "symbolic links cannot be created here"

    # Not workbooks (type from the content, not the name)
    bad(
        "encrypted.xlsx",
        "file-encrypted",
        ENCRYPTED,
        ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": os.urandom(64)}),
    )
    bad("encrypted.xls", "file-encrypted", ENCRYPTED, ole2({"Workbook": biff8("Sheet1", {(0, 0): 1}, filepass=True)}))
    bad(
        "wps.et",
        "unsupported-file",
        "不支持的文件类型（WPS 表格 .et）",
        ole2({"Workbook": biff8("Sheet1", {(0, 0): 1})}),
    )
    bad("csv.xlsx", "not-a-workbook", "不是 Excel 文件，而是文本或 CSV 文件", "编号,自评结果\n1.1.1,是\n".encode())
    bad("text.xlsx", "not-a-workbook", "文本或 CSV 文件", "这是支部的工作总结，不是自评表。\n".encode("gb18030"))
    bad("document.xlsx", "not-a-workbook", "不是 Excel 文件，而是 PDF 文档", pdf())
    bad("picture.xlsx", "not-a-workbook", "PNG 图片", png())
    bad(
        "page.xls",
        "unsupported-file",
        "网页（HTML）格式的表格",
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    )
    bad(
        "word.xlsx",
        "not-a-workbook",
        "Word 文档",
        zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
    )
    bad("binary.xlsx", "unsupported-file", "无法识别的格式", random.Random(7).randbytes(3000).replace(b"PK", b"pk"))
    bad("binary-sheet.xlsx", "unsupported-file", ".xlsb", zip_bytes({"xl/workbook.bin": b"\x83\x01\x00"}))

    # Zip containers: declared sizes, counts, names; damaged archives
    bad("bomb.xlsx", "zip-unsafe", "解压后有 200 MiB，超过 100 MiB 的上限", lambda p: bomb(p, 200 * MIB))
    bad("ratio.xlsx", "zip-unsafe", "压缩率异常", lambda p: bomb(p, 50 * MIB))
    bad(
        "many.xlsx",
        "zip-unsafe",
        "内含 600 个部件，超过 500 个的上限",
        zip_bytes({f"p/{n}.xml": b"<a/>" for n in range(600)}),
    )
    dup = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/workbook.xml\0again": b"<workbook/>"})
    bad("duplicate.xlsx", "zip-unsafe", "有两个同名的部件", dup)
    sheet1 = sheet_part(base, c.SHEET_ITEMS)
    lying = patch_entry(rezip(base, folder / ".tmp.xlsx", {}).read_bytes(), sheet1, size=100)
    (folder / ".tmp.xlsx").unlink()
    bad("lying-size.xlsx", "zip-unsafe", "实际大小超过了声明的大小", lying)
    bad("zip-password.xlsx", "file-encrypted", ENCRYPTED, patch_entry(base_bytes, sheet1, flags=0x1))
    bad("truncated.xlsx", "file-unreadable", CORRUPT, base_bytes[: len(base_bytes) // 2])
    # The stored checksum, not a data byte: a flipped byte inflates to content-dependent garbage
    # that may also overrun the declared size (zip-unsafe), so the case would depend on the data.
    bad("crc.xlsx", "file-unreadable", CORRUPT, patch_entry(base_bytes, sheet1, crc_flip=True))

    # XML parts: DTDs and entities never reach a parser
    bad("laughs.xlsx", "xml-unsafe", DTD, lambda p: rezip(base, p, {"xl/workbook.xml": BILLION_LAUGHS}))
    items_xml = parts(base)[sheet1]
    xxe = re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(1) or b"") + EXTERNAL_ENTITY, items_xml, count=1)
    bad("external-entity.xlsx", "xml-unsafe", DTD, lambda p: rezip(base, p, {sheet1: xxe}))
    styles = parts(base)["xl/styles.xml"].decode("utf-8")
    styles16 = re.sub(r"^<\?xml[^>]*\?>", "", styles)
    styles16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY a "b">]>' + styles16
    bad("utf16-dtd.xlsx", "xml-unsafe", DTD, lambda p: rezip(base, p, {"xl/styles.xml": styles16.encode("utf-16")}))
    long_prolog = (
        b'<?xml version="1.0"?><!--' + b"x" * (70 * 1024) + b"-->" + re.sub(rb"^<\?xml[^>]*\?>", b"", items_xml)
    )
    bad("long-prolog.xlsx", "xml-unsafe", "文件头超过 64 KiB", lambda p: rezip(base, p, {sheet1: long_prolog}))

    # Sheets beyond a self-assessment: declared, or one far cell (calamine would allocate 100s of GiB)
    bad(
        "dimension.xlsx",
        "sheet-too-large",
        "声明的范围为 A1:XFD1048576",
        lambda p: far_cell_workbook(p, "A1:XFD1048576"),
    )
    bad("far-cell.xlsx", "sheet-too-large", "单元格 XFD1048576 有内容", lambda p: far_cell_workbook(p, "A1"))
    far_xls = ole2({"Workbook": biff8(c.SHEET_ITEMS, {(0, 0): 1, (65535, 255): 2})})
    bad("far-cell.xls", "sheet-too-large", "第 65536 行第 256 列有内容", far_xls)
    repeated = (
        b'<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
        b'office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    bad("repeated.ods", "sheet-too-large", "单元格 ALL100000 有内容", ods(repeated))

    # Sheet parts the reader parses whatever they look like (issue 10, item 7) and xls sheets
    # where the reader goes (item 8)
    far_sheet = b"\x00\x00 " + sheet_xml(FAR_ROWS)  # bytes before the markup: the reader still parses it
    bad(
        "junk-before-sheet.xlsx",
        "sheet-too-large",
        "单元格 XFD1048576 有内容",
        lambda p: replace_sheet(base, p, c.SHEET_ITEMS, far_sheet),
    )
    gr = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="250000"><c r="GR250000"><v>2</v></c></row>'
    odd_root = sheet_xml(gr, root=b"data", prefix=b"x")  # 1.97 GiB in the reader from an 11 KB file
    bad(
        "odd-sheet-part.xlsx",
        "sheet-too-large",
        "工作表“自评表”过大（单元格 GR250000 有内容）",
        lambda p: replace_sheet(base, p, c.SHEET_ITEMS, odd_root, part="media/image7.png"),
    )
    bad(
        "shared-strings.xlsx",
        "zip-unsafe",
        "共享字符串表声明了 4000000000 项",
        lambda p: with_shared_strings_count(base, p, 4_000_000_000),
    )
    bad(
        "sheet-inside-a-record.xls",
        "sheet-too-large",
        "工作表“附表”过大（第 60001 行第 251 列有内容）",
        ole2({"Workbook": xls_sheet_inside_a_record()}),
    )
    declared_xls = ole2({"Workbook": biff8(c.SHEET_ITEMS, {(0, 0): 1}, dimensions=(1_000_000, 65535))})
    bad("declared.xls", "sheet-too-large", "声明的范围为 1000000 行 × 65535 列", declared_xls)
    return corpus


def _odd_but_valid(corpus: Corpus, rules: RuleSet, base: Path) -> None:
    """Workbooks that look odd but must be scored like any other."""
    folder = corpus.folder
    template = write_template(rules, folder / ".template.xlsx")
    try:
        kind = batch_specs(1)[0]
        specs: list[tuple[str, BranchSpec]] = [
            ("odd-dotdot-name.xlsx", replace(kind, name="../../x", parent="示范单位机关党委")),
            ("odd-long-name.xlsx", replace(kind, name="第一党支部" * 60, parent="示范单位机关党委")),
        ]
        for name, spec in specs:
            write_branch(rules, template, spec, folder / name, 2018)
            corpus.valid.append(name)
    finally:
        template.unlink()
    yes_no = [i.id for i in rules.items if i.type == "yes_no"]
    _, rows = _answer_cells(base)
    first = next(i for i in yes_no if i in rows)
    column, _ = _answer_cells(base)
    was = load_workbook(base)[c.SHEET_ITEMS].cell(rows[first], column).value
    cached = "否" if was == "是" else "是"  # differs from the base, so the test sees it was read
    merged_ids = [i for i in rows if i[:1].isdigit()][1:4]
    tmp = folder / ".odd.xlsx"
    shutil.copy(base, tmp)
    with_name = _renamed(rules, tmp, "合并单元格党支部")
    merged_answers(with_name, folder / "odd-merged.xlsx", merged_ids)
    corpus.valid.append("odd-merged.xlsx")
    with_name = _renamed(rules, tmp, "公式党支部")
    formula_answer(with_name, folder / "odd-formula.xlsx", first, cached)
    corpus.valid.append("odd-formula.xlsx")
    # A far cell in a sheet the reader never loads costs nothing: scored like any other.
    with_name = _renamed(rules, tmp, "附表党支部")
    with_far_cell_in_another_sheet(with_name, folder / "odd-far-cell-elsewhere.xlsx")
    corpus.valid.append("odd-far-cell-elsewhere.xlsx")
    corpus.self_answers["odd-formula.xlsx"] = {first: cached}
    tmp.unlink()


# Control characters a terminal acts on: ESC sequences (clear screen, conceal, window title), BEL, C1 CSI.
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")
CONTROL_NAME = "ctrl-\x1b]0;pwned\x07-\x1b[2J\u202e.xlsx"


def _hostile_text(corpus: Corpus, rules: RuleSet, base: Path) -> None:
    """Cells of absurd length or holding terminal controls, and such a file name.

    Rejected: a count answer of 4,301 digits, a 1,000,000-character answer, 900,000 characters of
    ``111,111,…`` in 党员总数, a negative date serial. Scored: a 1,000,000-character 支部名称, a
    1,000,000-character unknown 编号, control characters in cells and in the file name, a sheet
    name with a zero-width joiner.
    """
    folder = corpus.folder
    column, rows = _answer_cells(base)
    labels = profile_rows(base)
    letter = chr(64 + column)
    first = {kind: next(i.id for i in rules.items if i.type == kind and i.id in rows) for kind in ("yes_no", "count")}
    members = labels[next(f.label for f in rules.profile if f.id == "members_total")]
    name_row = labels[next(f.label for f in rules.profile if f.role == "branch_name")]
    parent_row = labels[next(f.label for f in rules.profile if f.role == "parent_org")]
    count_row, yes_row = rows[first["count"]], rows[first["yes_no"]]
    items, profile = c.SHEET_ITEMS, c.SHEET_PROFILE
    cases: list[tuple[str, str, dict[tuple[int, int], str], Bad | None]] = [
        ("huge-count.xlsx", items, {(count_row, column): "9" * 4301},
         Bad("huge-count.xlsx", "number-too-long", "数字位数过多", f"{items}!{letter}{count_row}")),
        ("long-answer.xlsx", items, {(yes_row, column): "是" + "x" * 999_999},
         Bad("long-answer.xlsx", "invalid-answer", "…（共 1000000 字）", f"{items}!{letter}{yes_row}")),
        ("long-members.xlsx", profile, {(members, 2): ("111," * 225_000)[:-2] + " 1"},
         Bad("long-members.xlsx", "number-too-long", "数字位数过多", f"{profile}!B{members}")),
        ("long-name.xlsx", profile, {(name_row, 2): _cjk(1_000_000)}, None),
        # The 编号 of a yes/no row: that check point goes missing, its row becomes an unknown-id.
        ("long-id.xlsx", items, {(yes_row, 1): "9." * 500_000}, None),
        (CONTROL_NAME, profile, {(name_row, 2): "控制字符党支部\x1b]0;pwned\x07\x1b[8m",
                                  (parent_row, 2): "_x001B_[2J\x9b机关党委"}, None),
    ]  # fmt: skip
    for n, (name, sheet, texts, bad) in enumerate(cases):
        source = base if bad else _renamed(rules, _copy(base, folder), f"文字测试{n}党支部")
        raw_texts(source, folder / name, sheet, texts)
        if bad:
            corpus.bad.append(bad)
        else:
            corpus.valid.append(name)

    date_item = next((i.id for i in rules.items if i.type == "date" and i.id in rows), None)
    if date_item is not None:
        wb = load_workbook(base)
        wb[c.SHEET_ITEMS].cell(rows[date_item], column).value = -5  # date-formatted: calamine reads 00:00:00
        wb.save(folder / "negative-date.xlsx")
        cell = f"{c.SHEET_ITEMS}!{letter}{rows[date_item]}"
        corpus.bad.append(Bad("negative-date.xlsx", "invalid-answer", "填写的“-5”无效", cell))

    wb = load_workbook(_renamed(rules, _copy(base, folder), "零宽字符党支部"))
    wb[c.SHEET_ITEMS].title = c.SHEET_ITEMS + "\u200d"
    wb.save(folder / "odd-zwj-sheet.xlsx")
    corpus.valid.append("odd-zwj-sheet.xlsx")
    (folder / ".copy.xlsx").unlink()


def _copy(base: Path, folder: Path) -> Path:
    return Path(shutil.copy(base, folder / ".copy.xlsx"))


def _cjk(count: int) -> str:
    """``count`` pseudo-random CJK characters (random: a repeated one compresses beyond the ratio guard)."""
    rnd = random.Random(count)
    return "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(count))


def _renamed(rules: RuleSet, path: Path, branch: str) -> Path:
    """``path`` with another 支部名称 (so that the odd copies are not the same branch as ``path``)."""
    label = next(f.label for f in rules.profile if f.role == "branch_name")
    wb = load_workbook(path)
    ws = wb[c.SHEET_PROFILE]
    for row in ws.iter_rows():
        if row[0].value is not None and str(row[0].value).strip() == label:
            row[1].value = branch
    wb.save(path)
    return path
