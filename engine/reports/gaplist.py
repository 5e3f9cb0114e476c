"""问题清单: vetoes needing attention first, then one row per gap in gain order, with
three columns for the branch to track its rectification."""

from __future__ import annotations

from datetime import date

from engine.book import CellValue, Sheet
from engine.reports import styles as st
from engine.reports.texts import (
    ResultDict,
    answer_text,
    basis_text,
    by_id,
    checked_text,
    item_of,
    number,
    score_of,
    total_gain,
)
from engine.rules.model import RuleSet, format_number
from engine.scoring.model import TRIGGERED, UNDETERMINED

HEADERS = (
    "序号", "方面", "标准", "编号", "检查要点", "自评结果", "核查结果", "得分/分值", "可提升分",
    "问题说明", "依据", "整改建议", "整改责任人", "整改时限", "整改状态",
)  # fmt: skip
WIDTHS = (5, 11, 12, 7, 28, 10, 10, 8, 7, 28, 20, 30, 9, 11, 9)
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
VETO_AREA = "否决项"
RECTIFY_STATES = ("未整改", "整改中", "已整改")
COL_GAIN = HEADERS.index("可提升分") + 1
COL_OWNER, COL_DUE, COL_STATE = (HEADERS.index(t) + 1 for t in ("整改责任人", "整改时限", "整改状态"))
_CENTRED = frozenset(HEADERS.index(t) + 1 for t in ("序号", "编号", "自评结果", "核查结果", "得分/分值"))
# 整改时限 accepts dates from 2000-01-01 to 2100-12-31 (stored as Excel serial numbers 36526–73415:
# portable to every reader).
_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
_VETO_ACCENTS = {TRIGGERED: st.TRIGGERED, UNDETERMINED: st.UNDETERMINED}


def gap_sheet(ws: Sheet, rules: RuleSet, d: ResultDict, name: str) -> None:
    branch = d.get("branch") or {}
    ws.put(1, 1, f"问题清单　{branch.get('parent') or ''} {name}", "bc-title")
    gaps = list(d.get("gaps", ()))
    alerts = [v for v in d.get("vetoes", ()) if v.get("status") in (TRIGGERED, UNDETERMINED)]
    ws.put(2, 1, _summary(d, alerts), "bc-note")
    for column, title in enumerate(HEADERS, start=1):
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
        row += 1
    last = row - 1
    if last < FIRST_ROW:
        ws.line(row, [("没有问题项：全部适用的检查要点均已达标。", "bc-text", len(HEADERS))])
    else:
        _validations(ws, FIRST_ROW, last)
    ws.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(HEADERS))}{max(last, FIRST_ROW)}")
    ws.freeze(f"F{FIRST_ROW}")
    st.page_setup(ws.ws, landscape=True, title_row=HEADER_ROW, footer=name)


def _summary(d: ResultDict, alerts: list[ResultDict]) -> str:
    gaps = d.get("gaps", ())
    gain = format_number(total_gain(d))
    if alerts:
        count = f"共 {len(gaps)} 个问题项、{len(alerts)} 个否决项（序号 1～{len(gaps) + len(alerts)}，否决项在前）"
    else:
        count = f"共 {len(gaps)} 个问题项"
    parts = [f"{count}，问题项按可提升分从高到低排列，全部整改到位可提升约 {gain} 分"]
    triggered = [str(v.get("id")) for v in alerts if v.get("status") == TRIGGERED]
    undetermined = [str(v.get("id")) for v in alerts if v.get("status") == UNDETERMINED]
    if triggered:
        parts.append(f"触发否决项 {'、'.join(triggered)}")
    if undetermined:
        parts.append(f"否决项 {'、'.join(undetermined)} 无法判定")
    return "；".join(parts) + "。最后三列由支部在整改时填写。"


def _veto_row(ws: Sheet, row: int, n: int, rules: RuleSet, veto: ResultDict) -> None:
    if veto.get("status") == TRIGGERED:
        what = f"触发否决项：{veto.get('reason')}"
        veto_rule = next((v for v in rules.vetoes if v.id == veto.get("id")), None)
        effect = (
            f"评定等级不高于“{veto_rule.cap}”"
            if veto_rule is not None and veto_rule.cap is not None
            else f"评定等级直接定为“{rules.lowest_band.name}”"
        )
        advice = f"已触发否决项，{effect}。请立即整改，并向上级党组织报告整改情况。"
    else:
        what = f"无法判定：{veto.get('reason')}"
        advice = "请核实情况并补填相关内容，以便判定本否决项是否触发。"
    values: list[CellValue] = [n, VETO_AREA, None, veto.get("id"), veto.get("text"), None, None, None, None,
                               what, None, advice]  # fmt: skip
    _cells(ws, row, values, _VETO_ACCENTS[str(veto.get("status"))])


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
        area.get("name"),
        standard.get("name"),
        gap["id"],
        rule.text if rule else None,
        answer_text(item.get("self_answer"), rule),
        checked_text(item, rule),
        score_of(item.get("earned"), item.get("max")),
        st.shown_number(gap.get("gain")),
        item.get("reason"),
        basis_text(rule),
        rule.advice if rule else None,
    ]
    _cells(ws, row, values)


def _cells(ws: Sheet, row: int, values: list[CellValue], accent: str | None = None) -> None:
    """A row of 问题清单: ``values`` from column A (with ``accent``), then the three rectification inputs."""
    ws.fit(row, [(v, w) for v, w in zip(values, WIDTHS, strict=False) if isinstance(v, str)])
    for column, value in enumerate(values, start=1):
        style = "bc-score" if column == COL_GAIN else "bc-center" if column in _CENTRED else "bc-text"
        ws.put(row, column, value, style, accent)
    ws.put(row, COL_OWNER, None, "bc-input")
    ws.put(row, COL_DUE, None, "bc-input-date")
    ws.put(row, COL_STATE, RECTIFY_STATES[0], "bc-input-center")


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
