"""Starting a worker process with one pipe to it, the same way for the scoring pool
(engine.batch.workers) and the report writers (engine.reports.pool)."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any


def start_worker(target: Callable[..., None], *args: Any) -> tuple[BaseProcess, Connection]:
    """A daemon process running ``target(child_end, *args)``, and the parent's end of its pipe."""
    methods = multiprocessing.get_all_start_methods()
    ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(child, *args), daemon=True)
    # A Ctrl-C (or SIGTERM) that lands during fork would be raised inside the fork handlers and
    # swallowed; hold it back until the child exists, then it arrives as a normal KeyboardInterrupt.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    child.close()
    return process, parent


def worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle; a SIGTERM ends the worker outright (not the
    parent's handler, inherited through fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
