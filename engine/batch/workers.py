"""A small process pool in which one bad file can cost only itself.

Each worker reads and scores one file at a time under a memory cap
(RLIMIT_AS) and a per-file timeout. A worker that dies (native abort, out of
memory), hangs past the timeout, or raises anything at all (also exceptions
that do not derive from ``Exception``) yields an internal-error result for its
file; it is replaced and the batch goes on. The library's caller sees results
only, through a callback, never an exception from a bad input.
"""

from __future__ import annotations

import faulthandler
import pickle
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from engine.processes import start_worker, worker_signals
from engine.rules.model import RuleSet

T = TypeVar("T")  # what a worker makes of one file: a scored Result, or a checked Submission
Scorer = Callable[[RuleSet, str], Any]
Failure = Callable[[str, str, str], T]  # (source, short reason, details) → the file's failed outcome


@dataclass(frozen=True)
class Limits:
    memory_mib: int = 2048
    timeout_s: float = 120.0


def _worker_main(conn: Connection, rules: RuleSet, scorer: Scorer, memory_mib: int) -> None:
    worker_signals()
    faulthandler.disable()  # a native crash is reported as the file's error, not as a dump on the terminal
    try:
        import resource

        cap = memory_mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
        pass
    while True:
        try:
            source = conn.recv()
        except EOFError:
            return
        if source is None:
            return
        try:
            conn.send(("ok", scorer(rules, source)))
        except BaseException as exc:  # anything at all costs only this file
            conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    source: str | None = None
    started: float = 0.0


@dataclass
class Pool(Generic[T]):
    rules: RuleSet
    scorer: Callable[[RuleSet, str], T]
    failure: Failure[T]
    jobs: int = 1
    limits: Limits = field(default_factory=Limits)
    incidents: list[tuple[str, str]] = field(default_factory=list)  # (source, details) for the log

    def _start(self) -> _Worker:
        return _Worker(*start_worker(_worker_main, self.rules, self.scorer, self.limits.memory_mib))

    def run(self, sources: Sequence[str], on_result: Callable[[str, T], None]) -> None:
        """Score every source; ``on_result`` is called once per source, in completion order."""
        pending = deque(sources)
        workers = [self._start() for _ in range(max(1, min(self.jobs, len(sources))))]
        try:
            while pending or any(w.source is not None for w in workers):
                for w in workers:
                    if w.source is None and pending:
                        self._assign(w, pending.popleft())
                busy = [w for w in workers if w.source is not None]
                deadline = min(w.started for w in busy) + self.limits.timeout_s
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=max(0.0, deadline - time.monotonic()))
                for n, w in enumerate(workers):
                    if w.source is None:
                        continue
                    if w.conn in ready:
                        workers[n] = self._receive(w, on_result, pending)
                    elif w.process.sentinel in ready or not w.process.is_alive():
                        workers[n] = self._replace(w, on_result, "处理本文件时进程异常退出（可能内存不足或文件损坏）")
                    elif time.monotonic() - w.started > self.limits.timeout_s:
                        reason = f"处理超时（超过 {self.limits.timeout_s:g} 秒）"
                        workers[n] = self._replace(w, on_result, reason)
        finally:
            for w in workers:
                self._stop(w, kill=w.source is not None)

    @staticmethod
    def _assign(w: _Worker, source: str) -> None:
        w.source, w.started = source, time.monotonic()
        w.conn.send(source)

    def _receive(self, w: _Worker, on_result: Callable[[str, T], None], pending: deque[str]) -> _Worker:
        source = w.source
        assert source is not None
        try:
            data = w.conn.recv_bytes()
        except (EOFError, OSError):
            return self._replace(w, on_result, "处理本文件时进程异常退出（可能内存不足或文件损坏）")
        w.source = None
        if pending:  # the worker starts on its next file while this result is unpickled here
            self._assign(w, pending.popleft())
        message = pickle.loads(data)
        if message[0] == "ok":
            on_result(source, message[1])
        else:
            self.incidents.append((source, message[2]))
            on_result(source, self.failure(source, message[1], message[2]))
        return w

    def _replace(self, w: _Worker, on_result: Callable[[str, T], None], reason: str) -> _Worker:
        source = w.source
        assert source is not None
        self._stop(w, kill=True)
        details = f"{reason}；进程退出码 {w.process.exitcode}"
        self.incidents.append((source, details))
        on_result(source, self.failure(source, reason, details))
        return self._start()

    @staticmethod
    def _stop(w: _Worker, kill: bool = False) -> None:
        if w.process.is_alive():
            if kill:
                w.process.kill()
            else:
                try:
                    w.conn.send(None)
                except (OSError, BrokenPipeError):
                    w.process.kill()
        w.process.join(timeout=5)
        if w.process.is_alive():
            w.process.kill()
            w.process.join()
        w.conn.close()
