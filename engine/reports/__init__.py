"""Excel reports for people, built from the results dict form (never by re-scoring).

:func:`write_reports` writes, into the output folder: one 问题清单 per scored
branch, one 退回说明 per rejected file (in ``退回/``; none when only internal errors
stopped it: that is for the inspectors) and the roll-up ``汇总.xlsx``.
File names come from :mod:`engine.names`, assigned in input order; every path is
checked to stay inside the output folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.names import DEFAULT_MAX_BYTES, UniqueNames, inside, safe_file_name
from engine.outnames import NOTICE_DIR, NOTICE_SUFFIX, REPORT_SUFFIX, ROLLUP_NAME
from engine.reports.branch import report_stem
from engine.reports.levels import Levels
from engine.reports.meta import branch_identity
from engine.reports.notices import needs_notice, notice_stem
from engine.reports.pool import ReportPool
from engine.reports.rollup import Rollup
from engine.reports.standing import STANDING
from engine.reports.texts import SummaryRow, for_display, summary_row
from engine.reports.units import UnitRollups
from engine.rules.model import RuleSet
from engine.scoring.model import SCORED, Result
from engine.scoring.results import result_to_dict

__all__ = ["NOTICE_DIR", "REPORT_SUFFIX", "ROLLUP_NAME", "Rounds", "SummaryRow", "write_reports"]


@dataclass(frozen=True)
class Rounds:
    """What the reports say about assessment rounds: the round this run recorded (named in each
    report's _meta) and the earlier round it was compared with, with each submission's comparison
    by source (objects with ``to_dict()``, see :class:`engine.history.compare.Comparison`)."""

    recorded: str | None = None
    compared: str | None = None
    comparisons: Mapping[str, Any] = field(default_factory=dict)
    keys: Mapping[str, Sequence[str]] = field(default_factory=dict)  # source → identities from a roster

    def add_to(self, d: Mapping[str, Any], source: str) -> dict[str, Any]:
        found = self.comparisons.get(source)
        extra: dict[str, Any] = {"round": self.recorded}
        if self.keys.get(source):  # recorded under its roster row's identity: _meta names that one
            extra["identity"] = self.keys[source][0]
        if self.compared is not None:
            extra.update(compared=self.compared, comparison=None if found is None else found.to_dict())
        return {**d, **extra}


def _stem_bytes(suffix: str) -> int:
    """Bytes left for the sanitised stem so that stem + suffix fit the file-name limit."""
    return DEFAULT_MAX_BYTES - len(suffix.encode("utf-8"))


def as_dict(result: Result | Mapping[str, Any]) -> Mapping[str, Any]:
    """The results dict form of ``result`` (dicts, e.g. read back from results.json, pass through)."""
    return result_to_dict(result) if isinstance(result, Result) else result


def write_reports(
    rules: RuleSet,
    results: Iterable[Result | Mapping[str, Any]],
    out_dir: Path,
    *,
    jobs: int = 1,
    summary: list[SummaryRow] | None = None,
    shown: Callable[[str], str] | None = None,
    others: Sequence[str] = (),
    rounds: Rounds | None = None,
    levels: Levels | None = None,
    each: Callable[[Any, Mapping[str, Any]], None] | None = None,
) -> list[Path]:
    """Write every report for ``results`` (in input-path order) into ``out_dir``; return the paths written.

    Streamed: each submission is turned into its dict form, its file names made from it, its
    user text shortened for display (:func:`~engine.reports.texts.for_display`), its workbook written
    (in up to ``jobs`` worker processes), and reduced to what the roll-up needs.
    The files do not depend on ``jobs``. With ``summary``, each submission's console line
    (:func:`~engine.reports.texts.summary_row`) is appended to it, from the same dict.
    ``shown`` gives how people read a source (relative to the input root: 办公室/自评表.xlsx);
    it names the 退回说明 of a file whose branch could not be read. ``others``: the files
    found beside the inputs that are not spreadsheets, listed in 汇总 (as people read them).
    With ``rounds`` the reports name the round and, when it was compared, show the comparison.
    With ``levels`` (:mod:`engine.reports.levels`, planned from all results before any report is
    written, as ``score`` does), the roll-up has the unit and roster sheets filled in, each
    branch report its standing in its unit, and with ``levels.by_unit`` one roll-up per unit is
    written into ``分单位/``. With ``each``, it is called with every submission and its dict
    form (before any report-only key is added), before the submission's workbook is started
    (``score`` writes results.json from them while workers write workbooks).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    report_names = UniqueNames(_stem_bytes(REPORT_SUFFIX))
    notice_names = UniqueNames(_stem_bytes(NOTICE_SUFFIX))
    # The roll-ups see sources as people read them (shown); the levels are keyed the same way.
    seen = levels.shown_as(shown) if levels is not None and shown is not None else levels
    rollup = Rollup(rules, others=list(others), levels=seen)
    if rounds is not None and rounds.compared is not None:
        from engine.reports.changes import Changes

        rollup.changes = Changes(rules, rounds.compared)
    units = UnitRollups(rules, seen) if seen is not None and seen.by_unit else None
    written: list[Path] = []
    with ReportPool(rules, jobs) as pool:
        for result in results:
            d = as_dict(result)
            if each is not None:
                each(result, d)  # the results document: before the report-only keys below
            relative = shown(str(d.get("source") or "")) if shown is not None else None
            if d.get("status") == SCORED:
                d = {**d, "identity": branch_identity(rules, d)}
                if rounds is not None:
                    d = rounds.add_to(d, result.source if isinstance(result, Result) else str(d.get("source")))
            display = for_display(_with_sources(d, result, shown))
            standing = levels.standings.get(str(d.get("source", ""))) if levels is not None else None
            if standing is not None:
                display = {**display, STANDING: standing.to_dict()}
            if summary is not None:
                summary.append(summary_row(display))
            if d.get("status") == SCORED:
                name = report_names.add(safe_file_name(report_stem(d), _stem_bytes(REPORT_SUFFIX))) + REPORT_SUFFIX
                path, link, kind = inside(out_dir, name), name, "branch"
            elif not needs_notice(d):  # only internal errors: not the branch's to correct, no notice
                rollup.add(display, None)
                if units is not None:
                    units.add(display, None)
                continue
            else:
                (out_dir / NOTICE_DIR).mkdir(exist_ok=True)
                stem = safe_file_name(notice_stem(display, relative), _stem_bytes(NOTICE_SUFFIX))
                name = notice_names.add(stem) + NOTICE_SUFFIX
                path, link, kind = inside(out_dir / NOTICE_DIR, name), f"{NOTICE_DIR}/{name}", "notice"
            pool.submit(kind, display, path)
            rollup.add(display, link)
            if units is not None:
                units.add(display, link)
            written.append(path)
    if units is not None:
        written.extend(units.write(out_dir))  # first: the roll-up links to them
    written.append(rollup.write(inside(out_dir, ROLLUP_NAME)))
    return written


def _with_sources(
    d: Mapping[str, Any], result: Result | Mapping[str, Any], shown: Callable[[str], str] | None
) -> Mapping[str, Any]:
    """``d`` with its source (and the original it copies) as people read them, and, for a
    rejected submission, the branch's name and 上级党组织 as far as they could be read (they
    name its notice; the results JSON keeps ``branch`` null)."""
    out = dict(d)
    if shown is not None:
        out["source"] = shown(str(d.get("source") or ""))
        if d.get("duplicate_of"):
            out["duplicate_of"] = shown(str(d["duplicate_of"]))
    if isinstance(result, Result) and not result.scored and result.branch_name:
        out["branch"] = {"name": result.branch_name, "parent": result.parent_org, "profile": {}}
    return out
