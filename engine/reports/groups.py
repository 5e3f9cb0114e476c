"""分组汇总: one row per 上级党组织 (and per 分组 when the roster gives them) with expected, submitted,
scored, rejected and missing branches, the submission rate, score statistics, the rating
distribution, vetoed branches, mean area rates (heat-mapped like 总表) and the three most common
gaps; ranked by mean score, with a chart and links to the per-unit roll-ups.

With a roster, 应提交 / 已提交 / 未通过 / 未提交 count roster rows (未通过: every submission of
the row was rejected); without one, 已提交 and 未通过 count files and the roster columns are blank.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.chart import Chart

from engine.book import Book
from engine.reports import styles as st
from engine.reports.levels import Levels
from engine.reports.rollup import HEADER_ROW, BranchRow, Rollup, _Cell, _Sheet
from engine.reports.stats import Stats, stats_of
from engine.roster.matching import MISSING_ROW, REJECTED_ROW
from engine.textsafe import shorten

SHEET_GROUPS = "分组汇总"
UNIT_TITLE, GROUP_TITLE = "上级党组织", "分组"
COUNT_HEADERS = ("应提交", "已提交", "提交率", "已评分", "未通过", "未提交", "名册外")
SCORE_HEADERS = ("平均分", "中位数", "最低分", "最高分")
GAPS_HEADER = "最常见的问题（支部数）"
LINK_HEADER = "分单位汇总"
TOP_GAPS = 3
ALL = "合计"


@dataclass(frozen=True)
class LevelRow:
    name: str
    expected: int | None
    submitted: int
    scored: int
    rejected: int
    missing: int | None
    off_roster: int | None
    stats: Stats
    gaps: str
    link: str | None = None

    @property
    def rate(self) -> float | None:
        return self.submitted / self.expected if self.expected else None


def level_sheets(rollup: Rollup, book: Book) -> None:
    """The sheets of units and the roster, after the roll-up's own."""
    groups_sheet(rollup, book)
    levels = rollup.levels
    if levels is not None and levels.matching is not None:
        from engine.reports.roster_sheets import missing_sheet, off_roster_sheet

        missing_sheet(rollup, book)
        off_roster_sheet(rollup, book)


def _rows_for(rollup: Rollup, levels: Levels, names: Sequence[str], by_unit: bool) -> list[LevelRow]:
    """One LevelRow per unit (``by_unit``) or per 分组 in ``names``."""
    rules = rollup.rules
    key: Callable[[str], str | None] = levels.unit_of.get if by_unit else levels.group_of.get
    gaps = levels.unit_gaps if by_unit else levels.group_gaps
    bands, areas = [b.name for b in rules.bands], len(rules.checklist_areas)
    ranked: dict[str, list[BranchRow]] = {}
    for row in rollup.ranked:
        ranked.setdefault(key(row.source) or "", []).append(row)
    rejected_files = Counter(key(r.source) or "" for r in rollup.rejected)
    matching = levels.matching
    order = {item.id: n for n, item in enumerate(rules.items)}
    states_of: dict[str | None, list[str]] = {}
    off_roster: Counter[str | None] = Counter()
    if matching is not None:
        for r in matching.roster.rows:
            states_of.setdefault(levels.unit_name(r.parent) if by_unit else r.group, []).append(matching.state(r))
        off_roster.update(key(o.source) for o in matching.off_roster)
    out = []
    for name in names:
        expected = submitted = missing = off = None
        if matching is not None:
            states = states_of.get(name, [])
            expected, missing = len(states), states.count(MISSING_ROW)
            submitted, rejected = expected - missing, states.count(REJECTED_ROW)
            off = off_roster[name]
        else:
            rejected = rejected_files[name]
            submitted = len(ranked.get(name, ())) + rejected
        stats = stats_of(ranked.get(name, ()), bands, areas, rejected=rejected, missing=missing)
        common = sorted(gaps.get(name, Counter()).items(), key=lambda p: (-p[1], order.get(p[0], len(order)), p[0]))
        shown = "、".join(f"{item}（{n}）" for item, n in common[:TOP_GAPS])
        out.append(LevelRow(name, expected, submitted or 0, stats.scored, rejected, missing, off, stats, shown))
    return sorted(out, key=lambda r: (r.stats.mean is None, -(r.stats.mean or Decimal(0)), r.name))


def groups_sheet(rollup: Rollup, book: Book) -> None:
    rules, levels = rollup.rules, rollup.levels
    bands, areas = [b.name for b in rules.bands], [a.name for a in rules.checklist_areas]
    headers = [UNIT_TITLE, "排名", *COUNT_HEADERS, *SCORE_HEADERS, *bands, "其中否决", *areas, GAPS_HEADER]
    linked = levels is not None and bool(levels.unit_files) and rollup.unit is None
    if linked:
        headers.append(LINK_HEADER)
    widths = [24, 6, *[7] * len(COUNT_HEADERS), *[8] * len(SCORE_HEADERS), *[8] * (len(bands) + 1),
              *[10] * len(areas), 30, 30]  # fmt: skip
    roster = levels is not None and levels.matching is not None
    note = (
        "按平均分从高到低排列。"
        + ("应提交、已提交、未通过、未提交按名册中的支部计（未通过：该支部提交的文件都未通过检查）；"
           "名册外为不在名册中的提交；" if roster else "未使用名册：已提交、未通过按文件计；")
        + "得分统计只计已评分的支部（重复提交只计一次），各方面列为平均得分率。"
        + "打印时只印至“其中否决”列，各方面得分率和最常见的问题见本表。"
    )  # fmt: skip
    printed = headers.index("其中否决") + 1  # one A4 page wide at >= 90 %: the rest stays on screen
    sheet = _Sheet(book, SHEET_GROUPS, rules, SHEET_GROUPS, note, widths)
    sheet.start(freeze=f"C{HEADER_ROW + 1}", printed=printed)
    if levels is None:
        sheet.append([sheet.cell("无")])
        st.print_columns(sheet.ws, sheet.row, printed)
        return
    sheet.header(headers)
    units = [u for u in levels.units() if rollup.unit is None or u == rollup.unit]
    rows = _rows_for(rollup, levels, units, True)
    after = 2 + len(COUNT_HEADERS) + len(SCORE_HEADERS) + len(bands) + 1  # the column before the first area
    first = sheet.row + 1
    for rank, row in enumerate(rows, start=1):
        link = levels.unit_files.get(row.name) if linked else None
        _write(sheet, row, rank, len(areas), link, linked)
    last = sheet.row
    _heat(sheet, first, last, after, len(areas))
    if rows:
        sheet.ws.insert_chart(f"A{last + 3}", _chart(book, first, last, headers.index("平均分")))
    groups = sorted({g for g in levels.group_of.values()} | _roster_groups(levels))
    if roster and groups and rollup.unit is None:
        for _ in range(22):  # below the chart
            sheet.append([])
        sheet.append([sheet.cell("各分组", "bc-heading")])
        sheet.header([GROUP_TITLE, *headers[1 : len(headers) - (1 if linked else 0)]])
        group_rows = _rows_for(rollup, levels, groups, False)
        top = sheet.row + 1
        for rank, row in enumerate(group_rows, start=1):
            _write(sheet, row, rank, len(areas), None, False)
        _heat(sheet, top, sheet.row, after, len(areas))
    st.print_columns(sheet.ws, sheet.row, printed)


def _roster_groups(levels: Levels) -> set[str]:
    if levels.matching is None:
        return set()
    return {r.group for r in levels.matching.roster.rows if r.group}


def _count(sheet: _Sheet, value: int | None) -> _Cell:
    return sheet.cell(value, "bc-number") if value is not None else sheet.cell(None, "bc-na")


def _write(sheet: _Sheet, row: LevelRow, rank: int, areas: int, link: str | None, linked: bool) -> None:
    s = row.stats
    rate = sheet.cell(row.rate, "bc-percent") if row.rate is not None else sheet.cell(None, "bc-na")
    name = shorten(row.name)  # user text (a 上级党组织 or 分组 as typed)
    cells = [
        sheet.cell(name),
        sheet.cell(rank, "bc-number"),
        _count(sheet, row.expected),
        sheet.cell(row.submitted, "bc-number"),
        rate,
        sheet.cell(row.scored, "bc-number"),
        sheet.cell(row.rejected, "bc-number"),
        _count(sheet, row.missing),
        _count(sheet, row.off_roster),
        *(sheet.cell(v, "bc-score") for v in (s.mean, s.median, s.low, s.high)),
        *(sheet.cell(n, "bc-number") for _, n in s.bands),
        sheet.cell(s.vetoed, "bc-number"),
        *(sheet.cell(m, "bc-percent") if m is not None else sheet.cell(None, "bc-na") for m in s.area_means[:areas]),
        sheet.cell(row.gaps or None),
    ]
    if linked:
        cells.append(sheet.link(link, link) if link else sheet.cell(None))
    sheet.append(cells, [(name, 24), (row.gaps, 30), (link, 30)])


def _heat(sheet: _Sheet, first: int, last: int, after: int, areas: int) -> None:
    """The area columns (the ``areas`` columns after column ``after``) as a heat map."""
    if areas and last >= first:
        left, right = st.column_letter(after + 1), st.column_letter(after + areas)
        sheet.ws.conditional_format(f"{left}{first}:{right}{last}", st.percent_scale())


def _chart(book: Book, first: int, last: int, mean_column: int) -> Chart:
    """Columns of each unit's mean score (0-based column ``mean_column``), in the table's order."""
    chart = book.chart({"type": "column"})
    chart.set_style(2)
    chart.set_title({"name": "各上级党组织平均分"})
    chart.set_legend({"none": True})
    chart.add_series({
        "name": [SHEET_GROUPS, first - 2, mean_column],
        "categories": [SHEET_GROUPS, first - 1, 0, last - 1, 0],
        "values": [SHEET_GROUPS, first - 1, mean_column, last - 1, mean_column],
        "fill": {"color": "#5B9BD5"},
        "data_labels": {"value": True, "num_format": "0.00"},
    })  # fmt: skip
    chart.set_y_axis({"min": 0, "max": 100, "major_gridlines": {"visible": False}})
    chart.set_size({"width": 720, "height": 380})
    return chart
