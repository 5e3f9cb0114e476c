"""Recording the results of a ``score`` run as a named round (replacing a round of that name)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.history.identity import CODE_ROLE, branch_key
from engine.history.store import Store
from engine.rules.export import scoring_item
from engine.rules.model import RuleSet
from engine.scoring.model import (
    MET,
    NOT_APPLICABLE,
    PARTIAL,
    SCORED,
    UNANSWERED,
    UNMET,
    UNSCORED,
    GroupResult,
    Result,
)
from engine.scoring.results import json_value
from engine.textsafe import escape_surrogates

# Item statuses as small integers: 1.7 million rows for 10,000 branches stay compact.
STATUS_CODES = {MET: 0, PARTIAL: 1, UNMET: 2, UNANSWERED: 3, NOT_APPLICABLE: 4, UNSCORED: 5}
GAP_CODES = (STATUS_CODES[PARTIAL], STATUS_CODES[UNMET], STATUS_CODES[UNANSWERED])


@dataclass(frozen=True)
class RoundInfo:
    name: str
    rule_set_id: str
    rule_set_version: str
    fingerprint: str
    first_reference: str | None
    last_reference: str | None
    scored: int
    rejected: int


def hundredths(value: Decimal | None, places: int = 2) -> int | None:
    """A score or points as an integer count of cents (credit: of ten-thousandths)."""
    return None if value is None else int((value.scaleb(places)).to_integral_value())


def item_contents(rules: RuleSet) -> dict[str, str]:
    """Each check point's scoring content as a short hash: the same hash means the same rule."""
    return {
        item.id: hashlib.sha256(
            json.dumps(scoring_item(item), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()[:16]
        for item in rules.items
    }


def identity(rules: RuleSet, result: Result) -> str | None:
    field = rules.field_with_role(CODE_ROLE)
    code = result.profile.get(field.id) if field is not None else None
    return branch_key(str(code) if code is not None else None, result.parent_org, result.branch_name)


def gap_text(r: Result) -> str | None:
    """The submission's gaps as the store keeps them beside it (schema 3): "check point:credit" in
    id order, separated by spaces; None without gaps (what the schema's migration writes too)."""
    gaps = sorted(
        (i.id, hundredths(i.credit, 4))
        for i in r.items
        if STATUS_CODES[i.status] in GAP_CODES and (hundredths(i.max) or 0) > 0
    )
    return " ".join(f"{item}:{'' if credit is None else credit}" for item, credit in gaps) or None


def read_gaps(text: str | None) -> list[tuple[str, int | None]]:
    """The (check point, credit) pairs of :func:`gap_text`."""
    out: list[tuple[str, int | None]] = []
    for part in (text or "").split():
        item, _, credit = part.partition(":")
        out.append((item, int(credit) if credit else None))
    return out


def _groups(groups: Sequence[GroupResult]) -> list[list[Any]]:
    return [[g.id, hundredths(g.earned), hundredths(g.max)] for g in groups]


def round_info(name: str, rules: RuleSet, results: Sequence[Result]) -> RoundInfo:
    refs = sorted(r.reference_date.isoformat() for r in results if r.reference_date is not None)
    scored = sum(1 for r in results if r.status == SCORED)
    return RoundInfo(
        name,
        rules.id,
        rules.version,
        rules.fingerprint,
        refs[0] if refs else None,
        refs[-1] if refs else None,
        scored,
        len(results) - scored,
    )


def record_round(
    store: Store, name: str, rules: RuleSet, results: Sequence[Result], keys: Mapping[str, Sequence[str]] | None = None
) -> RoundInfo:
    """Store ``results`` as round ``name`` in one transaction, replacing a round of that name.

    ``keys`` (source → identities, from a roster) records a matched submission under its roster
    row's identity instead of the one its own 支部信息 gives."""
    info = round_info(name, rules, results)
    with store.writing() as db:
        db.execute("DELETE FROM rounds WHERE name = ?", (name,))
        round_id = db.execute(
            "INSERT INTO rounds (name, rule_set_id, rule_set_version, fingerprint, first_reference,"
            " last_reference, scored, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                info.rule_set_id,
                info.rule_set_version,
                info.fingerprint,
                info.first_reference,
                info.last_reference,
                info.scored,
                info.rejected,
            ),
        ).lastrowid
        db.executemany(
            "INSERT INTO round_items VALUES (?, ?, ?)", [(round_id, k, v) for k, v in item_contents(rules).items()]
        )
        for r in results:
            _submission(db, round_id, rules, r, (keys or {}).get(r.source))
    return info


def _submission(db: Any, round_id: int | None, rules: RuleSet, r: Result, keys: Sequence[str] | None = None) -> None:
    groups = json.dumps({"areas": _groups(r.areas), "standards": _groups(r.standards)}, separators=(",", ":"))
    vetoes = json.dumps([[v.id, v.status] for v in r.vetoes], separators=(",", ":"))
    submission_id = db.execute(
        "INSERT INTO submissions (round_id, branch, name, parent, source, sha256, status, reference_date, score,"
        " self_score, rating, vetoed, vetoes, groups, gaps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            round_id,
            (keys[0] if keys else identity(rules, r)) if r.status == SCORED else None,
            r.branch_name,
            r.parent_org,
            escape_surrogates(r.source),
            r.sha256 or None,
            r.status,
            r.reference_date.isoformat() if r.reference_date else None,
            hundredths(r.score),
            hundredths(r.self_score),
            r.rating,
            None if r.vetoed is None else int(r.vetoed),
            vetoes,
            groups,
            gap_text(r),
        ),
    ).lastrowid
    gains = {g.id: g.gain for g in r.gaps}
    db.executemany(
        "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                submission_id,
                i.id,
                None if i.answer is None else json.dumps(json_value(i.answer), ensure_ascii=False),
                STATUS_CODES[i.status],
                hundredths(i.credit, 4),
                hundredths(i.earned),
                hundredths(i.max),
                hundredths(gains.get(i.id)),
            )
            for i in r.items
        ],
    )
