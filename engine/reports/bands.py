"""评级分布 of the roll-up (:mod:`engine.reports.rollup`): the branches per band with a chart
beside the table, and the bands per 上级党组织."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.chart import Chart

from engine.book import Book
from engine.reports import styles as st
from engine.reports.rollup import HEADER_ROW, NO_PARENT, SHEET_BANDS, _share, _Sheet
from engine.reports.texts import NONE_TEXT, rating_legend

if TYPE_CHECKING:
    from engine.reports.rollup import Rollup

BANDS_FIRST_WIDTH, BANDS_WIDTH = 18, 8  # 评级分布, with its chart beside the table on the printed page
VETOED_LABEL = "其中：触发否决项"
VETOED_COLUMN = "其中否决"


def bands_sheet(rollup: Rollup, book: Book) -> None:
    """评级分布: counts per band with a chart, and 上级党组织 × band."""
    rules = rollup.rules
    bands = [b.name for b in rules.bands]
    ranked = rollup.ranked
    total = len(ranked)
    counts = dict.fromkeys(bands, 0)
    vetoed = 0
    by_parent: dict[str, dict[str, int]] = {}
    for row in ranked:
        counts[row.rating] = counts.get(row.rating, 0) + 1
        vetoed += row.vetoed
        cell = by_parent.setdefault(row.parent or NO_PARENT, {})
        cell[row.rating] = cell.get(row.rating, 0) + 1
        cell[VETOED_COLUMN] = cell.get(VETOED_COLUMN, 0) + row.vetoed
    effect = (
        "按否决项评定（最低等级或不高于规定等级）"
        if any(v.cap is not None for v in rules.vetoes)
        else f"评定为“{rules.lowest_band.name}”"
    )
    note = f"共 {total} 个支部。触发否决项的支部{effect}，计入该等级，另列“{VETOED_LABEL}”。"
    if len(ranked) < len(rollup.branches):
        note += "重复提交的文件只计一次。"
    note += rating_legend(rules)
    widths = [BANDS_FIRST_WIDTH, *[BANDS_WIDTH] * (len(bands) + 2)]
    sheet = _Sheet(book, SHEET_BANDS, rules, "评级分布", note, widths)
    sheet.start()
    sheet.header(["评定等级", "支部数", "占比"])
    for n, name in enumerate(bands):
        style = st.band_style(n, len(bands))
        sheet.append([sheet.cell(name, style), sheet.cell(counts[name], "bc-number"),
                      sheet.cell(_share(counts[name], total), "bc-percent")])  # fmt: skip
    sheet.append([sheet.cell(VETOED_LABEL), sheet.cell(vetoed, "bc-number"),
                  sheet.cell(_share(vetoed, total), "bc-percent")])  # fmt: skip
    sheet.append([sheet.cell("合计", "bc-total"), sheet.cell(total, "bc-total-number"),
                  sheet.cell(_share(total, total), "bc-total-percent")])  # fmt: skip
    sheet.append([])
    sheet.append([sheet.cell("各上级党组织的评级分布", "bc-heading")])
    sheet.header(["上级党组织", *bands, VETOED_COLUMN, "合计"])
    for parent in sorted(by_parent):
        cell = by_parent[parent]
        values = [cell.get(name, 0) for name in bands]
        numbers = [*values, cell.get(VETOED_COLUMN, 0), sum(values)]
        sheet.append([sheet.cell(parent), *(sheet.cell(v, "bc-number") for v in numbers)], [(parent, 22)])
    if not by_parent:
        sheet.append([sheet.cell(NONE_TEXT)])
    sheet.ws.insert_chart(f"{st.column_letter(len(bands) + 5)}{HEADER_ROW}", _band_chart(book, len(bands)))


_CM_PIXELS = 96 / 2.54


def _band_chart(book: Book, count: int) -> Chart:
    """Columns of the band counts (rows below the header of 评级分布)."""
    chart = book.chart({"type": "column"})
    chart.set_style(2)
    chart.set_title({"name": "各等级支部数"})
    chart.set_legend({"none": True})
    first = HEADER_ROW  # 0-based: the row below the header
    chart.add_series({
        "name": [SHEET_BANDS, HEADER_ROW - 1, 1],
        "categories": [SHEET_BANDS, first, 0, first + count - 1, 0],
        "values": [SHEET_BANDS, first, 1, first + count - 1, 1],
        "fill": {"color": "#5B9BD5"},
        "data_labels": {"value": True},
    })  # fmt: skip
    chart.set_y_axis({"min": 0, "num_format": "0", "major_gridlines": {"visible": False}})
    chart.set_size({"width": round(12.0 * _CM_PIXELS), "height": round(7.5 * _CM_PIXELS)})
    return chart
