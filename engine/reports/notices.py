"""Return notices (退回说明): for each rejected file, what was wrong cell by cell and how to fix it.

One sheet, ready for the inspector to send back: a header block (which file, relative to
the input root, and the branch's name and 上级党组织 when they could be read; that it was
not accepted, what to do), then 序号 | 位置 | 填写的内容 | 问题说明 | 怎样修改,
errors first, then warnings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import engine
from engine.book import Book, CellValue, collector_paused
from engine.catalogue import fix_for
from engine.outnames import path_stem
from engine.reports import styles as st
from engine.reports.texts import ResultDict, file_name
from engine.rules.model import RuleSet

SHEET_NOTICE = "退回说明"
HEADERS = ("序号", "位置", "填写的内容", "问题说明", "怎样修改")
WIDTHS = (6, 18, 22, 52, 48)
WHOLE_FILE = "整个文件"
RESULT_TEXT = "未通过检查，本次不予受理（未评分）。"
INTERNAL_ERROR = "internal-error"

# How to fix each kind of problem, in words a branch secretary understands.
def internal_only(d: ResultDict) -> bool:
    """True when every error of ``d`` is an internal error: the program's fault, not the branch's."""
    errors = [x for x in d.get("diagnostics", ()) if x.get("severity") == "error"]
    return bool(errors) and all(x.get("code") == INTERNAL_ERROR for x in errors)


def needs_notice(d: ResultDict) -> bool:
    """A rejected submission gets a 退回说明 unless only internal errors stopped it (inspectors handle those)."""
    return not internal_only(d)


def branch_names(d: ResultDict) -> tuple[str, str]:
    """(支部名称, 上级党组织) as far as they could be read ("" when not)."""
    branch = d.get("branch") or {}
    return str(branch.get("name") or ""), str(branch.get("parent") or "")


def notice_stem(d: ResultDict, relative: str | None = None) -> str:
    """``上级党组织-支部名称`` when the branch's name could be read, else the input's path
    ``relative`` to the input root as a stem (``办公室-自评表``; without it, the file name's
    stem), before sanitising."""
    name, parent = branch_names(d)
    if name:
        return "-".join(p for p in (parent, name) if p)
    return path_stem(relative if relative is not None else file_name(str(d.get("source") or "")))


def write_notice(rules: RuleSet, d: ResultDict, path: Path) -> Path:
    """Build and save the return notice of one rejected submission."""
    with collector_paused():
        return build_notice(rules, d).save(path)


def _value_text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def build_notice(rules: RuleSet, d: ResultDict) -> Book:
    book = st.new_book()
    ws = book.sheet(SHEET_NOTICE, WIDTHS)
    source = str(d.get("source") or "")
    branch, parent = branch_names(d)
    diagnostics = list(d.get("diagnostics", ()))
    errors = [x for x in diagnostics if x.get("severity") == "error"]
    warnings = [x for x in diagnostics if x.get("severity") != "error"]
    ws.put(1, 1, "自评表退回说明", "bc-title")
    known = tuple((label, value) for label, value in (("支部名称", branch), ("上级党组织", parent)) if value)
    block = (
        ("文件", source),
        *known,
        ("处理结果", RESULT_TEXT),
        ("需要怎样做", "请按下表“怎样修改”逐项改正（“必须修改”的全部改正后才能受理），修改后重新提交。"),
        ("问题数", f"必须修改 {len(errors)} 处，提醒 {len(warnings)} 处"),
        ("检查依据", f"{rules.title}（规则集 {rules.id} {rules.version}）"),
        ("文件校验码", f"SHA-256 {d.get('sha256') or ''}"),
        ("检查工具", f"branchcheck {engine.__version__}"),
    )
    row = 3
    for label, value in block:
        ws.line(row, [(label, "bc-label", 2), (value, "bc-value", len(HEADERS) - 2)])
        if value == RESULT_TEXT:  # the merged value's first cell again, in red
            ws.put(row, 3, value, "bc-value", st.RED_BOLD)
        row += 1
    header = row + 1
    for column, title in enumerate(HEADERS, start=1):
        ws.put(header, column, title, "bc-header")
    row, n = header + 1, 0
    sections = (
        (f"一、必须修改的问题（共 {len(errors)} 处）", errors),
        (f"二、提醒（请核实，不影响受理；共 {len(warnings)} 处）", warnings),
    )
    for title, group in sections:
        if not group:
            continue
        ws.line(row, [(title, "bc-section", len(HEADERS))])
        row += 1
        for diag in group:
            n += 1
            values: list[CellValue] = [
                n,
                diag.get("cell") or WHOLE_FILE,
                _value_text(diag.get("value")),
                diag.get("message"),
                fix_for(str(diag.get("code"))),
            ]
            ws.line(row, [(v, "bc-center" if c == 0 else "bc-text", 1) for c, v in enumerate(values)])
            row += 1
    ws.freeze(f"A{header + 1}")
    footer = "-".join(p for p in (parent, branch) if p) if branch else file_name(source)
    st.page_setup(ws.ws, landscape=True, title_row=header, footer=footer)
    return book
