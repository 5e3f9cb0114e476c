"""The 回头看 workbook (``rectification report``): for the interim check between rounds, each
branch's gaps of a round by the status the branch declared, and what is overdue as of a date.

Sheets: 整改进度 (one row per branch: counts by declared status, overdue, 完成率) and 整改明细
(one row per gap). The date is printed in both; the same store and date give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from engine.book import Book, CellValue, Sheet
from engine.history import declared as dec
from engine.history.followup import NOT_REPORTED, BranchGaps
from engine.reports import styles as st
from engine.rules.model import RuleSet
from engine.textsafe import shorten

SHEET_PROGRESS = "整改进度"
SHEET_DETAIL = "整改明细"
STATES = (dec.DONE, dec.DOING, dec.TODO, NOT_REPORTED)
PROGRESS_HEADERS = ("序号", "支部名称", "上级党组织", "得分", "评定等级", "问题项", *STATES, "逾期", "完成率")
PROGRESS_WIDTHS = (6, 26, 22, 8, 10, 8, 8, 8, 8, 8, 8, 8)
DETAIL_HEADERS = ("支部名称", "上级党组织", "编号", "检查要点", "可提升分", "自报状态", "整改时限", "逾期",
                  "整改责任人", "整改措施")  # fmt: skip
DETAIL_WIDTHS = (22, 20, 7, 40, 8, 9, 11, 6, 10, 28)
HEADER_ROW = 3
_PROGRESS_STYLES = {2: "bc-text", 3: "bc-text", 4: "bc-score", 12: "bc-percent"}
_DETAIL_STYLES = {3: "bc-center", 5: "bc-score", 6: "bc-center", 7: "bc-date", 8: "bc-center"}


def write_followup(
    rules: RuleSet | None, round_name: str, branches: Sequence[BranchGaps], as_of: date, path: Path
) -> Path:
    """Write the 回头看 workbook of round ``round_name`` as of ``as_of`` to ``path``."""
    book = st.new_book()
    _progress(book.sheet(SHEET_PROGRESS, PROGRESS_WIDTHS), round_name, branches, as_of)
    _detail(book, rules, round_name, branches, as_of)
    return book.save(path)


def _short(text: str | None) -> str | None:
    """Text from the store (whole there), shortened for a cell."""
    return None if text is None else shorten(text)


def _title(ws: Sheet, title: str, note: str, headers: Sequence[str]) -> None:
    ws.put(1, 1, title, "bc-title")
    ws.put(2, 1, note, "bc-note")
    for column, text in enumerate(headers, start=1):
        ws.put(HEADER_ROW, column, text, "bc-header")
    ws.freeze(f"C{HEADER_ROW + 1}")
    st.page_setup(ws.ws, landscape=True, title_row=HEADER_ROW, footer=title)


def _progress(ws: Sheet, round_name: str, branches: Sequence[BranchGaps], as_of: date) -> None:
    total = sum(len(b.gaps) for b in branches)
    overdue = sum(g.overdue(as_of) for b in branches for g in b.gaps)
    note = (
        f"截至 {as_of.isoformat()}：{len(branches)} 个支部共 {total} 个问题项，逾期未完成 {overdue} 项。"
        "自报状态为支部交回的问题清单中填写的整改状态（branchcheck rectification import）；"
        f"“{NOT_REPORTED}”为支部未交回或未填写；逾期 = 整改时限早于统计日期且未完成；完成率 = 已完成 ÷ 问题项。"
    )
    _title(ws, f"整改回头看　评估轮次“{round_name}”　截至 {as_of.isoformat()}", note, PROGRESS_HEADERS)
    row = HEADER_ROW
    for n, b in enumerate(branches, start=1):
        row += 1
        states = [g.state() for g in b.gaps]
        late = sum(g.overdue(as_of) for g in b.gaps)
        done = states.count(dec.DONE)
        name, parent = _short(b.name), _short(b.parent)
        values: list[CellValue] = [n, name, parent, b.score, b.rating, len(b.gaps),
                                   *(states.count(s) for s in STATES), late,
                                   done / len(b.gaps) if b.gaps else None]  # fmt: skip
        ws.fit(row, [(name, PROGRESS_WIDTHS[1]), (parent, PROGRESS_WIDTHS[2])])
        for column, value in enumerate(values, start=1):
            style = _PROGRESS_STYLES.get(column, "bc-center")
            ws.put(row, column, value, style, st.RED_BOLD if column == 11 and late else None)
    if row == HEADER_ROW:
        ws.line(row + 1, [("该轮次没有评分的支部。", "bc-text", len(PROGRESS_HEADERS))])
    else:
        ws.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(PROGRESS_HEADERS))}{row}")


def _detail(book: Book, rules: RuleSet | None, round_name: str, branches: Sequence[BranchGaps], as_of: date) -> None:
    ws = book.sheet(SHEET_DETAIL, DETAIL_WIDTHS)
    note = f"每个问题项一行，按支部和编号排列；逾期按 {as_of.isoformat()} 计算。"
    _title(ws, f"整改明细　评估轮次“{round_name}”　截至 {as_of.isoformat()}", note, DETAIL_HEADERS)
    row = HEADER_ROW
    for b in branches:
        for g in b.gaps:
            row += 1
            said = g.declared
            text = rules.item(g.item).text if rules is not None and rules.has_item(g.item) else None
            late = g.overdue(as_of)
            values: list[CellValue] = [
                _short(b.name), _short(b.parent), g.item, text, g.gain, g.state(),
                said.due if said else None, "是" if late else None,
                _short(said.owner if said else None), _short(said.measure if said else None),
            ]  # fmt: skip
            ws.fit(row, [(v, w) for v, w in zip(values, DETAIL_WIDTHS, strict=True) if isinstance(v, str)])
            for column, value in enumerate(values, start=1):
                style = _DETAIL_STYLES.get(column, "bc-text")
                ws.put(row, column, value, style, st.RED_BOLD if column == 8 and late else None)
    if row == HEADER_ROW:
        ws.line(row + 1, [("没有问题项。", "bc-text", len(DETAIL_HEADERS))])
    else:
        ws.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(DETAIL_HEADERS))}{row}")
