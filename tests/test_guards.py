"""engine.guards.precheck: one test per guard, with the exact Chinese message a secretary reads."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import re
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import Fill
from hostile import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    FAR_ROWS,
    MIB,
    biff8,
    far_cell_workbook,
    flip_crc_of,
    ods,
    ole2,
    parts,
    patch_entry,
    pdf,
    png,
    replace_sheet,
    rezip,
    sheet_part,
    sheet_xml,
    with_far_cell_in_another_sheet,
    with_shared_strings_count,
    xls_sheet_inside_a_record,
    zip_bytes,
)

from engine import contract as c
from engine.batch.scoring import score_file
from engine.guards import digest, load, precheck
from engine.intake import read_submission
from engine.rules import RuleSet

CORRUPT = "无法读取文件：文件已损坏"
ENCRYPTED = "文件已加密，请去除密码后重新提交"
DTD = "DTD 或实体声明（<!DOCTYPE、<!ENTITY）"


def message(path: Path, **kwargs: int) -> str | None:
    found = precheck(path, **kwargs)
    if found is None:
        return None
    assert found.sheet is None and found.row is None and found.is_error  # always a file-level error
    return found.message


def code(path: Path) -> str | None:
    found = precheck(path)
    return None if found is None else found.code


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zip_unsafe(reason: str) -> str:
    return f"文件内部结构异常（{reason}），为安全起见未予读取，请用 Excel 或 WPS 打开后重新另存为 .xlsx"


def xml_unsafe(part: str, what: str = DTD) -> str:
    return (
        f"文件中的 {part} 含有正常 Excel 文件不会有的内容（{what}），为安全起见未予读取，"
        "请用下发的模板重新填写后另存为 .xlsx"
    )


def too_large(sheet: str, found: str) -> str:
    return f"工作表“{sheet}”过大（{found}），超出自评表的合理范围（最多 5000 行、200 列），请删除多余的行和列后重新提交"


def not_excel(what: str) -> str:
    return f"不是 Excel 文件，而是{what}，请提交用自评表模板填写的 .xlsx 文件"


def unsupported(found: str) -> str:
    return f"不支持的文件类型（{found}），请另存为 .xlsx 后重新提交"


# ---------------------------------------------------------------- good files pass, quickly


def test_filled_workbooks_pass_the_guards(fill: Fill, bundled_rules: RuleSet, tmp_path: Path) -> None:
    """(How long the guards take is measured in benchmarks/bench.py, never asserted in a test.)"""
    from hostile import valid_workbooks

    mini = fill()
    [bundled] = valid_workbooks(bundled_rules, tmp_path / "bundled", count=1)
    for path in (mini, bundled):
        assert precheck(path) is None
        loaded = load(path)
        assert isinstance(loaded, bytes) and loaded == path.read_bytes()


def test_odd_but_harmless_content_passes(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    sheet = sheet_part(workbook, c.SHEET_ITEMS)
    xml = parts(workbook)[sheet]
    body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
    commented = b'<?xml version="1.0"?>\n<!-- a comment -->\n<?pi data?>\n' + body
    assert precheck(rezip(workbook, tmp_path / "comments.xlsx", {sheet: commented})) is None
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + body.decode("utf-8")).encode("utf-16")
    assert precheck(rezip(workbook, tmp_path / "utf16.xlsx", {sheet: utf16})) is None
    # A formatted but empty cell far away is not data (the reader ignores it).
    styled = body.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>')
    assert precheck(rezip(workbook, tmp_path / "styled.xlsx", {sheet: b'<?xml version="1.0"?>' + styled})) is None
    # A tiny part may compress as well as it likes; and an image part is not parsed at all.
    tiny = rezip(workbook, tmp_path / "tiny.xlsx", {"xl/media/blank.xml": b"<a>" + b" " * 500_000 + b"</a>"})
    assert precheck(rezip(tiny, tmp_path / "image.xlsx", {"xl/media/image1.png": png()})) is None


# ---------------------------------------------------------------- the file-system entry


def test_too_large_says_both_sizes(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(21 * MIB)  # sparse: nothing is written
    assert message(path) == "文件大小 21 MiB，超过 20 MiB 的上限，请删除多余的内容或图片后重新提交"
    small = write(tmp_path, "small.xlsx", b"x" * 3 * MIB)
    assert message(small, max_size=2 * MIB) == "文件大小 3 MiB，超过 2 MiB 的上限，请删除多余的内容或图片后重新提交"
    assert digest(path) == ""  # never hashed


def test_empty_file(tmp_path: Path) -> None:
    assert message(write(tmp_path, "empty.xlsx", b"")) == "文件是空的（0 字节），请重新提交填写好的自评表"


def test_a_directory_named_like_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").mkdir()
    assert message(tmp_path / "x.xlsx") == "无法读取文件：这是一个文件夹，不是文件"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "y.xlsx"
    os.mkfifo(fifo)
    found: list[str | None] = []
    worker = threading.Thread(target=lambda: found.extend([message(fifo), digest(fifo)]), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # it blocked in open(): release it before failing
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("precheck opened the FIFO for reading")
    assert found == ["无法读取文件：这不是普通文件（是管道、设备等特殊文件）", ""]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_is_a_special_file() -> None:
    assert message(Path("/dev/null")) == "无法读取文件：这不是普通文件（是管道、设备等特殊文件）"


def test_unreadable_file_simulated(fill: Fill, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root here, where chmod 000 denies nothing: the denial is simulated at os.open."""
    workbook = fill()

    def denied(*_: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    assert message(workbook) == "无法读取文件：没有读取权限，请检查文件的权限设置"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_for_real(fill: Fill) -> None:
    workbook = fill()
    workbook.chmod(0)
    try:
        assert message(workbook) == "无法读取文件：没有读取权限，请检查文件的权限设置"
    finally:
        workbook.chmod(0o644)


def test_a_file_that_disappeared(tmp_path: Path) -> None:
    assert message(tmp_path / "gone.xlsx") == "无法读取文件：文件已不存在（可能在读取前被移走或删除）"
    os.symlink(tmp_path / "nowhere.xlsx", tmp_path / "dangling.xlsx")
    assert message(tmp_path / "dangling.xlsx") == "无法读取文件：文件已不存在（可能在读取前被移走或删除）"


def test_a_file_that_disappears_between_listing_and_scoring(fill: Fill, mini_rules: RuleSet, tmp_path: Path) -> None:
    from engine.batch.scoring import find_inputs

    folder = tmp_path / "inbox"
    folder.mkdir()
    fill("a.xlsx").rename(folder / "a.xlsx")
    fill("b.xlsx", profile={"branch_name": "第二党支部"}).rename(folder / "b.xlsx")
    inputs = find_inputs([folder])
    (folder / "a.xlsx").unlink()  # after discovery, before scoring
    first, second = (score_file(mini_rules, source) for source in inputs)
    assert first.status == "rejected" and second.scored
    assert [d.message for d in first.diagnostics] == ["无法读取文件：文件已不存在（可能在读取前被移走或删除）"]


def test_a_symlink_loop(tmp_path: Path) -> None:
    os.symlink("b.xlsx", tmp_path / "a.xlsx")
    os.symlink("a.xlsx", tmp_path / "b.xlsx")
    os.symlink("self.xlsx", tmp_path / "self.xlsx")
    for name in ("a.xlsx", "self.xlsx"):
        assert message(tmp_path / name) == "无法读取文件：快捷方式（符号链接）循环指向自身，找不到实际的文件"


def test_a_symlink_to_a_good_workbook_is_followed(fill: Fill, tmp_path: Path) -> None:
    os.symlink(fill(), tmp_path / "link.xlsx")
    assert precheck(tmp_path / "link.xlsx") is None


# ---------------------------------------------------------------- type from content


def test_an_encrypted_xlsx_is_an_ole2_file_with_encryption_streams(tmp_path: Path) -> None:
    data = ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x00" * 64})
    assert message(write(tmp_path, "secret.xlsx", data)) == ENCRYPTED
    assert code(tmp_path / "secret.xlsx") == "file-encrypted"


def test_an_encrypted_xls_has_a_filepass_record(tmp_path: Path) -> None:
    assert message(write(tmp_path, "secret.xls", ole2({"Workbook": biff8("Sheet1", {(0, 0): 1}, filepass=True)}))) == (
        ENCRYPTED
    )
    assert precheck(write(tmp_path, "open.xls", ole2({"Workbook": biff8("Sheet1", {(0, 0): 1})}))) is None


def test_a_zip_entry_with_a_password(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    data = patch_entry(workbook.read_bytes(), sheet_part(workbook, c.SHEET_ITEMS), flags=0x1)
    assert message(write(tmp_path, "zip-password.xlsx", data)) == ENCRYPTED


@pytest.mark.parametrize(
    ("data", "what"),
    [
        ("编号,自评结果\n1.1.1,是\n".encode(), "文本或 CSV 文件"),
        ("支部工作总结\n".encode("gb18030"), "文本或 CSV 文件"),
        ("\ufeff编号\t自评结果\n".encode("utf-16"), "文本或 CSV 文件"),
        (pdf(), " PDF 文档"),
        (png(), " PNG 图片"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", " JPEG 图片"),
        (b"GIF89a\x01\x00\x01\x00", " GIF 图片"),
        (zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), " Word 文档"),
        (zip_bytes({"a.txt": b"hello"}), "压缩包（zip）"),
        (ole2({"WordDocument": b"\x00" * 10}), " Word 文档"),
    ],
)
def test_not_a_workbook_renamed_to_xlsx(tmp_path: Path, data: bytes, what: str) -> None:
    assert message(write(tmp_path, "renamed.xlsx", data)) == not_excel(what)


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [
        ("wps.et", ole2({"Workbook": biff8("Sheet1", {(0, 0): 1})}), "WPS 表格 .et"),
        ("binary.xlsx", bytes(range(256)) * 8, "无法识别的格式"),
        ("unknown.xls", ole2({"Contents": b"\x01\x02"}), "无法识别的 Office 文件"),
        ("page.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页（HTML）格式的表格"),
        (
            "xml2003.xls",
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "Excel 2003 XML 表格",
        ),
        ("binary.xlsx", zip_bytes({"xl/workbook.bin": b"\x83\x01\x00"}), "Excel 二进制工作簿 .xlsb"),
        ("notes.txt", "请查收".encode(), ".txt"),  # not named as a workbook: the name is the type
        ("README", b"plain text", "无扩展名"),
    ],
)
def test_unsupported_types(tmp_path: Path, name: str, data: bytes, found: str) -> None:
    assert message(write(tmp_path, name, data)) == unsupported(found)


# ---------------------------------------------------------------- zip: the central directory only


def _stored(entries: dict[str, bytes]) -> bytes:
    return zip_bytes(entries, method=zipfile.ZIP_STORED)


def test_an_entry_declaring_more_than_100_mib(tmp_path: Path) -> None:
    data = patch_entry(
        zip_bytes({"xl/worksheets/sheet1.xml": b"<a/>" * 100}), "xl/worksheets/sheet1.xml", size=150 * MIB
    )
    assert message(write(tmp_path, "big.xlsx", data)) == zip_unsafe(
        "部件 xl/worksheets/sheet1.xml 解压后有 150 MiB，超过 100 MiB 的上限"
    )


def test_a_compression_ratio_above_100_to_1(tmp_path: Path) -> None:
    data = patch_entry(zip_bytes({"xl/styles.xml": b"\x00" * 20_000}), "xl/styles.xml", size=50 * MIB)
    compressed = parts_info(data)["xl/styles.xml"].compress_size
    assert message(write(tmp_path, "ratio.xlsx", data)) == zip_unsafe(
        f"部件 xl/styles.xml 的压缩率异常（{50 * MIB // compressed}:1），疑似“压缩炸弹”"
    )


def parts_info(data: bytes) -> dict[str, zipfile.ZipInfo]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: i for i in archive.infolist()}


def test_the_total_declared_size_above_200_mib(tmp_path: Path) -> None:
    noise = os.urandom(MIB)
    data = _stored({f"xl/media/image{n}.bin": noise for n in range(3)})
    for n in range(3):
        data = patch_entry(data, f"xl/media/image{n}.bin", size=80 * MIB)  # 80:1 each, under both limits
    assert message(write(tmp_path, "total.xlsx", data)) == zip_unsafe("解压后共 240 MiB，超过 200 MiB 的上限")


def test_more_than_500_entries(tmp_path: Path) -> None:
    data = zip_bytes({f"p/{n}.xml": b"<a/>" for n in range(501)})
    assert message(write(tmp_path, "many.xlsx", data)) == zip_unsafe("内含 501 个部件，超过 500 个的上限")


def test_two_parts_with_the_same_name(tmp_path: Path) -> None:
    data = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/workbook.xml\0": b"<workbook/>"})
    assert message(write(tmp_path, "dup.xlsx", data)) == zip_unsafe("有两个同名的部件 xl/workbook.xml")


def test_a_part_larger_than_declared(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    sheet = sheet_part(workbook, c.SHEET_ITEMS)
    data = patch_entry(workbook.read_bytes(), sheet, size=100)
    assert message(write(tmp_path, "lying.xlsx", data)) == zip_unsafe(f"部件 {sheet} 的实际大小超过了声明的大小")


def test_an_unknown_compression_method(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    data = patch_entry(workbook.read_bytes(), "xl/styles.xml", method=14)  # LZMA
    assert message(write(tmp_path, "lzma.xlsx", data)) == "无法读取文件：文件已损坏或使用了不支持的压缩方式"


def test_a_bad_central_directory_is_corrupt(fill: Fill, tmp_path: Path) -> None:
    data = fill().read_bytes()
    end = data.rfind(b"PK\x05\x06")
    assert message(write(tmp_path, "no-eocd.xlsx", data[:end])) == CORRUPT
    broken = bytearray(data)
    broken[end + 16 : end + 20] = b"\xff\xff\xff\x7f"  # the central directory "starts" beyond the end
    assert message(write(tmp_path, "bad-cd.xlsx", bytes(broken))) == CORRUPT


def test_damaged_archives_are_corrupt_here_and_in_the_reader(fill: Fill, mini_rules: RuleSet, tmp_path: Path) -> None:
    workbook = fill()
    data = workbook.read_bytes()
    truncated = write(tmp_path, "truncated.xlsx", data[: len(data) // 2])
    crc = write(tmp_path, "crc.xlsx", flip_crc_of(data, sheet_part(workbook, c.SHEET_ITEMS)))
    for path in (truncated, crc):
        assert message(path) == CORRUPT
        reader = read_submission(path, mini_rules)  # the reader alone maps calamine's errors the same way
        assert [d.message for d in reader.diagnostics] == [CORRUPT]


# ---------------------------------------------------------------- XML: no DTD or entity reaches a parser


def test_billion_laughs(fill: Fill, tmp_path: Path) -> None:
    path = rezip(fill(), tmp_path / "laughs.xlsx", {"xl/workbook.xml": BILLION_LAUGHS})
    assert message(path) == xml_unsafe("xl/workbook.xml")


def test_an_external_entity(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    sheet = sheet_part(workbook, c.SHEET_ITEMS)
    xml = re.sub(rb"^<\?xml[^>]*\?>", b"", parts(workbook)[sheet])
    path = rezip(workbook, tmp_path / "xxe.xlsx", {sheet: b'<?xml version="1.0"?>' + EXTERNAL_ENTITY + xml})
    assert message(path) == xml_unsafe(sheet)


def test_a_dtd_after_comments_and_in_rels(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    rels = b'<?xml version="1.0"?><!-- x --><?pi?><!DOCTYPE r><Relationships/>'
    path = rezip(workbook, tmp_path / "rels.xlsx", {"_rels/.rels": rels})
    assert message(path) == xml_unsafe("_rels/.rels")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_dtd_in_a_utf16_part(fill: Fill, tmp_path: Path, encoding: str) -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY a "b">]><styleSheet/>'
    path = rezip(fill(), tmp_path / "utf16.xlsx", {"xl/styles.xml": text.encode(encoding)})
    assert message(path) == xml_unsafe("xl/styles.xml")


def test_a_dtd_in_ods_content(tmp_path: Path) -> None:
    data = ods(b"")
    content = parts_of(data)["content.xml"].replace(b"?>", b"?><!DOCTYPE x [<!ENTITY a 'b'>]>", 1)
    path = write(tmp_path, "dtd.ods", rebuild_ods(data, content))
    assert message(path) == xml_unsafe("content.xml")


def test_a_prolog_longer_than_64_kib(fill: Fill, tmp_path: Path) -> None:
    long = b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b"--><styleSheet/>"
    path = rezip(fill(), tmp_path / "long.xlsx", {"xl/styles.xml": long})
    assert message(path) == xml_unsafe("xl/styles.xml", "文件头超过 64 KiB")


def parts_of(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def rebuild_ods(data: bytes, content: bytes) -> bytes:
    import io

    entries = parts_of(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", entries.pop("mimetype"), zipfile.ZIP_STORED)
        entries["content.xml"] = content
        for name, value in entries.items():
            archive.writestr(name, value, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# ---------------------------------------------------------------- sheet size


def test_a_declared_dimension_beyond_the_limits(tmp_path: Path) -> None:
    path = far_cell_workbook(tmp_path / "dimension.xlsx", "A1:XFD1048576")
    assert message(path) == too_large(c.SHEET_ITEMS, "声明的范围为 A1:XFD1048576")


def test_one_far_cell_in_a_5_kb_file_declaring_only_a1(tmp_path: Path) -> None:
    path = far_cell_workbook(tmp_path / "far.xlsx", "A1")
    assert path.stat().st_size < 6000
    assert message(path) == too_large(c.SHEET_ITEMS, "单元格 XFD1048576 有内容")


def test_cells_without_r_are_placed_as_the_reader_places_them(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    sheet = sheet_part(workbook, c.SHEET_ITEMS)
    xml = parts(workbook)[sheet]
    wide = b'<row r="7">' + b"<c><v>1</v></c>" * 201 + b"</row>"
    deep = b'<row r="5001"><c t="inlineStr"><is><t>x</t></is></c></row>'
    twice = b'<row r="8"><c r="A8" r="Z40000"><v>1</v></c></row>'  # the reader takes the last r
    letters = b'<row r="9"><c r="AAAAA9"><v>1</v></c></row>'
    for extra, found in (
        (wide, "单元格 GS7 有内容"),
        (deep, "单元格 A5001 有内容"),
        (twice, "单元格 Z40000 有内容"),
        (letters, "单元格 XFD9 有内容"),
    ):
        path = rezip(workbook, tmp_path / "norefs.xlsx", {sheet: xml.replace(b"</sheetData>", extra + b"</sheetData>")})
        assert message(path) == too_large(c.SHEET_ITEMS, found)
    inside = b'<row r="5000"><c r="GR5000"><v>1</v></c></row>'
    path = rezip(workbook, tmp_path / "edge.xlsx", {sheet: xml.replace(b"</sheetData>", inside + b"</sheetData>")})
    assert precheck(path) is None


def test_ods_repeated_content(tmp_path: Path) -> None:
    cell = b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    repeated = (
        b'<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
        b'office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell>'
        b"</table:table-row>"
    )
    assert message(write(tmp_path, "repeated.ods", ods(repeated))) == too_large(
        c.SHEET_ITEMS, "单元格 ALL100000 有内容"
    )
    far = (
        b"<table:table-row>" + cell + b"</table:table-row>"
        b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
        b'table:number-columns-repeated="16384"/></table:table-row>'
        b'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>' + cell + b"</table:table-row>"
    )
    assert message(write(tmp_path, "far.ods", ods(far))) == too_large(c.SHEET_ITEMS, "单元格 XFD1048576 有内容")
    # What LibreOffice writes after the data: huge repeats of empty cells. That is fine.
    normal = (
        b"<table:table-row>"
        + cell * 11
        + b'<table:table-cell table:number-columns-repeated="16373"/></table:table-row>'
        b'<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        b'table:number-columns-repeated="16384"/></table:table-row>'
    )
    assert precheck(write(tmp_path, "normal.ods", ods(normal))) is None


def test_xls_cells_beyond_the_limits(tmp_path: Path) -> None:
    far = ole2({"Workbook": biff8(c.SHEET_ITEMS, {(0, 0): 1, (65535, 255): 2})})
    assert message(write(tmp_path, "far.xls", far)) == too_large(c.SHEET_ITEMS, "第 65536 行第 256 列有内容")
    near = ole2({"Workbook": biff8(c.SHEET_ITEMS, {(0, 0): 1, (4999, 199): 2})})
    assert precheck(write(tmp_path, "near.xls", near)) is None


# ---------------------------------------------------------------- the sheets the reader parses, as it parses them

FAR = "单元格 XFD1048576 有内容"


@pytest.mark.parametrize(
    "xml",
    [
        b"xyz" + sheet_xml(FAR_ROWS),
        b"\x00\x00" + sheet_xml(FAR_ROWS),
        b"\x0c" + sheet_xml(FAR_ROWS),
        b"\xef\xbb\xbf \r\n" + sheet_xml(FAR_ROWS),
        b'<?xml version="1.0" encoding="GBK"?>' + sheet_xml(FAR_ROWS),
        sheet_xml(FAR_ROWS, root=b"anything"),
        sheet_xml(FAR_ROWS, root=b"worksheet", prefix=b"x"),
        b'<x:data xmlns:x="urn:not-spreadsheetml"><x:sheetData>' + FAR_ROWS + b"</x:sheetData></x:data>",
    ],
    ids=["text", "nul", "form-feed", "bom-and-space", "gbk", "other-root", "prefixed", "other-namespace"],
)
def test_a_sheet_part_is_guarded_whatever_it_starts_with_or_is_called(fill: Fill, tmp_path: Path, xml: bytes) -> None:
    path = replace_sheet(fill(), tmp_path / "odd.xlsx", c.SHEET_ITEMS, xml)
    assert message(path) == too_large(c.SHEET_ITEMS, FAR)


def test_a_utf16_sheet_is_judged_as_the_reader_reads_it(fill: Fill, tmp_path: Path) -> None:
    import io

    from python_calamine import CalamineWorkbook

    xml = ('<?xml version="1.0" encoding="UTF-16"?>' + sheet_xml(FAR_ROWS).decode()).encode("utf-16")
    path = replace_sheet(fill(), tmp_path / "utf16.xlsx", c.SHEET_ITEMS, xml)
    # The reader parses the bytes as they are: no tag of a UTF-16 part is a cell to it.
    with CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())) as book:
        assert book.get_sheet_by_name(c.SHEET_ITEMS).to_python() == []
    assert precheck(path) is None


@pytest.mark.parametrize(
    "part", ["/xl/worksheets/moved.xml", "media/image7.png", "odd/../sheet.bin", "/other/place.xml"]
)
def test_a_sheet_is_found_where_the_reader_finds_it(fill: Fill, tmp_path: Path, part: str) -> None:
    path = replace_sheet(fill(), tmp_path / "moved.xlsx", c.SHEET_ITEMS, sheet_xml(FAR_ROWS), part=part)
    assert message(path) == too_large(c.SHEET_ITEMS, FAR)


def test_a_sheet_part_named_in_another_case_is_found(fill: Fill, tmp_path: Path) -> None:
    workbook = fill()
    old = sheet_part(workbook, c.SHEET_ITEMS)
    path = rezip(workbook, tmp_path / "case.xlsx", {old: None, old.upper(): sheet_xml(FAR_ROWS)})
    assert message(path) == too_large(c.SHEET_ITEMS, FAR)


C = b"<c><v>1</v></c>"


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        # A row start in a comment, a CDATA section, a processing instruction or inside a value is
        # not one to the reader: the column goes on counting.
        (b'<row r="1">' + C * 150 + b'<!-- </row><row r="1"> -->' + C * 51 + b"</row>", "单元格 GS1 有内容"),
        (
            b'<row r="1">' + C * 150 + b"<c><v><![CDATA[</v></c></row><row>]]></v></c>" + C * 50 + b"</row>",
            "单元格 GS1 有内容",
        ),
        (b'<row r="1">' + C * 150 + b'<?pi </row><row r="1"> ?>' + C * 51 + b"</row>", "单元格 GS1 有内容"),
        (b'<row r="1">' + C * 150 + b'<c><v>1<row r="1"/></v></c>' + C * 50 + b"</row>", "单元格 GS1 有内容"),
        (b'<row r="1">' + C * 150 + b'<c><f><f></f><row r="1"/></f></c>' + C * 50 + b"</row>", "单元格 GS1 有内容"),
        # '>' may stand in a quoted value: the tag goes on, and its last r counts.
        (b'<row r="1"><c r="A1" x="a>b" r="HA1"><v>1</v></c></row>', "单元格 HA1 有内容"),
        (b'<row r="1"><c x="a>b" r="XFD1"><v>1</v></c></row>', "单元格 XFD1 有内容"),
        # An inline string ends where the reader ends it; what follows is read.
        (
            b'<row r="1"><c t="inlineStr"><x:is><x:r/></x:is></c></row><row r="2"><c r="HA2"><v>1</v></c></row>',
            "单元格 HA2 有内容",
        ),
        # Rows without r: every end of a row moves on, empty rows too.
        (b'<row r="1">' + C + b"</row>" + b"<row/>" * 4999 + b"<row>" + C + b"</row>", "单元格 A5001 有内容"),
        (b'<row r="4990">' + C + b"</row>" + b"<row></row>" * 10 + C, "单元格 A5001 有内容"),
        (b'<row r="1"><c r="XFD1" s="1"/>' + C + b"</row>", "单元格 XFD1 有内容"),
    ],
    ids=[
        "row-in-comment",
        "row-in-cdata",
        "row-in-pi",
        "row-in-value",
        "row-in-formula",
        "quoted-gt-last-r",
        "quoted-gt-r",
        "prefixed-inline-string",
        "empty-rows",
        "row-ends",
        "after-far-empty-cell",
    ],
)
def test_markup_the_reader_skips_hides_no_cell(fill: Fill, tmp_path: Path, rows: bytes, found: str) -> None:
    path = replace_sheet(fill(), tmp_path / "tricks.xlsx", c.SHEET_ITEMS, sheet_xml(rows))
    assert message(path) == too_large(c.SHEET_ITEMS, found)


def _random_sheet(pick: random.Random) -> bytes:
    """A worksheet of tricky markup, its positions straddling the limits (5000 rows, 200 columns)."""

    def ref() -> bytes:
        return pick.choice([b"A", b"GP", b"GQ", b"GR", b"GS"]) + b"%d" % pick.choice([1, 4998, 4999, 5000, 5001])

    def attrs() -> bytes:
        choices = [b' s="1"', b" a='>'", b' b=">"', b' x:r="Z9"', b' r="' + ref() + b'"', b" r='" + ref() + b"'"]
        return b"".join(pick.choice(choices) for _ in range(pick.randint(0, 2)))

    def value() -> bytes:
        p = pick.choice([b"", b"", b"x:"])
        return pick.choice(
            [
                b"<%sv>1</%sv>" % (p, p),
                b"<%sv/>" % p,
                b"<%sf>1</%sf>" % (p, p),
                b'<%sv>1<row r="1"/></%sv>' % (p, p),
                b"<%sv><![CDATA[</row>]]>2</%sv>" % (p, p),
                b"<is><t>a</t></is>",
                b"<%sis><%sr><%st>a</%st></%sr></%sis>" % (p, p, p, p, p, p),
                b"<%sv><%sv></%sv>3</%sv>" % (p, p, p, p),
                b"<!-- <row> -->",
                b"",
            ]
        )

    def cell() -> bytes:
        p = pick.choice([b"", b"", b"", b"x:"])
        if pick.random() < 0.2:
            return b"<%sc%s%s" % (p, attrs(), pick.choice([b"/>", b" />"]))
        return b"<%sc%s>%s</%sc>" % (p, attrs(), value(), p)

    def junk() -> bytes:
        return pick.choice([b'<!-- </row><row r="1"> -->', b"<?pi </row> ?>", b"<![CDATA[<row>]]>", b"<x/>", b" "])

    def row() -> bytes:
        p = pick.choice([b"", b"", b"x:"])
        r = pick.choice([b"", b"", b' r="%d"' % pick.choice([1, 4998, 4999, 5000, 5001])])
        if pick.random() < 0.15:
            return b"<%srow%s/>" % (p, r)
        items = b"".join(pick.choice([cell, cell, cell, junk])() for _ in range(pick.randint(0, 8)))
        return b"<%srow%s>%s</%srow>" % (p, r, items, p)

    body = b"".join(pick.choice([row, row, row, cell, junk])() for _ in range(pick.randint(1, 8)))
    root = pick.choice([b"worksheet", b"x:worksheet", b"foo"])
    return pick.choice([b"", b"junk", b"\xef\xbb\xbf"]) + b"<%s><sheetData>%s</sheetData></%s>" % (root, body, root)


def test_no_cell_the_reader_lays_out_beyond_the_limits_escapes_the_guard() -> None:
    """Differential: random tricky sheets, read by the installed calamine and scanned by the guard.

    Re-run with more cases after upgrading python-calamine: the guard follows its reading steps."""
    import io

    from python_calamine import CalamineWorkbook

    from engine.guards.worksheet import scan_worksheet

    pick = random.Random(2018)
    package = {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": b'<Relationships><Relationship Id="rId1" Target="xl/workbook.xml" Type='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        "xl/workbook.xml": b'<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<Relationships><Relationship Id="rId1" Target="worksheets/s.xml" Type='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
    }
    escaped, beyond = [], 0
    for _ in range(300):
        xml = _random_sheet(pick)
        data = zip_bytes({**package, "xl/worksheets/s.xml": xml})
        try:
            with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
                end = book.get_sheet_by_name("S").end
        except Exception:  # the reader cannot read it: nothing laid out
            continue
        if end is not None and (end[0] + 1 > 5000 or end[1] + 1 > 200):
            beyond += 1
            if scan_worksheet(xml, "xl/worksheets/s.xml") is None:
                escaped.append((end, xml))
    assert not escaped
    assert beyond > 50, beyond  # the cases do reach beyond the limits


def test_a_sheet_within_the_limits_passes_however_it_is_written(fill: Fill, tmp_path: Path) -> None:
    rows = (
        b'<row r="1">'
        + C * 200
        + b'<c s="1"/>' * 50
        + b"</row>"  # empty cells beyond: nothing to lay out
        + b"<row/>" * 4990
        + b"<row>"
        + b'<c r="GR4992"><v>1</v></c>'
        + b"</row>"
        + b'<row r="6000" s="1"/><row r="5000"><!-- <c r="XFD1"><v>1</v></c> -->'
        + C
        + b"</row>"
    )
    path = replace_sheet(fill(), tmp_path / "fine.xlsx", c.SHEET_ITEMS, sheet_xml(rows))
    assert precheck(path) is None


def test_a_sheet_needing_too_many_steps_is_refused(fill: Fill, tmp_path: Path) -> None:
    from engine.guards.worksheet import MAX_STEPS

    pick = random.Random(5).randrange  # varied, so that the part compresses like real data
    cells = b"".join(b'<c r="A%d" s="%d"/><c/>' % (pick(1, 4000), pick(100)) for _ in range(MAX_STEPS // 2 + 1))
    rows = b'<row r="1">' + cells + b"</row>"
    path = replace_sheet(fill(), tmp_path / "steps.xlsx", c.SHEET_ITEMS, sheet_xml(rows))
    assert message(path) == too_large(c.SHEET_ITEMS, f"单元格和行的标记过多，超过 {MAX_STEPS} 处需要逐一检查")


def test_a_dtd_inside_a_sheet_is_refused(fill: Fill, tmp_path: Path) -> None:
    rows = b'<row r="1"><c><v>1</v></c><!DOCTYPE x [<!ENTITY e "e">]></row>'
    workbook = fill()
    path = replace_sheet(workbook, tmp_path / "dtd.xlsx", c.SHEET_ITEMS, sheet_xml(rows))
    assert message(path) == xml_unsafe(sheet_part(workbook, c.SHEET_ITEMS))


def test_shared_strings_declaring_more_than_the_reader_can_hold(fill: Fill, tmp_path: Path) -> None:
    path = with_shared_strings_count(fill(), tmp_path / "sst.xlsx", 4_000_000_000)
    assert message(path) == zip_unsafe("共享字符串表声明了 4000000000 项，超过 1000000 项的上限")
    assert precheck(with_shared_strings_count(fill(), tmp_path / "fine.xlsx", 1_000_000)) is None


def test_only_the_sheets_the_reader_loads_are_scanned(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from python_calamine import CalamineWorkbook

    from engine.guards import packages

    path = with_far_cell_in_another_sheet(fill(), tmp_path / "other.xlsx")
    scanned: list[str] = []
    real_scan = packages.scan_worksheet
    monkeypatch.setattr(packages, "scan_worksheet", lambda data, part: scanned.append(part) or real_scan(data, part))
    assert precheck(path) is None  # the far cell is in a sheet nobody reads
    workbook = parts(path)
    assert sorted(scanned) == sorted(sheet_part(path, name) for name in (c.SHEET_PROFILE, c.SHEET_ITEMS, c.SHEET_META))
    assert sheet_part(path, "附表") in workbook
    loaded: list[str] = []
    real_get = CalamineWorkbook.get_sheet_by_name
    monkeypatch.setattr(
        CalamineWorkbook, "get_sheet_by_name", lambda self, name: loaded.append(name) or real_get(self, name)
    )
    submission = read_submission(path, mini_rules)
    assert sorted(loaded) == sorted([c.SHEET_PROFILE, c.SHEET_ITEMS, c.SHEET_META])
    assert not [d for d in submission.diagnostics if d.is_error]


def test_the_guard_covers_every_sheet_the_reader_loads() -> None:
    from engine.guards.xlsxparts import may_be_read
    from engine.intake.reader import sheets_to_load

    needed = [c.SHEET_PROFILE, c.SHEET_ITEMS, c.SHEET_META]
    variants = [
        *needed,
        *(n + "\u200b" for n in needed),
        *("\ufeff" + n for n in needed),
        *(" " + n + " " for n in needed),
        "＿ｍｅｔａ",
        "_META",
        "自 评 表",
        "附表",
        "Sheet1",
    ]
    for name in variants:
        for loaded in sheets_to_load([name]):
            assert may_be_read(loaded), name
    assert not may_be_read("附表") and not may_be_read("Sheet1")


def test_ods_content_is_scanned_whatever_it_starts_with(tmp_path: Path) -> None:
    repeated = (
        b'<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
        b'office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    data = ods(repeated)
    content = parts_of(data)["content.xml"]
    path = write(tmp_path, "junk.ods", rebuild_ods(data, b"junk" + content))
    assert message(path) == CORRUPT  # the guard's parser cannot follow it: refused, never passed


def test_ods_content_in_a_package_that_also_looks_like_xlsx(tmp_path: Path) -> None:
    import io

    repeated = (
        b'<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
        b'office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    entries = parts_of(ods(repeated))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # the reader fails on xl/workbook.xml, then reads it as ods
        archive.writestr("mimetype", entries.pop("mimetype"), zipfile.ZIP_STORED)
        for name, value in entries.items():
            archive.writestr(name, value)
        archive.writestr("xl/workbook.xml", b"<broken")
    path = write(tmp_path, "hybrid.xlsx", buffer.getvalue())
    assert message(path) == too_large(c.SHEET_ITEMS, "单元格 ALL100000 有内容")


def test_an_xls_sheet_pointer_into_another_record(tmp_path: Path) -> None:
    path = write(tmp_path, "hidden.xls", ole2({"Workbook": xls_sheet_inside_a_record()}))
    assert path.stat().st_size < 6000
    assert message(path) == too_large("附表", "第 60001 行第 251 列有内容")
    fine = write(tmp_path, "fine.xls", ole2({"Workbook": xls_sheet_inside_a_record((4999, 199))}))
    assert precheck(fine) is None


def test_an_xls_sheet_declaring_more_than_the_limits(tmp_path: Path) -> None:
    declared = ole2({"Workbook": biff8(c.SHEET_ITEMS, {(0, 0): 1}, dimensions=(1_000_000, 65535))})
    assert message(write(tmp_path, "declared.xls", declared)) == too_large(
        c.SHEET_ITEMS, "声明的范围为 1000000 行 × 65535 列"
    )
    fine = ole2({"Workbook": biff8(c.SHEET_ITEMS, {(0, 0): 1}, dimensions=(5000, 200))})
    assert precheck(write(tmp_path, "fine.xls", fine)) is None


# ---------------------------------------------------------------- in the pipeline


def test_score_file_rejects_before_any_parser(mini_rules: RuleSet, tmp_path: Path) -> None:
    far = far_cell_workbook(tmp_path / "far.xlsx", "A1")
    result = score_file(mini_rules, str(far))
    assert result.status == "rejected" and result.sha256 == digest(far) != ""
    assert [d.code for d in result.diagnostics] == ["sheet-too-large"]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.xlsx")
        result = score_file(mini_rules, str(tmp_path / "pipe.xlsx"))
        assert (result.sha256, result.diagnostics[0].code) == ("", "file-unreadable")


def test_a_text_file_keeps_its_unsupported_type(mini_rules: RuleSet, tmp_path: Path) -> None:
    path = write(tmp_path, "说明.txt", "请查收".encode())
    result = score_file(mini_rules, str(path))
    assert [(d.code, d.message) for d in result.diagnostics] == [("unsupported-file", unsupported(".txt"))]


def test_a_file_swapped_after_the_guards_cannot_reach_the_reader(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader parses the very bytes the guards checked: the file is opened and read once."""
    from engine.intake import reader

    path = fill()
    good = path.read_bytes()
    real_load = reader.guards.load

    def load_then_swap(target: Path, max_size: int) -> object:
        data = real_load(target, max_size)
        path.write_bytes(b"PK\x03\x04" + b"\0" * 100)  # replaced by junk once the guards are done
        return data

    monkeypatch.setattr(reader.guards, "load", load_then_swap)
    submission = reader.read_submission(path, mini_rules)
    assert submission.valid and submission.sha256 == hashlib.sha256(good).hexdigest()
