"""Which roster row each submission is: by 支部编码 when both have one, else by 上级党组织 +
支部名称 normalised (a 曾用名 counts as a name). Rejected submissions are matched by what their
支部信息 says, so a row whose only submission was rejected is submitted-but-rejected, not missing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.history.identity import CODE_ROLE, branch_key, normalise_name
from engine.roster.hints import Names, hint_text
from engine.roster.model import Roster, RosterRow
from engine.rules.model import RuleSet
from engine.scoring.model import Result

BY_CODE, BY_NAME, BY_FORMER = "支部编码", "支部名称", "曾用名"
SCORED_ROW, REJECTED_ROW, MISSING_ROW = "scored", "rejected", "missing"


@dataclass(frozen=True)
class OffRoster:
    """A submission on no roster row, with the closest roster names as a hint."""

    source: str
    parent: str
    name: str
    code: str | None
    scored: bool
    hint: str


@dataclass
class Matching:
    roster: Roster
    row_of: dict[str, RosterRow] = field(default_factory=dict)  # source → its row
    how: dict[str, str] = field(default_factory=dict)  # source → BY_CODE / BY_NAME / BY_FORMER
    off_roster: list[OffRoster] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)  # sources with neither name nor code (unreadable files)
    states: dict[int, str] = field(default_factory=dict)  # roster row number → SCORED_ROW / REJECTED_ROW / MISSING_ROW

    def state(self, row: RosterRow) -> str:
        return self.states.get(row.row, MISSING_ROW)

    @property
    def missing(self) -> list[RosterRow]:
        return [r for r in self.roster.rows if self.state(r) == MISSING_ROW]

    def history_keys(self) -> dict[str, tuple[str, ...]]:
        """source → the identities to record and compare a matched submission under (current first)."""
        return {source: row.history_keys for source, row in self.row_of.items()}


def submission_identity(rules: RuleSet, result: Result) -> tuple[str | None, str | None, str | None]:
    """(支部编码, 上级党组织, 支部名称) of a scored or rejected result, as written."""
    field_ = rules.field_with_role(CODE_ROLE)
    code = result.profile.get(field_.id) if field_ is not None else None
    text = str(code) if code is not None and str(code).strip() else None
    return text, result.parent_org, result.branch_name


def match_roster(roster: Roster, rules: RuleSet, results: Sequence[Result]) -> Matching:
    """Match every result (in input order) to a roster row."""
    by_code = {r.code_key: r for r in roster.rows if r.code_key is not None}
    by_name: dict[str, tuple[RosterRow, str]] = {}
    for entry in roster.rows:
        for n, key in enumerate(branch_key(None, entry.parent, x) for x in (entry.name, *entry.former)):
            if key is not None:
                by_name.setdefault(key, (entry, BY_NAME if n == 0 else BY_FORMER))
    found = Matching(roster)
    hints = _Hints(roster)
    for result in results:
        code, parent, name = submission_identity(rules, result)
        code_key = branch_key(code, None, None) if code else None
        row: RosterRow | None = by_code.get(code_key) if code_key is not None else None
        how = BY_CODE
        if row is None and name:
            named = by_name.get(branch_key(None, parent, name) or "")
            row, how = named if named is not None else (None, "")
            if row is not None and code_key is not None and row.code_key not in (None, code_key):
                row = None  # both have a code and the codes differ: another branch of that name
        if row is not None:
            found.row_of[result.source], found.how[result.source] = row, how
            state = SCORED_ROW if result.scored else REJECTED_ROW
            if found.states.get(row.row) != SCORED_ROW:
                found.states[row.row] = state
        elif name or code:
            hint = hints.hint(parent or "", name or "")
            found.off_roster.append(OffRoster(result.source, parent or "", name or "", code, result.scored, hint))
        else:
            found.unnamed.append(result.source)
    return found


class _Hints:
    """Closest names under the same 上级党组织 (the name alone), else across the roster (with the
    上级党组织); each roster name folded and counted once."""

    def __init__(self, roster: Roster) -> None:
        by_parent: dict[str, list[str]] = {}
        for r in roster.rows:
            by_parent.setdefault(normalise_name(r.parent), []).append(r.name)
        self.by_parent = {parent: Names(names) for parent, names in by_parent.items()}
        self.everywhere = Names([f"{r.parent}／{r.name}" for r in roster.rows])

    def hint(self, parent: str, name: str) -> str:
        same = self.by_parent.get(normalise_name(parent))
        near = same.closest(name) if same is not None else []
        return hint_text(near or self.everywhere.closest(f"{parent}／{name}"))


def same_file(a: str, b: str) -> bool:
    """Whether two paths name one file (the roster among the inputs)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def roster_notes(matching: Matching | None) -> list[str]:
    """One line for the person who ran ``score``: how the submissions met the roster."""
    if matching is None:
        return []
    rows = matching.roster.rows
    missing = len(matching.missing)
    rejected = sum(1 for r in rows if matching.state(r) == REJECTED_ROW)
    text = (
        f"名册：{len(rows)} 个支部，已提交 {len(rows) - missing} 个（其中 {rejected} 个的文件都未通过），"
        f"未提交 {missing} 个；不在名册中的提交 {len(matching.off_roster)} 份（见汇总表“未提交”“名册外”）。"
    )
    per_row: dict[int, int] = {}
    for row in matching.row_of.values():
        per_row[row.row] = per_row.get(row.row, 0) + 1
    several = sum(1 for n in per_row.values() if n > 1)
    if several:
        text += f"注意：名册中 {several} 个支部各对上了不止一份提交（如按新旧名称各交了一份），请确认以哪一份为准。"
    return [text]
