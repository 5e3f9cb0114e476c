"""Progress display for batch commands: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from engine.cli.console import err

Callback = Callable[[int, int, str], None]


@contextlib.contextmanager
def progress_reporter(quiet: bool, label: str = "评分") -> Iterator[Callback | None]:
    """A progress callback ``(done, total, source)``; the total comes with each call."""
    if quiet:
        yield None
        return
    if err.is_terminal:
        columns = (
            TextColumn(f"{label}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("剩余"),
            TimeRemainingColumn(),
        )
        started = time.monotonic()
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(label, total=None, rate="")

            def update(done: int, total: int, _source: str) -> None:
                rate = done / max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=done, total=total, rate=f"{rate:.1f} 个/秒")

            yield update
        return
    last = [0.0]

    def plain(done: int, all_files: int, _source: str) -> None:
        now = time.monotonic()
        if done == all_files or now - last[0] >= 5:
            last[0] = now
            err.print(f"{label}进度：{done}/{all_files}", markup=False)

    yield plain
