"""Statistics over scored branches (pure): counts, mean, median, lowest and highest score, the
rating distribution, vetoed branches and each area's mean rate.

Scores are the results' 2-place values; the mean and the median of an even count are rounded
half-up to the cent, area means to 4 places (a rate shown as a percentage with one decimal).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from engine.scoring.credit import half_up

CENT = Decimal("0.01")
RATE = Decimal("0.0001")


class Scored(Protocol):
    """What the statistics need of a scored branch (``engine.reports.rollup.BranchRow`` has it)."""

    @property
    def score(self) -> Decimal: ...
    @property
    def rating(self) -> str: ...
    @property
    def vetoed(self) -> bool: ...
    @property
    def percents(self) -> tuple[Decimal | None, ...]: ...


@dataclass(frozen=True)
class Stats:
    scored: int
    rejected: int
    missing: int | None  # None without a roster
    mean: Decimal | None
    median: Decimal | None
    low: Decimal | None
    high: Decimal | None
    bands: tuple[tuple[str, int], ...]  # every band of the rule set, highest first, with its count
    vetoed: int
    area_means: tuple[Decimal | None, ...]  # per area of the rule set; None where no branch has it applicable


def mean(values: Sequence[Decimal], places: Decimal = CENT) -> Decimal | None:
    return half_up(sum(values, Decimal(0)) / len(values), places) if values else None


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value; of an even count the mean of the two middle ones, half-up to the cent."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return half_up((ordered[middle - 1] + ordered[middle]) / 2, CENT)


def stats_of(
    rows: Iterable[Scored], bands: Sequence[str], areas: int, *, rejected: int = 0, missing: int | None = None
) -> Stats:
    """The statistics of ``rows`` (scored branches, each counted once)."""
    rows = list(rows)
    scores = [r.score for r in rows]
    counts = dict.fromkeys(bands, 0)
    for r in rows:
        counts[r.rating] = counts.get(r.rating, 0) + 1
    columns: list[list[Decimal]] = [[] for _ in range(areas)]
    for r in rows:
        for n, percent in enumerate(r.percents[:areas]):
            if percent is not None:
                columns[n].append(percent)
    return Stats(
        scored=len(rows),
        rejected=rejected,
        missing=missing,
        mean=mean(scores),
        median=median(scores),
        low=min(scores) if scores else None,
        high=max(scores) if scores else None,
        bands=tuple(counts.items()),
        vetoed=sum(1 for r in rows if r.vetoed),
        area_means=tuple(mean(c, RATE) for c in columns),
    )
