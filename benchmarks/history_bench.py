"""The history store's rows of the benchmark (issue 14's store, issue 18's table).

- recording: what ``score … --round`` adds to a run (open a fresh store, look for an earlier
  round, record every result as the round in one transaction), timed alone and set against
  the full ``score`` at one job;
- a store of ``branches`` × ``rounds`` built through the store's own API (``record_round``)
  from synthetic results (the real results replicated with their own names, codes and
  reference dates), then ``history show`` of one branch (``queries.branch_history``) and the
  comparison of a whole run with the latest round (``compare``);
- the store's size per submission recorded.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from engine.history.compare import compare, previous_round
from engine.history.identity import CODE_ROLE
from engine.history.queries import branch_history
from engine.history.record import record_round
from engine.history.store import Store
from engine.rules import RuleSet
from engine.scoring.model import Result

KIB = 1024


def _store_bytes(path: Path) -> int:
    """The store file with whatever SQLite keeps beside it (WAL, shared memory)."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def record_times(rules: RuleSet, results: Sequence[Result], folder: Path, times: int) -> list[float]:
    """Seconds of what ``--round`` adds to a run, into a fresh store each time."""
    spent = []
    for n in range(times):
        path = folder / f"record-{n}.sqlite"
        start = time.perf_counter()
        with Store(path) as store:
            previous_round(store, results, "2024", None)
            record_round(store, "2024", rules, results)
        spent.append(time.perf_counter() - start)
    return spent


class _Synthetic(Sequence[Result]):
    """``count`` results of one round made on the fly from ``seeds`` (their items shared, not copied)."""

    def __init__(self, rules: RuleSet, seeds: Sequence[Result], count: int, year: int) -> None:
        self.seeds, self.count, self.year = seeds, count, year
        field = rules.field_with_role(CODE_ROLE)
        self.code = field.id if field is not None else None

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, n: Any) -> Any:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(self.count))]
        if not 0 <= n < self.count:
            raise IndexError(n)
        base = self.seeds[n % len(self.seeds)]
        profile = dict(base.profile)
        if self.code is not None:
            profile[self.code] = f"HB{n + 1:06d}"
        return dataclasses.replace(
            base, source=f"synthetic/{self.year}/{n + 1:05d}.xlsx", branch_name=f"合成第{n + 1}党支部",
            parent_org=f"合成单位{n // 50 + 1}机关党委", profile=profile, reference_date=date(self.year, 6, 30),
        )  # fmt: skip

    def query(self, n: int) -> str:
        """What ``history show`` is given for the ``n``-th branch: its 支部编码, else 上级党组织/支部名称."""
        return f"HB{n + 1:06d}" if self.code is not None else f"合成单位{n // 50 + 1}机关党委/合成第{n + 1}党支部"

    def __iter__(self) -> Iterator[Result]:
        return (self[n] for n in range(self.count))


def measure_history(
    rules: RuleSet, results: Sequence[Result], full_jobs1_s: float, folder: Path, times: int, branches: int, rounds: int
) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [r for r in results if r.scored]
    recording = record_times(rules, results, folder, times)
    record_s = statistics.median(recording)
    path = folder / "store.sqlite"
    start = time.perf_counter()
    with Store(path) as store:
        for k in range(rounds):
            record_round(store, f"{2020 + k}年度", rules, _Synthetic(rules, seeds, branches, 2020 + k))
    build_s = time.perf_counter() - start
    size = _store_bytes(path)
    latest = _Synthetic(rules, seeds, branches, 2020 + rounds)
    with Store(path) as store:
        show = _timed(lambda: branch_history(store, latest.query(branches // 2)), times)
        found = show[1]
        earlier = previous_round(store, latest, None, None)
        assert earlier is not None
        now = list(latest)
        compared = _timed(lambda: compare(store, rules, now, earlier), times)
    for p in folder.glob("*.sqlite*"):
        p.unlink()
    submissions = branches * rounds
    return {
        "results": len(results), "record_s": round(record_s, 3), "record_runs_s": [round(s, 3) for s in recording],
        "record_share_of_full": round(record_s / full_jobs1_s, 4),
        "branches": branches, "rounds": rounds, "build_s": round(build_s, 1),
        "show_s": round(show[0], 4), "show_rounds": len(found), "compare_s": round(compared[0], 3),
        "compared": len(compared[1]), "store_bytes": size,
        "bytes_per_submission": round(size / submissions), "kib_per_submission": round(size / submissions / KIB, 2),
    }  # fmt: skip


def _timed(fn: Any, times: int) -> tuple[float, Any]:
    """Median seconds of ``times`` calls of ``fn``, and the last call's value."""
    spent, value = [], None
    for _ in range(times):
        start = time.perf_counter()
        value = fn()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent), value
