"""The per-branch report against the earlier round (only when the run compared with one):
the 总览 block (上轮得分, 变化, 上轮等级, 整改率), the 问题清单 column 上轮, and the sheet 整改情况
listing last round's gaps with what became of them: the ones needing attention first (整改不实,
逾期未整改, 未整改, 部分整改), and only those printed.

The dict carries ``compared`` (the earlier round's name) and ``comparison`` (the branch's entry
in results.json, None when the branch has no scored submission in that round).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.book import Part, Sheet
from engine.cells import fitted_height
from engine.history.compare import CLASSES, FALSELY_DONE, JUDGED, NOT_FIXED, OVERDUE, PARTLY_FIXED
from engine.reports import styles as st
from engine.reports.texts import STATUS, ResultDict, by_id, item_of, number, score_of
from engine.rules.model import RuleSet
from engine.textsafe import shorten

SHEET_RECTIFICATION = "整改情况"
PREVIOUS_HEADER = "上轮"
PREVIOUS_WIDTH = 9
NEW = "新增"
KNOWN = "上轮已有"
NO_RECORD = "上轮无记录"
CHANGE_HEADER = "较上轮"
CHANGE_WIDTH = 9
HEADERS = (
    "序号",
    "编号",
    "检查要点",
    "本轮结果",
    "本轮得分",
    "整改情况",
    "自报状态",
    "整改时限",
    "整改责任人",
    "整改措施",
)
WIDTHS = (5, 7, 34, 10, 9, 11, 9, 11, 10, 28)
FIRST_ROW = 4
# 整改情况 lists these classes first, in this order, and prints only them (the rest stay on screen).
ATTENTION = (FALSELY_DONE, OVERDUE, NOT_FIXED, PARTLY_FIXED)
# Accents of the classes in 整改情况: the ones leaders look for stand out.
_ACCENTS = {FALSELY_DONE: st.RED_BOLD}


def _short(text: str | None) -> str | None:
    """What a branch typed, shortened for a cell (the store keeps it whole)."""
    return None if text is None else shorten(text)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def compared(d: ResultDict) -> bool:
    """Whether the run compared with an earlier round (the report then shows the comparison)."""
    return d.get("compared") is not None


def previous_marks(d: ResultDict) -> dict[str, str]:
    """For each current gap: 新增, 上轮已有 or 整改不实 (every gap 上轮无记录 for a branch new to the store)."""
    comparison = d.get("comparison")
    gaps = [str(g["id"]) for g in d.get("gaps", ())]
    if comparison is None:
        return dict.fromkeys(gaps, NO_RECORD)
    earlier = {str(g["id"]): g["class"] for g in comparison.get("gaps", ())}
    return {g: NEW if g not in earlier else FALSELY_DONE if earlier[g] == FALSELY_DONE else KNOWN for g in gaps}


def area_changes(d: ResultDict) -> dict[str, Decimal | None]:
    """Area id → change of its rate since the earlier round (None where either is not applicable)."""
    comparison = d.get("comparison") or {}
    return {str(a["id"]): number(a.get("change")) for a in comparison.get("areas", ())}


def overview_block(ws: Sheet, d: ResultDict, row: int, columns: int) -> int:
    """与上一轮次比较: 上轮得分 | 变化 | 上轮等级 | 整改率 (or why there is nothing); the next free row."""
    ws.put(row, 1, f"与上一轮次“{d.get('compared')}”比较", "bc-heading")
    titles: list[Part] = [("上轮得分", "bc-header", 2), ("变化", "bc-header", 1), ("上轮等级", "bc-header", 1),
                          ("整改率", "bc-header", columns - 4)]  # fmt: skip
    ws.line(row + 1, titles)
    c = d.get("comparison")
    if c is None:
        ws.line(row + 2, [("该支部在上一轮次中没有评分记录（支部标识见“评分依据与来源”）。", "bc-text", columns)])
        return row + 3
    rate = number(c.get("rectification_rate"))
    values: list[Part] = [
        (number(c.get("score")), "bc-score", 2),
        (number(c.get("change")), "bc-change", 1),
        (c.get("rating"), "bc-center", 1),
        (rate, "bc-percent", columns - 4) if rate is not None else ("无可判断的上轮问题", "bc-na", columns - 4),
    ]
    ws.line(row + 2, values)
    ws.put(row + 3, 1, _counts(c), "bc-note")
    return row + 4


def _counts(c: ResultDict, see: bool = True) -> str:
    classes = [g["class"] for g in c.get("gaps", ())]
    if not classes:
        return "上一轮次没有问题项。"
    parts = "，".join(f"{kind} {classes.count(kind)}" for kind in CLASSES if kind in classes)
    judged = sum(1 for k in classes if k in JUDGED)
    where = f"（见“{SHEET_RECTIFICATION}”）" if see else ""
    return f"上一轮次 {len(classes)} 个问题项：{parts}{where}；整改率 = 已整改 ÷ {judged}。"


def attention_first(gaps: list[ResultDict]) -> list[ResultDict]:
    """The earlier round's gaps with those needing attention first (in ATTENTION's order), each
    class in the order given (rule order)."""
    rank = {kind: n for n, kind in enumerate(ATTENTION)}
    return sorted(gaps, key=lambda g: rank.get(str(g["class"]), len(ATTENTION)))


def rectification_sheet(ws: Sheet, rules: RuleSet, d: ResultDict, name: str) -> None:
    """整改情况: one row per gap of the earlier round, those needing attention first, with its
    classification; only those are printed."""
    ws.put(1, 1, f"整改情况　{name}（上一轮次：{d.get('compared')}）", "bc-title")
    c = d.get("comparison")
    gaps = attention_first(list((c or {}).get("gaps", ())))
    attention = sum(1 for g in gaps if g["class"] in ATTENTION)
    for column, title in enumerate(HEADERS, start=1):
        ws.put(FIRST_ROW - 1, column, title, "bc-header")
    items = by_id(d, "items")
    row = FIRST_ROW
    for n, gap in enumerate(gaps, start=1):
        item_id = str(gap["id"])
        rule, now, said = item_of(rules, item_id), items.get(item_id, {}), gap.get("declared") or {}
        values = (
            n, item_id, rule.text if rule else "（本轮规则集中已无此检查要点）",
            STATUS.get(str(now.get("status"))) if now else None,
            score_of(now.get("earned"), now.get("max")) if now else None,
            gap["class"], said.get("state"), _day(said.get("due")),
            _short(said.get("owner")), _short(said.get("measure")),
        )  # fmt: skip
        ws.fit(row, [(v, w) for v, w in zip(values, WIDTHS, strict=True) if isinstance(v, str)])
        for column, value in enumerate(values, start=1):
            style = "bc-text" if column in (3, 10) else "bc-date" if column == 8 else "bc-center"
            ws.put(row, column, value, style, _ACCENTS.get(str(gap["class"])) if column == 6 else None)
        row += 1
    if row == FIRST_ROW:
        ws.line(row, [("无", "bc-text", len(HEADERS))])
    else:
        ws.autofilter(f"A{FIRST_ROW - 1}:{st.column_letter(len(HEADERS))}{row - 1}")
    printed = _printed(ws, c, gaps, attention)
    ws.line(2, [(_note(c, gaps, attention, printed), "bc-note-wrap", len(HEADERS))])
    ws.freeze(f"C{FIRST_ROW}")
    st.page_setup(ws.ws, landscape=True, title_row=FIRST_ROW - 1, footer=name)
    st.print_columns(ws.ws, FIRST_ROW - 1 + printed if gaps else FIRST_ROW, len(HEADERS))  # or the row 无


def _note(c: ResultDict | None, gaps: list[ResultDict], attention: int, printed: int) -> str:
    note = "该支部在上一轮次中没有评分记录。" if c is None else _counts(c, see=False)
    if gaps:
        kinds = "、".join(ATTENTION)
        if printed < attention:  # one printed page: the branch report stays within 5 pages (issue 13)
            note += f"需要关注的问题项（{kinds}，共 {attention} 项）排在前面，打印时只印最前面的 {printed} 项，"
        else:
            note += f"需要关注的问题项（{kinds}）排在前面，打印时只印这些（{attention} 项），"
        note += f"完整列表（{len(gaps)} 项）见本表。"
    return note + "自报状态、整改时限等为支部交回的问题清单中填写的内容（rectification import）。"


def _printed(ws: Sheet, c: ResultDict | None, gaps: list[ResultDict], attention: int) -> int:
    """The rows needing attention that print on one page (the note in its longest form assumed)."""
    if not attention:
        return 0
    note = _note(c, gaps, attention, 0)
    top = [ws.heights.get(1, st.DEFAULT_ROW_HEIGHT), fitted_height([(note, sum(WIDTHS))]) or st.DEFAULT_ROW_HEIGHT]
    body = [ws.heights.get(r, st.DEFAULT_ROW_HEIGHT) for r in range(FIRST_ROW, FIRST_ROW + attention)]
    header = ws.heights.get(FIRST_ROW - 1, st.DEFAULT_ROW_HEIGHT)
    fits = st.rows_that_fit([*top, *body], WIDTHS, 1, landscape=True, repeated=header) - len(top)
    return min(attention, max(fits, 1))
