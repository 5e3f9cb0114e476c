"""评分明细 (every check point, grouped by area and standard, with subtotal rows as values)
and 数据问题 (the submission's warnings, or a single 无)."""

from __future__ import annotations

from decimal import Decimal

from engine.book import CellValue, Sheet
from engine.reports import styles as st
from engine.reports.texts import (
    NONE_TEXT,
    STATUS,
    ResultDict,
    answer_text,
    checked_text,
    item_of,
    num_text,
    number,
    problem_title,
    severity_text,
)
from engine.rules.model import RuleSet
from engine.scoring.model import NOT_APPLICABLE

HEADERS = (
    "编号", "检查要点", "分值", "自评结果", "核查结果", "核查意见", "状态", "得分系数", "得分", "满分", "说明",
    "佐证材料", "备注",
)  # fmt: skip
WIDTHS = (8, 36, 6, 9, 9, 20, 8, 8, 7, 7, 44, 24, 16)
HEADER_ROW = 3
COL_STATUS, COL_EARNED, COL_MAX, COL_NOTE = (HEADERS.index(t) + 1 for t in ("状态", "得分", "满分", "说明"))
SUBTOTAL = "小计"
AREA_TOTAL = "合计"
GRAND_TOTAL = "总计"
DATA_HEADERS = ("位置", "级别", "问题", "说明")
DATA_WIDTHS = (18, 8, 16, 90)
WHOLE_FILE = "整个文件"
DETAIL_NOTE = (
    "每个检查要点的答案、得分和说明；小计、合计行为本组得分之和（不适用的检查要点不计满分）。"
    "本表有多页，默认不打印（打印区域设为表格右侧的一个空白单元格）；需要打印时，请先取消打印区域"
    "（页面布局 → 打印区域 → 取消打印区域）。"
)


def detail_sheet(ws: Sheet, rules: RuleSet, d: ResultDict, name: str) -> None:
    ws.put(1, 1, f"评分明细　{name}", "bc-title")
    ws.line(2, [(DETAIL_NOTE, "bc-note-wrap", COL_NOTE)])
    for column, title in enumerate(HEADERS, start=1):
        ws.put(HEADER_ROW, column, title, "bc-header")
    items_of: dict[str, list[ResultDict]] = {}
    for item in d.get("items", ()):
        items_of.setdefault(str(item.get("standard")), []).append(item)
    standards = list(d.get("standards", ()))
    row = HEADER_ROW + 1
    earned = top = Decimal(0)
    for area in d.get("areas", ()):
        ws.line(row, [(f"{area['id']} {area.get('name')}", "bc-section", len(HEADERS))])
        row += 1
        for standard in (s for s in standards if s.get("area") == area["id"]):
            title = f"{standard['id']} {standard.get('name')}"
            ws.line(row, [(None, "bc-subsection", 1), (title, "bc-subsection", len(HEADERS) - 1)])
            row += 1
            for item in items_of.get(standard["id"], ()):
                _item_row(ws, row, rules, item)
                row += 1
            _subtotal(ws, row, f"{SUBTOTAL}：{title}", standard)
            row += 1
        _subtotal(ws, row, f"{AREA_TOTAL}：{area['id']} {area.get('name')}", area)
        row += 1
        earned += number(area.get("earned")) or Decimal(0)
        top += number(area.get("max")) or Decimal(0)
    grand = {"earned": earned, "max": top}
    _subtotal(ws, row, GRAND_TOTAL, grand, f"总分 = 100 × 得分 ÷ 满分 = {num_text(d.get('score'))}")
    ws.freeze(f"C{HEADER_ROW + 1}")
    ws.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(HEADERS))}{row}")
    st.page_setup(ws.ws, landscape=True, title_row=HEADER_ROW, footer=name)
    # Left off paper: the print area is one blank cell right of the table (LibreOffice and Excel
    # print nothing for it). The whole table is many pages; row 2 says how to print it anyway.
    ws.ws.print_area(0, len(HEADERS), 0, len(HEADERS))


def _item_row(ws: Sheet, row: int, rules: RuleSet, item: ResultDict) -> None:
    rule = item_of(rules, item["id"])
    status = str(item.get("status", ""))
    shown_status = "bc-na" if status == NOT_APPLICABLE else "bc-center"
    cells: list[tuple[CellValue, str, str | None]] = [
        (item["id"], "bc-center", None),
        (rule.text if rule else None, "bc-text", None),
        (st.shown_number(item.get("points")), "bc-number", None),
        (answer_text(item.get("self_answer"), rule), "bc-center", None),
        (checked_text(item, rule), "bc-center", None),
        (item.get("inspector_note") or None, "bc-text", None),
        (STATUS.get(status, status), shown_status, st.STATUS_ACCENTS.get(status)),
        (st.shown_number(item.get("credit")), "bc-percent", None),
        (st.shown_number(item.get("earned")), "bc-number", None),
        (st.shown_number(item.get("max")), "bc-number", None),
        (item.get("reason"), "bc-text", None),
        (item.get("evidence") or None, "bc-text", None),
        (item.get("note") or None, "bc-text", None),
    ]
    ws.fit(row, [(v, w) for (v, _, _), w in zip(cells, WIDTHS, strict=True) if isinstance(v, str)])
    ws.puts(row, cells)


def _subtotal(ws: Sheet, row: int, label: str, group: ResultDict, note: str | None = None) -> None:
    """A subtotal row: the group's earned and maximum as values, so they are right without recalculation."""
    if note is None:
        percent = number(group.get("percent"))
        note = f"得分率 {percent * 100:.1f}%" if percent is not None else "不适用（本组没有适用的检查要点）"
    ws.span(row, 1, 2, label, "bc-total")
    for column in range(3, COL_EARNED):
        ws.put(row, column, None, "bc-total")
    ws.put(row, COL_EARNED, st.shown_number(group.get("earned")), "bc-total-score")
    ws.put(row, COL_MAX, st.shown_number(group.get("max")), "bc-total-number")
    ws.put(row, COL_NOTE, note, "bc-total")


def data_sheet(ws: Sheet, d: ResultDict, name: str) -> None:
    """位置 | 级别 | 问题 | 说明 per diagnostic (the report has this sheet only when there are some)."""
    for column, title in enumerate(DATA_HEADERS, start=1):
        ws.put(1, column, title, "bc-header")
    rows: list[tuple[str | None, ...]] = [
        (x.get("cell") or WHOLE_FILE, severity_text(x), problem_title(x), x.get("message"))
        for x in d.get("diagnostics", ())
    ]
    for row, values in enumerate(rows or [(NONE_TEXT, None, None, None)], start=2):
        ws.fit(row, [(v, w) for v, w in zip(values, DATA_WIDTHS, strict=True) if isinstance(v, str)])
        for column, value in enumerate(values, start=1):
            ws.put(row, column, value, "bc-center" if column == 2 else "bc-text")
    ws.freeze("A2")
    st.page_setup(ws.ws, landscape=True, title_row=1, footer=name)
