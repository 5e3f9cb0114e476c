"""The roll-up against the earlier round (only when the run compared with one): 总表's columns
上轮得分, 变化 and 整改率, and the sheet 变化分析 — the ten most improved and most declined
branches, the rating transitions, the mean change per area (with a chart), 持续问题 (check
points still unmet in the same branches) and the 整改不实 list.

Fed one submission at a time by :class:`~engine.reports.rollup.Rollup`; keeps a small row per
branch and a few counters (10,000 branches stay small).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from xlsxwriter.chart import Chart

from engine.book import Book, CellValue
from engine.history.compare import FALSELY_DONE, STILL_OPEN
from engine.reports import styles as st
from engine.reports.rollup import HEADER_ROW, NO_PARENT, _Cell, _Sheet
from engine.reports.texts import NONE_TEXT, STATUS, ResultDict, by_id, number
from engine.rules.model import RuleSet

SHEET_CHANGES = "变化分析"
TABLE_HEADERS = ("上轮得分", "变化", "整改率")
TABLE_WIDTHS = (7, 8, 8)  # +13.70, 100.0%; narrow: 总表 prints at >= 90 % (engine.reports.table)
TOP = 10
PERSISTENT_TOP = 20
WIDTHS = (12, 24, 34, 10, 10, 9, 10, 10)
BRANCH_HEADERS = ("排名", "支部名称", "上级党组织", "上轮得分", "本轮得分", "变化", "上轮等级", "本轮等级")
_CM_PIXELS = 96 / 2.54
ROW_PIXELS = 20  # a row of the default height (15 pt)


class _Branch(NamedTuple):
    name: str
    parent: str
    before: Decimal | None
    now: Decimal | None
    change: Decimal | None
    rating_before: str | None
    rating_now: str | None


@dataclass
class Changes:
    """Collects each scored submission's comparison; :meth:`write` adds 变化分析 to the roll-up."""

    TABLE_HEADERS = TABLE_HEADERS
    TABLE_WIDTHS = TABLE_WIDTHS
    rules: RuleSet
    compared: str
    cells_by_source: dict[str, tuple[Decimal | None, Decimal | None, Decimal | None]] = field(default_factory=dict)
    branches: list[_Branch] = field(default_factory=list)
    new: int = 0
    areas: dict[str, list[Decimal]] = field(default_factory=dict)  # area id → [sum of changes, count]
    persistent: dict[str, int] = field(default_factory=dict)
    false_done: list[tuple[str, str, str, Any, str | None]] = field(default_factory=list)

    def add(self, d: ResultDict, counted: bool) -> None:
        """One scored submission (dict form with ``comparison``); ``counted``: not a later duplicate."""
        c = d.get("comparison")
        source = str(d.get("source", ""))
        if c is None:
            self.cells_by_source[source] = (None, None, None)
            self.new += counted
            return
        before, change = number(c.get("score")), number(c.get("change"))
        self.cells_by_source[source] = (before, change, number(c.get("rectification_rate")))
        if not counted:
            return
        branch = d.get("branch") or {}
        name, parent = str(branch.get("name") or ""), str(branch.get("parent") or "")
        self.branches.append(_Branch(name, parent, before, number(d.get("score")), change, c.get("rating"),
                                     d.get("rating")))  # fmt: skip
        for area in c.get("areas", ()):
            delta = number(area.get("change"))
            if delta is not None:
                total = self.areas.setdefault(str(area["id"]), [Decimal(0), Decimal(0)])
                total[0] += delta
                total[1] += 1
        items = by_id(d, "items")
        for gap in c.get("gaps", ()):
            item_id = str(gap["id"])
            if gap["class"] in STILL_OPEN:
                self.persistent[item_id] = self.persistent.get(item_id, 0) + 1
            if gap["class"] == FALSELY_DONE:
                said = gap.get("declared") or {}
                status = STATUS.get(str(items.get(item_id, {}).get("status")))
                due = said.get("due")
                self.false_done.append(
                    (name, parent, item_id, None if due is None else date.fromisoformat(due), status)
                )

    def table_note(self) -> str:
        return (
            f"上轮得分、变化、整改率为与评估轮次“{self.compared}”比较的结果（空白：该支部上一轮次没有评分记录），"
            f"详见“{SHEET_CHANGES}”。"
        )

    def table_cells(self, source: str) -> list[_Cell]:
        before, change, rate = self.cells_by_source.get(source, (None, None, None))
        return [_Cell(before, "bc-score"), _Cell(change, "bc-change"), _Cell(rate, "bc-percent")]

    def write(self, book: Book) -> None:
        compared = len(self.branches)
        note = (
            f"与上一轮次“{self.compared}”比较：{compared} 个支部两轮都有评分记录，{self.new} 个支部上一轮次没有记录"
            "（不参与本表的统计）。变化 = 本轮得分 − 上轮得分；各方面的变化为得分率的变化。"
        )
        sheet = _Sheet(book, SHEET_CHANGES, self.rules, "变化分析", note, WIDTHS)
        sheet.start()
        changed = [(b.change, b) for b in self.branches if b.change is not None]
        up = sorted((p for p in changed if p[0] > 0), key=lambda p: (-p[0], p[1].parent, p[1].name, p[1].before))
        down = sorted((p for p in changed if p[0] < 0), key=lambda p: (p[0], p[1].parent, p[1].name, p[1].before))
        self._branches(sheet, f"进步最大的 {TOP} 个支部", [b for _, b in up[:TOP]])
        self._branches(sheet, f"退步最大的 {TOP} 个支部", [b for _, b in down[:TOP]])
        self._transitions(sheet)
        self._areas(sheet, book)
        self._persistent(sheet)
        self._false_done(sheet)
        st.print_columns(sheet.ws, sheet.row, len(WIDTHS))

    def _branches(self, sheet: _Sheet, title: str, rows: list[_Branch]) -> None:
        sheet.append([])
        sheet.append([sheet.cell(title, "bc-heading")])
        sheet.header(BRANCH_HEADERS)
        for n, b in enumerate(rows, start=1):
            cells = [sheet.cell(n, "bc-number"), sheet.cell(b.name), sheet.cell(b.parent or NO_PARENT),
                     sheet.cell(b.before, "bc-score"), sheet.cell(b.now, "bc-score"), sheet.cell(b.change, "bc-change"),
                     sheet.cell(b.rating_before, "bc-center"), sheet.cell(b.rating_now, "bc-center")]  # fmt: skip
            sheet.append(cells, [(b.name, WIDTHS[1]), (b.parent, WIDTHS[2])])
        if not rows:
            sheet.append([sheet.cell(NONE_TEXT)])

    def _transitions(self, sheet: _Sheet) -> None:
        """上轮等级 (rows) × 本轮等级 (columns): how many branches moved from one band to another."""
        bands = [b.name for b in self.rules.bands]
        counts: dict[tuple[str | None, str | None], int] = {}
        for b in self.branches:
            counts[b.rating_before, b.rating_now] = counts.get((b.rating_before, b.rating_now), 0) + 1
        before = bands + sorted({r for r, _ in counts if r not in bands and r is not None})  # a band renamed since
        sheet.append([])
        sheet.append([sheet.cell("等级变化（行：上轮等级，列：本轮等级，数字为支部数）", "bc-heading")])
        sheet.header(["上轮＼本轮", *bands, "合计"])
        for n, name in enumerate(before):
            values: list[CellValue] = [counts.get((name, now), 0) for now in bands]
            style = st.band_style(n, len(bands)) if n < len(bands) else "bc-center"
            sheet.append([sheet.cell(name, style), *(sheet.cell(v, "bc-number") for v in values),
                          sheet.cell(sum(counts.get((name, now), 0) for now in bands), "bc-total-number")])  # fmt: skip

    def _areas(self, sheet: _Sheet, book: Book) -> None:
        sheet.append([])
        sheet.append([sheet.cell("各方面得分率的平均变化", "bc-heading")])
        header = sheet.header(["序号", "方面", "平均变化", "支部数"])
        for n, area in enumerate(self.rules.areas, start=1):
            total, count = self.areas.get(area.id, [Decimal(0), Decimal(0)])
            mean = (total / count).quantize(Decimal("0.0001")) if count else None
            cells = [sheet.cell(n, "bc-number"), sheet.cell(area.name), sheet.cell(mean, "bc-change-percent"),
                     sheet.cell(int(count), "bc-number")]  # fmt: skip
            sheet.append(cells, [(area.name, WIDTHS[1])])
        if self.rules.areas:  # below the table, within the printed columns; the next section below it
            chart, height = _area_chart(book, header, len(self.rules.areas))
            sheet.ws.insert_chart(f"A{sheet.row + 2}", chart)
            for _ in range(math.ceil(height / ROW_PIXELS) + 1):
                sheet.append([])

    def _persistent(self, sheet: _Sheet) -> None:
        sheet.append([])
        title = f"持续问题（上轮和本轮都未达标的检查要点，按支部数排列，前 {PERSISTENT_TOP} 项）"
        sheet.append([sheet.cell(title, "bc-heading")])
        sheet.header(["排名", "编号", "检查要点", "支部数", "占比"])
        order = {item.id: n for n, item in enumerate(self.rules.items)}
        found = sorted(self.persistent.items(), key=lambda p: (-p[1], order.get(p[0], len(order)), p[0]))
        rank, previous = 0, -1
        for n, (item_id, count) in enumerate(found[:PERSISTENT_TOP], start=1):
            if count != previous:
                rank, previous = n, count
            text = self.rules.item(item_id).text if self.rules.has_item(item_id) else None
            share = count / len(self.branches) if self.branches else None
            sheet.append([sheet.cell(rank, "bc-number"), sheet.cell(item_id, "bc-center"), sheet.cell(text),
                          sheet.cell(count, "bc-number"), sheet.cell(share, "bc-percent")],
                         [(text, WIDTHS[2])])  # fmt: skip
        if not found:
            sheet.append([sheet.cell(NONE_TEXT)])

    def _false_done(self, sheet: _Sheet) -> None:
        sheet.append([])
        title = "整改不实（支部自报“已完成”，本轮核查仍未达标）"
        sheet.append([sheet.cell(title, "bc-heading")])
        sheet.header(["序号", "支部名称", "上级党组织", "编号", "整改时限", "本轮结果"])
        for n, (name, parent, item_id, due, status) in enumerate(self.false_done, start=1):
            sheet.append([sheet.cell(n, "bc-number"), sheet.cell(name), sheet.cell(parent or NO_PARENT),
                          sheet.cell(item_id, "bc-center"), sheet.cell(due, "bc-date"),
                          sheet.cell(status, "bc-center")], [(name, WIDTHS[1]), (parent, WIDTHS[2])])  # fmt: skip
        if not self.false_done:
            sheet.append([sheet.cell(NONE_TEXT)])


def _area_chart(book: Book, header: int, count: int) -> tuple[Chart, int]:
    """Bars of the mean change per area (rows below ``header``, 1-based), and its height in pixels."""
    chart = book.chart({"type": "bar"})
    chart.set_style(2)
    chart.set_title({"name": "各方面得分率的平均变化"})
    chart.set_legend({"none": True})
    chart.add_series({
        "name": [SHEET_CHANGES, header - 1, 2],
        "categories": [SHEET_CHANGES, header, 1, header + count - 1, 1],
        "values": [SHEET_CHANGES, header, 2, header + count - 1, 2],
        "fill": {"color": "#9DC3E6"},
        "invert_if_negative": False,
        "data_labels": {"value": True, "num_format": "+0.0%;-0.0%;0.0%"},
    })  # fmt: skip
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": False}})
    height = round(max(6.0, count + 2.5) * _CM_PIXELS)
    chart.set_size({"width": round(14.0 * _CM_PIXELS), "height": height})
    return chart, height


__all__ = ["HEADER_ROW", "SHEET_CHANGES", "Changes"]
