"""Reading the store: the rounds, one branch across rounds, a round's results as data; removal."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.history import declared
from engine.history.identity import normalise_name
from engine.history.record import GAP_CODES, STATUS_CODES, RoundInfo
from engine.history.store import Store, StoreError
from engine.scoring.model import MET, NOT_APPLICABLE

HISTORY_FORMAT = "branchcheck.history/1"
_STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}


def _cents(value: int | None, places: int = 2) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-places)


def _num(value: Decimal | None) -> int | float | None:
    return None if value is None else (int(value) if value == value.to_integral_value() else float(value))


def rounds(store: Store) -> list[RoundInfo]:
    """Every recorded round, oldest reference dates first."""
    rows = store.conn.execute(
        "SELECT name, rule_set_id, rule_set_version, fingerprint, first_reference, last_reference, scored, rejected"
        " FROM rounds ORDER BY last_reference, name"
    )
    return [RoundInfo(*row) for row in rows]


@dataclass(frozen=True)
class BranchRound:
    """One branch in one round."""

    round: str
    name: str | None
    parent: str | None
    score: Decimal | None
    rating: str | None
    vetoed: bool
    areas: tuple[tuple[str, Decimal | None], ...]  # (area id, rate)
    gaps: int
    rectification_rate: Decimal | None = None  # 整改率 against the branch's previous round shown, if any


def branch_history(store: Store, query: str) -> list[BranchRound]:
    """The scored submissions of the branch whose 支部编码 or 支部名称 (or 上级党组织/支部名称) is ``query``."""
    wanted = normalise_name(query)
    # An exact identity uses the branch index; a bare 支部名称 is matched by name.
    rows = store.conn.execute(
        "SELECT r.name, s.id, s.branch, s.name, s.parent, s.score, s.rating, s.vetoed, s.groups, r.id"
        " FROM submissions s JOIN rounds r ON r.id = s.round_id WHERE s.status = 'scored' AND s.branch IS NOT NULL"
        " AND (s.branch IN (?, ?) OR s.branch LIKE ? ESCAPE '\\') ORDER BY r.last_reference, r.name, s.source",
        ("code:" + wanted, "name:" + wanted, "name:%/" + _like(wanted)),
    ).fetchall()
    matching = [row for row in rows if _matches(row[2], row[3], row[4], wanted)]
    keys = {row[2] for row in matching}
    if len(keys) > 1:
        shown = "、".join(sorted(k.split(":", 1)[1] for k in keys))
        raise StoreError(f"“{query}”对应多个支部：{shown}；请写明“上级党组织/支部名称”或使用支部编码")
    found = [_branch_round(store, row) for row in matching]
    for n in range(1, len(matching)):
        rate = rectification_rate(store, matching[n - 1][9], matching[n - 1][1], matching[n][9], matching[n][1])
        found[n] = replace(found[n], rectification_rate=rate)
    return found


def rectification_rate(
    store: Store, round_before: int, sub_before: int, round_now: int, sub_now: int
) -> Decimal | None:
    """整改率 of one branch between two recorded rounds, as in the comparison (engine.history.compare):
    the earlier gaps met now ÷ the earlier gaps whose check point is scored the same way in both
    rounds and still applies; None when there are none."""
    db = store.conn
    codes = ", ".join("?" * len(GAP_CODES))
    gaps = [row[0] for row in db.execute(
        f"SELECT item_id FROM results WHERE submission_id = ? AND max > 0 AND status IN ({codes})",
        (sub_before, *GAP_CODES),
    )]  # fmt: skip
    same = {item for item, in db.execute(
        "SELECT a.item_id FROM round_items a JOIN round_items b ON b.item_id = a.item_id AND b.content = a.content"
        " WHERE a.round_id = ? AND b.round_id = ?",
        (round_before, round_now),
    )}  # fmt: skip
    now = dict(db.execute("SELECT item_id, status FROM results WHERE submission_id = ?", (sub_now,)).fetchall())
    judged = [item for item in gaps if item in same and item in now and now[item] != STATUS_CODES[NOT_APPLICABLE]]
    if not judged:
        return None
    fixed = sum(1 for item in judged if now[item] == STATUS_CODES[MET])
    return (Decimal(fixed) / len(judged)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matches(key: str, name: str | None, parent: str | None, wanted: str) -> bool:
    kind, _, value = key.partition(":")
    if kind == "code" and value == wanted:
        return True
    if kind == "name" and (value == wanted or value.endswith("/" + wanted)):  # the identity recorded (a roster's)
        return True
    full = f"{normalise_name(parent or '')}/{normalise_name(name or '')}"
    return wanted in (normalise_name(name or ""), full)


def _branch_round(store: Store, row: tuple[Any, ...]) -> BranchRound:
    round_name, sub_id, _key, name, parent, score, rating, vetoed, groups, _round_id = row
    gaps = store.conn.execute(
        "SELECT COUNT(*) FROM results WHERE submission_id = ? AND max > 0 AND status IN (1, 2, 3)", (sub_id,)
    ).fetchone()[0]
    areas = tuple(
        (ident, None if not top else (Decimal(earned) / Decimal(top)).quantize(Decimal("0.0001")))
        for ident, earned, top in json.loads(groups)["areas"]
    )
    return BranchRound(round_name, name, parent, _cents(score), rating, bool(vetoed), areas, int(gaps))


def export(store: Store, round_name: str | None = None) -> dict[str, Any]:
    """Rounds (all, or one) with every submission and check-point result, as JSON-ready data."""
    chosen = [r for r in rounds(store) if round_name is None or r.name == round_name]
    if round_name is not None and not chosen:
        raise StoreError(f"历史记录库中没有名为“{round_name}”的评估轮次")
    return {"format": HISTORY_FORMAT, "rounds": [_round_dict(store, info) for info in chosen]}


def _round_dict(store: Store, info: RoundInfo) -> dict[str, Any]:
    db = store.conn
    (round_id,) = db.execute("SELECT id FROM rounds WHERE name = ?", (info.name,)).fetchone()
    submissions = []
    for sub in db.execute(
        "SELECT id, branch, name, parent, source, sha256, status, reference_date, score, self_score, rating, vetoed,"
        " vetoes FROM submissions WHERE round_id = ? ORDER BY source",
        (round_id,),
    ).fetchall():
        items = [
            {
                "id": item,
                "answer": None if answer is None else json.loads(answer),
                "status": _STATUS_NAMES[status],
                "credit": _num(_cents(credit, 4)),
                "earned": _num(_cents(earned)),
                "max": _num(_cents(top)),
                "gain": _num(_cents(gain)),
            }
            for item, answer, status, credit, earned, top, gain in db.execute(
                "SELECT item_id, answer, status, credit, earned, max, gain FROM results WHERE submission_id = ?",
                (sub[0],),
            )
        ]
        submissions.append(
            {
                "branch": sub[1],
                "name": sub[2],
                "parent": sub[3],
                "source": sub[4],
                "sha256": sub[5],
                "status": sub[6],
                "reference_date": sub[7],
                "score": _num(_cents(sub[8])),
                "self_score": _num(_cents(sub[9])),
                "rating": sub[10],
                "vetoed": None if sub[11] is None else bool(sub[11]),
                "vetoes": [{"id": v, "status": s} for v, s in json.loads(sub[12])],
                "items": items,
            }
        )
    return {
        "name": info.name,
        "rule_set": {"id": info.rule_set_id, "version": info.rule_set_version, "fingerprint": info.fingerprint},
        "reference_dates": [info.first_reference, info.last_reference],
        "submissions": submissions,
    }


def remove(store: Store, round_name: str) -> int:
    """Delete round ``round_name`` in one transaction; the number of submissions it held."""
    with store.writing() as db:
        row = db.execute("SELECT id, scored + rejected FROM rounds WHERE name = ?", (round_name,)).fetchone()
        if row is None:
            raise StoreError(f"历史记录库中没有名为“{round_name}”的评估轮次")
        db.execute("DELETE FROM rounds WHERE id = ?", (row[0],))
        declared.remove_round(db, round_name)
    return int(row[1])
