"""The ``check`` job as one library call: find the inputs as ``score`` does, read each in the
same worker pool (same guards, memory cap, timeout, crash isolation), and return one report
that every renderer (console table, ``--json``) reads through :meth:`CheckReport.to_dict`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine import diagnostics, guards
from engine.batch.discovery import Found, scan
from engine.batch.scoring import BatchOptions, Progress, is_roster, read_file, strict_problem
from engine.batch.workers import Pool
from engine.errors import Interrupted
from engine.rules.model import RuleSet
from engine.scoring import score_submission
from engine.submission import Submission
from engine.textsafe import escape_surrogates

CHECK_FORMAT = "branchcheck.check/1"


@dataclass(frozen=True)
class CheckReport:
    """Every input's submission as read (in path order), the tool's own incidents, the files found
    beside the inputs that are not spreadsheets (as found), and where the inputs were found."""

    files: list[Submission]
    incidents: list[tuple[str, str]]
    others: list[str] = field(default_factory=list)
    found: Found = field(default_factory=Found)

    def shown(self, source: str) -> str:
        """A source as people read it: relative to the common input root, control bytes escaped."""
        return escape_surrogates(self.found.relative(source))

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
            "other_files": [escape_surrogates(o) for o in self.others],
        }


def check_file(rules: RuleSet, source: str, max_size: int = guards.MAX_SIZE, strict: bool = False) -> Submission:
    """Read one file as ``score`` would, and add what scoring would say of a readable one: an
    undetermined veto (a warning), nothing applicable, and under ``strict`` what is missing."""
    submission = read_file(rules, source, max_size)
    if not submission.valid or is_roster(submission.diagnostics):
        return submission
    result = score_submission(rules, submission)
    extra = list(result.diagnostics[len(submission.diagnostics) :])
    if strict and result.scored:
        problem = strict_problem(result)
        extra += [problem] if problem is not None else []
    return replace(submission, diagnostics=submission.diagnostics + tuple(extra)) if extra else submission


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
    found = scan(paths)
    inputs = found.files
    if not inputs:
        raise found.no_inputs(paths)
    read = functools.partial(check_file, max_size=options.max_file_size, strict=options.strict)
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
    rosters = [s for s in inputs if is_roster(done[s].diagnostics)]  # listed with the other files
    if len(rosters) == len(inputs):
        raise replace(found, others=sorted([*found.others, *rosters])).no_inputs(paths)
    checked = [done[s] for s in inputs if not is_roster(done[s].diagnostics)]
    return CheckReport(checked, pool.incidents, sorted([*found.others, *rosters]), found)
