"""The branch report's 总览 within its unit: its rank there and overall ("在本单位 12 个支部中列第 3"),
and beside each area's rate the unit's mean rate. Read from the ``standing`` entry that
:func:`engine.reports.write_reports` adds to a report's dict when it knows the levels."""

from __future__ import annotations

from collections.abc import Sequence

from engine.book import Sheet
from engine.reports.texts import ResultDict, number
from engine.textsafe import shorten

STANDING = "standing"
UNIT_MEAN_TITLE = "本单位平均得分率"
UNIT_MEAN_WIDTH = 11


def standing_notes(d: ResultDict) -> list[str]:
    found = d.get(STANDING)
    if not found:
        return []
    return [
        f"在本单位（{shorten(found['unit'])}）{found['unit_count']} 个支部中列第 {found['unit_rank']}，"
        f"在全部 {found['count']} 个支部中列第 {found['rank']}（触发否决项的支部排在最后，同分同名次）。"
    ]


def unit_means_column(ws: Sheet, d: ResultDict, header: int, areas: Sequence[ResultDict], column: int) -> None:
    """The unit's mean rate of each area in ``column``, beside the area table (header row ``header``)."""
    found = d.get(STANDING)
    if not found:
        return
    ws.ws.set_column_pixels(column - 1, column - 1, UNIT_MEAN_WIDTH * 7)
    ws.put(header, column, UNIT_MEAN_TITLE, "bc-header")
    means = list(found.get("unit_means") or ())
    for n, _area in enumerate(areas):
        value = number(means[n]) if n < len(means) else None
        if value is None:
            ws.put(header + 1 + n, column, "不适用", "bc-na")
        else:
            ws.put(header + 1 + n, column, value, "bc-percent")
