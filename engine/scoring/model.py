"""Scoring results: frozen data with one dict form (``results.to_dict``) for every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from engine.diagnostics import Diagnostic
from engine.submission import Value

MET = "met"
PARTIAL = "partial"
UNMET = "unmet"
UNANSWERED = "unanswered"
NOT_APPLICABLE = "not_applicable"
GAP_STATUSES = (PARTIAL, UNMET, UNANSWERED)

TRIGGERED = "triggered"
CLEAR = "clear"
UNDETERMINED = "undetermined"

SCORED = "scored"
REJECTED = "rejected"


@dataclass(frozen=True)
class ItemResult:
    id: str
    standard_id: str
    area_id: str
    answer: Value
    self_answer: Value
    status: str
    credit: Decimal | None
    earned: Decimal
    points: Decimal
    max: Decimal
    reason: str


@dataclass(frozen=True)
class GroupResult:
    """A standard or an area: earned and applicable maximum."""

    id: str
    name: str
    earned: Decimal
    max: Decimal
    percent: Decimal | None
    area_id: str | None = None


@dataclass(frozen=True)
class VetoResult:
    id: str
    text: str
    status: str
    reason: str


@dataclass(frozen=True)
class Gap:
    id: str
    status: str
    lost: Decimal
    gain: Decimal


@dataclass(frozen=True)
class Result:
    source: str
    sha256: str
    status: str
    diagnostics: tuple[Diagnostic, ...]
    branch_name: str | None = None
    parent_org: str | None = None
    profile: dict[str, Value] = field(default_factory=dict)
    reference_date: date | None = None
    score: Decimal | None = None
    self_score: Decimal | None = None
    rating: str | None = None
    vetoed: bool | None = None
    vetoes: tuple[VetoResult, ...] = ()
    areas: tuple[GroupResult, ...] = ()
    standards: tuple[GroupResult, ...] = ()
    items: tuple[ItemResult, ...] = ()
    gaps: tuple[Gap, ...] = ()

    @property
    def scored(self) -> bool:
        return self.status == SCORED
