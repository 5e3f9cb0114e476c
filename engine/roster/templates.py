"""One template per roster row (``branchcheck template --roster``): ``<上级党组织>-<支部名称>-自评表.xlsx``
with 支部名称, 上级党组织 and 支部编码 pre-filled and locked.

The template is built once per process and copied (unpickled) for each branch, which gives the
same bytes as :func:`engine.template.write_template` with the same ``prefill``; with ``jobs`` > 1
the branches are shared out to worker processes. File names are decided in the calling process, in
roster order, so the files do not depend on ``jobs``. An existing file with other content (a
template someone has started filling in) is never overwritten.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from engine.names import DEFAULT_MAX_BYTES, UniqueNames, inside, safe_file_name
from engine.roster.model import Roster, RosterRow
from engine.rules.model import RuleSet
from engine.template.writer import build_template, prefill_profile
from engine.xlsx import save_workbook

SUFFIX = "-自评表.xlsx"
WRITTEN, SAME, KEPT = "written", "same", "kept"  # new file / identical file already there / other file left alone

_base: bytes | None = None
_rules: RuleSet | None = None


@dataclass(frozen=True)
class Planned:
    row: RosterRow
    path: Path
    prefill: dict[str, str]


def prefill_of(row: RosterRow) -> dict[str, str]:
    """Profile roles → the roster's values."""
    values = {"branch_name": row.name, "parent_org": row.parent}
    if row.code:
        values["branch_code"] = row.code
    return values


def plan(roster: Roster, folder: Path) -> list[Planned]:
    names = UniqueNames(DEFAULT_MAX_BYTES - len(SUFFIX.encode()))
    out = []
    for row in roster.rows:
        stem = names.add(safe_file_name(f"{row.parent}-{row.name}", DEFAULT_MAX_BYTES - len(SUFFIX.encode())))
        out.append(Planned(row, inside(folder, stem + SUFFIX), prefill_of(row)))
    return out


def _init(rules: RuleSet) -> None:
    global _base, _rules
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _rules = rules
    _base = pickle.dumps(build_template(rules), protocol=pickle.HIGHEST_PROTOCOL)


def _write(path: Path, prefill: dict[str, str]) -> str:
    assert _base is not None and _rules is not None
    wb: Workbook = pickle.loads(_base)  # our own bytes, made in _init
    prefill_profile(wb, _rules, prefill)
    if not path.exists():
        save_workbook(wb, path)
        return WRITTEN
    fresh = path.with_name(f".{path.name}.new")
    try:
        save_workbook(wb, fresh)
        if fresh.read_bytes() == path.read_bytes():
            return SAME
        return KEPT
    finally:
        fresh.unlink(missing_ok=True)


def write_roster_templates(
    rules: RuleSet,
    roster: Roster,
    folder: Path,
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[Planned, str]]:
    """Write a template per roster row into ``folder``; (what was planned, WRITTEN/SAME/KEPT) in roster order."""
    folder.mkdir(parents=True, exist_ok=True)
    planned = plan(roster, folder)
    done: list[tuple[Planned, str]] = []
    if jobs <= 1 or len(planned) < 2:
        saved = signal.getsignal(signal.SIGINT)
        _init(rules)
        signal.signal(signal.SIGINT, saved)
        for p in planned:
            done.append((p, _write(p.path, p.prefill)))
            if progress:
                progress(len(done), len(planned))
        return done
    with ProcessPoolExecutor(max_workers=min(jobs, os.cpu_count() or 1), initializer=_init, initargs=(rules,)) as pool:
        for p, state in zip(planned, pool.map(_write, *_columns(planned), chunksize=8), strict=True):
            done.append((p, state))
            if progress:
                progress(len(done), len(planned))
    return done


def _columns(planned: Sequence[Planned]) -> tuple[list[Path], list[dict[str, str]]]:
    return [p.path for p in planned], [p.prefill for p in planned]
