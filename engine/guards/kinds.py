"""The content type from the first bytes, and the not-a-workbook and unsupported-file rejections."""

from __future__ import annotations

import codecs
from pathlib import Path

from engine.contract import WORKBOOK_SUFFIXES
from engine.diagnostics import make
from engine.guards.rejections import _Rejected

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Suffixes that are not workbooks but deserve a name in the message.
_SUFFIX_NAMES = {
    ".et": "WPS 表格 .et",
    ".ett": "WPS 表格模板 .ett",
    ".xlsb": "Excel 二进制工作簿 .xlsb",
    ".numbers": "Apple Numbers 表格",
}

# Magic numbers of things that are certainly not workbooks: (prefix, what).
_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 文档"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"{\\rtf", "RTF 文档"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
)


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _unsupported(path: Path, what: str) -> None:
    suffix = _suffix(path)
    found = _SUFFIX_NAMES.get(suffix) or (what if suffix in WORKBOOK_SUFFIXES else suffix or "无扩展名")
    raise _Rejected(make("unsupported-file", found=found))


def _not_a_workbook(path: Path, what: str) -> None:
    """A file that is not a spreadsheet: named like one, say what it is; otherwise its type is unsupported."""
    if _suffix(path) not in WORKBOOK_SUFFIXES:
        _unsupported(path, what)
    raise _Rejected(make("not-a-workbook", what=f" {what}" if what[:1].isascii() else what))  # 而是 PDF 文档


def _describe(head: bytes) -> tuple[str, bool]:
    """(what the bytes are, whether it is a spreadsheet in a format we do not read)."""
    for magic, what in _MAGICS:
        if head.startswith(magic):
            return what, False
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP 图片", False
    text = _as_text(head)
    if text is None:
        return "无法识别的格式", True
    lowered = text.lstrip("\ufeff \t\r\n").lower()[:2048]
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered or (
        lowered.startswith("<?xml") and "<workbook" in lowered
    ):
        return "Excel 2003 XML 表格", True
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")) or "<html" in lowered[:512]:
        return "网页（HTML）格式的表格", True
    if lowered.startswith("<?xml"):
        return "XML 文件", False
    return "文本或 CSV 文件", False


def _as_text(head: bytes) -> str | None:
    """``head`` decoded when it looks like text (UTF-8, GB18030 or UTF-16 with BOM), else None."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head[2:])
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x1a")
        if controls <= len(text) // 100:
            return text
    return None
