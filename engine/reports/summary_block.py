"""The statistics block at the top of 总表 (rows 3-6, the table's header in row ``TABLE_HEADER_ROW``):
branches scored / rejected / missing, mean, median, lowest and highest score, the rating
distribution with the vetoed count, and each area's mean rate above that area's column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from engine.reports import styles as st
from engine.reports.stats import Stats, stats_of
from engine.roster.matching import MISSING_ROW

if TYPE_CHECKING:
    from engine.reports.rollup import Rollup, _Cell, _Sheet

TABLE_HEADER_ROW = 8  # title, note, four rows of statistics, a blank row, then the header
NOT_USED = "—"  # a count that needs a roster, without one
# The scores first, over 总表's wider columns (支部名称 … 自评得分); the counts over the narrow ones.
COUNT_LABELS = ("平均分", "中位数", "最低分", "最高分", "已评分", "未通过", "未提交")
BLOCK_LABEL = "统计"
BANDS_LABEL = "评级分布"
VETOED_LABEL = "其中否决"


def rollup_stats(rollup: Rollup) -> Stats:
    """The statistics of a roll-up's ranked branches (limited to its unit when it has one)."""
    rules = rollup.rules
    return stats_of(
        rollup.ranked,
        [b.name for b in rules.bands],
        len(rules.checklist_areas),
        rejected=len(rollup.rejected),
        missing=missing_count(rollup),
    )


def missing_count(rollup: Rollup) -> int | None:
    levels = rollup.levels
    if levels is None or levels.matching is None:
        return None
    rows = levels.matching.roster.rows
    return sum(
        1
        for r in rows
        if levels.matching.state(r) == MISSING_ROW
        and (rollup.unit is None or levels.unit_name(r.parent) == rollup.unit)
    )


def summary_block(sheet: _Sheet, rollup: Rollup, first_area: int) -> int:
    """Write rows 3-7 of 总表; returns the header row. ``first_area``: the first area column (1-based)."""
    stats = rollup_stats(rollup)
    areas = [a.name for a in rollup.rules.checklist_areas]
    gap = [None] * max(0, first_area - 1 - len(COUNT_LABELS) - 1)
    labels = [sheet.cell(BLOCK_LABEL, "bc-label"), *(sheet.cell(t, "bc-header") for t in COUNT_LABELS)]
    titles = [*labels, *gap, *(sheet.cell(a, "bc-header") for a in areas)]
    sheet.append(titles, _texts(sheet, titles))
    missing = sheet.cell(stats.missing, "bc-number") if stats.missing is not None else sheet.cell(NOT_USED, "bc-na")
    values = [
        sheet.cell(None, "bc-label"),
        *(sheet.cell(v, "bc-score") for v in (stats.mean, stats.median, stats.low, stats.high)),
        sheet.cell(stats.scored, "bc-number"),
        sheet.cell(stats.rejected, "bc-number"),
        missing,
    ]
    means = [sheet.cell(m, "bc-percent") if m is not None else sheet.cell(None, "bc-na") for m in stats.area_means]
    row = sheet.append([*values, *gap, *means])
    if areas:
        left, right = st.column_letter(first_area), st.column_letter(first_area + len(areas) - 1)
        sheet.ws.conditional_format(f"{left}{row}:{right}{row}", st.percent_scale())
    bands = rollup.rules.bands
    names = [sheet.cell(b.name, st.band_style(n, len(bands))) for n, b in enumerate(bands)]
    names = [sheet.cell(BANDS_LABEL, "bc-label"), *names, sheet.cell(VETOED_LABEL, "bc-header")]
    sheet.append(names, _texts(sheet, names))
    counts = [sheet.cell(n, "bc-number") for _, n in stats.bands]
    sheet.append([sheet.cell(None, "bc-label"), *counts, sheet.cell(stats.vetoed, "bc-number")])
    sheet.append([])
    return sheet.row + 1


def _texts(sheet: _Sheet, cells: Sequence[_Cell | None]) -> list[tuple[str | None, float]]:
    """The labels of a row with their column widths: the row is made tall enough for them to wrap."""
    pairs = zip(cells, sheet.widths, strict=False)
    return [(c.value, w) for c, w in pairs if c is not None and isinstance(c.value, str)]
