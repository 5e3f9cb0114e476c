"""The per-branch report (``<上级党组织>-<支部名称>-问题清单.xlsx``), built from one results dict.

Sheets: 总览 (:mod:`overview`), 问题清单 (:mod:`gaplist`), 评分明细 and, when the submission
has warnings, 数据问题 (:mod:`detail`), 整改情况 when the run compared with an earlier round
(:mod:`rectification`), and the very hidden _meta (:mod:`meta`). Printed (A4, one page wide,
text >= 9 pt): 总览, 问题清单 up to 整改状态, 数据问题 and 整改情况; 评分明细 is left off paper (its
print area is a blank cell). Written with XlsxWriter in memory (:mod:`engine.book`): a report is small.
"""

from __future__ import annotations

from pathlib import Path

from engine.book import Book, collector_paused
from engine.reports import detail, gaplist, meta, overview, rectification
from engine.reports import styles as st
from engine.reports.texts import ResultDict
from engine.rules.model import RuleSet
from engine.rules.tailor import resolve

SHEET_OVERVIEW = "总览"
SHEET_GAPS = "问题清单"
SHEET_DETAIL = "评分明细"
SHEET_DATA = "数据问题"


def report_stem(d: ResultDict) -> str:
    """``上级党组织-支部名称`` before sanitising (missing parts left out)."""
    branch = d.get("branch") or {}
    return "-".join(str(p) for p in (branch.get("parent"), branch.get("name")) if p)


def build_branch_report(rules: RuleSet, d: ResultDict) -> Book:
    rules = _of_variant(rules, d)
    book = st.new_book()
    name = str((d.get("branch") or {}).get("name") or "")
    then = rectification.compared(d)
    extra = (rectification.CHANGE_WIDTH,) if then else ()
    overview.overview_sheet(book.sheet(SHEET_OVERVIEW, overview.WIDTHS + extra), rules, d, name)
    extra = (rectification.PREVIOUS_WIDTH,) if then else ()
    gaplist.gap_sheet(book.sheet(SHEET_GAPS, gaplist.widths(rules, d) + extra), rules, d, name)
    detail.detail_sheet(book.sheet(SHEET_DETAIL, detail.WIDTHS), rules, d, name)
    if d.get("diagnostics"):  # no empty sheet (nor a printed page saying 无) for a clean submission
        detail.data_sheet(book.sheet(SHEET_DATA, detail.DATA_WIDTHS), d, name)
    if then:
        sheet = book.sheet(rectification.SHEET_RECTIFICATION, rectification.WIDTHS)
        rectification.rectification_sheet(sheet, rules, d, name)
    meta.meta_sheet(book, rules, d)
    return book


def write_branch_report(rules: RuleSet, d: ResultDict, path: Path) -> Path:
    """Build and save the report of one scored submission."""
    with collector_paused():
        return build_branch_report(rules, d).save(path)


def _of_variant(rules: RuleSet, d: ResultDict) -> RuleSet:
    """The rules the submission was scored by: its branch type's variant (results' ``variant``), else the base."""
    name = d.get("variant")
    if isinstance(name, str) and rules.variant is None and rules.variants and rules.variants.named(name):
        return resolve(rules, name)
    return rules
