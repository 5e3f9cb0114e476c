"""问题清单: vetoes needing attention first, then one row per gap in gain order, with
three columns for the branch to track its rectification."""

from __future__ import annotations

from datetime import date

from engine.book import CellValue, Sheet
from engine.cells import fitted_height
from engine.reports import rectification
from engine.reports import styles as st
from engine.reports.texts import (
    GAIN_ROUNDING_NOTE,
    ResultDict,
    answer_text,
    basis_text,
    by_id,
    checked_text,
    item_of,
    score_of,
    total_gain,
)
from engine.rules.model import RuleSet, format_number
from engine.scoring.model import TRIGGERED, UNDETERMINED

# Printed: 序号 … 整改状态, one A4 landscape page wide at >= 90 % (text >= 9 pt); 方面 and 标准
# (also in 编号 and on 评分明细) come last, for filtering on screen, outside the print area.
HEADERS = (
    "序号", "编号", "检查要点", "自评结果", "核查结果", "核查意见", "得分/分值", "可提升分",
    "问题说明", "依据", "整改建议", "整改责任人", "整改时限", "整改状态", "方面", "标准",
)  # fmt: skip
WIDTHS = (4, 6, 19, 7, 7, 9, 7, 6, 20, 20, 21, 7, 9, 7, 11, 12)
PRINTED = HEADERS.index("整改状态") + 1
# Without any inspector's answer or note in the report, 核查结果 and 核查意见 are hidden (off paper too)
# and their room goes to the long texts, so that rows take fewer lines.
CHECK_COLUMNS = tuple(HEADERS.index(t) + 1 for t in ("核查结果", "核查意见"))
_WIDENED = tuple(HEADERS.index(t) + 1 for t in ("检查要点", "依据", "整改建议"))
HEADER_ROW = 3
REPORT_PAGES = 5  # what a branch report prints at most (issue 13)
FIRST_ROW = HEADER_ROW + 1
VETO_AREA = "否决项"
RECTIFY_STATES = ("未整改", "整改中", "已整改")
COL_GAIN = HEADERS.index("可提升分") + 1
COL_OWNER, COL_DUE, COL_STATE = (HEADERS.index(t) + 1 for t in ("整改责任人", "整改时限", "整改状态"))
_CENTRED = frozenset(HEADERS.index(t) + 1 for t in ("序号", "编号", "自评结果", "核查结果", "得分/分值"))
_STYLES = {
    c: "bc-score" if c == COL_GAIN else "bc-center" if c in _CENTRED else "bc-text" for c in range(1, PRINTED + 1)
}
# 整改时限 accepts dates from 2000-01-01 to 2100-12-31 (stored as Excel serial numbers 36526–73415:
# portable to every reader).
_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
_VETO_ACCENTS = {TRIGGERED: st.TRIGGERED, UNDETERMINED: st.UNDETERMINED}


def widths(rules: RuleSet, d: ResultDict) -> tuple[float, ...]:
    """The column widths of 问题清单 for ``d``: WIDTHS, or with the room of the hidden check columns
    shared among the long texts (see :func:`checks_shown`)."""
    if checks_shown(rules, d):
        return WIDTHS
    room = sum(WIDTHS[c - 1] for c in CHECK_COLUMNS) / len(_WIDENED)
    return tuple(w + room if n in _WIDENED else w for n, w in enumerate(WIDTHS, start=1))


def checks_shown(rules: RuleSet, d: ResultDict) -> bool:
    """Whether some gap has a 核查结果 that differs from the 自评结果, or a 核查意见."""
    items = by_id(d, "items")
    for gap in d.get("gaps", ()):
        item = items.get(gap["id"], {})
        if item.get("inspector_note") or checked_text(item, item_of(rules, gap["id"])) is not None:
            return True
    return False


def gap_sheet(ws: Sheet, rules: RuleSet, d: ResultDict, name: str) -> None:
    """Fill ``ws``, a sheet made with :func:`widths` of ``d``."""
    branch = d.get("branch") or {}
    ws.put(1, 1, f"问题清单　{branch.get('parent') or ''} {name}", "bc-title")
    gaps = list(d.get("gaps", ()))
    alerts = [v for v in d.get("vetoes", ()) if v.get("status") in (TRIGGERED, UNDETERMINED)]
    shown = checks_shown(rules, d)
    marks = rectification.previous_marks(d) if rectification.compared(d) else None
    if not shown:
        for column in CHECK_COLUMNS:
            ws.ws.set_column_pixels(column - 1, column - 1, round(WIDTHS[column - 1] * 7), None, {"hidden": True})
    headers = HEADERS if marks is None else (*HEADERS, rectification.PREVIOUS_HEADER)
    ws.fit(HEADER_ROW, zip(headers, ws.widths, strict=True))
    for column, title in enumerate(headers, start=1):
        ws.put(HEADER_ROW, column, title, "bc-header")
    row = FIRST_ROW
    for veto in alerts:
        _veto_row(ws, row, row - HEADER_ROW, rules, veto)
        row += 1
    items, standards, areas = by_id(d, "items"), by_id(d, "standards"), by_id(d, "areas")
    for gap in gaps:
        item = items.get(gap["id"], {})
        standard = standards.get(item.get("standard", ""), {})
        _gap_row(ws, row, row - HEADER_ROW, rules, gap, item, standard, areas.get(standard.get("area", ""), {}))
        if marks is not None:
            ws.put(row, len(headers), marks.get(str(gap["id"])), "bc-center")
        row += 1
    last = row - 1
    if last < FIRST_ROW:
        ws.line(row, [("没有问题项：全部适用的检查要点均已达标。", "bc-text", PRINTED)])
    else:
        _validations(ws, FIRST_ROW, last)
    ws.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(headers))}{max(last, FIRST_ROW)}")
    ws.freeze(f"D{FIRST_ROW}")
    printed = _printed_rows(ws, d, shown, marks is not None, len(alerts), last)
    cut = printed - len(alerts) if printed < last - FIRST_ROW + 1 else None
    ws.line(2, [(_summary(d, alerts, shown, marks is not None, cut), "bc-note-wrap", PRINTED)])
    st.page_setup(ws.ws, landscape=True, title_row=HEADER_ROW, footer=name)
    st.print_columns(ws.ws, max(FIRST_ROW + printed - 1, FIRST_ROW), PRINTED)


def _printed_rows(ws: Sheet, d: ResultDict, checks: bool, compared: bool, vetoes: int, last: int) -> int:
    """How many rows below the header print: all of them when they fit the pages a branch report
    leaves to 问题清单 (issue 13: a report prints on at most 5 pages — 总览 2, 数据问题 1 with
    warnings, 整改情况 1 when compared), else the vetoes and the gaps with the most to gain that do
    (they come first); the whole list stays in the sheet."""
    rows = last - FIRST_ROW + 1
    if rows <= 0:
        return 0
    pages = max(1, REPORT_PAGES - 2 - (1 if d.get("diagnostics") else 0) - (1 if compared else 0))
    # Row 2's note is written afterwards; its longest form (with the sentence on the cut) is assumed.
    note = _summary(d, [v for v in d.get("vetoes", ()) if v.get("status") in (TRIGGERED, UNDETERMINED)],
                    checks, compared, rows)  # fmt: skip
    top = [ws.heights.get(1, st.DEFAULT_ROW_HEIGHT), fitted_height([(note, sum(ws.widths[:PRINTED]))])]
    body = [ws.heights.get(r, st.DEFAULT_ROW_HEIGHT) for r in range(FIRST_ROW, last + 1)]
    widths = [w for n, w in enumerate(ws.widths[:PRINTED], start=1) if checks or n not in CHECK_COLUMNS]
    header = ws.heights.get(HEADER_ROW, st.DEFAULT_ROW_HEIGHT)
    heights = [*(h or st.DEFAULT_ROW_HEIGHT for h in top), *body]
    fits = st.rows_that_fit(heights, widths, pages, landscape=True, repeated=header) - len(top)
    return min(rows, max(fits, vetoes, 1))


def _summary(
    d: ResultDict, alerts: list[ResultDict], checks: bool, compared: bool = False, cut: int | None = None
) -> str:
    gaps = d.get("gaps", ())
    gain = format_number(total_gain(d))
    if alerts:
        count = f"共 {len(gaps)} 个问题项、{len(alerts)} 个否决项（序号 1～{len(gaps) + len(alerts)}，否决项在前）"
    else:
        count = f"共 {len(gaps)} 个问题项"
    parts = [f"{count}，问题项按可提升分从高到低排列，全部整改到位可提升 {gain} 分（{GAIN_ROUNDING_NOTE}）"]
    triggered = [str(v.get("id")) for v in alerts if v.get("status") == TRIGGERED]
    undetermined = [str(v.get("id")) for v in alerts if v.get("status") == UNDETERMINED]
    if triggered:
        parts.append(f"触发否决项 {'、'.join(triggered)}")
    if undetermined:
        parts.append(f"否决项 {'、'.join(undetermined)} 无法判定")
    hidden = "" if checks else "本清单没有核查结果和核查意见，这两列已隐藏；"
    inputs = "整改责任人、整改时限、整改状态三列由支部在整改时填写；方面、标准两列供筛选"
    inputs += "，上轮列标明与上一轮次的关系（整改情况见“整改情况”表），均不打印。" if compared else "，不打印。"
    if cut is not None:
        parts.append(f"打印时只印出否决项和可提升分最高的前 {cut} 个问题项（以免超过 5 页），完整清单在本表中")
    return "；".join(parts) + f"。{hidden}{inputs}"


def _veto_row(ws: Sheet, row: int, n: int, rules: RuleSet, veto: ResultDict) -> None:
    if veto.get("status") == TRIGGERED:
        what = f"触发否决项：{str(veto.get('reason') or '').removeprefix('已触发：')}"
        veto_rule = next((v for v in rules.vetoes if v.id == veto.get("id")), None)
        effect = (
            f"评定等级不高于“{veto_rule.cap}”"
            if veto_rule is not None and veto_rule.cap is not None
            else f"评定等级直接定为“{rules.lowest_band.name}”"
        )
        advice = f"已触发否决项，{effect}。请立即整改，并向上级党组织报告整改情况。"
    else:
        what = f"无法判定：{veto.get('reason')}"
        advice = "请核实情况并补填相关内容，以便判定本否决项是否触发；补填前，评定等级按触发处理。"
    values: list[CellValue] = [n, veto.get("id"), veto.get("text"), None, None, None, None, None, what, None, advice]
    _cells(ws, row, values, [VETO_AREA, None], _VETO_ACCENTS[str(veto.get("status"))])


def _gap_row(
    ws: Sheet,
    row: int,
    n: int,
    rules: RuleSet,
    gap: ResultDict,
    item: ResultDict,
    standard: ResultDict,
    area: ResultDict,
) -> None:
    rule = item_of(rules, gap["id"])
    values: list[CellValue] = [
        n,
        gap["id"],
        rule.text if rule else None,
        answer_text(item.get("self_answer"), rule),
        checked_text(item, rule),
        item.get("inspector_note") or None,
        score_of(item.get("earned"), item.get("max")),
        st.shown_number(gap.get("gain")),
        item.get("reason"),
        basis_text(rule),
        rule.advice if rule else None,
    ]
    _cells(ws, row, values, [area.get("name"), standard.get("name")])


def _cells(ws: Sheet, row: int, values: list[CellValue], tail: list[CellValue], accent: str | None = None) -> None:
    """A row of 问题清单: ``values`` from column A (with ``accent``), the three rectification
    inputs, then ``tail`` (方面, 标准)."""
    texts = [*zip(values, ws.widths, strict=False), *zip(tail, ws.widths[PRINTED : PRINTED + len(tail)], strict=True)]
    ws.fit(row, [(v, w) for v, w in texts if isinstance(v, str)])
    ws.puts(row, [(value, _STYLES[column], accent) for column, value in enumerate(values, start=1)])
    ws.put(row, COL_OWNER, None, "bc-input")
    ws.put(row, COL_DUE, None, "bc-input-date")
    ws.put(row, COL_STATE, RECTIFY_STATES[0], "bc-input-center")
    ws.puts(row, [(value, "bc-text", accent) for value in tail], PRINTED + 1)


def _validations(ws: Sheet, first: int, last: int) -> None:
    due, state = st.column_letter(COL_DUE), st.column_letter(COL_STATE)
    ws.ws.data_validation(f"{due}{first}:{due}{last}", {
        "validate": "date", "criteria": "between", "minimum": _FIRST_DAY, "maximum": _LAST_DAY,
        "ignore_blank": True, "error_title": "整改时限", "error_message": "请填写日期，例如 2019-06-30",
        "input_title": "整改时限", "input_message": "填写完成整改的期限（日期）",
    })  # fmt: skip
    ws.ws.data_validation(f"{state}{first}:{state}{last}", {
        "validate": "list", "source": list(RECTIFY_STATES), "ignore_blank": True, "show_input": False,
        "error_title": "整改状态", "error_message": "请从下拉列表中选择：" + "、".join(RECTIFY_STATES),
    })  # fmt: skip
