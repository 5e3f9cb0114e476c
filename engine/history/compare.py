"""Comparing a run with an earlier round: score change and what became of each earlier gap.

The earlier round is the one named by ``compare_with``, else the latest recorded round whose
reference dates all precede this run's (a round of the same name as the one being recorded is
never its own predecessor). Totals and ratings are always compared; a check point is followed
only where its scoring content is the same in both rounds, else its earlier gap is 规则已变更.
A gap still open (部分整改 or 未整改) that the branch declared done (rectification import) is
整改不实; one whose declared 时限 is before this run's reference date is 逾期未整改.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.history import declared as dec
from engine.history.declared import Declared
from engine.history.record import identity, item_contents, read_gaps
from engine.history.store import Store, StoreError
from engine.rules.model import RuleSet
from engine.scoring.credit import half_up
from engine.scoring.model import MET, NOT_APPLICABLE, SCORED, ItemResult, Result

FIXED = "已整改"
PARTLY_FIXED = "部分整改"
NOT_FIXED = "未整改"
NO_LONGER_APPLIES = "不再适用"
RULE_CHANGED = "规则已变更"
FALSELY_DONE = "整改不实"  # declared done, still a gap
OVERDUE = "逾期未整改"  # declared 时限 before this run's reference date, still a gap, not declared done
CLASSES = (FIXED, PARTLY_FIXED, NOT_FIXED, FALSELY_DONE, OVERDUE, NO_LONGER_APPLIES, RULE_CHANGED)
STILL_OPEN = (PARTLY_FIXED, NOT_FIXED, FALSELY_DONE, OVERDUE)  # the earlier gap is a gap now
JUDGED = (FIXED, *STILL_OPEN)  # the denominator of 整改率
FOUR = Decimal("0.0001")


@dataclass(frozen=True)
class Comparison:
    """One branch against its submission in the earlier round."""

    round: str
    score: Decimal | None
    rating: str | None
    change: Decimal | None
    gaps: tuple[tuple[str, str], ...]  # (check point, class) for each earlier gap, in id order
    rate: Decimal | None  # 整改率: 已整改 / earlier gaps that can still be judged
    areas: tuple[tuple[str, Decimal | None, Decimal | None], ...] = ()  # (area, earlier rate, change)
    declared: tuple[tuple[str, Declared], ...] = ()  # what the branch declared for earlier gaps, by check point

    def count(self, kind: str) -> int:
        return sum(1 for _, c in self.gaps if c == kind)

    def to_dict(self) -> dict[str, Any]:
        said = dict(self.declared)

        def num(d: Decimal | None) -> float | int | None:
            return None if d is None else (int(d) if d == d.to_integral_value() else float(d))

        return {
            "round": self.round,
            "score": num(self.score),
            "rating": self.rating,
            "change": num(self.change),
            "rectification_rate": num(self.rate),
            "areas": [{"id": a, "percent": num(before), "change": num(change)} for a, before, change in self.areas],
            "gaps": [{"id": item, "class": kind, "declared": _declared(said.get(item))} for item, kind in self.gaps],
        }


def _declared(found: Declared | None) -> dict[str, Any] | None:
    return None if found is None else found.to_dict()


def previous_round(
    store: Store, results: Sequence[Result], recording: str | None, compare_with: str | None
) -> str | None:
    """The name of the round to compare with, or None when there is none."""
    db = store.conn
    if compare_with is not None:
        if db.execute("SELECT 1 FROM rounds WHERE name = ?", (compare_with,)).fetchone() is None:
            names = "、".join(r[0] for r in db.execute("SELECT name FROM rounds ORDER BY name")) or "无"
            raise StoreError(f"历史记录库中没有名为“{compare_with}”的评估轮次（已有：{names}）")
        return compare_with
    refs = sorted(r.reference_date.isoformat() for r in results if r.reference_date is not None)
    if not refs:
        return None
    row = db.execute(
        "SELECT name FROM rounds WHERE last_reference < ? AND name IS NOT ? ORDER BY last_reference DESC, name LIMIT 1",
        (refs[0], recording),
    ).fetchone()
    return None if row is None else str(row[0])


def compare(
    store: Store,
    rules: RuleSet,
    results: Sequence[Result],
    earlier: str,
    keys: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Comparison]:
    """Each scored result's comparison with its branch's scored submission in round ``earlier``, by source.

    ``keys`` (source → identities, from a roster: the row's, then its 曾用名) finds a branch
    recorded under a former name or before it had a code."""
    db = store.conn
    (round_id,) = db.execute("SELECT id FROM rounds WHERE name = ?", (earlier,)).fetchone()
    before: dict[str, tuple[str | None, Decimal | None, str | None, str]] = {}
    for branch, gaps, score, rating, groups in db.execute(
        "SELECT branch, gaps, score, rating, groups FROM submissions WHERE round_id = ? AND status = ?"
        " AND branch IS NOT NULL ORDER BY source",
        (round_id, SCORED),
    ):
        before.setdefault(branch, (gaps, None if score is None else Decimal(score).scaleb(-2), rating, groups))
    same_rule = _unchanged_items(store, rules, round_id)
    said = dec.of_round(store, earlier)
    order = {item.id: n for n, item in enumerate(rules.items)}  # check-point order; removed ones last
    out: dict[str, Comparison] = {}
    for r in results:
        if r.status != SCORED:
            continue
        candidates = (keys or {}).get(r.source) or (identity(rules, r),)
        key = next((k for k in candidates if k is not None and k in before), None)
        if key is None:
            continue
        recorded, score, rating, groups = before[key]
        rows = read_gaps(recorded)
        mine = {item: said[key, item] for item, _ in rows if (key, item) in said} if said else {}
        gaps = _classified(rows, r, same_rule, order)
        if mine:  # without declared rectification every class stays as it is
            gaps = tuple((item, _followed_up(kind, mine.get(item), r)) for item, kind in gaps)
        judged = [c for _, c in gaps if c in JUDGED]
        rate = half_up(Decimal(judged.count(FIXED)) / len(judged), FOUR) if judged else None
        change = None if score is None or r.score is None else r.score - score
        areas = _area_changes(groups, r)
        out[r.source] = Comparison(earlier, score, rating, change, gaps, rate, areas, tuple(sorted(mine.items())))
    return out


def _area_changes(groups: str, r: Result) -> tuple[tuple[str, Decimal | None, Decimal | None], ...]:
    """Each area's earlier rate and the change to now (rates as fractions, 4 places)."""
    earlier = {ident: (earned, top) for ident, earned, top in json.loads(groups)["areas"]}
    out = []
    for area in r.areas:
        earned, top = earlier.get(area.id, (None, None))
        before = half_up(Decimal(earned) / Decimal(top), FOUR) if top else None
        out.append((area.id, before, None if before is None or area.percent is None else area.percent - before))
    return tuple(out)


def _unchanged_items(store: Store, rules: RuleSet, round_id: int) -> set[str]:
    now = item_contents(rules)
    rows = store.conn.execute("SELECT item_id, content FROM round_items WHERE round_id = ?", (round_id,))
    return {item for item, content in rows if now.get(item) == content}


def _classified(
    rows: list[tuple[str, int | None]], result: Result, same_rule: set[str], order: dict[str, int]
) -> tuple[tuple[str, str], ...]:
    """Each earlier gap's class, in check-point order (ids not in the rules last).

    One loop over ~40 gaps per branch, 10,000 branches at once: a check point is found by its
    place in the rule order when it is there (no dict of ~175 entries per branch), else by id
    (another order: a variant added check points)."""
    last, items = len(order), result.items
    count, by_id = len(items), None
    out = []
    for place, item, credit in sorted([(order.get(item, last), item, credit) for item, credit in rows]):
        now: ItemResult | None
        if place < count and items[place].id == item:
            now = items[place]
        else:
            by_id = by_id if by_id is not None else {i.id: i for i in items}
            now = by_id.get(item)
        if now is None or item not in same_rule:
            kind = RULE_CHANGED
        elif now.status == NOT_APPLICABLE:
            kind = NO_LONGER_APPLIES
        elif now.status == MET:
            kind = FIXED
        elif now.credit is not None and now.credit > Decimal(credit or 0).scaleb(-4):
            kind = PARTLY_FIXED
        else:
            kind = NOT_FIXED
        out.append((item, kind))
    return tuple(out)


def _followed_up(kind: str, said: Declared | None, now: Result) -> str:
    """整改不实 or 逾期未整改 for a gap still open that the branch declared done or let pass its 时限."""
    if said is None or kind not in (PARTLY_FIXED, NOT_FIXED):
        return kind
    if said.state == dec.DONE:
        return FALSELY_DONE
    if said.due is not None and now.reference_date is not None and said.due < now.reference_date:
        return OVERDUE
    return kind
