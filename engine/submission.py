"""A submission: what intake read from one returned workbook.

Values are normalised: yes/no as 是/否, 不适用 as ``NA``, level labels as text,
counts and percentages as ``Decimal`` (percent in 0-100), dates as ``date``,
integers and years as ``int``; ``None`` means blank or invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from engine.diagnostics import Diagnostic

Value = str | int | Decimal | date | None


@dataclass(frozen=True)
class ItemEntry:
    """One 自评表 row: the secretary's and the inspector's answers and texts."""

    item_id: str
    self_value: Value = None
    check_value: Value = None
    evidence: str = ""
    note: str = ""
    check_note: str = ""
    row: int | None = None


@dataclass(frozen=True)
class Submission:
    source: str
    sha256: str
    profile: Mapping[str, Value] = field(default_factory=dict)
    items: Mapping[str, ItemEntry] = field(default_factory=dict)
    vetoes: Mapping[str, ItemEntry] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    @property
    def valid(self) -> bool:
        return not self.errors
