"""Write a rule set as an editable workbook (``branchcheck rules export --format xlsx``).

One sheet per entry of :data:`engine.rulebook.layout.SHEETS`; :data:`SHEET_ROWS` gives each
sheet's rows as dicts keyed by the columns' keys (values as the model holds them). Text goes
through :class:`engine.book.Book` (``cell_text``, never a formula); choice and 是/否 columns get
dropdowns; headers are frozen; a very hidden ``_meta`` sheet names the format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from engine import answers
from engine.book import Book, CellValue
from engine.book import Sheet as BookSheet
from engine.cells import display_width
from engine.rulebook import guide, layout, syntax, variantsheets
from engine.rulebook.cells import write_value
from engine.rulebook.layout import META_SHEET, RULEBOOK_FORMAT, Column, Sheet
from engine.rules.loader import ROOT_FILE
from engine.rules.model import NO, YES, AllOf, AnyOf, Item, Leaf, LevelOption, Not, RuleSet
from engine.rules.rating import CHECKLIST, LOWEST
from engine.rules.yamlsource import YamlSyntaxError, parse

Row = dict[str, Any]
FONT: dict[str, Any] = {"font_name": "宋体", "font_size": 10}
BORDER: dict[str, Any] = {"border": 1, "border_color": "#808080"}
STYLES: dict[str, dict[str, Any]] = {
    "rb-header": {**FONT, **BORDER, "bold": True, "pattern": 1, "bg_color": "#D9E1F2", "align": "center",
                  "valign": "vcenter", "text_wrap": True},
    "rb-text": {**FONT, **BORDER, "valign": "top", "text_wrap": True},
    "rb-label": {**FONT, **BORDER, "bold": True, "valign": "top", "pattern": 1, "bg_color": "#F2F2F2"},
    "rb-title": {**FONT, "font_size": 14, "bold": True},
    "rb-heading": {**FONT, "font_size": 11, "bold": True},
    "rb-plain": {**FONT, "valign": "top", "text_wrap": True},
}  # fmt: skip
MIN_WIDTH = 6.0
VALIDATED_ROWS = 2000  # dropdowns reach this far down, so rows added by hand get them too


@dataclass(frozen=True)
class Context:
    """What the rows are made from: the rule set, and what its files hold beyond the model."""

    rules: RuleSet
    fields: syntax.Fields
    scales: Mapping[str, tuple[LevelOption, ...]]
    area_files: tuple[str, ...]
    skeleton: bool = False


def context(rules: RuleSet, skeleton: bool = False) -> Context:
    """The export's context; scales and area file names are read from the set's ruleset.yaml."""
    raw: dict[str, Any] = {}
    if rules.path is not None:
        try:
            doc = parse(rules.path / ROOT_FILE)
            raw = doc.data if isinstance(doc.data, dict) else {}
        except (OSError, YamlSyntaxError):  # pragma: no cover - it loaded a moment ago
            raw = {}
    scales = {
        str(name): tuple(LevelOption(o["label"], Decimal(str(o["credit"]))) for o in options)
        for name, options in (raw.get("scales") or {}).items()
    }
    files = tuple(raw.get("areas") or ())
    if len(files) != len(rules.areas):
        files = tuple(f"area-{a.id}.yaml" for a in rules.areas)
    fields = syntax.Fields((f.id, f.label) for f in rules.profile)
    return Context(rules, fields, scales, files, skeleton)


def _ruleset(ctx: Context) -> list[Row]:
    r = ctx.rules
    row: Row = {
        "id": r.id, "title": r.title, "version": r.version, "source.handbook": r.source.handbook,
        "source.note": r.source.note, "source.regulations": list(r.source.regulations), "bands_note": r.bands_note,
    }  # fmt: skip
    if not r.total.plain:
        row.update({"total.min": r.total.min, "total.max": r.total.max})
    return [row]


def _profile(ctx: Context) -> list[Row]:
    return [
        {"id": f.id, "label": f.label, "type": f.type, "required": f.required, "required_if": f.required_if,
         "role": f.role, "hint": f.hint}
        for f in ctx.rules.profile
    ]  # fmt: skip


def _areas(ctx: Context) -> list[Row]:
    return [
        {"area_id": a.id, "area_name": a.name, "id": s.id, "name": s.name, "file": file,
         "kind": None if a.kind == CHECKLIST else a.kind, "cap": a.cap}
        for a, file in zip(ctx.rules.areas, ctx.area_files, strict=True)
        for s in a.standards
    ]  # fmt: skip


def item_row(ctx: Context, item: Item) -> Row:
    """A check point's cells by column key (the options as a scale's name when one has them)."""
    row: Row = {"id": item.id, "text": item.text, "type": item.type}
    row["points"] = item.points if answers.answer_type(item.type).scored else None
    for key, value in item.params:
        row[key] = value
    if item.options:
        named = next((n for n, opts in ctx.scales.items() if opts == item.options), None)
        row["options"] = named if named is not None else item.options
    if item.derived_from is not None:
        row["derived_from"] = item.derived_from
    row.update(
        na_allowed=True if item.na_allowed else None, applies_if=item.applies_if, basis=item.basis,
        basis_kind=item.basis_kind, evidence=item.evidence, advice=item.advice, hint=item.hint,
    )  # fmt: skip
    return row


def _items(ctx: Context) -> list[Row]:
    return [] if ctx.skeleton else [item_row(ctx, item) for item in ctx.rules.items]


def _scales(ctx: Context) -> list[Row]:
    return [{"name": name, "options": options} for name, options in ctx.scales.items()]


def _vetoes(ctx: Context) -> list[Row]:
    return [
        {"id": v.id, "text": v.text, "kind": v.kind, "condition": v.condition,
         "effect": None if v.effect == LOWEST else v.effect, "cap": v.cap}
        for v in ctx.rules.vetoes
    ]  # fmt: skip


def _bands(ctx: Context) -> list[Row]:
    return [
        {"name": b.name, "min": b.min, "label": b.label, "max_share": b.max_share, "quota_per": b.quota_per}
        for b in ctx.rules.bands
    ]


def _checks(ctx: Context) -> list[Row]:
    return [
        {"id": c.id, "condition": c.condition, "message": c.message, "severity": c.severity}
        for c in ctx.rules.profile_checks
    ]


def _total(ctx: Context) -> list[Row]:
    total = ctx.rules.total
    if total.plain:
        return []
    return [{"source": c.source, "field": c.field, "weight": c.weight} for c in total.components]


# Each sheet's rows. A new sheet in layout.SHEETS needs its function here.
SHEET_ROWS: dict[str, Callable[[Context], list[Row]]] = {
    layout.RULESET.name: _ruleset,
    layout.PROFILE.name: _profile,
    layout.AREAS.name: _areas,
    layout.ITEMS.name: _items,
    layout.SCALES.name: _scales,
    layout.VETOES.name: _vetoes,
    layout.BANDS.name: _bands,
    layout.CHECKS.name: _checks,
    layout.TOTAL.name: _total,
    layout.VARIANTS.name: lambda ctx: variantsheets.option_rows(ctx.rules.variants, ctx.skeleton),
    layout.CHANGES.name: lambda ctx: variantsheets.change_rows(
        ctx.rules.variants, ctx.skeleton, partial(item_row, ctx)
    ),
}


def cell(ctx: Context, column: Column, value: object) -> CellValue:
    if value is None:
        return None
    if column.kind == "condition":
        assert isinstance(value, (AllOf, AnyOf, Leaf, Not))
        return syntax.write(value, ctx.fields)
    if column.kind == "field":
        return ctx.fields.ids.get(str(value), str(value))
    return write_value(column, value)


def _dropdown(sheet: BookSheet, column: Column, col: int, first: int, last: int) -> None:
    words = [YES, NO] if column.kind == "flag" else [w for _, w in column.vocabulary]
    sheet.ws.data_validation(first - 1, col - 1, last - 1, col - 1, {
        "validate": "list", "source": words, "ignore_blank": True,
        "error_title": column.title, "error_message": "请从下拉列表中选择：" + "、".join(words),
    })  # fmt: skip


def _width(column: Column, values: list[CellValue]) -> float:
    """The column's width: enough for its longest line (its title may wrap), at most ``column.width``."""
    texts = [v if isinstance(v, str) else str(v) for v in values if v is not None]
    longest = max((display_width(line) for t in texts for line in t.split("\n")), default=0.0)
    title = max(display_width(part) for part in column.title.split("（"))
    return round(max(MIN_WIDTH, title + 1, min(longest + 1, column.width)), 1)


def _table(book: Book, ctx: Context, spec: Sheet, rows: list[Row]) -> None:
    table = [[cell(ctx, c, row.get(c.key)) for c in spec.columns] for row in rows]
    widths = [_width(c, [r[n] for r in table]) for n, c in enumerate(spec.columns)]
    sheet = book.sheet(spec.name, widths)
    sheet.fit(1, zip((c.title for c in spec.columns), widths, strict=True))
    for n, column in enumerate(spec.columns, start=1):
        sheet.text(1, n, column.title, "rb-header")
    for r, values in enumerate(table, start=2):
        sheet.fit(r, ((v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)))
        for n, value in enumerate(values, start=1):
            sheet.put(r, n, value, "rb-text")
    for n, column in enumerate(spec.columns, start=1):
        if column.kind in ("choice", "flag"):
            _dropdown(sheet, column, n, 2, max(VALIDATED_ROWS, len(rows) + 1))
    sheet.freeze("C2" if len(spec.columns) > 4 else "A2")


def _record(book: Book, ctx: Context, spec: Sheet, row: Row) -> None:
    widths = (14, 80, 50)
    sheet = book.sheet(spec.name, widths)
    for n, title in enumerate(("项目", "内容", "说明"), start=1):
        sheet.text(1, n, title, "rb-header")
    r = 2
    for column in spec.columns:
        value = row.get(column.key)
        for one in value if column.repeated and value is not None else [value]:
            text = cell(ctx, column, one)
            sheet.fit(r, ((text if isinstance(text, str) else None, widths[1]), (column.about, widths[2])))
            sheet.text(r, 1, column.title, "rb-label")
            sheet.put(r, 2, text, "rb-text")
            sheet.text(r, 3, column.about, "rb-plain")
            r += 1
    sheet.freeze("A2")


def _meta(book: Book, rules: RuleSet) -> None:
    sheet = book.sheet(META_SHEET, (20, 80))
    pairs = (("format", RULEBOOK_FORMAT), ("rule_set_id", rules.id), ("rule_set_version", rules.version),
             ("fingerprint", rules.fingerprint))  # fmt: skip
    for r, (key, value) in enumerate(pairs, start=1):
        sheet.text(r, 1, key, "rb-plain")
        sheet.text(r, 2, value, "rb-plain")
    sheet.ws.very_hidden()


def export_rulebook(rules: RuleSet, path: Path, *, skeleton: bool = False) -> Path:
    """Write ``rules`` (with ``skeleton``: without its check points) as a rule workbook at ``path``."""
    ctx = context(rules, skeleton)
    book = Book(STYLES, {})
    guide.write(book, rules, skeleton)
    for spec in layout.SHEETS:
        rows = SHEET_ROWS[spec.name](ctx)
        if spec.record:
            _record(book, ctx, spec, rows[0])
        else:
            _table(book, ctx, spec, rows)
    _meta(book, rules)
    return book.save(path)
