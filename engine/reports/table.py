"""总表 of the roll-up (:mod:`engine.reports.rollup`): the statistics block
(:mod:`engine.reports.summary_block`), then a ranked row per scored branch with its area rates as a
heat map, the comparison with an earlier round when there is one, 备注 and a link to its report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.book import Book
from engine.reports import styles as st
from engine.reports.rollup import SHEET_REJECTED, SHEET_TABLE, BranchRow, _Sheet, rank_branches
from engine.reports.rounds import mixed_rounds_warning
from engine.reports.summary_block import summary_block
from engine.reports.texts import rating_legend

if TYPE_CHECKING:
    from engine.reports.rollup import Rollup

TABLE_HEADERS = ("排名", "支部名称", "上级党组织", "得分", "自评得分", "评定等级", "否决", "问题数", "评估年度")
# Printed one A4 landscape page wide at >= 90 % (text >= 9 pt) with six areas, the comparison and 备注:
# narrow columns whose headers wrap; 评估年度 is hidden (off paper too) when every row has the same year.
TABLE_WIDTHS = (4, 16, 14, 7, 7, 9, 5, 5, 5)
YEAR_COLUMN = TABLE_HEADERS.index("评估年度") + 1
NOTE_HEADER = "备注"
NOTE_WIDTH = 13
DUPLICATE_RANK = "重复"
AREA_WIDTH = 8  # 100.0%
LINK_HEADER = "问题清单"
LINK_WIDTH = 60  # a file name on one line (the column is not printed)


def table_sheet(rollup: Rollup, book: Book) -> None:
    """总表: the statistics block, then a ranked row per scored branch (copies last, unranked)."""
    rules = rollup.rules
    areas = [a.name for a in rules.checklist_areas]
    extra = rollup.changes.TABLE_HEADERS if rollup.changes is not None else ()
    headers = [*TABLE_HEADERS, *areas, *extra, NOTE_HEADER, LINK_HEADER]
    extra_widths = rollup.changes.TABLE_WIDTHS if rollup.changes is not None else ()
    widths = [*TABLE_WIDTHS, *[AREA_WIDTH] * len(areas), *extra_widths, NOTE_WIDTH, LINK_WIDTH]
    ranked, duplicates = rollup.ranked, rollup.duplicates
    # Printed: up to the last area column (and the comparison), and 备注 when some row has one; never the links.
    has_remarks = bool(duplicates) or any(r.variant is not None or r.repeated for r in ranked)
    printed = len(headers) - (1 if has_remarks else 2)
    sheet = _Sheet(book, SHEET_TABLE, rules, "汇总", _note(rollup), widths)
    if len({r.year for r in rollup.branches}) <= 1:  # the column stays (a documented contract), hidden;
        pixels = round(widths[YEAR_COLUMN - 1] * 7)  # as engine.book stores widths (a streamed sheet's go first)
        sheet.ws.set_column_pixels(YEAR_COLUMN - 1, YEAR_COLUMN - 1, pixels, None, {"hidden": True})
    sheet.start(printed=printed)
    top = summary_block(sheet, rollup, len(TABLE_HEADERS) + 1)
    sheet.sheet.freeze(f"D{top + 1}")
    sheet.ws.repeat_rows(top - 1)
    sheet.header(headers)
    rows: list[tuple[int | str, BranchRow]] = [*rank_branches(ranked), *((DUPLICATE_RANK, r) for r in duplicates)]
    for rank, row in rows:
        _append_row(sheet, rollup, rank, row)
    last = max(sheet.row, top + 1)
    first_area = len(TABLE_HEADERS) + 1
    if areas and ranked:
        left, right = st.column_letter(first_area), st.column_letter(first_area + len(areas) - 1)
        sheet.ws.conditional_format(f"{left}{top + 1}:{right}{last}", st.percent_scale())
    sheet.sheet.autofilter(f"A{top}:{st.column_letter(len(headers))}{last}")
    st.print_columns(sheet.ws, last, printed)


def _note(rollup: Rollup) -> str:
    """The note above 总表: counts, the rule set, how to read it, warnings and the comparison."""
    rules, ranked, duplicates = rollup.rules, rollup.ranked, rollup.duplicates
    repeated = f"另有 {len(duplicates)} 份重复提交列在最后，不排名、不计入统计；" if duplicates else ""
    note = (
        f"共 {len(ranked)} 个支部评分，{len(rollup.rejected)} 个文件未通过（见“{SHEET_REJECTED}”）；{repeated}"
        f"规则集 {rules.id} {rules.version}。排名按得分从高到低，触发否决项的支部排在最后（整行红底），同分同名次；"
        f"各方面列为得分率，灰色空白为不适用。{rating_legend(rules)}"
    )
    mixed = mixed_rounds_warning((r.year for r in ranked), (r.reference for r in ranked))
    note += mixed or ""
    if rollup.changes is not None:
        note += rollup.changes.table_note()
    years = {r.year for r in rollup.branches}
    if len(years) == 1:
        note += f"各份提交的评估年度均为 {next(iter(years)) or '（未填写）'}（评估年度列已隐藏）。"
    return note


def _append_row(sheet: _Sheet, rollup: Rollup, rank: int | str, row: BranchRow) -> None:
    rules, widths = rollup.rules, sheet.widths
    bands = [b.name for b in rules.bands]
    rating = st.band_style(bands.index(row.rating), len(bands)) if row.rating in bands else "bc-center"
    remarks = [f"与 {row.duplicate_of} 内容相同"] if row.duplicate_of is not None else []
    remarks += [f"按{row.variant}的规则评分"] if row.variant is not None else []
    remarks += [row.repeated] if row.repeated else []
    remark = "；".join(remarks) or None
    veto = st.TRIGGERED if row.vetoed else None  # the whole row but the rating and the heat map
    cells = [
        sheet.cell(rank, "bc-number" if isinstance(rank, int) else "bc-center", veto),
        sheet.cell(row.name, "bc-text", veto),
        sheet.cell(row.parent, "bc-text", veto),
        sheet.cell(row.score, "bc-score", veto),
        sheet.cell(row.self_score, "bc-score", veto),
        sheet.cell(rules.band_display(row.rating), rating),
        sheet.cell(row.veto, "bc-center", st.RED_BOLD if row.vetoed else None),
        sheet.cell(row.gaps, "bc-number", veto),
        sheet.cell(row.year, "bc-center", veto),
        *(sheet.cell(p, "bc-percent") if p is not None else sheet.cell(None, "bc-na") for p in row.percents),
        *(rollup.changes.table_cells(row.source) if rollup.changes is not None else ()),
        sheet.cell(remark),
        sheet.link(row.report, row.report) if row.report else sheet.cell(None),
    ]
    texts = [(str(rank), widths[0]), (row.name, widths[1]), (row.parent, widths[2]), (row.veto, widths[6]),
             (remark, widths[-2]), (row.report, widths[-1])]  # fmt: skip
    sheet.append(cells, texts)
