"""Write report workbooks in worker processes when asked (``jobs`` > 1), a bounded number at a time.

Only the building and saving of each workbook moves to a worker; names, paths and
the roll-up stay in the calling process, so the files are the same for any ``jobs``.

Each worker has one pipe; the calling process sends it a report to write and reads back
the path, in its own thread, with at most ``_IN_FLIGHT_PER_JOB`` reports waiting per
worker. (``concurrent.futures.ProcessPoolExecutor`` did the same with two helper threads
and a queue per call: ≈ 1.5 ms of the calling process's time per report, a tenth of what
the report itself costs, spent while both workers wanted both cores.)
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from engine.processes import start_worker, worker_signals
from engine.reports.branch import write_branch_report
from engine.reports.notices import write_notice
from engine.rules.model import RuleSet

Writer = Callable[[RuleSet, Mapping[str, Any], Path], Path]
WRITERS: dict[str, Writer] = {"branch": write_branch_report, "notice": write_notice}
_IN_FLIGHT_PER_JOB = 2  # one being written, one waiting in the pipe (a report's dict is ≈ 25 KB)


class ReportWorkerLost(RuntimeError):
    """A report worker ended without answering (killed from outside, out of memory)."""


def _worker_main(conn: Connection, rules: RuleSet) -> None:
    worker_signals()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        kind, d, path = task
        try:
            conn.send(("ok", WRITERS[kind](rules, d, path)))
        except BaseException as exc:  # the caller re-raises it, as if it had written the report itself
            try:
                conn.send(("error", exc))
            except Exception:  # an exception that does not pickle
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    waiting: int = 0  # reports sent, not yet answered


class ReportPool:
    """``submit(kind, d, path)`` writes now (jobs=1) or in a worker; leaving the block waits for all."""

    def __init__(self, rules: RuleSet, jobs: int = 1) -> None:
        self.rules = rules
        self.jobs = max(1, jobs)
        self._workers: list[_Worker] = []
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
            try:
                self._workers = [self._start() for _ in range(self.jobs)]
            except BaseException:
                self._stop(kill=True)
                raise
        return self

    def _start(self) -> _Worker:
        return _Worker(*start_worker(_worker_main, self.rules))

    def submit(self, kind: str, d: Mapping[str, Any], path: Path) -> None:
        if not self._workers:
            WRITERS[kind](self.rules, d, path)
            return
        worker = min(self._workers, key=lambda w: w.waiting)
        while worker.waiting >= _IN_FLIGHT_PER_JOB:
            self._answers()
            worker = min(self._workers, key=lambda w: w.waiting)
        worker.conn.send((kind, dict(d), path))
        worker.waiting += 1

    def _answers(self) -> None:
        """Wait for at least one answer and read those that are there; re-raise a worker's error."""
        busy = [w for w in self._workers if w.waiting]
        ready = set(wait([h for w in busy for h in (w.conn, w.process.sentinel)], ))
        for worker in busy:
            if worker.conn not in ready:
                if worker.process.sentinel in ready:  # ended without answering
                    raise ReportWorkerLost("报告写入进程意外退出")
                continue
            try:
                status, value = worker.conn.recv()
            except (EOFError, ConnectionResetError):  # ended while sending, or with a report unread
                raise ReportWorkerLost("报告写入进程意外退出") from None
            worker.waiting -= 1
            if status == "error":
                raise value

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                while any(w.waiting for w in self._workers):
                    self._answers()
        finally:
            self._stop(kill=kind is not None)
            if self._froze:
                gc.unfreeze()

    def _stop(self, kill: bool = False) -> None:
        for w in self._workers:
            if kill:
                w.process.kill()
            else:
                try:
                    w.conn.send(None)
                except OSError:  # already gone
                    w.process.kill()
        for w in self._workers:
            w.process.join()
            w.conn.close()
        self._workers = []
