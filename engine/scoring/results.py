"""The results JSON (``branchcheck.results/1``, a public contract): one dict form per
submission, written as a stream so that 10,000 submissions fit in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Any

import engine
from engine.rules.model import RuleSet, json_number
from engine.scoring.breakdown import RatingDetail
from engine.scoring.model import GroupResult, Result
from engine.submission import Value
from engine.textsafe import escape_surrogates

RESULTS_FORMAT = "branchcheck.results/1"


# Each submission has ~1,000 numbers to convert and few distinct ones (points, credits, scores):
# a lookup is 4 × cheaper than the conversion. Equal Decimals (1.0, 1) convert alike. Bounded,
# since answers are numbers people typed.
_NUMBERS: dict[Decimal, int | float] = {}
_NUMBERS_KEPT = 4096


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    found = _NUMBERS.get(value)
    if found is None:
        found = json_number(value)
        if len(_NUMBERS) < _NUMBERS_KEPT:
            _NUMBERS[value] = found
    return found


def json_value(value: Value) -> Any:
    """An answer or profile value as JSON: dates as YYYY-MM-DD, numbers as numbers."""
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _group(g: GroupResult) -> dict[str, Any]:
    out: dict[str, Any] = {"id": g.id}
    if g.area_id is not None:
        out["area"] = g.area_id
    out.update(name=g.name, earned=_num(g.earned), max=_num(g.max), percent=_num(g.percent))
    return out


def result_to_dict(r: Result) -> dict[str, Any]:
    return {
        "source": escape_surrogates(r.source),
        "sha256": r.sha256,
        "status": r.status,
        "duplicate_of": None if r.duplicate_of is None else escape_surrogates(r.duplicate_of),
        "diagnostics": [d.to_dict() for d in r.diagnostics],
        "branch": (
            {"name": r.branch_name, "parent": r.parent_org, "profile": {k: json_value(v) for k, v in r.profile.items()}}
            if r.scored
            else None
        ),
        "reference_date": r.reference_date.isoformat() if r.reference_date else None,
        "score": _num(r.score),
        "self_score": _num(r.self_score),
        "rating": r.rating,
        "variant": r.variant,
        "vetoed": r.vetoed,
        "vetoes": [{"id": v.id, "text": v.text, "status": v.status, "reason": v.reason} for v in r.vetoes],
        "areas": [_group(a) for a in r.areas],
        "standards": [_group(s) for s in r.standards],
        "items": [
            {
                "id": i.id,
                "standard": i.standard_id,
                "answer": json_value(i.answer),
                "self_answer": json_value(i.self_answer),
                "status": i.status,
                "credit": _num(i.credit),
                "earned": _num(i.earned),
                "points": _num(i.points),
                "max": _num(i.max),
                "reason": i.reason,
                "evidence": i.evidence,
                "note": i.note,
                "inspector_note": i.inspector_note,
            }
            for i in r.items
        ],
        "gaps": [{"id": g.id, "status": g.status, "lost": _num(g.lost), "gain": _num(g.gain)} for g in r.gaps],
        **rating_fields(r.rating_detail),
    }


def rating_fields(detail: RatingDetail | None) -> dict[str, Any]:
    """How the total and the rating were formed (issue 16; additive fields of branchcheck.results/1)."""
    if detail is None:
        return {
            "rating_label": None,
            "rating_before_quota": None,
            "rating_reason": None,
            "base_score": None,
            "blocks": [],
            "components": [],
        }
    return {
        "rating_label": detail.rating_label,
        "rating_before_quota": detail.rating_before_quota,
        "rating_reason": detail.reason,
        "base_score": _num(detail.base_score),
        "blocks": [
            {
                "id": b.id,
                "name": b.name,
                "kind": b.kind,
                "earned": _num(b.earned),
                "cap": _num(b.cap),
                "applied": _num(b.applied),
            }
            for b in detail.blocks
        ],
        "components": [
            {"source": c.source, "field": c.field, "name": c.name, "value": _num(c.value), "weight": _num(c.weight)}
            for c in detail.components
        ],
    }


def header(rules: RuleSet) -> dict[str, Any]:
    return {
        "format": RESULTS_FORMAT,
        "tool_version": engine.__version__,
        "rule_set": {"id": rules.id, "version": rules.version, "fingerprint": rules.fingerprint},
    }


def write_results(
    stream: IO[str],
    rules: RuleSet,
    results: Iterable[Result],
    comparisons: Mapping[str, Any] | None = None,
    other_files: Sequence[str] | None = None,
) -> None:
    """Write the results document to ``stream``, one submission at a time. With ``comparisons``
    (a run compared with an earlier round), each submission gets a ``comparison``: its entry
    by source (a dict) or null. With ``other_files`` (the files found beside the inputs that are
    not spreadsheets, paths as found), the document lists them in ``other_files``."""
    document = ResultsStream(stream, rules, comparisons, other_files)
    for result in results:
        document.add(result, result_to_dict(result))
    document.close()


class ResultsStream:
    """The results document written a submission at a time, from dict forms made elsewhere too
    (``score`` makes each dict once, for this document and for the reports)."""

    def __init__(
        self,
        stream: IO[str],
        rules: RuleSet,
        comparisons: Mapping[str, Any] | None = None,
        other_files: Sequence[str] | None = None,
    ) -> None:
        self.stream, self.comparisons, self.count = stream, comparisons, 0
        top = header(rules)
        if other_files is not None:
            top["other_files"] = list(other_files)
        head = json.dumps(top, ensure_ascii=False, indent=2)
        stream.write(head[:-2] + ',\n  "submissions": [')

    def add(self, result: Result, d: Mapping[str, Any]) -> None:
        """Append ``d``, the dict form of ``result`` (not changed here)."""
        self.stream.write("\n    " if self.count == 0 else ",\n    ")
        self.count += 1
        if self.comparisons is not None:
            found = self.comparisons.get(result.source)
            d = {**d, "comparison": None if found is None else found.to_dict()}
        self.stream.write(json.dumps(d, ensure_ascii=False, sort_keys=False))

    def close(self) -> None:
        self.stream.write("\n  ]\n}\n")
