"""The 回头看 data: for one round, each branch's gaps with what the branch declared about them,
and which are overdue as of a given date (``rectification report``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from engine.history import declared as dec
from engine.history.declared import Declared
from engine.history.record import GAP_CODES
from engine.history.store import Store, StoreError

NOT_REPORTED = "未填报"  # a gap the branch said nothing about (no report returned, or the row left blank)


@dataclass(frozen=True)
class Gap:
    item: str
    gain: Decimal | None
    declared: Declared | None

    def state(self) -> str:
        return NOT_REPORTED if self.declared is None else self.declared.state

    def overdue(self, as_of: date) -> bool:
        """Its 时限 has passed and it is not declared done."""
        d = self.declared
        return d is not None and d.state != dec.DONE and d.due is not None and d.due < as_of


@dataclass(frozen=True)
class BranchGaps:
    name: str
    parent: str
    score: Decimal | None
    rating: str | None
    gaps: tuple[Gap, ...]


def round_gaps(store: Store, round_name: str) -> list[BranchGaps]:
    """Every scored branch of ``round_name`` (by 上级党组织, 支部名称, source) with its gaps in rule-id order."""
    db = store.conn
    found = db.execute("SELECT id FROM rounds WHERE name = ?", (round_name,)).fetchone()
    if found is None:
        names = "、".join(r[0] for r in db.execute("SELECT name FROM rounds ORDER BY name")) or "无"
        raise StoreError(f"历史记录库中没有名为“{round_name}”的评估轮次（已有：{names}）")
    said = dec.of_round(store, round_name)
    gaps: dict[int, list[tuple[str, int | None]]] = {}
    for sub_id, item, gain in db.execute(
        f"SELECT r.submission_id, r.item_id, r.gain FROM results r JOIN submissions s ON s.id = r.submission_id"
        f" WHERE s.round_id = ? AND r.max > 0 AND r.status IN ({', '.join('?' * len(GAP_CODES))})",
        (found[0], *GAP_CODES),
    ):
        gaps.setdefault(sub_id, []).append((item, gain))
    out = []
    for sub_id, branch, name, parent, score, rating in db.execute(
        "SELECT id, branch, name, parent, score, rating FROM submissions WHERE round_id = ? AND status = 'scored'"
        " ORDER BY parent, name, source",
        (found[0],),
    ):
        rows = sorted(gaps.get(sub_id, []), key=lambda g: _id_key(g[0]))
        entries = tuple(Gap(item, _cents(gain), said.get((branch, item))) for item, gain in rows)
        out.append(BranchGaps(name or "", parent or "", _cents(score), rating, entries))
    return out


def _cents(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _id_key(item: str) -> tuple[tuple[int, int | str], ...]:
    """1.2.10 after 1.2.9."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in item.split("."))
