"""Read the 支部信息 sheet: one row per profile field, found by its label."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine.applicability import profile_env, reference_date
from engine.conditions import describe, evaluate
from engine.contract import HEADER_SCAN_ROWS, PROFILE_HEADERS, SHEET_PROFILE
from engine.diagnostics import Diagnostic, make
from engine.intake.cells import CellValue, Grid, at, display
from engine.intake.normalise import EXPECTED, MAX_TITLE_CHARS, TOO_LONG, fold_title, match_title, profile_value
from engine.rules.model import ProfileField, RuleSet, leaves
from engine.submission import Value
from engine.textsafe import printable, reveal

LABEL_TITLE, VALUE_TITLE = PROFILE_HEADERS[0], PROFILE_HEADERS[1]
COMPONENT_MAX = 100
COMPONENT = "0～100 之间的分数（最多 2 位小数）"


@dataclass
class ProfileRead:
    """The parsed profile (every field id, ``None`` when blank or invalid) and its positions."""

    values: dict[str, Value]
    reference: date | None
    rows: dict[str, int] = field(default_factory=dict)  # field id → 1-based row
    value_column: int = 2  # 1-based
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _columns(table: Grid) -> tuple[int, int, int, dict[str, tuple[int, str]]]:
    """(header row index or -1, label column, value column), 0-based; A and B by default; and the
    header titles written differently from the template's (title → (column, text found))."""
    for r, row in enumerate(table[:HEADER_SCAN_ROWS]):
        titles = [v for v in row if isinstance(v, str)]
        label, value = match_title(LABEL_TITLE, titles), match_title(VALUE_TITLE, titles)
        if label is not None and value is not None:
            variants = {t: (row.index(f), f) for t, f in ((LABEL_TITLE, label), (VALUE_TITLE, value)) if f != t}
            return r, row.index(label), row.index(value), variants
    return -1, 0, 1, {}


def _label_rows(table: Grid, header: int, label_column: int) -> dict[str, int]:
    rows: dict[str, int] = {}
    for r in range(header + 1, len(table)):
        label = at(table, r, label_column)
        if isinstance(label, str):
            rows.setdefault(label, r)
    return rows


class _Labels:
    """The 支部信息 rows by label: as written, else differing only in how it is written (match_title)."""

    def __init__(self, rows: dict[str, int]) -> None:
        self.rows = rows
        self._folded: dict[str, str] | None = None

    def find(self, label: str) -> tuple[int | None, str | None]:
        """The row of ``label``, and the label as found when it is written differently (else None)."""
        if label in self.rows:
            return self.rows[label], None
        if self._folded is None:  # built once, and only when a label is not found as written
            self._folded = {}
            for text in self.rows:
                if len(text) <= MAX_TITLE_CHARS:
                    self._folded.setdefault(fold_title(text), text)
        found = self._folded.get(fold_title(label))
        return (self.rows[found], found) if found is not None else (None, None)


def read_profile(table: Grid, rules: RuleSet) -> ProfileRead:
    """Parse every profile field, then check required fields, the reference date and profile checks."""
    header, label_column, value_column, titles = _columns(table)
    labels = _Labels(_label_rows(table, header, label_column))
    values: dict[str, Value] = {}
    raws: dict[str, CellValue] = {}
    read = ProfileRead(values={}, reference=None, value_column=value_column + 1)
    for title, (column, text) in titles.items():
        read.diagnostics.append(_variant(header, column, "表头", text, title))
    for f in rules.profile:
        r, written = labels.find(f.label)
        if r is not None and written is not None:
            read.diagnostics.append(_variant(r, label_column, "项目", written, f.label))
        raw = at(table, r, value_column) if r is not None else None
        raws[f.id] = raw
        if r is not None:
            read.rows[f.id] = r + 1
        result = profile_value(f, raw)
        values[f.id] = result.value if result.ok else None
        if result.error == TOO_LONG:
            read.diagnostics.append(_at(read, TOO_LONG, f, raw, title=f"“{f.label}”", found=display(raw)))
        elif not result.ok:
            read.diagnostics.append(
                _at(read, "profile-invalid", f, raw, label=f.label, found=display(raw), expected=EXPECTED[f.type])
            )
    read.values = values
    read.reference = reference_date(rules, values)
    read.diagnostics.extend(_future_dates(read, rules, raws))
    read.diagnostics.extend(_missing(read, rules, raws))
    read.diagnostics.extend(_component_ranges(read, rules, raws))
    read.diagnostics.extend(_checks(read, rules))
    return read


def _variant(row: int, column: int, what: str, found: str, expected: str) -> Diagnostic:
    """name-variant at the 0-based ``row`` and ``column`` of 支部信息."""
    return make(
        "name-variant",
        sheet=SHEET_PROFILE,
        row=row + 1,
        column=column + 1,
        value=found,
        what=what,
        found=reveal(found),
        expected=expected,
    )


def _at(read: ProfileRead, code: str, f: ProfileField, raw: CellValue, **params: Any) -> Diagnostic:
    row = read.rows.get(f.id)
    return make(
        code,
        sheet=SHEET_PROFILE,
        row=row,
        column=read.value_column if row is not None else None,
        value=display(raw) if raw is not None else None,
        **params,
    )


def _future_dates(read: ProfileRead, rules: RuleSet, raws: dict[str, CellValue]) -> list[Diagnostic]:
    """A date in 支部信息 (an election, a founding) cannot lie after the reference date."""
    ref = read.reference
    found: list[Diagnostic] = []
    for f in rules.profile:
        value = read.values.get(f.id)
        if ref is None or f.type != "date" or f.role == "reference_date" or not isinstance(value, date):
            continue
        if value > ref:
            why = f"晚于评估基准日 {ref.isoformat()}，请核对"
            found.append(_at(read, "date-out-of-range", f, raws[f.id], title=f.label, found=value.isoformat(), why=why))
    return found


def _component_ranges(read: ProfileRead, rules: RuleSet, raws: dict[str, CellValue]) -> list[Diagnostic]:
    """A field that is a component of the total (such as 群众评议得分) is a score from 0 to 100."""
    found: list[Diagnostic] = []
    for component in rules.total.components:
        value = read.values.get(component.field) if component.field else None
        if isinstance(value, (int, Decimal)) and value > COMPONENT_MAX:
            f = rules.field(str(component.field))
            read.values[f.id] = None  # never scored with it
            found.append(
                _at(
                    read, "profile-invalid", f, raws[f.id], label=f.label, found=display(raws[f.id]), expected=COMPONENT
                ),
            )
    return found


def _missing(read: ProfileRead, rules: RuleSet, raws: dict[str, CellValue]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    env = profile_env(rules, read.values, read.reference)
    for f in rules.profile:
        if raws[f.id] is not None:
            continue
        if f.required:
            why = "此项为必填项" if f.id in read.rows else "此项为必填项，但表中找不到这一行"
        elif f.required_if is not None and evaluate(f.required_if, env) is True:
            why = f"{describe(f.required_if, rules)}时，此项必填"
        else:
            continue
        found.append(_at(read, "profile-missing", f, None, label=f.label, why=why))
    ref_field = rules.field_with_role("reference_date")
    year_field = rules.field_with_role("assessment_year")
    present = [f for f in (ref_field, year_field) if f is not None]
    if all(raws[f.id] is None for f in present):
        where = next((f for f in present if f.id in read.rows), present[0] if present else None)
        found.append(
            make(
                "no-reference-date",
                sheet=SHEET_PROFILE,
                row=read.rows.get(where.id) if where else None,
                column=read.value_column if where and where.id in read.rows else None,
                reference=ref_field.label if ref_field else "评估基准日",
                year=year_field.label if year_field else "评估年度",
            )
        )
    return found


def _checks(read: ProfileRead, rules: RuleSet) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    env = profile_env(rules, read.values, read.reference)
    for check in rules.profile_checks:
        if evaluate(check.condition, env) is not False:
            continue
        fields = list(dict.fromkeys(f for leaf in leaves(check.condition) for f in leaf.fields_read()))
        first = next((f for f in fields if f in read.rows), None)
        shown = "，".join(f"{rules.field(f).label} {_shown(read.values.get(f))}" for f in fields)
        row = read.rows.get(first) if first else None
        found.append(
            make(
                "profile-check",
                sheet=SHEET_PROFILE,
                row=row,
                column=read.value_column if row is not None else None,
                value=read.values.get(first) if first else None,
                severity=check.severity,
                message=f"{check.message}（所填：{shown}）",
            )
        )
    return found


def _shown(value: Value) -> str:
    if value is None:
        return "未填"
    return value.isoformat() if isinstance(value, date) else printable(str(value))
