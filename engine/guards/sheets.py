"""Sheet extent of an ods: content.xml scanned for content beyond MAX_ROWS × MAX_COLUMNS.

(xlsx worksheets: engine/guards/worksheet.py.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from xml.parsers import expat

from engine.diagnostics import column_letter, make
from engine.guards.limits import MAX_COLUMNS, MAX_ROWS
from engine.guards.rejections import CORRUPT, _Rejected, _unreadable
from engine.guards.worksheet import Oversize as _Oversize


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
