"""Scoring results: frozen data with one dict form (:func:`engine.scoring.results.result_to_dict`) for every renderer.

Results travel from the worker processes to the parent by pickle in a compact form:
each object as the tuple of its fields, numbers as their text. Unpickling shares
equal texts and numbers between results (ids, statuses, reasons such as
"填写“是”，得 1/1 分", scores), so the parent holding a thousand results keeps each
distinct value once. Shared values are immutable; equality and text are unchanged.
A check-point result that scoring hands out again for the same inputs (engine.scoring.memo)
is pickled once in the worker and travels as those bytes; the parent makes one object per
distinct bytes, so equal check-point results of different branches are one object there.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from engine.diagnostics import Diagnostic
from engine.scoring.breakdown import RatingDetail
from engine.submission import Value

MET = "met"
PARTIAL = "partial"
UNMET = "unmet"
UNANSWERED = "unanswered"
NOT_APPLICABLE = "not_applicable"
UNSCORED = "unscored"  # an answer type that earns no points (free text): recorded, never a gap
GAP_STATUSES = (PARTIAL, UNMET, UNANSWERED)

TRIGGERED = "triggered"
CLEAR = "clear"
UNDETERMINED = "undetermined"

SCORED = "scored"
REJECTED = "rejected"


_NUMBERS: dict[str, Decimal] = {}
_MAX_SHARED_NUMBERS = 100_000  # scores and credits have few distinct values; this only bounds the table


def _out(value: Decimal | None) -> str | None:
    return None if value is None else str(value)  # exact: Decimal(str(d)) has d's digits and exponent


def _number(text: str) -> Decimal:
    found = _NUMBERS.get(text)
    if found is None:
        found = Decimal(text)
        if len(_NUMBERS) < _MAX_SHARED_NUMBERS:
            _NUMBERS[text] = found
    return found


def _maybe_number(text: str | None) -> Decimal | None:
    return None if text is None else _number(text)


def _text(value: str) -> str:
    return sys.intern(value)


def _value(value: Value) -> Value:
    """An answer: texts and numbers shared, dates and None as they are."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, Decimal):
        return _number(str(value))
    return value


_Reduced = tuple[Callable[..., Any], tuple[Any, ...]]

# A check-point result handed out again for the same inputs (engine.scoring.memo) is pickled once,
# to bytes kept here by identity (each entry holds its result, so an id is never reused while kept);
# a result's items travel as those bytes, and the parent makes one object per distinct bytes.
_PICKLED: dict[int, tuple[ItemResult, bytes]] = {}
_UNPICKLED: dict[bytes, ItemResult] = {}
_MAX_KEPT = 40_000  # about two rule sets' worth of kept check-point results (engine.scoring.memo)


def keep_pickled(item: ItemResult) -> None:
    """Pickle a check-point result that many results will hold, once."""
    if len(_PICKLED) >= _MAX_KEPT:
        _PICKLED.clear()
    _PICKLED[id(item)] = (item, pickle.dumps(item, pickle.HIGHEST_PROTOCOL))


def _packed(item: ItemResult) -> ItemResult | bytes:
    known = _PICKLED.get(id(item))
    return known[1] if known is not None and known[0] is item else item


def _unpacked(item: ItemResult | bytes) -> ItemResult:
    if not isinstance(item, bytes):
        return item
    found = _UNPICKLED.get(item)
    if found is None:
        if len(_UNPICKLED) >= _MAX_KEPT:
            _UNPICKLED.clear()
        found = _UNPICKLED[item] = pickle.loads(item)
    return found


@dataclass(frozen=True, slots=True)
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
    # What people wrote beside the answer: 佐证材料 and 备注 (the secretary), 核查意见 (the inspector).
    evidence: str = ""
    note: str = ""
    inspector_note: str = ""

    def __reduce__(self) -> _Reduced:
        return _item, (
            self.id, self.standard_id, self.area_id, self.answer, self.self_answer, self.status,
            _out(self.credit), str(self.earned), str(self.points), str(self.max), self.reason,
            self.evidence, self.note, self.inspector_note,
        )  # fmt: skip


def _item(
    ident: str, standard: str, area: str, answer: Value, self_answer: Value, status: str,
    credit: str | None, earned: str, points: str, top: str, reason: str,
    evidence: str = "", note: str = "", inspector_note: str = "",
) -> ItemResult:  # fmt: skip
    shared = _NUMBERS.get  # _number, _text and _value inline: this runs for every check point of every result
    # (a shared number may be falsy, Decimal 0: then _number finds it)
    intern = sys.intern
    return ItemResult(
        intern(ident), intern(standard), intern(area),
        intern(answer) if answer.__class__ is str else _value(answer),
        intern(self_answer) if self_answer.__class__ is str else _value(self_answer), intern(status),
        None if credit is None else shared(credit) or _number(credit), shared(earned) or _number(earned),
        shared(points) or _number(points), shared(top) or _number(top), intern(reason),
        evidence, note, inspector_note,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class GroupResult:
    """A standard or an area: earned and applicable maximum."""

    id: str
    name: str
    earned: Decimal
    max: Decimal
    percent: Decimal | None
    area_id: str | None = None

    def __reduce__(self) -> _Reduced:
        return _group, (self.id, self.name, str(self.earned), str(self.max), _out(self.percent), self.area_id)


def _group(ident: str, name: str, earned: str, top: str, percent: str | None, area: str | None) -> GroupResult:
    return GroupResult(
        _text(ident), _text(name), _number(earned), _number(top), _maybe_number(percent),
        None if area is None else _text(area),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class VetoResult:
    id: str
    text: str
    status: str
    reason: str

    def __reduce__(self) -> _Reduced:
        return _veto, (self.id, self.text, self.status, self.reason)


def _veto(ident: str, text: str, status: str, reason: str) -> VetoResult:
    return VetoResult(_text(ident), _text(text), _text(status), _text(reason))


@dataclass(frozen=True, slots=True)
class Gap:
    id: str
    status: str
    lost: Decimal
    gain: Decimal

    def __reduce__(self) -> _Reduced:
        return _gap, (self.id, self.status, str(self.lost), str(self.gain))


def _gap(ident: str, status: str, lost: str, gain: str) -> Gap:
    return Gap(_text(ident), _text(status), _number(lost), _number(gain))


@dataclass(frozen=True, slots=True)
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
    rating_detail: RatingDetail | None = None  # how the total and rating were formed (engine.scoring.total)
    duplicate_of: str | None = None  # the source of the original when this file is a copy of it
    variant: str | None = None  # the branch-type variant applied (engine.rules.tailor); None: the base rules

    @property
    def scored(self) -> bool:
        return self.status == SCORED

    def __reduce__(self) -> _Reduced:
        return _result, (
            self.source, self.sha256, self.status, self.diagnostics, self.branch_name, self.parent_org,
            self.profile, self.reference_date, _out(self.score), _out(self.self_score), self.rating,
            self.vetoed, self.vetoes, self.areas, self.standards, tuple(map(_packed, self.items)), self.gaps,
            self.rating_detail,
            self.duplicate_of, self.variant,
        )  # fmt: skip


def _result(
    source: str, sha256: str, status: str, diagnostics: tuple[Diagnostic, ...], branch_name: str | None,
    parent_org: str | None, profile: dict[str, Value], reference_date: date | None, score: str | None,
    self_score: str | None, rating: str | None, vetoed: bool | None, vetoes: tuple[VetoResult, ...],
    areas: tuple[GroupResult, ...], standards: tuple[GroupResult, ...], items: tuple[ItemResult | bytes, ...],
    gaps: tuple[Gap, ...], rating_detail: RatingDetail | None = None, duplicate_of: str | None = None,
    variant: str | None = None,
) -> Result:  # fmt: skip
    return Result(
        source, sha256, _text(status), diagnostics, branch_name, parent_org,
        {_text(k): _value(v) for k, v in profile.items()}, reference_date, _maybe_number(score),
        _maybe_number(self_score), None if rating is None else _text(rating), vetoed, vetoes, areas, standards,
        tuple(map(_unpacked, items)), gaps, rating_detail, duplicate_of, None if variant is None else _text(variant),
    )  # fmt: skip
