"""The roster (名册) as read: one frozen row per branch expected to submit.

Identity is :mod:`engine.history.identity`'s (one place for it): a row answers to its
支部编码 when it has one, to 上级党组织 + 支部名称 normalised, and to 上级党组织 + each 曾用名.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic
from engine.history.identity import branch_key, normalise_name


@dataclass(frozen=True)
class RosterRow:
    row: int  # 1-based row in the sheet
    parent: str
    name: str
    code: str | None = None
    group: str | None = None
    contact: str | None = None
    phone: str | None = None
    former: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The identity recorded in the history store: the code, else 上级党组织 + 支部名称."""
        found = branch_key(self.code, self.parent, self.name)
        assert found is not None  # every row has a name
        return found

    @property
    def name_keys(self) -> tuple[str, ...]:
        """The keys a submission without a code may match: the name, then each former name."""
        keys = [branch_key(None, self.parent, n) for n in (self.name, *self.former)]
        return tuple(dict.fromkeys(k for k in keys if k is not None))

    @property
    def code_key(self) -> str | None:
        return branch_key(self.code, None, None) if self.code and normalise_name(self.code) else None

    @property
    def history_keys(self) -> tuple[str, ...]:
        """Every identity earlier rounds may have recorded this branch under, the current one first."""
        return tuple(dict.fromkeys((self.key, *self.name_keys)))


@dataclass(frozen=True)
class Roster:
    source: str
    rows: tuple[RosterRow, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def has_groups(self) -> bool:
        return any(r.group for r in self.rows)
