"""What each branch declared about the rectification of a round's gaps (整改措施/责任人/时限/状态).

Imported from the returned 问题清单 workbooks (:mod:`engine.history.returned`); read back when
the next round is compared (a gap declared done that is still a gap is 整改不实) and by the
回头看 report. Stored per round name, branch identity and check point.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.history.store import Store
from engine.intake.normalise import fold_title

DONE = "已完成"
DOING = "整改中"
TODO = "未整改"
STATES = (TODO, DOING, DONE)
# What a branch may write in 整改状态 (compared after folding full-width forms, spaces and case).
STATE_WORDS: dict[str, tuple[str, ...]] = {
    DONE: (DONE, "已整改", "完成", "整改完成", "已销号", "销号", "已完毕"),
    DOING: (DOING, "正在整改", "进行中", "部分完成", "整改进行中"),
    TODO: (TODO, "未完成", "未开始", "尚未整改", "待整改"),
}
_BY_WORD = {fold_title(word): state for state, words in STATE_WORDS.items() for word in words}


def state_of(text: str) -> str | None:
    """The declared state a 整改状态 cell stands for, or None when it is none of the words."""
    return _BY_WORD.get(fold_title(text))


@dataclass(frozen=True)
class Declared:
    """One gap's declared rectification."""

    state: str
    due: date | None = None
    owner: str | None = None
    measure: str | None = None

    def to_dict(self) -> dict[str, Any]:
        due = None if self.due is None else self.due.isoformat()
        return {"state": self.state, "due": due, "owner": self.owner, "measure": self.measure}


def save(store: Store, round_name: str, branch: str, rows: Iterable[tuple[str, Declared]], source: str) -> int:
    """Replace what ``branch`` declared for ``round_name`` with ``rows`` in one transaction; the count."""
    values = [
        (round_name, branch, item, d.state, None if d.due is None else d.due.isoformat(), d.owner, d.measure, source)
        for item, d in rows
    ]
    with store.writing() as db:
        db.execute("DELETE FROM declared WHERE round = ? AND branch = ?", (round_name, branch))
        db.executemany("INSERT INTO declared VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
    return len(values)


def of_round(store: Store, round_name: str) -> dict[tuple[str, str], Declared]:
    """Everything declared for ``round_name``: (branch, check point) → declaration."""
    rows = store.conn.execute(
        "SELECT branch, item_id, state, due, owner, measure FROM declared WHERE round = ?", (round_name,)
    )
    return {
        (branch, item): Declared(state, None if due is None else date.fromisoformat(due), owner, measure)
        for branch, item, state, due, owner, measure in rows
    }


def remove_round(db: Any, round_name: str) -> None:
    """Within a write transaction: forget what was declared for ``round_name``."""
    db.execute("DELETE FROM declared WHERE round = ?", (round_name,))
