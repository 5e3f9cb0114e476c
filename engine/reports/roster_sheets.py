"""The roll-up's roster sheets: 未提交 (roster rows with no submission, with 联系人 and 联系电话 so
someone can phone them) and 名册外 (submissions on no roster row, with the closest roster names)."""

from __future__ import annotations

from engine.book import Book
from engine.reports.rollup import HEADER_ROW, Rollup, _Sheet
from engine.reports.texts import NONE_TEXT
from engine.roster.matching import REJECTED_ROW
from engine.textsafe import shorten

SHEET_MISSING = "未提交"
SHEET_OFF_ROSTER = "名册外"
MISSING_HEADERS = ("序号", "上级党组织", "支部名称", "支部编码", "分组", "联系人", "联系电话", "名册行号")
MISSING_WIDTHS = (6, 24, 26, 14, 12, 10, 16, 9)
OFF_HEADERS = ("序号", "文件", "上级党组织", "支部名称", "支部编码", "状态", "提示")
OFF_WIDTHS = (6, 36, 22, 24, 14, 8, 36)
SCORED_TEXT, REJECTED_TEXT = "已评分", "未通过"


def missing_sheet(rollup: Rollup, book: Book) -> None:
    levels = rollup.levels
    assert levels is not None and levels.matching is not None
    matching = levels.matching
    rows = [r for r in matching.roster.rows if rollup.unit is None or levels.unit_name(r.parent) == rollup.unit]
    mine = {r.row for r in rows}
    missing = [r for r in matching.missing if r.row in mine]
    rejected = sum(1 for r in rows if matching.state(r) == REJECTED_ROW)
    submitted = len(rows) - len(missing)
    rate = f"{submitted / len(rows):.1%}" if rows else "—"
    note = (
        f"名册中 {len(rows)} 个支部，已提交 {submitted} 个（提交率 {rate}，其中 {rejected} 个提交的文件都未通过检查，"
        f"见“未通过文件”），未提交 {len(missing)} 个，按名册顺序列出。"
    )
    sheet = _Sheet(book, SHEET_MISSING, rollup.rules, SHEET_MISSING, note, MISSING_WIDTHS)
    sheet.start(freeze=f"A{HEADER_ROW + 1}")
    sheet.header(MISSING_HEADERS)
    for n, r in enumerate(missing, start=1):
        texts = tuple(_short(t) for t in (r.parent, r.name, r.code, r.group, r.contact, r.phone))
        cells = [sheet.cell(n, "bc-number"), *(sheet.cell(t) for t in texts), sheet.cell(r.row, "bc-number")]
        sheet.append(cells, zip(texts, MISSING_WIDTHS[1:], strict=False))
    if not missing:
        sheet.append([sheet.cell(NONE_TEXT)])
        return
    sheet.sheet.autofilter(f"A{HEADER_ROW}:H{sheet.row}")


def off_roster_sheet(rollup: Rollup, book: Book) -> None:
    levels = rollup.levels
    assert levels is not None and levels.matching is not None
    found = [
        o for o in levels.matching.off_roster if rollup.unit is None or levels.unit_of.get(o.source) == rollup.unit
    ]
    note = (
        f"{len(found)} 份提交的支部不在名册中（按支部编码、上级党组织 + 支部名称和曾用名都对不上），按文件路径排列；"
        "“提示”列出名册中名称最接近的支部。请核对后改正自评表中的支部信息，或把支部补入名册（改过名的写入“曾用名”）。"
    )
    sheet = _Sheet(book, SHEET_OFF_ROSTER, rollup.rules, SHEET_OFF_ROSTER, note, OFF_WIDTHS)
    sheet.start(freeze=f"A{HEADER_ROW + 1}")
    sheet.header(OFF_HEADERS)
    for n, o in enumerate(found, start=1):
        texts = tuple(_short(t) for t in (o.source, o.parent, o.name, o.code))
        status = SCORED_TEXT if o.scored else REJECTED_TEXT
        cells = [sheet.cell(n, "bc-number"), *(sheet.cell(t) for t in texts), sheet.cell(status, "bc-center"),
                 sheet.cell(o.hint or None)]  # fmt: skip
        sheet.append(cells, [*zip(texts, OFF_WIDTHS[1:], strict=False), (o.hint, OFF_WIDTHS[-1])])
    if not found:
        sheet.append([sheet.cell(NONE_TEXT)])
        return
    sheet.sheet.autofilter(f"A{HEADER_ROW}:G{sheet.row}")


def _short(text: str | None) -> str | None:
    return shorten(text) if text else None
