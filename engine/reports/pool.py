"""Write report workbooks in worker processes when asked (``jobs`` > 1), a bounded number at a time.

Only the building and saving of each workbook moves to a worker; names, paths and
the roll-up stay in the calling process, so the files are the same for any ``jobs``.
"""

from __future__ import annotations

import gc
import signal
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from engine.reports.branch import write_branch_report
from engine.reports.notices import write_notice
from engine.rules.model import RuleSet

Writer = Callable[[RuleSet, Mapping[str, Any], Path], Path]
WRITERS: dict[str, Writer] = {"branch": write_branch_report, "notice": write_notice}
_IN_FLIGHT_PER_JOB = 4

_rules: RuleSet | None = None


def _init_worker(rules: RuleSet) -> None:
    global _rules
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: a SIGTERM ends a writer outright
    _rules = rules


def _work(kind: str, d: Mapping[str, Any], path: Path) -> Path:
    assert _rules is not None
    return WRITERS[kind](_rules, d, path)


class ReportPool:
    """``submit(kind, d, path)`` writes now (jobs=1) or in a worker; leaving the block waits for all."""

    def __init__(self, rules: RuleSet, jobs: int = 1) -> None:
        self.rules = rules
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[Path]] = deque()
        self._froze = False

    def __enter__(self) -> ReportPool:
        # Every report allocates thousands of container objects (cells, rows, formats), so full collections are
        # frequent; each would walk all the results the caller holds again, and the cost per
        # report grew with the batch (forked workers also copied every page the collector
        # touched). Frozen, what is alive now is skipped until the pool closes; nothing is kept
        # longer. Left alone when the embedding program uses gc.freeze itself.
        self._froze = gc.get_freeze_count() == 0
        if self._froze:
            gc.freeze()
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker, initargs=(self.rules,))
        return self

    def submit(self, kind: str, d: Mapping[str, Any], path: Path) -> None:
        if self._pool is None:
            WRITERS[kind](self.rules, d, path)
            return
        self._pending.append(self._pool.submit(_work, kind, dict(d), path))
        while len(self._pending) > self.jobs * _IN_FLIGHT_PER_JOB:
            self._pending.popleft().result()  # bounded memory; re-raises a worker's error

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if self._pool is not None and kind is None:
                while self._pending:
                    self._pending.popleft().result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            if self._froze:
                gc.unfreeze()
