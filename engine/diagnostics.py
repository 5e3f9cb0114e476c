"""Diagnostics: problems found in a submission, collected (never raised).

Each has a kind from the catalogue (:mod:`engine.catalogue`: code, severity, title,
message template, description, fix). An instance carries its
position as fields (sheet, row, column, cell such as ``自评表!G15``) and the
offending value. The README's list of codes is generated from ``CATALOGUE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from engine.catalogue import CATALOGUE, ERROR, SEVERITY_WORDS, WARNING, Kind
from engine.textsafe import printable

__all__ = ["CATALOGUE", "ERROR", "SEVERITY_WORDS", "WARNING", "Diagnostic", "Kind", "make"]

# Template fields that carry text from the submission (a cell's content, a file or branch name):
# the message shows them shortened and with control characters visible; ``value`` keeps the whole.
USER_TEXT_FIELDS = frozenset({"found", "name", "parent", "other", "kept"})


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None

    @property
    def cell(self) -> str | None:
        if self.sheet is None:
            return None
        if self.row is None:
            return self.sheet
        return f"{self.sheet}!{self.column or ''}{self.row}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": _json_value(self.value),
            "message": self.message,
        }


def _shown(field: str, value: Any) -> Any:
    return printable(value, keep_newlines=True) if field in USER_TEXT_FIELDS and isinstance(value, str) else value


def make(
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: int | str | None = None,
    value: Any = None,
    severity: str | None = None,
    **params: Any,
) -> Diagnostic:
    """A diagnostic of kind ``code``; ``params`` fill the kind's Chinese template (those in
    USER_TEXT_FIELDS shortened and made printable, see :func:`engine.textsafe.printable`)."""
    kind = CATALOGUE[code]
    letter = column_letter(column) if isinstance(column, int) else column
    shown = {k: _shown(k, v) for k, v in params.items()}
    return Diagnostic(
        code=code,
        severity=severity or kind.severity,
        message=kind.template.format(**shown),
        sheet=sheet,
        row=row,
        column=letter,
        value=value,
    )
