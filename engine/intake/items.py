"""Read the 自评表 sheet: columns found by header title, rows by 编号."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from engine import answers
from engine.applicability import applies, derived_answer, not_applicable_reason
from engine.contract import (
    COL_CHECK,
    COL_CHECK_NOTE,
    COL_EVIDENCE,
    COL_ID,
    COL_NOTE,
    COL_SELF,
    HEADER_SCAN_ROWS,
    SHEET_ITEMS,
)
from engine.diagnostics import Diagnostic, make
from engine.intake import normalise
from engine.intake.cells import CellValue, Grid, display, text
from engine.intake.normalise import Reading, match_title
from engine.intake.remembered import remembered
from engine.keep import small, value_key
from engine.rules.model import NO, YES, Item, RuleSet, format_number
from engine.rules.rating import PENALTY
from engine.rules.tailor import added_items
from engine.submission import ItemEntry, Value
from engine.textsafe import quoted_list, reveal

ANSWER_COLUMNS = (COL_SELF, COL_CHECK)
ITEM_ROW_COLUMNS = (COL_SELF, COL_CHECK, COL_EVIDENCE, COL_NOTE, COL_CHECK_NOTE)  # every cell a check point's row reads


@dataclass
class ItemsRead:
    items: dict[str, ItemEntry] = field(default_factory=dict)
    vetoes: dict[str, ItemEntry] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


# The titles the reader looks for; a header cell that differs from one only in how it is
# written (normalise.match_title) stands for it, with a name-variant warning.
READ_TITLES = (COL_ID, COL_SELF, COL_EVIDENCE, COL_NOTE, COL_CHECK, COL_CHECK_NOTE)


@dataclass
class Header:
    row: int  # 0-based
    columns: dict[str, int]  # title → 0-based column: every title in the row, and READ_TITLES found
    variants: dict[str, str] = field(default_factory=dict)  # READ_TITLES title → the cell text found


def _titles(row: list[CellValue]) -> list[str]:
    return [v for v in row if isinstance(v, str)]


def find_header(table: Grid) -> Header | None:
    """The header row: the first row among the top ``HEADER_SCAN_ROWS`` holding both 编号 and
    自评结果 (as written, or differing only in how they are written: see match_title)."""
    for r, row in enumerate(table[:HEADER_SCAN_ROWS]):
        titles = _titles(row)
        if match_title(COL_ID, titles) is None or match_title(COL_SELF, titles) is None:
            continue
        header = Header(r, {})
        for c, title in enumerate(row):
            if isinstance(title, str):
                header.columns.setdefault(title, c)
        for wanted in READ_TITLES:
            found = match_title(wanted, titles)
            if found is not None and found != wanted:
                header.columns[wanted] = header.columns[found]
                header.variants[wanted] = found
        return header
    return None


def header_candidates(table: Grid) -> str:
    """What the top rows hold instead of the header, for header-missing: the titles of the row
    among the top ``HEADER_SCAN_ROWS`` with the most text cells."""
    rows = [(len(_titles(row)), -r, r) for r, row in enumerate(table[:HEADER_SCAN_ROWS])]
    count, _, r = max(rows, default=(0, 0, 0))
    if count == 0:
        return f"前 {HEADER_SCAN_ROWS} 行中没有文字"
    return f"第 {r + 1} 行为：{quoted_list(_titles(table[r]))}"


def id_like(key: str) -> bool:
    """Does ``key`` look like a check point id (``1.2.3``: digits joined by single dots) or a veto
    id (``V1``)? Reported as unknown-id when not in the rules. A scan, not a pattern: 编号 may be
    a megabyte long."""
    if key.startswith("V"):
        return key[1:].isdecimal()
    parts = key.split(".")
    return len(parts) > 1 and all(p.isdecimal() for p in parts)


@lru_cache(maxsize=4096, typed=True)
def item_id(value: CellValue) -> str:
    """An 编号 as text: full-width folded, spaces removed, ``v1`` → ``V1``."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", display(value))).upper()


class _Reader:
    def __init__(
        self, table: Grid, columns: dict[str, int], rules: RuleSet, profile: Mapping[str, Value], reference: date | None
    ) -> None:
        self.table, self.columns, self.rules = table, columns, rules
        self.profile, self.reference = profile, reference
        self.read = ItemsRead()
        self.seen: dict[str, int] = {}  # id → 1-based row
        self.blank_row = True  # set by answers()
        self.questions = {v.id for v in rules.question_vetoes}
        self.vetoes = {v.id for v in rules.vetoes}
        # Rows the template has for check points that other branch types' overlays add.
        self.elsewhere = {i.id: i for i in added_items(rules) if not rules.has_item(i.id)}
        self.read_columns = tuple(columns.get(t) for t in ITEM_ROW_COLUMNS)  # what item_row reads
        self.kept = remembered(rules)

    def cell(self, row: int, title: str) -> CellValue:
        column = self.columns.get(title)  # what at() does, inline: six cells of every row come through here
        if column is None or not 0 <= row < len(self.table):
            return None
        values = self.table[row]
        return values[column] if 0 <= column < len(values) else None

    def note(self, row: int, title: str) -> str:
        return text(self.cell(row, title))

    def problem(self, result: Reading, row: int, title: str, raw: CellValue, subject: str, allowed: str) -> None:
        code = result.error
        assert code is not None
        found = display(raw)
        if code == "na-not-allowed":
            params: dict[str, Any] = {"item": subject, "allowed": allowed}
        elif code == "invalid-answer":
            params = {"found": found, "allowed": allowed}
        elif code == "date-out-of-range":
            assert isinstance(result.value, date)
            params = {"found": result.value.isoformat(), "why": result.why}
        else:
            params = {"found": found, "why": result.why}
        self.report(code, row, title, value=found, title=f"{subject} 的{title}", **params)

    def answers(
        self, row: int, subject: str, allowed: str | Callable[[], str], normalise_one: Callable[[CellValue], Reading]
    ) -> tuple[Value, Value]:
        """Both answers of ``row``; ``allowed`` (or what it returns: worked out only for a problem)
        goes into the messages. Sets ``self.blank_row`` (both cells blank)."""
        values: list[Value] = []
        blank = True
        for title in ANSWER_COLUMNS:
            raw = self.cell(row, title)
            if raw is None:
                values.append(None)  # what every normaliser makes of a blank cell
                continue
            blank = False
            result = normalise_one(raw)
            if not result.ok:
                self.problem(result, row, title, raw, subject, allowed if isinstance(allowed, str) else allowed())
            values.append(result.value if result.ok else None)
        self.blank_row = blank
        return values[0], values[1]

    def entry(self, key: str, row: int, self_value: Value, check_value: Value) -> ItemEntry:
        return ItemEntry(
            item_id=key,
            self_value=self_value,
            check_value=check_value,
            evidence=self.note(row, COL_EVIDENCE),
            note=self.note(row, COL_NOTE),
            check_note=self.note(row, COL_CHECK_NOTE),
            row=row + 1,
        )

    def blank(self, row: int) -> bool:
        return all(self.cell(row, t) is None for t in ANSWER_COLUMNS)

    def report(self, code: str, row: int, column_title: str, **params: Any) -> None:
        """A diagnostic at the 自评表 cell of ``row`` (0-based) under the column titled ``column_title``."""
        self.read.diagnostics.append(
            make(code, sheet=SHEET_ITEMS, row=row + 1, column=self.columns[column_title] + 1, **params)
        )

    def unanswered(self, code: str, row: int, **params: Any) -> None:
        self.report(code, row, COL_SELF, **params)

    def item_row(self, item: Item, row: int) -> None:
        """A check point's row: as read before for the same inputs (engine.intake.remembered), else read."""
        applicable = item.id not in self.kept.conditional or applies(item, self.rules, self.profile, self.reference)
        values = self.table[row]
        width = len(values)
        cells = [value_key(values[c]) if c is not None and 0 <= c < width else None for c in self.read_columns]
        key = (item.id, row, self.read_columns, applicable, self.reference, *cells)
        outcome = self.kept.rows.get(key)
        if outcome is None:
            before = len(self.read.diagnostics)
            self.read_item_row(item, row, applicable)
            outcome = (self.read.items[item.id], tuple(self.read.diagnostics[before:]))
            if small(key):
                self.kept.rows[key] = outcome
        else:
            self.read.items[item.id] = outcome[0]
            self.read.diagnostics.extend(outcome[1])

    def read_item_row(self, item: Item, row: int, applicable: bool) -> None:
        if not applicable:
            for title in ANSWER_COLUMNS:
                raw = self.cell(row, title)
                if raw is not None and not normalise.is_na(raw):
                    self.report(
                        "answer-not-applicable",
                        row,
                        title,
                        value=display(raw),
                        item=item.id,
                        why=not_applicable_reason(item, self.rules),
                        found=display(raw),
                    )
            self.read.items[item.id] = self.entry(item.id, row, None, None)
            return
        ref = self.reference
        own, check = self.answers(
            row, f"检查要点 {item.id}", lambda: normalise.allowed(item), lambda raw: normalise.answer(item, raw, ref)
        )
        if self.blank_row and answers.answer_type(item.type).expects_answer(item):
            if self.rules.area_kind(item.area_id) == PENALTY:  # counted as incurred (engine.scoring.evaluate)
                self.unanswered("penalty-unanswered", row, item=item.id, points=format_number(item.points))
            else:
                self.unanswered("item-unanswered", row, item=item.id)
        self.read.items[item.id] = self.entry(item.id, row, own, check)

    def other_type_row(self, item: Item, row: int) -> None:
        """A check point only another branch type has: an answer is ignored, with a warning."""
        assert item.tailoring is not None
        for title in ANSWER_COLUMNS:
            raw = self.cell(row, title)
            if raw is not None and not normalise.is_na(raw):
                why = f"仅适用于{item.tailoring.variant}"
                self.report(
                    "answer-not-applicable", row, title, value=display(raw), item=item.id, why=why, found=display(raw)
                )

    def veto_row(self, veto_id: str, row: int) -> None:
        own, check = self.answers(row, f"否决项 {veto_id}", f"{YES}、{NO}", _veto_answer)
        if self.blank_row:
            self.unanswered("veto-unanswered", row, veto=veto_id)
        self.read.vetoes[veto_id] = self.entry(veto_id, row, own, check)

    def rows(self, start: int) -> None:
        """Every row from ``start``: :meth:`row`, with a check point's row seen before taken inline
        (what :meth:`item_row` does, without a call per cell: this runs for every row of every file)."""
        table, columns, reference = self.table, self.read_columns, self.reference
        id_column = self.columns.get(COL_ID)
        asked, conditional, seen = self.kept.asked, self.kept.conditional, self.seen
        kept, items, found = self.kept.rows, self.read.items, self.read.diagnostics
        for row in range(start, len(table)):
            values = table[row]
            width = len(values)
            key = item_id(values[id_column]) if id_column is not None and 0 <= id_column < width else ""
            item = asked.get(key) if key and key not in seen else None
            if item is None or (key in conditional and not applies(item, self.rules, self.profile, reference)):
                self.row(row)  # anything else, and a check point that does not apply
                continue
            cells = [
                None if not (c is not None and 0 <= c < width) or (v := values[c]) is None
                else v if v.__class__ is str else (v.__class__, str(v))
                for c in columns
            ]  # value_key of each cell, inline
            outcome = kept.get((key, row, columns, True, reference, *cells))
            if outcome is None:
                self.row(row)
                continue
            seen[key] = row + 1
            items[key] = outcome[0]
            found.extend(outcome[1])

    def row(self, row: int) -> None:
        raw = self.cell(row, COL_ID)
        key = item_id(raw)
        if not key:
            return
        if key in self.seen:
            self.report("duplicate-id", row, COL_ID, value=display(raw), item=key, other_row=self.seen[key])
            return
        asked = self.kept.asked.get(key)
        if asked is not None:
            self.seen[key] = row + 1
            self.item_row(asked, row)
        elif key in self.questions:
            self.seen[key] = row + 1
            self.veto_row(key, row)
        elif self.rules.has_item(key) or key in self.vetoes:
            return  # a derived veto or a check point read from 支部信息: answered elsewhere, not here
        elif key in self.elsewhere:
            self.seen[key] = row + 1
            self.other_type_row(self.elsewhere[key], row)
        elif id_like(key) or not self.blank(row):
            self.report("unknown-id", row, COL_ID, value=display(raw), found=display(raw))
        # else: a section row with a title in the 编号 column

    def finish(self, report_missing: bool) -> ItemsRead:
        items: dict[str, ItemEntry] = {}
        for item in self.rules.items:
            if not item.asked:
                answer = derived_answer(item, self.profile, self.reference)
                items[item.id] = ItemEntry(item_id=item.id, self_value=answer)
            elif item.id in self.read.items:
                items[item.id] = self.read.items[item.id]
            else:
                items[item.id] = ItemEntry(item_id=item.id)
                if report_missing and applies(item, self.rules, self.profile, self.reference):
                    self.read.diagnostics.append(make("item-missing", sheet=SHEET_ITEMS, item=item.id, text=item.text))
        vetoes: dict[str, ItemEntry] = {}
        for veto in self.rules.question_vetoes:
            vetoes[veto.id] = self.read.vetoes.get(veto.id) or ItemEntry(item_id=veto.id)
            if report_missing and veto.id not in self.read.vetoes:
                self.read.diagnostics.append(make("veto-unanswered", sheet=SHEET_ITEMS, veto=veto.id))
        self.read.items, self.read.vetoes = items, vetoes
        return self.read


def _veto_answer(raw: CellValue) -> Reading:
    return normalise.BLANK if raw is None else normalise.yes_no(raw)


def read_items(table: Grid | None, rules: RuleSet, profile: Mapping[str, Value], reference: date | None) -> ItemsRead:
    """Every check point and veto question of 自评表; ``table`` is ``None`` when the sheet is missing."""
    header = find_header(table) if table is not None else None
    if table is None or header is None:
        reader = _Reader([], {}, rules, profile, reference)
        read = reader.finish(report_missing=False)
        if table is not None:
            missing = make(
                "header-missing",
                sheet=SHEET_ITEMS,
                sheet_name=SHEET_ITEMS,
                first=COL_ID,
                second=COL_SELF,
                present=header_candidates(table),
            )
            read.diagnostics.insert(0, missing)
        return read
    reader = _Reader(table, header.columns, rules, profile, reference)
    for wanted, found in header.variants.items():
        reader.report(
            "name-variant", header.row, wanted, value=found, what="表头", found=reveal(found), expected=wanted
        )
    reader.rows(header.row + 1)
    return reader.finish(report_missing=True)
