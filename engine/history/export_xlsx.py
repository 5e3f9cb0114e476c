"""``history export --format xlsx``: one row per recorded submission, for people to filter and sort.

The full check-point detail (1.7 million rows for 10,000 branches) stays in the JSON export.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from engine.xlsx import FONT_BOLD, HEADER_FILL, save_workbook, write_text

HEADERS = (
    "轮次", "上级党组织", "支部名称", "支部标识", "状态", "评估基准日",
    "得分", "自评得分", "评定等级", "否决", "来源文件",
)  # fmt: skip
WIDTHS = (12, 22, 26, 30, 8, 12, 8, 8, 10, 6, 40)
STATUS_WORDS = {"scored": "已评分", "rejected": "未通过"}


def write_history_workbook(data: Mapping[str, Any], path: Path) -> Path:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "历史记录"
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font, cell.fill = FONT_BOLD, HEADER_FILL
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    row = 1
    for round_data in data["rounds"]:
        for sub in round_data["submissions"]:
            row += 1
            texts = (round_data["name"], sub["parent"], sub["name"], sub["branch"])
            for col, text in enumerate(texts, start=1):
                write_text(ws.cell(row=row, column=col), text)
            ws.cell(row=row, column=5, value=STATUS_WORDS.get(sub["status"], sub["status"]))
            write_text(ws.cell(row=row, column=6), sub["reference_date"])
            ws.cell(row=row, column=7, value=sub["score"])
            ws.cell(row=row, column=8, value=sub["self_score"])
            write_text(ws.cell(row=row, column=9), sub["rating"])
            ws.cell(row=row, column=10, value=None if sub["vetoed"] is None else ("是" if sub["vetoed"] else "否"))
            write_text(ws.cell(row=row, column=11), sub["source"])
    ws.auto_filter.ref = f"A1:K{max(row, 1)}"
    return save_workbook(wb, path)
