"""Cheap checks on an input file before any parser touches it.

Inspectors score folders of returned files; some are broken, some odd, a few
possibly hostile. :func:`precheck` looks, in this order and stopping at the
first problem, at

1. the file-system entry (``stat`` only: a FIFO or device is never opened
   for reading, a directory or a vanished file or a symlink loop is named as such),
   its size (empty, over the limit);
2. the content type from the first bytes (never the name): zip (.xlsx/.xlsm/.ods),
   OLE2 (.xls; an encrypted .xlsx is an OLE2 file too), or something else
   (PDF, image, text/CSV, HTML, unknown binary);
3. for zip: the central directory only (entry count, declared sizes, compression
   ratio, duplicate names), then each XML part streamed and bounded: no DTD or
   entity declaration in its prolog (also UTF-16), its actual size and CRC as
   declared, and for worksheets (xlsx) and content.xml (ods) the sheet extent;
4. for OLE2: the directory entries (encryption streams, Word/PowerPoint), and for
   .xls the BIFF records of the Workbook stream (FILEPASS = encrypted; cells far
   outside a self-assessment sheet).

The result is one file-level error (``sheet`` is None) or None. Work is bounded by
the size limit; a normal 30 KB workbook takes about a millisecond.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from engine.diagnostics import Diagnostic, column_letter, make
from engine.inputs import WORKBOOK_SUFFIXES

MIB = 1024 * 1024
MAX_SIZE = 20 * MIB
MAX_ENTRIES = 500
MAX_ENTRY_SIZE = 100 * MIB
MAX_TOTAL_SIZE = 200 * MIB
MAX_RATIO = 100
RATIO_FLOOR = 1 * MIB  # parts smaller than this may compress as well as they like
MAX_PROLOG = 64 * 1024
MAX_TAG = 4 * MIB  # one XML tag longer than this is not a spreadsheet's
MAX_ROWS = 5000
MAX_COLUMNS = 200
CHUNK = 64 * 1024

# Reasons given with file-unreadable (template: 无法读取文件：{reason}).
CORRUPT = "文件已损坏"
GONE = "文件已不存在（可能在读取前被移走或删除）"
FOLDER = "这是一个文件夹，不是文件"
SPECIAL = "这不是普通文件（是管道、设备等特殊文件）"
NO_PERMISSION = "没有读取权限，请检查文件的权限设置"
LOOP = "快捷方式（符号链接）循环指向自身，找不到实际的文件"
METHOD = "文件已损坏或使用了不支持的压缩方式"

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


class _Rejected(Exception):
    """Carries the diagnostic out of the nested checks."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _unreadable(reason: str) -> _Rejected:
    return _Rejected(make("file-unreadable", reason=reason))


def _zip_unsafe(reason: str) -> _Rejected:
    return _Rejected(make("zip-unsafe", reason=reason))


def _short(text: str, limit: int = 60) -> str:
    """Names and values taken from the file, cut for a message (they may be megabytes long)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mib(size: int) -> str:
    """A size in MiB for a message, rounded up to 0.01 (20 MiB and 1 byte is 20.01, not 20)."""
    hundredths = -(-size * 100 // MIB)
    return f"{hundredths / 100:.2f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- entry point


def precheck(path: Path, max_size: int = MAX_SIZE) -> Diagnostic | None:
    """``None`` when ``path`` may be handed to the workbook reader, else the file-level error."""
    try:
        _check(Path(path), max_size)
    except _Rejected as rejected:
        return rejected.diagnostic
    return None


def digest(path: Path | str, max_size: int = MAX_SIZE) -> str:
    """The sha256 of a regular file no larger than ``max_size``; ``""`` for anything else.

    Safe on whatever precheck rejected: a FIFO or device is never read, a huge file never hashed.
    """
    try:
        if not _regular_size_ok(os.stat(path), max_size):
            return ""
        with _open_regular(Path(path)) as handle:
            if not _regular_size_ok(os.fstat(handle.fileno()), max_size):
                return ""
            sha = hashlib.sha256()
            for block in iter(lambda: handle.read(MIB), b""):
                sha.update(block)
            return sha.hexdigest()
    except OSError:
        return ""


def _regular_size_ok(st: os.stat_result, max_size: int) -> bool:
    return stat.S_ISREG(st.st_mode) and st.st_size <= max_size


def _open_regular(path: Path) -> IO[bytes]:
    """Open for reading without blocking (a FIFO swapped in after ``stat`` opens at once)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    return os.fdopen(fd, "rb")


def _os_error(exc: OSError) -> _Rejected:
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOTDIR:
        return _unreadable(GONE)
    if exc.errno == errno.ELOOP:
        return _unreadable(LOOP)
    if isinstance(exc, PermissionError):
        return _unreadable(NO_PERMISSION)
    if exc.errno == errno.EINVAL:  # a seek to an offset the file's own directory gave: damaged
        return _unreadable(CORRUPT)
    if isinstance(exc, IsADirectoryError):
        return _unreadable(FOLDER)
    return _unreadable(f"文件打不开（{exc.strerror or type(exc).__name__}）")


def _check_entry(st: os.stat_result, max_size: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise _unreadable(FOLDER)
    if not stat.S_ISREG(st.st_mode):
        raise _unreadable(SPECIAL)
    if st.st_size == 0:
        raise _Rejected(make("file-empty"))
    if st.st_size > max_size:
        raise _Rejected(make("file-too-large", size=_mib(st.st_size), limit=_mib(max_size)))


def _check(path: Path, max_size: int) -> None:
    try:
        _check_entry(os.stat(path), max_size)  # follows symlinks; never opens anything
        handle = _open_regular(path)
    except OSError as exc:
        raise _os_error(exc) from None
    with handle:
        try:
            st = os.fstat(handle.fileno())
            _check_entry(st, max_size)  # the same file as stat'ed, still regular and small enough
            _content(handle, st.st_size, path)
        except OSError as exc:
            raise _os_error(exc) from None


# ---------------------------------------------------------------- content type


def _content(handle: IO[bytes], size: int, path: Path) -> None:
    head = handle.read(4096)
    if head.startswith(ZIP_MAGIC):
        _check_zip(handle, size, path)
    elif head.startswith(OLE2_MAGIC):
        _check_ole(handle, size, path)
    elif head.startswith(EMPTY_ZIP_MAGIC):
        _not_a_workbook(path, "空的压缩包")
    else:
        what, unsupported = _describe(head)
        if unsupported:
            _unsupported(path, what)
        _not_a_workbook(path, what)


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


# ---------------------------------------------------------------- zip containers


@dataclass(frozen=True)
class _Entry:
    name: str
    offset: int
    compressed: int
    size: int
    crc: int
    method: int
    flags: int


def _eocd(handle: IO[bytes], size: int) -> tuple[int, int]:
    """(entries, central directory size) from the end-of-central-directory record."""
    tail_len = min(size, 22 + 65535)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    at = tail.rfind(EMPTY_ZIP_MAGIC)
    if at < 0 or len(tail) - at < 22:
        raise _unreadable(CORRUPT)
    entries, cd_size = struct.unpack_from("<HL", tail, at + 10)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", tail, at - 20 + 8)
        if record + 56 <= size:
            handle.seek(record)
            zip64 = handle.read(56)
            if zip64[:4] == b"PK\x06\x06":
                entries, cd_size = struct.unpack_from("<QQ", zip64, 32)
    return entries, cd_size


def _central_directory(handle: IO[bytes], size: int) -> list[_Entry]:
    entries, cd_size = _eocd(handle, size)
    if entries > MAX_ENTRIES or cd_size > MAX_ENTRIES * 1024:
        raise _zip_unsafe(f"内含 {entries} 个部件，超过 {MAX_ENTRIES} 个的上限")
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error, IndexError):
        raise _unreadable(CORRUPT) from None
    if len(infos) > MAX_ENTRIES:
        raise _zip_unsafe(f"内含 {len(infos)} 个部件，超过 {MAX_ENTRIES} 个的上限")
    return [
        _Entry(i.filename, i.header_offset, i.compress_size, i.file_size, i.CRC, i.compress_type, i.flag_bits)
        for i in infos
    ]


def _check_sizes(entries: list[_Entry]) -> None:
    """Declared sizes only: nothing is decompressed here."""
    seen: set[str] = set()
    total = 0
    for e in entries:
        key = e.name.replace("\\", "/").lower()
        if key in seen:
            raise _zip_unsafe(f"有两个同名的部件 {_short(e.name)}")
        seen.add(key)
        if e.size > MAX_ENTRY_SIZE:
            raise _zip_unsafe(
                f"部件 {_short(e.name)} 解压后有 {_mib(e.size)} MiB，超过 {_mib(MAX_ENTRY_SIZE)} MiB 的上限"
            )
        if e.size > RATIO_FLOOR and e.size > MAX_RATIO * max(e.compressed, 1):
            ratio = e.size // max(e.compressed, 1)
            raise _zip_unsafe(f"部件 {_short(e.name)} 的压缩率异常（{ratio}:1），疑似“压缩炸弹”")
        total += e.size
    if total > MAX_TOTAL_SIZE:
        raise _zip_unsafe(f"解压后共 {_mib(total)} MiB，超过 {_mib(MAX_TOTAL_SIZE)} MiB 的上限")


def _kind(handle: IO[bytes], size: int, entries: list[_Entry]) -> str:
    """xlsx, ods, or what else the zip holds (for the message)."""
    names = {e.name for e in entries}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    mimetype = next((e for e in entries if e.name == "mimetype"), None)
    if mimetype is not None:
        data = b"".join(_stream(handle, size, mimetype, verify=False, limit=256))
        if data.strip() == ODS_MIMETYPE:
            return "ods"
        return "OpenDocument 文档（不是表格）"
    if "word/document.xml" in names:
        return "Word 文档"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿"
    return "压缩包（zip）"


def _check_zip(handle: IO[bytes], size: int, path: Path) -> None:
    entries = _central_directory(handle, size)
    _check_sizes(entries)
    kind = _kind(handle, size, entries)
    if kind == "xlsb":
        _unsupported(path, _SUFFIX_NAMES[".xlsb"])
    if kind not in ("xlsx", "ods"):
        _not_a_workbook(path, kind)
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.name.endswith("/") or entry.size == 0:
            continue
        oversize = _check_part(handle, size, entry)
        if oversize is not None:
            sheet = oversize.sheet or _sheet_name(handle, size, entries, entry.name)
            raise _too_large(sheet, oversize.found)


@dataclass(frozen=True)
class _Oversize:
    """A sheet beyond the limits: its name when the part says it (ods), and what was found."""

    sheet: str | None
    found: str


def _too_large(sheet: str, found: str) -> _Rejected:
    return _Rejected(make("sheet-too-large", name=_short(sheet), found=found, rows=MAX_ROWS, columns=MAX_COLUMNS))


def _stream(
    handle: IO[bytes], size: int, entry: _Entry, *, verify: bool = True, limit: int | None = None
) -> Iterator[bytes]:
    """The decompressed bytes of ``entry`` in chunks of at most CHUNK, never more than declared.

    Read to the end with ``verify``, the actual size and the CRC must be as declared.
    ``limit`` stops after about that many bytes (nothing is then verified).
    """
    if entry.flags & 0x1:
        raise _Rejected(make("file-encrypted"))
    if entry.method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _unreadable(METHOD)
    handle.seek(entry.offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != ZIP_MAGIC:
        raise _unreadable(CORRUPT)
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    start = entry.offset + 30 + name_len + extra_len
    if start + entry.compressed > size:
        raise _unreadable(CORRUPT)
    handle.seek(start)
    left = entry.compressed
    produced = 0
    crc = 0
    inflate = zlib.decompressobj(-15) if entry.method == zipfile.ZIP_DEFLATED else None
    while left > 0:
        raw = handle.read(min(CHUNK, left))
        if not raw:
            raise _unreadable(CORRUPT)
        left -= len(raw)
        data = raw
        while True:
            if inflate is None:
                out, data, full = data, b"", False
            else:
                # At most one byte more than declared: enough to notice a lie, never a bomb.
                cap = min(CHUNK, entry.size + 1 - produced)
                try:
                    out = inflate.decompress(data, cap)
                except zlib.error:
                    raise _unreadable(CORRUPT) from None
                data, full = inflate.unconsumed_tail, len(out) == cap
            if out:
                produced += len(out)
                if produced > entry.size:
                    raise _zip_unsafe(f"部件 {_short(entry.name)} 的实际大小超过了声明的大小")
                if verify:
                    crc = zlib.crc32(out, crc)
                yield out
                if limit is not None and produced >= limit:
                    return
            if not data and not full:  # a full output may leave more inside the inflater
                break
            if not out and inflate is not None and inflate.eof:
                break
        if inflate is not None and inflate.eof:
            break
    if verify and (produced != entry.size or crc != entry.crc):
        raise _unreadable(CORRUPT)


# ---------------------------------------------------------------- XML parts


@dataclass
class _Prolog:
    encoding: str
    root: str  # qualified name of the root element


_NAME_START = re.compile(r"<([^\s/>!?]+)")


def _encoding(head: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) for XML-looking bytes; None when the part is not XML."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None  # UTF-32: no spreadsheet writes it and the reader cannot decode it
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    if head.startswith(b"<\x00"):
        return "utf-16-le", 0
    if head.startswith(b"\x00<"):
        return "utf-16-be", 0
    stripped = head.lstrip(b" \t\r\n")
    if stripped.startswith(b"<") or not stripped:
        return "utf-8", 0
    return None


def _prolog(part: str, head: bytes, final: bool) -> _Prolog | None:
    """The prolog of an XML part up to its root element; None when more bytes are needed.

    Raises for a DTD or entity declaration, for text before the root (not XML), and for
    a prolog longer than MAX_PROLOG.
    """
    found = _encoding(head)
    if found is None:
        raise _unreadable(CORRUPT)
    encoding, bom = found
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head[bom:], final=final)
    i = 0
    n = len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            break
        if text[i] != "<":
            raise _unreadable(CORRUPT)
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                break
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                break
            i = end + 3
        elif text.startswith("<!", i):
            if n - i < 4 and "<!--".startswith(text[i:]):
                break
            raise _Rejected(make("xml-unsafe", part=_short(part), what="DTD 或实体声明（<!DOCTYPE、<!ENTITY）"))
        else:
            match = _NAME_START.match(text, i)
            if match is None or match.end() == n:
                break
            return _Prolog(encoding, match.group(1))
    if len(head) > MAX_PROLOG:
        raise _Rejected(make("xml-unsafe", part=_short(part), what=f"文件头超过 {MAX_PROLOG // 1024} KiB"))
    if final:
        raise _unreadable(CORRUPT)  # no root element at all
    return None


def _check_part(handle: IO[bytes], size: int, entry: _Entry) -> _Oversize | None:
    """Check one part: a sheet that is too large is returned, other problems raise."""
    chunks = _stream(handle, size, entry)
    head = b""
    prolog = None
    for chunk in chunks:
        head += chunk
        if _encoding(head[:4]) is None:
            return None  # not XML (an image, a binary part): no XML parser reads it
        prolog = _prolog(entry.name, head[: MAX_PROLOG + 1], final=False)
        if prolog is not None or len(head) > MAX_PROLOG:
            break
    if prolog is None:
        prolog = _prolog(entry.name, head[: MAX_PROLOG + 1], final=True)
        if prolog is None:
            return None
    local = prolog.root.rsplit(":", 1)[-1]
    rest = _prepend(head, chunks)
    if local in ("worksheet", "dialogsheet", "macrosheet"):
        return _scan_sheet(prolog.encoding, rest, lambda: _stream(handle, size, entry))
    if prolog.root == "office:document-content":
        return _scan_ods(rest)
    for _ in rest:  # read to the end: the actual size and CRC are verified
        pass
    return None


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


_PREFIX = r"<(?:[A-Za-z_][\w.\-]*:)?"
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?dimension(?=[\s/>])([^>]*)>")
# What the quick pass cannot settle: a cell tag without ``r`` as its first attribute, or whose
# ``r`` may be beyond the limits (3 letters, after GR, row 5000 or more); a cell tag with a
# second ``r`` (the reader takes the last); a prefixed cell tag. Three searches, each with a
# literal start, are much faster than one with alternatives.
_QUICK_UNSURE = (
    re.compile(
        rb"""<c(?:[\t\n\r>/]| (?!r=["'])| r=["'](?:[A-Za-z]{3}|[H-Zh-z][A-Za-z]\d|[Gg][S-Zs-z]\d"""
        rb"""|[A-Za-z]{1,2}0*(?:[5-9]\d{3}|[1-9]\d{4})))"""
    ),
    re.compile(rb"""<c r=["'][^"'>]*["'](?=[^>]*?\sr\s*=)"""),
    re.compile(rb":c[\s/>]"),
)
_TAG = re.compile(_PREFIX + r"(row|c|dimension)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(r"""(?:^|\s)r\s*=\s*["']\s*([A-Za-z]*)(\d+)\s*["']""")
_HUGE = 10**9  # a position with more than 3 letters or 9 digits: far beyond any limit
_REF_ATTR = re.compile(r"""(?:^|\s)ref\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")


def _row_number(digits: str) -> int:
    return int(digits) if len(digits) <= 9 else _HUGE


def _column_number(letters: str) -> int:
    if len(letters) > 3:
        return _HUGE
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _tags(encoding: str, chunks: Iterable[bytes]) -> Iterator[str]:
    """Decoded text in pieces that never split a tag; one tag may be at most MAX_TAG long."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending: list[str] = []
    pending_len = 0
    for chunk in chunks:
        text = decoder.decode(chunk)
        if pending:
            if ">" not in text:
                pending.append(text)
                pending_len += len(text)
                if pending_len > MAX_TAG:
                    raise _unreadable(CORRUPT)
                continue
            text = "".join(pending) + text
            pending, pending_len = [], 0
        last_open = text.rfind("<")
        if last_open >= 0 and text.find(">", last_open) < 0:
            pending, pending_len = [text[last_open:]], len(text) - last_open
            text = text[:last_open]
        yield text
    yield "".join(pending) + decoder.decode(b"", final=True)


def _scan_sheet(encoding: str, chunks: Iterable[bytes], again: Callable[[], Iterator[bytes]]) -> _Oversize | None:
    """What was found when the worksheet declares or holds a cell beyond MAX_ROWS × MAX_COLUMNS.

    A quick pass over the bytes settles the usual sheet (every cell tag starts with an ``r``
    well inside the limits); anything else, and UTF-16, is walked tag by tag from a fresh
    stream (``again``).
    """
    if encoding != "utf-8":
        return _walk_sheet(_tags(encoding, chunks))
    dimension_seen = False
    for piece in _pieces(chunks):
        if not dimension_seen:
            match = _DIMENSION.search(piece)
            if match is not None:
                dimension_seen = True
                oversize = _check_dimension(match.group(1).decode("utf-8", errors="replace"))
                if oversize is not None:
                    return oversize
        if any(pattern.search(piece) for pattern in _QUICK_UNSURE):
            return _walk_sheet(_tags(encoding, again()))
    return None


def _pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The bytes in pieces that never split a tag; one tag may be at most MAX_TAG long."""
    pending: list[bytes] = []
    pending_len = 0
    for chunk in chunks:
        if pending:
            if b">" not in chunk:
                pending.append(chunk)
                pending_len += len(chunk)
                if pending_len > MAX_TAG:
                    raise _unreadable(CORRUPT)
                continue
            chunk = b"".join(pending) + chunk
            pending, pending_len = [], 0
        last_open = chunk.rfind(b"<")
        if last_open >= 0 and chunk.find(b">", last_open) < 0:
            pending, pending_len = [chunk[last_open:]], len(chunk) - last_open
            chunk = chunk[:last_open]
        yield chunk
    yield b"".join(pending)


def _check_dimension(attrs: str) -> _Oversize | None:
    ref = _REF_ATTR.search(attrs)
    if ref is None:
        return None
    cells = _CELL_REF.findall(ref.group(1))
    rows = max((_row_number(r) for _, r in cells), default=0)
    cols = max((_column_number(c) for c, _ in cells), default=0)
    if rows > MAX_ROWS or cols > MAX_COLUMNS:
        return _Oversize(None, f"声明的范围为 {_short(ref.group(1), 40)}")
    return None


def _walk_sheet(texts: Iterable[str]) -> _Oversize | None:
    """Every dimension, row and cell tag; cells without ``r`` placed as the reader places them
    (the next column; the row's ``r`` or the next row); empty self-closing cells do not count."""
    row = 0
    col = 0
    for text in texts:
        for match in _TAG.finditer(text):
            name, attrs = match.group(1), match.group(2)
            refs = _R_ATTR.findall(attrs)  # the reader takes the last of repeated attributes
            if name == "c":
                if refs and refs[-1][0]:
                    row_at = max(_row_number(r) for _, r in refs)
                    col = max(_column_number(letters) for letters, _ in refs)
                else:
                    row_at, col = row, col + 1
                if (row_at > MAX_ROWS or col > MAX_COLUMNS) and not attrs.rstrip().endswith("/"):
                    return _Oversize(None, f"单元格 {column_letter(min(col, 16384))}{row_at} 有内容")
            elif name == "row":
                row = _row_number(refs[-1][1]) if refs else row + 1
                col = 0
            else:
                oversize = _check_dimension(attrs)
                if oversize is not None:
                    return oversize
    return None


def _scan_ods(chunks: Iterable[bytes]) -> _Oversize | None:
    """The table found when a table of content.xml holds content beyond the limits, repeats counted."""
    scan = _OdsScan()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            if scan.found is not None:
                return scan.found
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _unreadable(CORRUPT) from None
    return scan.found


def _no_dtd(*_: Any) -> None:
    raise _Rejected(make("xml-unsafe", part="content.xml", what="DTD 或实体声明（<!DOCTYPE、<!ENTITY）"))


_REPEAT = re.compile(r"\d{1,9}")
_CELLS = ("table:table-cell", "table:covered-table-cell")


def _repeat(value: str | None) -> int:
    if value is None:
        return 1
    return int(value) if _REPEAT.fullmatch(value.strip()) else 10**9


class _OdsScan:
    """Row and column positions as the reader expands them; only cells with content count."""

    def __init__(self) -> None:
        self.found: _Oversize | None = None
        self.tables: list[str] = []
        self.row = 0
        self.row_repeat = 1
        self.col = 0
        self.cell_repeat = 0
        self.cell_depth = 0  # >0 inside a cell
        self.cell_content = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.cell_depth:
            self.cell_depth += 1
            self.cell_content = True
            return
        if name == "table:table":
            self.tables.append(attrs.get("table:name", f"第{len(self.tables) + 1}个工作表"))
            self.row = 0
        elif name == "table:table-row":
            self.row_repeat = _repeat(attrs.get("table:number-rows-repeated"))
            self.col = 0
        elif name in _CELLS:
            self.cell_depth = 1
            self.cell_repeat = _repeat(attrs.get("table:number-columns-repeated"))
            self.cell_content = "office:value-type" in attrs or "calcext:value-type" in attrs

    def end(self, name: str) -> None:
        if self.cell_depth > 1:
            self.cell_depth -= 1
            return
        if self.cell_depth == 1 and name in _CELLS:
            self.cell_depth = 0
            last_col = self.col + self.cell_repeat
            last_row = self.row + self.row_repeat
            if self.cell_content and self.found is None and (last_row > MAX_ROWS or last_col > MAX_COLUMNS):
                sheet = self.tables[-1] if self.tables else "第1个工作表"
                ref = f"{column_letter(min(last_col, 16384))}{last_row}"
                self.found = _Oversize(sheet, f"单元格 {ref} 有内容")
            self.col = last_col
        elif name == "table:table-row":
            self.row += self.row_repeat
        elif name == "table:table" and self.tables:
            self.tables.pop()


_SHEET_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?sheet\s([^>]*)>")
_REL_TAG = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?Relationship\s([^>]*)>")
_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*["']([^"']*)["']""")


def _sheet_name(handle: IO[bytes], size: int, entries: list[_Entry], part: str) -> str:
    """The sheet name of an xlsx worksheet part, from workbook.xml and its relationships (regex only)."""
    from xml.sax.saxutils import unescape

    by_name = {e.name: e for e in entries}

    def text(name: str) -> str:
        entry = by_name.get(name)
        if entry is None:
            return ""
        data = b"".join(_stream(handle, size, entry, verify=False, limit=MIB))
        found = _encoding(data[:4])
        return data.decode(found[0] if found else "utf-8", errors="replace")

    try:
        targets = {}
        for match in _REL_TAG.finditer(text("xl/_rels/workbook.xml.rels")):
            attrs = dict(_ATTR.findall(match.group(1)))
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else os.path.normpath("xl/" + target)
            targets[attrs.get("Id", "")] = target.replace("\\", "/")
        for match in _SHEET_TAG.finditer(text("xl/workbook.xml")):
            attrs = dict(_ATTR.findall(match.group(1)))
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            if targets.get(rid) == part and "name" in attrs:
                return unescape(attrs["name"], {"&quot;": '"', "&apos;": "'"})
    except _Rejected:
        pass
    return part


# ---------------------------------------------------------------- OLE2 (.xls, encrypted .xlsx)

_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA


@dataclass(frozen=True)
class _DirEntry:
    name: str
    kind: int
    start: int
    size: int


class _Ole:
    """Just enough of MS-CFB to list the directory and read a stream, every step bounded."""

    def __init__(self, handle: IO[bytes], size: int) -> None:
        self.handle = handle
        handle.seek(0)
        header = handle.read(512)
        if len(header) < 512:
            raise _unreadable(CORRUPT)
        shift, mini_shift = struct.unpack_from("<HH", header, 30)
        if shift not in (9, 12) or mini_shift >= shift:
            raise _unreadable(CORRUPT)
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        self.count = max(0, (size - self.sector) // self.sector + (1 if (size - self.sector) % self.sector else 0))
        (num_fat, first_dir, _, self.mini_cutoff, first_mini, _, first_difat, num_difat) = struct.unpack_from(
            "<8L", header, 44
        )
        self.first_mini = first_mini
        difat = [s for s in struct.unpack_from("<109L", header, 76) if s <= _MAX_SECTOR]
        per_sector = self.sector // 4
        seen: set[int] = set()
        next_difat = first_difat
        while next_difat <= _MAX_SECTOR and len(difat) < num_fat:
            if next_difat in seen or len(seen) > num_difat:
                raise _unreadable(CORRUPT)
            seen.add(next_difat)
            values = struct.unpack(f"<{per_sector}L", self._read_sector(next_difat))
            difat.extend(s for s in values[:-1] if s <= _MAX_SECTOR)
            next_difat = values[-1]
        if len(difat) > self.count + 1:
            raise _unreadable(CORRUPT)
        fat_bytes = b"".join(self._read_sector(s) for s in difat[:num_fat])
        self.fat = struct.unpack(f"<{len(fat_bytes) // 4}L", fat_bytes)
        self.entries = self._directory(first_dir)
        self._minifat: tuple[int, ...] | None = None
        self._mini_stream: bytes | None = None

    def _read_sector(self, sector: int) -> bytes:
        if sector >= self.count:
            raise _unreadable(CORRUPT)
        self.handle.seek((sector + 1) * self.sector)
        data = self.handle.read(self.sector)
        if len(data) < self.sector:
            data += b"\x00" * (self.sector - len(data))  # a short last sector, as writers leave it
        return data

    def _chain(self, start: int, fat: tuple[int, ...] | None = None) -> Iterator[int]:
        table = self.fat if fat is None else fat
        seen: set[int] = set()
        sector = start
        while sector != _END:
            if sector >= len(table) or sector in seen:
                raise _unreadable(CORRUPT)
            seen.add(sector)
            yield sector
            sector = table[sector]

    def _directory(self, first: int) -> list[_DirEntry]:
        entries = []
        for sector in self._chain(first):
            data = self._read_sector(sector)
            for at in range(0, self.sector, 128):
                raw = data[at : at + 128]
                name_len, kind = struct.unpack_from("<HB", raw, 64)
                start, size = struct.unpack_from("<LQ", raw, 116)
                if self.sector == 512:
                    size &= 0xFFFFFFFF
                name = raw[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", errors="replace")
                entries.append(_DirEntry(name, kind, start, size))
        if not entries or entries[0].kind != 5:
            raise _unreadable(CORRUPT)
        return entries

    def names(self) -> set[str]:
        return {e.name for e in self.entries if e.kind in (1, 2)}

    def stream(self, name: str) -> bytes | None:
        entry = next((e for e in self.entries if e.kind == 2 and e.name == name), None)
        if entry is None:
            return None
        if entry.size < self.mini_cutoff:
            return self._mini(entry)
        parts = []
        total = 0
        for sector in self._chain(entry.start):
            parts.append(self._read_sector(sector))
            total += self.sector
            if total >= entry.size:
                break
        return b"".join(parts)[: entry.size]

    def _mini(self, entry: _DirEntry) -> bytes:
        if self._minifat is None:
            data = b"".join(self._read_sector(s) for s in self._chain(self.first_mini))
            self._minifat = struct.unpack(f"<{len(data) // 4}L", data)
            root = self.entries[0]
            self._mini_stream = b"".join(self._read_sector(s) for s in self._chain(root.start))[: root.size]
        assert self._mini_stream is not None
        parts = []
        for sector in self._chain(entry.start, self._minifat):
            parts.append(self._mini_stream[sector * self.mini_sector : (sector + 1) * self.mini_sector])
            if len(parts) * self.mini_sector >= entry.size:
                break
        return b"".join(parts)[: entry.size]


_ENCRYPTION_STREAMS = {"EncryptionInfo", "EncryptedPackage"}
# BIFF records that put a value in a cell (row and column are their first two fields).
_CELL_RECORDS = {0x0006, 0x0206, 0x0406, 0x00BD, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
_BOF = 0x0809
_FILEPASS = 0x002F
_BOUNDSHEET = 0x0085


def _check_ole(handle: IO[bytes], size: int, path: Path) -> None:
    ole = _Ole(handle, size)
    names = ole.names()
    if names & _ENCRYPTION_STREAMS:
        raise _Rejected(make("file-encrypted"))
    if "WordDocument" in names:
        _not_a_workbook(path, "Word 文档")
    if "PowerPoint Document" in names:
        _not_a_workbook(path, "PowerPoint 演示文稿")
    book = "Workbook" if "Workbook" in names else "Book" if "Book" in names else None
    if book is None or _suffix(path) in (".et", ".ett"):
        _unsupported(path, "无法识别的 Office 文件")
    assert book is not None
    data = ole.stream(book)
    if data is not None:
        _check_biff(data)


def _check_biff(data: bytes) -> None:
    """FILEPASS (encrypted) in the globals; value cells outside MAX_ROWS × MAX_COLUMNS in the sheets."""
    if len(data) < 8 or struct.unpack_from("<H", data, 0)[0] != _BOF:
        return  # not BIFF we understand: the reader decides
    biff8 = struct.unpack_from("<H", data, 4)[0] == 0x0600
    sheets: dict[int, str] = {}
    sheet: str | None = None
    count = 0
    pos = 0
    end = len(data)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", data, pos)
        body = pos + 4
        if kind == _BOF:
            if pos > 0:
                count += 1
                sheet = sheets.get(pos, f"第{count}个工作表")
        elif sheet is None:
            if kind == _FILEPASS:
                raise _Rejected(make("file-encrypted"))
            if kind == _BOUNDSHEET and length >= 8:
                sheets[struct.unpack_from("<L", data, body)[0]] = _sheet_label(data[body : body + length], biff8)
        elif kind in _CELL_RECORDS and length >= 4:
            row, col = struct.unpack_from("<HH", data, body)
            if kind == 0x00BD and length >= 6:  # MULRK: the last field is the last column
                col = struct.unpack_from("<H", data, body + length - 2)[0]
            if row + 1 > MAX_ROWS or col + 1 > MAX_COLUMNS:
                raise _too_large(sheet, f"第 {row + 1} 行第 {col + 1} 列有内容")
        pos = body + length


def _sheet_label(body: bytes, biff8: bool) -> str:
    """The sheet name in a BOUNDSHEET record body."""
    count = body[6]
    if not biff8:
        return body[7 : 7 + count].decode("gbk", errors="replace")
    high = body[7] & 1
    raw = body[8 : 8 + count * (2 if high else 1)]
    return raw.decode("utf-16-le" if high else "latin-1", errors="replace")
