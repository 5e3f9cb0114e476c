"""Build the self-assessment workbook (支部自评表) entirely from a rule set.

Layout (rows are 1-based):
- 填表说明: one column of text lines, the title in row 1.
- 支部信息: header in row 1 (``PROFILE_HEADERS``), then one row per profile field.
- 自评表: title in row 1, the progress formula (已填 X 项（共 N 项…）) in row 2, the header in
  row 3 (``ITEM_HEADERS``), then area and standard section rows (no 编号) and one row
  per asked check point; finally the 否决项 section and one row per question veto.
- _meta (very hidden): key in column A, value in column B.

Every row holding wrapped text gets an explicit height estimated from its text and
column widths (:func:`engine.xlsx.row_height`): Excel, WPS and LibreOffice do not
grow such rows on their own, and printed lines would overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine import answers
from engine import contract as c
from engine.cells import cell_text
from engine.errors import UsageError
from engine.files import write_bytes_atomic
from engine.names import DEFAULT_MAX_BYTES, safe_file_name
from engine.rules.model import Area, Item, RuleSet, Standard, Veto, format_number, json_number
from engine.rules.rating import CHECKLIST
from engine.rules.ratingtexts import area_heading
from engine.rules.tailor import template_model
from engine.template import texts
from engine.template.grid import fit, merge_row, put
from engine.template.validation import YES_NO, Validations, choices, field_check, item_check
from engine.xlsx import (
    BLANK_FILL,
    DATE_FORMAT,
    FONT,
    FONT_BOLD,
    FONT_HEADING,
    FONT_TITLE,
    HEADER_FILL,
    LEFT,
    SECTION_FILL,
    SUBSECTION_FILL,
    UNLOCKED,
    WRAP,
    WRAP_CENTER,
    save_workbook,
    write_text,
)

TITLE_ROW = 1
PROGRESS_ROW = 2
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
PROFILE_HEADER_ROW = 1

# Extra _meta keys after the contract's four: ``field:<profile field id>`` → its label.
META_FIELD_PREFIX = "field:"
LOCKED = Protection(locked=True)  # a profile value pre-filled from a roster

COLUMN = {title: n for n, title in enumerate(c.ITEM_HEADERS, start=1)}
INPUT_COLUMNS = (c.COL_SELF, c.COL_EVIDENCE, c.COL_NOTE, c.COL_CHECK, c.COL_CHECK_NOTE)
ANSWER_COLUMNS = (c.COL_SELF, c.COL_CHECK)
CENTERED_COLUMNS = (c.COL_ID, c.COL_POINTS, c.COL_SELF, c.COL_CHECK)
# 自评表 and 支部信息 print one A4 page wide (landscape / portrait) at 90 % or more, so that
# 10 pt text prints at 9 pt or more: the widths add up to about 150 and 100 units.
# 填写说明 is the longest text of a row: the widest column keeps rows (and pages) few.
ITEM_WIDTHS = {
    c.COL_ID: 6,
    c.COL_AREA: 6,
    c.COL_STANDARD: 7,
    c.COL_TEXT: 24,
    c.COL_GUIDE: 40,
    c.COL_POINTS: 5,
    c.COL_SELF: 9,
    c.COL_EVIDENCE: 14,
    c.COL_NOTE: 10,
    c.COL_CHECK: 9,
    c.COL_CHECK_NOTE: 12,
}
PROFILE_WIDTHS = (18, 28, 50)
# 填表说明 column A: fits the printable width of A4 portrait (margins below) unscaled, even where
# Calibri is missing (LibreOffice then measures columns in a wider font) - LibreOffice does not
# shrink a one-column sheet to fit the page width.
GUIDE_WIDTH = 72
MARGIN_SIDE, MARGIN_END, MARGIN_BOTTOM, MARGIN_FOOTER = 0.4, 0.6, 0.75, 0.3  # inches
FOOTER_SIZE = 10
PAGE_NUMBERS = "第 &P 页 / 共 &N 页"


def default_template_name(rules: RuleSet, branch: str | None = None) -> str:
    """``支部自评表-<rule-set id>-<version>.xlsx``; with a branch ``<支部名称>-支部自评表-…``, so that
    templates for several branches do not overwrite each other."""
    name = f"支部自评表-{rules.id}-{rules.version}.xlsx"
    if branch and branch.strip():
        return f"{safe_file_name(branch.strip(), DEFAULT_MAX_BYTES - len(name.encode()) - 1)}-{name}"
    return name


def write_template(
    rules: RuleSet, path: Path | str, branch: str | None = None, prefill: Mapping[str, str] | None = None
) -> Path:
    """Write the self-assessment workbook for ``rules`` to ``path``; byte-identical on rerun.

    ``branch`` pre-fills the profile field with role ``branch_name``; ``prefill`` (role → value)
    pre-fills and locks profile fields (see :func:`prefill_profile`).
    """
    if prefill:  # locked roster values: the full build (engine.roster.templates has its own fast path)
        return save_workbook(build_template(rules, branch, prefill), path)
    from engine.template.many import render_template  # the common workbook, built once per process

    target = Path(path)
    write_bytes_atomic(target, render_template(rules, branch))
    return target


def build_template(rules: RuleSet, branch: str | None = None, prefill: Mapping[str, str] | None = None) -> Workbook:
    """The template as an in-memory openpyxl workbook (not saved)."""
    if branch is not None and rules.field_with_role("branch_name") is None:
        raise UsageError("规则集没有“支部名称”字段（role: branch_name），不能预填支部名称")
    wb = Workbook()
    guide = wb.active
    guide.title = c.SHEET_GUIDE
    _guide_sheet(guide, rules)
    _profile_sheet(wb.create_sheet(c.SHEET_PROFILE), rules, branch)
    _items_sheet(wb.create_sheet(c.SHEET_ITEMS), rules)
    _meta_sheet(wb.create_sheet(c.SHEET_META), rules)
    set_footers(wb, branch)
    if prefill:
        prefill_profile(wb, rules, prefill)
    return wb


def prefill_profile(wb: Workbook, rules: RuleSet, values: Mapping[str, str]) -> None:
    """Write ``values`` (profile field role → text, e.g. from a roster) into 支部信息 of a built template
    and lock those cells, so that what comes back names the branch as the roster does; the footers
    name the branch."""
    ws = wb[c.SHEET_PROFILE]
    for row, field in enumerate(rules.profile, start=PROFILE_HEADER_ROW + 1):
        value = values.get(field.role or "")
        if not value:
            continue
        cell = ws.cell(row=row, column=2)
        write_text(cell, value)
        cell.protection = LOCKED
        fit(ws, row, zip((field.label, value, texts.field_hint(field, rules)), PROFILE_WIDTHS, strict=True))
    set_footers(wb, values.get("branch_name"))


def set_footers(wb: Workbook, branch: str | None) -> list[Worksheet]:
    """The printed footer of every printed sheet: the branch's name (if any) left, page numbers right."""
    sheets = [wb[c.SHEET_GUIDE], wb[c.SHEET_PROFILE], wb[c.SHEET_ITEMS]]
    for ws in sheets:
        _footer(ws, branch)
    return sheets


def prefill(wb: Workbook, rules: RuleSet, branch: str | None) -> list[Worksheet]:
    """Set in a built template what depends on the branch as ``build_template(rules, branch)`` sets
    it (``None``: as built without one); returns the sheets changed. Per-branch templates are made
    this way from one common workbook (:mod:`engine.template.many`): anything the build does with
    ``branch`` must be done here too (tests/test_template.py compares the bytes of both)."""
    ws = wb[c.SHEET_PROFILE]
    for row, field in enumerate(rules.profile, start=PROFILE_HEADER_ROW + 1):
        if field.role == "branch_name":
            write_text(ws.cell(row=row, column=2), branch)
            fit(ws, row, zip((field.label, branch, texts.field_hint(field, rules)), PROFILE_WIDTHS, strict=True))
    return set_footers(wb, branch)


def asked_items(rules: RuleSet) -> tuple[Item, ...]:
    """The check points that get a row in 自评表 (not read from the profile)."""
    return tuple(i for i in rules.items if i.asked)


def _guide_sheet(ws: Worksheet, rules: RuleSet) -> None:
    fonts = {"title": FONT_TITLE, "heading": FONT_HEADING, "text": FONT}
    for row, line in enumerate(texts.guide_lines(rules), start=1):
        font = fonts[line.style]
        put(ws, row, 1, line.text, font=font, border=None)
        fit(ws, row, [(line.text, GUIDE_WIDTH)], size=font.size)
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    _page(ws, landscape=False, title_rows=None)
    _protect(ws)


def _profile_sheet(ws: Worksheet, rules: RuleSet, branch: str | None) -> None:
    for column, title in enumerate(c.PROFILE_HEADERS, start=1):
        put(ws, PROFILE_HEADER_ROW, column, title, font=FONT_BOLD, align=WRAP_CENTER, fill=HEADER_FILL)
    fit(ws, PROFILE_HEADER_ROW, zip(c.PROFILE_HEADERS, PROFILE_WIDTHS, strict=True))
    checks = Validations()
    for row, field in enumerate(rules.profile, start=PROFILE_HEADER_ROW + 1):
        put(ws, row, 1, field.label, font=FONT_BOLD if field.required else FONT)
        cell = put(ws, row, 2, protection=UNLOCKED, number_format=DATE_FORMAT if field.type == "date" else None)
        value = branch if branch is not None and field.role == "branch_name" else None
        if value is not None:
            write_text(cell, value)
        hint = texts.field_hint(field, rules)
        put(ws, row, 3, hint)
        fit(ws, row, zip((field.label, value, hint), PROFILE_WIDTHS, strict=True))
        variants = rules.variants
        checks.add(choices(variants.options) if variants and field.id == variants.field else field_check(field), row, 2)
    checks.apply(ws)
    for column, width in enumerate(PROFILE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=PROFILE_HEADER_ROW + 1, column=1).coordinate
    _page(ws, landscape=False, title_rows=PROFILE_HEADER_ROW)
    _protect(ws)


def _items_sheet(ws: Worksheet, rules: RuleSet) -> None:
    width = len(c.ITEM_HEADERS)
    merge_row(ws, TITLE_ROW, 1, width)
    caption = f"{rules.title}——{c.SHEET_ITEMS}"
    put(ws, TITLE_ROW, 1, caption, font=FONT_TITLE, align=LEFT, border=None)
    fit(ws, TITLE_ROW, [(caption, sum(ITEM_WIDTHS.values()))], size=FONT_TITLE.size)
    for column, heading in enumerate(c.ITEM_HEADERS, start=1):
        put(ws, HEADER_ROW, column, heading, font=FONT_BOLD, align=WRAP_CENTER, fill=HEADER_FILL)
    fit(ws, HEADER_ROW, ((t, ITEM_WIDTHS[t]) for t in c.ITEM_HEADERS))
    checks = Validations()
    row = FIRST_ROW
    points = {s.id: s.points for s in rules.standards}  # the base rules' (variants may add check points)
    for area in template_model(rules).areas:
        groups = [(s, [i for i in s.items if i.asked]) for s in area.standards]
        groups = [(s, items) for s, items in groups if items]
        if not groups:
            continue
        if area.kind == CHECKLIST:  # the base rules' points (an overlay may add check points)
            area_points = sum((points[s.id] for s in area.standards), Decimal(0))
            _section(ws, row, f"{area.id} {area.name}（{format_number(area_points)} 分）", major=True)
        else:
            _section(ws, row, area_heading(area), major=True)
        row += 1
        for standard, items in groups:
            _section(ws, row, f"{standard.id} {standard.name}（{format_number(points[standard.id])} 分）", major=False)
            row += 1
            for item in items:
                _item_row(ws, row, rules, area, standard, item, checks)
                row += 1
    if rules.question_vetoes:
        _section(ws, row, c.VETO_SECTION, major=True)
        row += 1
        for veto in rules.question_vetoes:
            _veto_row(ws, row, veto, checks)
            row += 1
    last = max(row - 1, FIRST_ROW)
    checks.apply(ws)
    asked = len(asked_items(rules)) + len(rules.question_vetoes)
    self_col = get_column_letter(COLUMN[c.COL_SELF])
    id_col = get_column_letter(COLUMN[c.COL_ID])
    answers = f"{self_col}{FIRST_ROW}:{self_col}{last}"
    merge_row(ws, PROGRESS_ROW, 1, width)
    progress = put(ws, PROGRESS_ROW, 1, font=FONT_BOLD, align=LEFT, border=None)
    # Items that do not apply need not be filled, so the count need not reach ``asked``.
    progress.value = f'="已填 "&COUNTA({answers})&" 项（共 {asked} 项，不适用的可不填）"'
    blank = f'AND(${id_col}{FIRST_ROW}<>"",ISBLANK({self_col}{FIRST_ROW}))'
    ws.conditional_formatting.add(answers, FormulaRule(formula=[blank], fill=BLANK_FILL))
    for title, size in ITEM_WIDTHS.items():
        ws.column_dimensions[get_column_letter(COLUMN[title])].width = size
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=1).coordinate
    _page(ws, landscape=True, title_rows=HEADER_ROW)
    _protect(ws)


def _section(ws: Worksheet, row: int, text: str, *, major: bool) -> None:
    """A group title row: nothing in 编号, the title from 方面 to the last column."""
    fill = SECTION_FILL if major else SUBSECTION_FILL
    start = COLUMN[c.COL_AREA]
    put(ws, row, COLUMN[c.COL_ID], fill=fill)
    merge_row(ws, row, start, len(c.ITEM_HEADERS))
    put(ws, row, start, text, font=FONT_BOLD, align=LEFT, fill=fill)
    fit(ws, row, [(text, sum(ITEM_WIDTHS[t] for t in c.ITEM_HEADERS[start - 1 :]))])


def _item_row(
    ws: Worksheet, row: int, rules: RuleSet, area: Area, standard: Standard, item: Item, checks: Validations
) -> None:
    fixed: dict[str, object] = {
        c.COL_ID: item.id,
        c.COL_AREA: area.name,
        c.COL_STANDARD: standard.name,
        c.COL_TEXT: item.text,
        c.COL_GUIDE: texts.item_guide(item, rules),
        c.COL_POINTS: json_number(item.points),
    }
    _fixed_cells(ws, row, fixed)
    _input_cells(ws, row, answers.answer_type(item.type).number_format)
    check = item_check(item)
    for title in ANSWER_COLUMNS:
        checks.add(check, row, COLUMN[title])


def _veto_row(ws: Worksheet, row: int, veto: Veto, checks: Validations) -> None:
    fixed: dict[str, object] = {
        c.COL_ID: veto.id,
        c.COL_AREA: c.VETO_SECTION,
        c.COL_STANDARD: None,
        c.COL_TEXT: veto.text,
        c.COL_GUIDE: texts.VETO_GUIDE if veto.cap is None else texts.capping_veto_guide(veto),
        c.COL_POINTS: None,
    }
    _fixed_cells(ws, row, fixed)
    _input_cells(ws, row, None)
    for title in ANSWER_COLUMNS:
        checks.add(YES_NO, row, COLUMN[title])


def _fixed_cells(ws: Worksheet, row: int, values: dict[str, object]) -> None:
    for title, value in values.items():
        align = WRAP_CENTER if title in CENTERED_COLUMNS else WRAP
        put(ws, row, COLUMN[title], value, align=align)
    fit(ws, row, ((value, ITEM_WIDTHS[title]) for title, value in values.items()))


def _input_cells(ws: Worksheet, row: int, number_format: str | None) -> None:
    for title in INPUT_COLUMNS:
        align = WRAP_CENTER if title in CENTERED_COLUMNS else WRAP
        answer_format = number_format if title in ANSWER_COLUMNS else None
        put(ws, row, COLUMN[title], align=align, protection=UNLOCKED, number_format=answer_format)


def _meta_sheet(ws: Worksheet, rules: RuleSet) -> None:
    pairs = [
        (c.META_FORMAT, c.TEMPLATE_FORMAT),
        (c.META_RULE_SET_ID, rules.id),
        (c.META_RULE_SET_VERSION, rules.version),
        (c.META_FINGERPRINT, rules.fingerprint),
        *((f"{META_FIELD_PREFIX}{f.id}", f.label) for f in rules.profile),
    ]
    for row, (key, value) in enumerate(pairs, start=1):
        write_text(ws.cell(row=row, column=1), key)
        write_text(ws.cell(row=row, column=2), value)
    ws.sheet_state = "veryHidden"


def _page(ws: Worksheet, *, landscape: bool, title_rows: int | None) -> None:
    """A4, fit to one page wide, header row repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = MARGIN_END
    ws.page_margins.bottom = MARGIN_BOTTOM
    ws.page_margins.footer = MARGIN_FOOTER
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows}:{title_rows}"


def _footer(ws: Worksheet, branch: str | None) -> None:
    """The branch's name (when pre-filled) left, ``第 X 页 / 共 Y 页`` right, at the body's 10 pt."""
    named = branch is not None and bool(branch.strip())
    # Set back to unset without a branch: the common workbook of engine.template.many is reused.
    ws.oddFooter.left.text = _footer_text(branch.strip()) if branch is not None and named else None
    ws.oddFooter.left.size = FOOTER_SIZE if named else None
    ws.oddFooter.right.text = PAGE_NUMBERS
    ws.oddFooter.right.size = FOOTER_SIZE


def _footer_text(text: str, limit: int = 60) -> str:
    """User text for a footer: cut short, cell-safe, ``&`` (a footer code) doubled."""
    return cell_text(text[:limit]).replace("&", "&&")


def _protect(ws: Worksheet) -> None:
    """Protect without a password: only unlocked cells take input; rows and columns can be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
