"""总览: score and rating, vetoes, what to fix first, the areas with a bar chart, the branch profile, provenance."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import engine
from engine.book import CellValue, Part, Sheet
from engine.reports import rectification
from engine.reports import styles as st
from engine.reports.standing import standing_notes, unit_means_column
from engine.reports.texts import (
    GAIN_ROUNDING_NOTE,
    NONE_TEXT,
    NOT_APPLICABLE_TEXT,
    UNANSWERED_TEXT,
    VETO_STATUS,
    ResultDict,
    area_of_items,
    item_of,
    number,
    rating_legend,
    reaches_full_marks,
    total_gain,
)
from engine.rules import ratingtexts
from engine.rules.model import RuleSet, format_number
from engine.scoring.model import TRIGGERED, UNDETERMINED

WIDTHS = (24, 28, 11, 11, 11, 11)
COLUMNS = len(WIDTHS)
PERCENT_COLUMN = 5  # 得分率 in the area table (E)
VETO_ACCENTS = {TRIGGERED: st.TRIGGERED, UNDETERMINED: st.UNDETERMINED}
_ROW_CM = 0.53  # height of a default row, for placing what follows the chart
_CM_PIXELS = 96 / 2.54
CHART_WIDTH_CM = 17.0
PRIORITY_COUNT = 5
PRIORITY_TITLE = f"优先整改（可提升分最高的 {PRIORITY_COUNT} 项）"
TOTAL_LABEL = "合计（适用满分）"


def overview_sheet(ws: Sheet, rules: RuleSet, d: ResultDict, name: str) -> None:
    branch = d.get("branch") or {}
    ws.put(1, 1, f"{name}　党支部建设标准化检查结果", "bc-title")
    subtitle = f"{branch.get('parent') or ''}　评估基准日 {d.get('reference_date') or ''}　{rules.title}"
    ws.line(2, [(subtitle, "bc-note-wrap", COLUMNS)])
    row = _score_block(ws, rules, d, 4)
    if rectification.compared(d):
        row = rectification.overview_block(ws, d, row + 1, COLUMNS)
    row = _vetoes(ws, d, row + 1)
    row = _priorities(ws, rules, d, row + 1)
    row = _areas(ws, d, row + 1, {a.id for a in rules.blocks})
    row = _profile(ws, rules, d, row + 1)
    _provenance(ws, rules, d, row + 1)
    # One page wide (text stays >= 9 pt), as many pages long as it takes (two for the demo).
    st.page_setup(ws.ws, landscape=False, title_row=None, footer=name)


def _score_block(ws: Sheet, rules: RuleSet, d: ResultDict, row: int) -> int:
    """核定得分 (large) and, when inspectors changed answers, 自评得分 beside it; the rating in its band colour."""
    score, self_score = number(d.get("score")), number(d.get("self_score"))
    changed = self_score is not None and self_score != score
    ws.height(row + 1, 42)
    if changed:
        ws.put(row, 1, "核定得分", "bc-header")
        ws.put(row, 2, "自评得分", "bc-header")
        ws.put(row + 1, 1, score, "bc-big")
        ws.put(row + 1, 2, self_score, "bc-big-grey")
    else:
        ws.span(row, 1, 2, "得分", "bc-header")
        ws.span(row + 1, 1, 2, score, "bc-big")
    ws.span(row, 3, 4, "评定等级", "bc-header")
    bands = [b.name for b in rules.bands]
    rating = d.get("rating")
    band = st.band_accent(bands.index(rating), len(bands)) if rating in bands else None
    ws.span(row + 1, 3, 4, d.get("rating_label") or rating, "bc-rating", band)
    notes = []
    if d.get("vetoed"):
        notes.append(f"触发否决项，评定等级定为“{d.get('rating')}”（得分照常计算）。")
    if not ratingtexts.is_plain(rules):
        notes.extend(ratingtexts.result_lines(d))
    if d.get("variant"):  # the first note stays the veto's (in red)
        notes.append(f"按“{d.get('variant')}”的规则评分（依据“支部信息”所填支部类型，请检查组核实）。")
    if changed:
        notes.append("核定得分采用检查组的核查结果；自评得分只按支部的自评结果计算。")
    gaps = d.get("gaps", ())
    full = "，即达到满分" if reaches_full_marks(d) else ""
    gain = f"全部整改到位可提升 {format_number(total_gain(d))} 分{full}（{GAIN_ROUNDING_NOTE}）" if gaps else ""
    notes.append(f"共 {len(gaps)} 个问题项（见“问题清单”）{'，' if gain else ''}{gain}。")
    notes.extend(standing_notes(d))
    warnings = sum(1 for x in d.get("diagnostics", ()) if x.get("severity") != "error")
    if warnings:
        notes.append(f"数据提醒 {warnings} 条（见“数据问题”）。")
    notes.append(rating_legend(rules))
    for n, note in enumerate(notes, start=row + 2):
        ws.line(n, [(note, "bc-note-wrap", COLUMNS)], st.RED_BOLD if d.get("vetoed") and n == row + 2 else None)
    return row + 2 + len(notes)


def _vetoes(ws: Sheet, d: ResultDict, row: int) -> int:
    ws.put(row, 1, "否决项", "bc-heading")
    # 说明 (a veto's reason can run to 150 characters) gets the widest span: it decides the row's height.
    ws.line(row + 1, [("否决项", "bc-header", 1), ("说明", "bc-header", COLUMNS - 2), ("状态", "bc-header", 1)])
    row += 2
    vetoes = list(d.get("vetoes", ()))
    for veto in vetoes:
        status = veto.get("status")
        parts: list[Part] = [
            (f"{veto.get('id')} {veto.get('text')}", "bc-text", 1),
            (veto.get("reason"), "bc-text", COLUMNS - 2),
            (VETO_STATUS.get(status, status), "bc-center", 1),
        ]
        ws.line(row, parts, VETO_ACCENTS.get(status))
        row += 1
    if not vetoes:
        ws.line(row, [(NONE_TEXT, "bc-text", COLUMNS)])
        row += 1
    return row


def _priorities(ws: Sheet, rules: RuleSet, d: ResultDict, row: int) -> int:
    """编号 | 检查要点 | 可提升分 of the first gaps (already in gain order)."""
    ws.put(row, 1, PRIORITY_TITLE, "bc-heading")
    ws.line(row + 1, [("编号", "bc-header", 1), ("检查要点", "bc-header", 4), ("可提升分", "bc-header", 1)])
    row += 2
    gaps = list(d.get("gaps", ()))[:PRIORITY_COUNT]
    for gap in gaps:
        rule = item_of(rules, str(gap["id"]))
        parts: list[Part] = [
            (gap["id"], "bc-center", 1),
            (rule.text if rule else None, "bc-text", 4),
            (number(gap.get("gain")), "bc-score", 1),
        ]
        ws.line(row, parts)
        row += 1
    if not gaps:
        ws.line(row, [(NONE_TEXT, "bc-text", COLUMNS)])
        row += 1
    return row


def _areas(ws: Sheet, d: ResultDict, row: int, blocks: set[str]) -> int:
    """方面 | 得分 | 满分 | 得分率 | 问题数, a 合计 row, a colour scale on 得分率, then the bar chart.
    Bonus and penalty ``blocks`` are not areas of the checklist: the score block shows them."""
    ws.put(row, 1, "各方面得分", "bc-heading")
    header = row + 1
    titles: tuple[str, ...] = ("方面", "得分", "满分", "得分率", "问题数")
    changes = rectification.area_changes(d) if rectification.compared(d) else None
    if changes is not None:
        titles += (rectification.CHANGE_HEADER,)
    ws.line(header, [(t, "bc-header", 2 if n == 0 else 1) for n, t in enumerate(titles)])
    area_of = area_of_items(d)
    gaps_per_area: dict[str, int] = {}
    for gap in d.get("gaps", ()):
        area = area_of.get(gap["id"], "")
        gaps_per_area[area] = gaps_per_area.get(area, 0) + 1
    areas = [a for a in d.get("areas", ()) if a.get("id") not in blocks]
    row = header + 1
    for area in areas:
        percent = number(area.get("percent"))
        shown: Part = (percent, "bc-percent", 1) if percent is not None else (NOT_APPLICABLE_TEXT, "bc-na", 1)
        parts: list[Part] = [
            (area.get("name"), "bc-text", 2),
            (number(area.get("earned")), "bc-score", 1),
            (number(area.get("max")), "bc-number", 1),
            shown,
            (gaps_per_area.get(area.get("id", ""), 0), "bc-number", 1),
        ]
        if changes is not None:
            parts.append((changes.get(str(area.get("id"))), "bc-change-percent", 1))
        ws.line(row, parts)
        row += 1
    earned = sum((number(a.get("earned")) or Decimal(0) for a in areas), Decimal(0))
    top = sum((number(a.get("max")) or Decimal(0) for a in areas), Decimal(0))
    score = number(d.get("base_score", d.get("score")))  # the checklist's score (before the total formula)
    total: list[Part] = [
        (TOTAL_LABEL, "bc-total", 2),
        (earned, "bc-total-score", 1),
        (top, "bc-total-number", 1),
        (score / 100 if score is not None else None, "bc-total-percent", 1),
        (len(d.get("gaps", ())), "bc-total-number", 1),
    ]
    if changes is not None:
        total.append((None, "bc-total-number", 1))
    ws.line(row, total)
    if not areas:
        return row + 1
    first, last = header + 1, header + len(areas)
    unit_means_column(ws, d, header, areas, COLUMNS + 1)
    column = st.column_letter(PERCENT_COLUMN)
    ws.ws.conditional_format(f"{column}{first}:{column}{last}", st.percent_scale())
    return _chart(ws, header, last, row + 2, len(areas))


def _chart(ws: Sheet, header: int, last: int, anchor_row: int, count: int) -> int:
    """A horizontal bar chart of the 得分率 column; returns the first row below it.

    In XlsxWriter's bar charts the x axis is the value axis and the y axis the categories.
    """
    chart = ws.book.chart({"type": "bar"})
    chart.set_style(2)
    chart.set_title({"name": "各方面得分率"})
    chart.set_legend({"none": True})
    name = ws.ws.name
    chart.add_series({
        "name": [name, header - 1, PERCENT_COLUMN - 1],
        "categories": [name, header, 0, last - 1, 0],
        "values": [name, header, PERCENT_COLUMN - 1, last - 1, PERCENT_COLUMN - 1],
        "fill": {"color": "#9DC3E6"},
        "border": {"color": "#5B9BD5"},
        "data_labels": {"value": True, "num_format": "0.0%", "position": "inside_end"},
        "gap": 60,
    })  # fmt: skip
    chart.set_y_axis({"reverse": True})  # first area at the top, as in the table
    chart.set_x_axis({"min": 0, "max": 1, "major_unit": 0.2, "num_format": "0%", "major_gridlines": {"visible": False}})
    height = max(5.0, 0.7 * count + 2.0)
    chart.set_size({"width": round(CHART_WIDTH_CM * _CM_PIXELS), "height": round(height * _CM_PIXELS)})
    ws.ws.insert_chart(f"A{anchor_row}", chart)
    return anchor_row + math.ceil(height / _ROW_CM) + 1


def _profile_value(rules: RuleSet, field_id: str, value: Any) -> tuple[CellValue, str]:
    if value is None or value == "":
        return UNANSWERED_TEXT, "bc-value-na"
    if isinstance(value, str) and rules.has_field(field_id) and rules.field(field_id).type == "date":
        try:
            return date.fromisoformat(value), "bc-value-date"
        except ValueError:
            return value, "bc-value"
    return str(value), "bc-value"


def _profile(ws: Sheet, rules: RuleSet, d: ResultDict, row: int) -> int:
    ws.put(row, 1, "支部信息", "bc-heading")
    row += 1
    profile = (d.get("branch") or {}).get("profile") or {}
    for f in rules.profile:
        value, style = _profile_value(rules, f.id, profile.get(f.id))
        ws.line(row, [(f.label, "bc-label", 1), (value, style, COLUMNS - 1)])
        row += 1
    ref = d.get("reference_date")
    reference = date.fromisoformat(ref) if ref else None
    ws.line(row, [("评估基准日（评分采用）", "bc-label", 1), (reference, "bc-value-date", COLUMNS - 1)])
    return row + 1


def _provenance(ws: Sheet, rules: RuleSet, d: ResultDict, row: int) -> None:
    ws.put(row, 1, "评分依据与来源", "bc-heading")
    pairs = (
        ("规则集", f"{rules.id}（{rules.title}）"),
        ("规则集版本", rules.version),
        ("规则集指纹", rules.fingerprint),
        ("输入文件", d.get("source")),
        ("文件 SHA-256", d.get("sha256")),
        ("工具版本", f"branchcheck {engine.__version__}"),
    )
    for n, (label, value) in enumerate(pairs, start=row + 1):
        ws.line(n, [(label, "bc-label", 1), (value, "bc-value", COLUMNS - 1)])
