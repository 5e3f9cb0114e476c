"""The ``check`` job as one library call: find the inputs as ``score`` does, read each in the
same worker pool (same guards, memory cap, timeout, crash isolation), and return one report
that every renderer (console table, ``--json``) reads through :meth:`CheckReport.to_dict`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import diagnostics, guards
from engine.batch.discovery import scan
from engine.batch.scoring import BatchOptions, Progress, read_file
from engine.batch.workers import Pool
from engine.errors import Interrupted, MissingInputError
from engine.rules.model import RuleSet
from engine.submission import Submission
from engine.textsafe import escape_surrogates

CHECK_FORMAT = "branchcheck.check/1"


@dataclass(frozen=True)
class CheckReport:
    """Every input's submission as read (in path order), and the tool's own incidents."""

    files: list[Submission]
    incidents: list[tuple[str, str]]

    @property
    def valid(self) -> bool:
        return all(s.valid for s in self.files)

    def to_dict(self) -> dict[str, Any]:
        """The public ``branchcheck.check/1`` document."""
        return {
            "format": CHECK_FORMAT,
            "files": [
                {
                    "source": escape_surrogates(s.source),
                    "sha256": s.sha256,
                    "valid": s.valid,
                    "diagnostics": [d.to_dict() for d in s.diagnostics],
                }
                for s in self.files
            ],
        }


def _failed(source: str, reason: str, _details: str) -> Submission:
    return Submission(source, guards.digest(source), diagnostics=(diagnostics.make("internal-error", detail=reason),))


def check_files(
    rules: RuleSet,
    paths: Sequence[str | Path],
    options: BatchOptions | None = None,
    progress: Progress | None = None,
) -> CheckReport:
    """Check every input under ``paths``; one bad file costs only its own verdict."""
    options = options or BatchOptions()
    inputs = scan(paths).files
    if not inputs:
        raise MissingInputError("没有找到任何输入文件：" + "、".join(str(p) for p in paths))
    read = functools.partial(read_file, max_size=options.max_file_size)
    pool: Pool[Submission] = Pool(rules, read, _failed, jobs=options.jobs, limits=options.limits)
    done: dict[str, Submission] = {}

    def finished(source: str, submission: Submission) -> None:
        done[source] = submission
        if progress is not None:
            progress(len(done), len(inputs), source)

    try:
        pool.run(inputs, finished)
    except KeyboardInterrupt:
        raise Interrupted(f"已中断：已检查 {len(done)}/{len(inputs)} 个文件。") from None
    return CheckReport([done[s] for s in inputs], pool.incidents)
