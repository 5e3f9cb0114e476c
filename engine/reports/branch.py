"""The per-branch report (``<上级党组织>-<支部名称>-问题清单.xlsx``), built from one results dict.

Sheets: 总览 (:mod:`overview`), 问题清单 (:mod:`gaplist`), 评分明细 and 数据问题
(:mod:`detail`). Normal-mode openpyxl: a report is small.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from engine.outnames import REPORT_SUFFIX
from engine.reports import styles as st
from engine.reports.detail import data_sheet, detail_sheet
from engine.reports.gaplist import gap_sheet
from engine.reports.overview import overview_sheet
from engine.reports.texts import ResultDict
from engine.rules.model import RuleSet
from engine.xlsx import save_workbook

SHEET_OVERVIEW = "总览"
SHEET_GAPS = "问题清单"
SHEET_DETAIL = "评分明细"
SHEET_DATA = "数据问题"


def report_stem(d: ResultDict) -> str:
    """``上级党组织-支部名称`` before sanitising (missing parts left out)."""
    branch = d.get("branch") or {}
    return "-".join(str(p) for p in (branch.get("parent"), branch.get("name")) if p)


def build_branch_report(rules: RuleSet, d: ResultDict) -> Workbook:
    wb = st.new_workbook()
    name = str((d.get("branch") or {}).get("name") or "")
    overview_sheet(wb.create_sheet(SHEET_OVERVIEW), rules, d, name)
    gap_sheet(wb.create_sheet(SHEET_GAPS), rules, d, name)
    detail_sheet(wb.create_sheet(SHEET_DETAIL), rules, d, name)
    data_sheet(wb.create_sheet(SHEET_DATA), d, name)
    return wb


def write_branch_report(rules: RuleSet, d: ResultDict, path: Path) -> Path:
    """Build and save the report of one scored submission."""
    return save_workbook(build_branch_report(rules, d), path)
