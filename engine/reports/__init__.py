"""Excel reports for people, built from the results dict form (never by re-scoring).

:func:`write_reports` writes, into the output folder: one 问题清单 per scored
branch, one 退回说明 per rejected file (in ``退回/``; none when only internal errors
stopped it: that is for the inspectors) and the roll-up ``汇总.xlsx``.
File names come from :mod:`engine.names`, assigned in input order; every path is
checked to stay inside the output folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from engine.outnames import NOTICE_DIR, NOTICE_SUFFIX, REPORT_SUFFIX, ROLLUP_NAME
from engine.names import DEFAULT_MAX_BYTES, UniqueNames, inside, safe_file_name
from engine.reports.branch import report_stem
from engine.reports.notices import needs_notice, notice_stem
from engine.reports.pool import ReportPool
from engine.reports.rollup import Rollup
from engine.reports.texts import SummaryRow, for_display, summary_row
from engine.rules.model import RuleSet
from engine.scoring.model import SCORED, Result
from engine.scoring.results import result_to_dict

__all__ = ["NOTICE_DIR", "REPORT_SUFFIX", "ROLLUP_NAME", "SummaryRow", "write_reports"]


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
    each: Callable[[Any, Mapping[str, Any]], None] | None = None,
) -> list[Path]:
    """Write every report for ``results`` (in input-path order) into ``out_dir``; return the paths written.

    Streamed: each submission is turned into its dict form, its file names made from it, its
    user text shortened for display (:func:`~engine.reports.texts.for_display`), its workbook written
    (in up to ``jobs`` worker processes), and reduced to what the roll-up needs.
    The files do not depend on ``jobs``. With ``summary``, each submission's console line
    (:func:`~engine.reports.texts.summary_row`) is appended to it, from the same dict. With
    ``each``, it is called with every submission and its dict form, before the submission's
    workbook is started (``score`` writes results.json from them while workers write workbooks).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    report_names = UniqueNames(_stem_bytes(REPORT_SUFFIX))
    notice_names = UniqueNames(_stem_bytes(NOTICE_SUFFIX))
    rollup = Rollup(rules)
    written: list[Path] = []
    with ReportPool(rules, jobs) as pool:
        for result in results:
            d = as_dict(result)
            if each is not None:
                each(result, d)
            shown = for_display(d)
            if summary is not None:
                summary.append(summary_row(shown))
            if d.get("status") == SCORED:
                name = report_names.add(safe_file_name(report_stem(d), _stem_bytes(REPORT_SUFFIX))) + REPORT_SUFFIX
                path, link, kind = inside(out_dir, name), name, "branch"
            elif not needs_notice(d):  # only internal errors: not the branch's to correct, no notice
                rollup.add(shown, None)
                continue
            else:
                (out_dir / NOTICE_DIR).mkdir(exist_ok=True)
                name = notice_names.add(safe_file_name(notice_stem(d), _stem_bytes(NOTICE_SUFFIX))) + NOTICE_SUFFIX
                path, link, kind = inside(out_dir / NOTICE_DIR, name), f"{NOTICE_DIR}/{name}", "notice"
            pool.submit(kind, shown, path)
            rollup.add(shown, link)
            written.append(path)
    written.append(rollup.write(inside(out_dir, ROLLUP_NAME)))
    return written
