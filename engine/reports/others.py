"""汇总's sheet 其他文件: the files found beside the submissions that are not spreadsheets.

Branches send folders: the workbook plus evidence (PDF, photos, Word files). Those are not
submissions: they are listed once here (relative to the input root), get no 退回说明 and
do not change the exit code. Written only when there is something to list.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from engine.book import Book
from engine.reports import styles as st
from engine.rules.model import RuleSet

SHEET_OTHERS = "其他文件"
TITLE = "其他文件（未作为自评表读取）"
HEADERS = ("序号", "文件", "类型")
WIDTHS = (6, 72, 12)
HEADER_ROW = 3
NO_SUFFIX = "无扩展名"


def others_note(count: int) -> str:
    return (
        f"共 {count} 个文件：输入文件夹中不是自评表的文件（佐证材料、照片、说明、名册等），未作为自评表读取，"
        "不发退回说明，不影响评分结果；如其中有自评表的照片或 PDF，请支部另行提交用模板填写的 .xlsx 文件。"
    )


def others_sheet(book: Book, rules: RuleSet, others: Sequence[str]) -> None:
    """Write the sheet listing ``others`` (paths as people read them, in path order)."""
    sheet = book.sheet(SHEET_OTHERS, WIDTHS)
    title = f"{TITLE}　{rules.title}"
    st.page_setup(sheet.ws, landscape=False, title_row=HEADER_ROW, footer=title)
    sheet.freeze(f"A{HEADER_ROW + 1}")
    sheet.put(1, 1, title, "bc-title")
    sheet.put(2, 1, others_note(len(others)), "bc-note")
    sheet.fit(HEADER_ROW, zip(HEADERS, WIDTHS, strict=True))
    for column, header in enumerate(HEADERS, start=1):
        sheet.put(HEADER_ROW, column, header, "bc-header")
    for n, path in enumerate(others, start=1):
        row = HEADER_ROW + n
        sheet.fit(row, [(path, WIDTHS[1])])
        sheet.put(row, 1, n, "bc-number")
        sheet.put(row, 2, path)
        sheet.put(row, 3, PurePath(path).suffix.lower() or NO_SUFFIX, "bc-center")
    sheet.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(HEADERS))}{HEADER_ROW + len(others)}")
