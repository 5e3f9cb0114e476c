"""Organisation levels for the reports: each submission's unit (上级党组织) and 分组, its rank within
its unit and overall, and the unit's mean rate per area, worked out once from all results before
any report is written (the reports are streamed one branch at a time).

With a roster the unit and 分组 are the matched row's; without one (or for a submission on no row)
the unit is the 上级党组织 the submission gives, spellings that differ only in spaces or width
taken as one unit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from engine.history.identity import normalise_name
from engine.reports.rollup import NO_PARENT, BranchRow, rank_branches
from engine.reports.stats import RATE, mean
from engine.roster.matching import Matching
from engine.rules.model import RuleSet
from engine.scoring.model import Result


@dataclass(frozen=True)
class Standing:
    """Where one scored branch stands: in its unit and overall, and its unit's mean rate per area."""

    unit: str
    unit_rank: int
    unit_count: int
    rank: int
    count: int
    unit_means: tuple[Decimal | None, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_rank": self.unit_rank,
            "unit_count": self.unit_count,
            "rank": self.rank,
            "count": self.count,
            "unit_means": list(self.unit_means),
        }


@dataclass
class Levels:
    unit_of: dict[str, str]  # every source → its unit
    group_of: dict[str, str]  # source → its 分组 (roster rows that give one)
    matching: Matching | None
    unit_gaps: dict[str, Counter[str]]  # unit → check point → branches with it as a gap
    group_gaps: dict[str, Counter[str]]
    standings: dict[str, Standing]
    by_unit: bool = False
    spelling: dict[str, str] = field(default_factory=dict)  # 上级党组织 normalised → the unit's name
    unit_files: dict[str, str] = field(default_factory=dict)  # unit → its roll-up, relative to 汇总.xlsx

    def unit_name(self, parent: str) -> str:
        """The unit a 上级党组织 as written belongs to."""
        parent = parent.strip()
        return self.spelling.get(normalise_name(parent), parent) if parent else NO_PARENT

    def shown_as(self, shown: Callable[[str], str]) -> Levels:
        """These levels keyed by sources as people read them (relative to the input root), as the
        roll-ups receive them; the same ``unit_files`` (filled in when the unit roll-ups are written)."""

        def keys(d: dict[str, Any]) -> dict[str, Any]:
            return {shown(k): v for k, v in d.items()}

        matching = self.matching
        if matching is not None:
            matching = replace(
                matching,
                row_of=keys(matching.row_of),
                how=keys(matching.how),
                off_roster=[replace(o, source=shown(o.source)) for o in matching.off_roster],
                unnamed=[shown(s) for s in matching.unnamed],
            )
        return replace(
            self, unit_of=keys(self.unit_of), group_of=keys(self.group_of), standings=keys(self.standings),
            matching=matching,
        )  # fmt: skip

    def units(self) -> list[str]:
        """Every unit: the roster's and the submissions', sorted."""
        found = set(self.unit_of.values())
        if self.matching is not None:
            found.update(self.unit_name(r.parent) for r in self.matching.roster.rows)
        return sorted(found)


def counted(results: Sequence[Result]) -> list[Result]:
    """The scored results that are ranked and counted: copies of a duplicate file left out, the
    original kept (``duplicate_of``, the rule of :class:`engine.reports.rollup.Rollup`)."""
    return [r for r in results if r.scored and r.duplicate_of is None]


def plan_levels(
    rules: RuleSet, results: Sequence[Result], matching: Matching | None = None, *, by_unit: bool = False
) -> Levels:
    spelling: dict[str, str] = {}
    if matching is not None:
        for entry in matching.roster.rows:
            spelling.setdefault(normalise_name(entry.parent), entry.parent)
    unit_of: dict[str, str] = {}
    group_of: dict[str, str] = {}
    for r in results:
        row = matching.row_of.get(r.source) if matching is not None else None
        parent = row.parent if row is not None else (r.parent_org or "").strip()
        unit_of[r.source] = spelling.setdefault(normalise_name(parent), parent) if parent else NO_PARENT
        if row is not None and row.group:
            group_of[r.source] = row.group
    kept = counted(results)
    unit_gaps: dict[str, Counter[str]] = {}
    group_gaps: dict[str, Counter[str]] = {}
    for r in kept:
        ids = [g.id for g in r.gaps]
        unit_gaps.setdefault(unit_of[r.source], Counter()).update(ids)
        if r.source in group_of:
            group_gaps.setdefault(group_of[r.source], Counter()).update(ids)
    standings = _standings(rules, kept, unit_of)
    return Levels(unit_of, group_of, matching, unit_gaps, group_gaps, standings, by_unit, spelling)


def branch_row(rules: RuleSet, r: Result, parent: str) -> BranchRow:
    percents = {a.id: a.percent for a in r.areas}
    return BranchRow(
        source=r.source,
        name=r.branch_name or "",
        parent=parent,
        score=r.score or Decimal(0),
        self_score=r.self_score,
        rating=r.rating or "",
        vetoed=bool(r.vetoed),
        veto="",
        gaps=len(r.gaps),
        percents=tuple(percents.get(a.id) for a in rules.checklist_areas),
    )


def _standings(rules: RuleSet, kept: list[Result], unit_of: dict[str, str]) -> dict[str, Standing]:
    rows = [branch_row(rules, r, unit_of[r.source]) for r in kept]
    overall = {row.source: rank for rank, row in rank_branches(rows)}
    by_unit: dict[str, list[BranchRow]] = {}
    for row in rows:
        by_unit.setdefault(row.parent, []).append(row)
    found: dict[str, Standing] = {}
    for unit, members in by_unit.items():
        means = tuple(
            mean([p for m in members if (p := m.percents[n]) is not None], RATE)
            for n in range(len(rules.checklist_areas))
        )
        for rank, row in rank_branches(members):
            found[row.source] = Standing(unit, rank, len(members), overall[row.source], len(rows), means)
    return found
