"""Score a batch of input files: read and score each in a worker process, then
cross-file checks in the parent, in input-path order (results do not depend on
``jobs``). Progress is reported through a callback; nothing here prints."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from engine import diagnostics, guards
from engine.batch.copies import original
from engine.batch.discovery import scan
from engine.batch.workers import Limits, Pool
from engine.contract import WORKBOOK_SUFFIXES
from engine.errors import Interrupted
from engine.history.identity import CODE_ROLE, branch_key
from engine.rules.model import RuleSet
from engine.scoring import rejected, score_submission
from engine.scoring.model import REJECTED, UNANSWERED, UNDETERMINED, Result
from engine.scoring.quota import apply_quotas
from engine.submission import Submission
from engine.textsafe import escape_surrogates

Progress = Callable[[int, int, str], None]  # (done, total, source of the file just finished)


@dataclass(frozen=True)
class BatchOptions:
    jobs: int = 1
    strict: bool = False
    limits: Limits = field(default_factory=Limits)
    max_file_size: int = guards.MAX_SIZE


@dataclass(frozen=True)
class Batch:
    """The results, in input order, and what went wrong inside the tool (for the log)."""

    results: list[Result]
    incidents: list[tuple[str, str]]
    rosters: list[str] = field(default_factory=list)  # inputs that are rosters (名册), not submissions


def is_roster(diagnostics_of: Sequence[diagnostics.Diagnostic]) -> bool:
    """Whether the reader found a roster (名册) rather than a submission (see engine.intake.reader)."""
    return len(diagnostics_of) == 1 and diagnostics_of[0].code == "roster-file"


def read_file(rules: RuleSet, source: str, max_size: int = guards.MAX_SIZE) -> Submission:
    """Read one input file as ``check`` and ``score`` both do. Problems are diagnostics, never exceptions."""
    from engine.intake import read_submission  # the reader is heavy; workers import it once

    if not source.lower().endswith(WORKBOOK_SUFFIXES):
        problem = guards.precheck(Path(source), max_size)
        if problem is not None:
            return Submission(source, guards.digest(source, max_size), diagnostics=(problem,))
        # The content is a workbook the reader reads (an .xlsx saved without its extension): read it.
    return replace(read_submission(Path(source), rules, max_size), source=source)


def score_file(rules: RuleSet, source: str, max_size: int = guards.MAX_SIZE) -> Result:
    """Read and score one file. Any failure becomes a rejected result, never an exception."""
    return score_submission(rules, read_file(rules, source, max_size))


def _internal_error(source: str, reason: str, _details: str) -> Result:
    return rejected(Submission(source, guards.digest(source)), [diagnostics.make("internal-error", detail=reason)])


def score_batch(
    rules: RuleSet,
    inputs: Sequence[str],
    options: BatchOptions | None = None,
    progress: Progress | None = None,
    shown: Callable[[str], str] | None = None,
) -> Batch:
    """Score ``inputs`` (already discovered) in worker processes; results in input order.
    ``shown``: how messages name an input (relative to the input root)."""
    options = options or BatchOptions()
    results: dict[str, Result] = {}

    def done(source: str, result: Result) -> None:
        results[source] = result
        if progress is not None:
            progress(len(results), len(inputs), source)

    scorer = functools.partial(score_file, max_size=options.max_file_size)
    pool: Pool[Result] = Pool(rules, scorer, _internal_error, jobs=options.jobs, limits=options.limits)
    try:
        pool.run(inputs, done)
        ordered = [results[s] for s in inputs if not is_roster(results[s].diagnostics)]
        rosters = [s for s in inputs if is_roster(results[s].diagnostics)]
        if options.strict:
            ordered = [_strict(r) for r in ordered]
        return Batch(apply_quotas(rules, cross_file_checks(ordered, shown, rules)), pool.incidents, rosters)
    except KeyboardInterrupt:
        raise Interrupted(f"已中断：已读取 {len(results)}/{len(inputs)} 个文件，未写出任何结果文件。") from None


def _strict(result: Result) -> Result:
    """``--strict``: unanswered check points or undetermined vetoes reject the submission."""
    if result.status == REJECTED:
        return result
    error = strict_problem(result)
    if error is None:
        return result
    refused = rejected(Submission(result.source, result.sha256, diagnostics=result.diagnostics), [error])
    return replace(refused, branch_name=result.branch_name, parent_org=result.parent_org, profile=result.profile)


def strict_problem(result: Result) -> diagnostics.Diagnostic | None:
    """The strict-incomplete error of a scored result, or None when nothing is missing."""
    unanswered = [i.id for i in result.items if i.status == UNANSWERED]
    undetermined = [v.id for v in result.vetoes if v.status == UNDETERMINED]
    parts = []
    if unanswered:
        parts.append(
            f"{len(unanswered)} 个检查要点未填写（{'、'.join(unanswered[:10])}{'等' if len(unanswered) > 10 else ''}）"
        )
    if undetermined:
        parts.append(f"否决项 {'、'.join(undetermined)} 无法判定")
    return diagnostics.make("strict-incomplete", what="；".join(parts)) if parts else None


def _others(names: list[str], group: list[int], n: int, shown: int = 3) -> str:
    """The other files of ``group``, at most ``shown`` named (a 400-copy batch must not make 400² names)."""
    first = [names[m] for m in group[: shown + 1] if m != n][:shown]
    rest = len(group) - 1 - len(first)
    return "、".join(first) + (f" 等 {len(group) - 1} 个文件" if rest > 0 else "")


def cross_file_checks(
    results: list[Result], shown: Callable[[str], str] | None = None, rules: RuleSet | None = None
) -> list[Result]:
    """Duplicate files (same sha256) and branches submitted twice: warnings on both, in path order.

    One branch is one :func:`same_branch` group (with ``rules``, the 支部编码 counts too); its files
    of different content are all scored and ranked, each warned of the others (duplicate-branch).

    Of identical files, one is the original (:func:`engine.batch.copies.original`: a scored one,
    named not like a copy, else the first); the others get ``duplicate_of``. Files are named
    as ``shown`` gives them (relative to the input root), else by their file name.
    """
    names = [escape_surrogates(shown(r.source) if shown else Path(r.source).name) for r in results]
    by_hash: dict[str, list[int]] = {}
    for n, r in enumerate(results):
        if r.sha256:
            by_hash.setdefault(r.sha256, []).append(n)
    extra: dict[int, list[diagnostics.Diagnostic]] = {}
    copy_of: dict[int, int] = {}
    for group in by_hash.values():
        if len(group) > 1:
            files = [shown(results[m].source) if shown else Path(results[m].source).name for m in group]
            first = group[original(files, [results[m].scored for m in group])]
            for n in group:
                kept = "，以本份为准" if n == first else f"，以 {names[first]} 为准，本份作为重复提交不再计入"
                extra.setdefault(n, []).append(
                    diagnostics.make("duplicate-file", other=_others(names, group, n), kept=kept)
                )
                if n != first:
                    copy_of[n] = first
    for group in same_branch(results, rules):
        distinct = {results[m].sha256 for m in group}
        if len(distinct) > 1:  # copies of one file are already flagged as duplicates
            for n in group:
                r = results[n]
                other = _others(names, [m for m in group if results[m].sha256 != r.sha256], -1)
                found = diagnostics.make(
                    "duplicate-branch", parent=r.parent_org or "", name=r.branch_name, other=other, count=len(distinct)
                )
                extra.setdefault(n, []).append(found)
    return [
        replace(
            r,
            diagnostics=r.diagnostics + tuple(extra.get(n, ())),
            duplicate_of=results[copy_of[n]].source if n in copy_of else None,
        )
        if n in extra
        else r
        for n, r in enumerate(results)
    ]


def same_branch(results: list[Result], rules: RuleSet | None = None) -> list[list[int]]:
    """The scored results grouped by branch, each group in path order: the same 支部编码, or the
    same 上级党组织 and 支部名称 (spaces and full-/half-width ignored, engine.history.identity),
    joined transitively (one file may share its code with a second and its name with a third)."""
    code_field = rules.field_with_role(CODE_ROLE) if rules is not None else None
    head: dict[int, int] = {}  # union-find over result indexes; near-linear

    def find(n: int) -> int:
        while head[n] != n:
            head[n] = head[head[n]]
            n = head[n]
        return n

    first: dict[str, int] = {}
    for n, r in enumerate(results):
        if not (r.scored and r.branch_name):
            continue
        head[n] = n
        code = r.profile.get(code_field.id) if code_field is not None else None
        keys = [branch_key(None, r.parent_org, r.branch_name)]
        if isinstance(code, str) and code.strip():
            keys.append(branch_key(code, None, None))
        for key in keys:
            if key is None:
                continue
            if key in first:
                head[find(n)] = find(first[key])
            else:
                first[key] = n
    groups: dict[int, list[int]] = {}
    for n in head:
        groups.setdefault(find(n), []).append(n)
    return [group for group in groups.values() if len(group) > 1]


def find_inputs(paths: Sequence[str | Path], output_dir: Path | None = None) -> list[str]:
    """Discover inputs, never reading back the output folder or files the tool wrote."""
    return scan(paths, exclude=[output_dir] if output_dir is not None else []).files


def default_jobs() -> int:
    return os.cpu_count() or 1
