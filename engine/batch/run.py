"""The ``score`` job as one library call: find inputs, score them, write the outputs."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine import guards
from engine.batch.discovery import Found, scan
from engine.batch.manifest import write_manifest
from engine.batch.notes import other_rules_note, repeated_branches_note
from engine.batch.outfolder import OutputFolder, Swap
from engine.batch.scoring import Batch, BatchOptions, Progress, score_batch
from engine.errors import Interrupted, UsageError
from engine.files import atomic_text
from engine.history import HistoryOptions, queries
from engine.history.compare import Comparison, compare, previous_round
from engine.history.record import record_round
from engine.history.store import Store
from engine.outnames import (
    EDITED_PREFIX,
    FIXED_NAMES,
    LOG_NAME,
    NOTICE_DIR,
    NOTICE_SUFFIX,
    REPORT_SUFFIX,
    RESULTS_NAME,
    UNIT_DIR,
    UNIT_SUFFIX,
    is_output_name,
)
from engine.reports import Rounds, SummaryRow, write_reports
from engine.reports.levels import Levels, plan_levels
from engine.reports.rounds import assessment_year, mixed_rounds_warning
from engine.roster import Roster
from engine.roster.matching import match_roster, roster_notes, same_file
from engine.rules.model import RuleSet
from engine.scoring.model import Result
from engine.scoring.results import ResultsStream, write_results
from engine.textsafe import escape_surrogates

__all__ = ["LOG_NAME", "RESULTS_NAME", "RunOutcome", "score_to_folder"]


@dataclass(frozen=True)
class RunOutcome:
    results: list[Result]
    written: list[Path]
    notes: list[str] = field(default_factory=list)  # Chinese, for the person who ran it
    summary: list[SummaryRow] = field(default_factory=list)  # a console line per input, in input order
    others: list[str] = field(default_factory=list)  # files beside the inputs that are not spreadsheets (as shown)

    @property
    def reports(self) -> list[Path]:
        return [p for p in self.written if p.name.endswith(REPORT_SUFFIX)]

    @property
    def notices(self) -> list[Path]:
        return [p for p in self.written if p.name.endswith(NOTICE_SUFFIX)]

    @property
    def unit_rollups(self) -> list[Path]:
        return [p for p in self.written if p.parent.name == UNIT_DIR and p.name.endswith(UNIT_SUFFIX)]

    @property
    def scored(self) -> int:
        return sum(1 for r in self.results if r.scored)

    @property
    def rejected(self) -> int:
        return len(self.results) - self.scored

    @property
    def duplicates(self) -> int:
        """Copies of another input (same content): listed, not counted again."""
        return sum(1 for r in self.results if r.duplicate_of is not None)


def score_to_folder(
    rules: RuleSet,
    paths: Sequence[str | Path],
    out_dir: Path,
    *,
    options: BatchOptions | None = None,
    json_copy: Path | None = None,
    progress: Progress | None = None,
    history: HistoryOptions | None = None,
    roster: Roster | None = None,
    by_unit: bool = False,
) -> RunOutcome:
    """Score every input under ``paths`` and write into ``out_dir``: results.json (plus
    ``json_copy``), the reports, branchcheck.log when the tool hit trouble, and manifest.json.

    The output folder is locked for the whole run and the new output set replaces the
    previous one only once it is complete (see :mod:`engine.batch.outfolder`); files the tool
    wrote are never read back as inputs. With ``history``, the run is compared with an earlier
    round and/or recorded as a round (before the outputs are put in place, so that a failed
    recording leaves both the store and the previous outputs as they were). With ``roster``,
    submissions are matched to its rows (the roll-up lists who did not submit and who is not
    on it; the history store records matched branches under the roster's identity); with
    ``by_unit``, one roll-up per 上级党组织 is written into ``分单位/``.
    """
    options = options or BatchOptions()
    with OutputFolder(out_dir) as folder, contextlib.ExitStack() as stack:
        previous = [out_dir / rel for rel in folder.previous_outputs()]
        found = scan(paths, exclude=[out_dir], known_outputs=previous)
        if roster is not None:  # the roster is not a submission, wherever it lies
            found = replace(found, files=[f for f in found.files if not same_file(f, roster.source)])
        if not found.files:
            raise found.no_inputs(paths)
        _refuse_overwrites(found.files, out_dir, json_copy)
        store = stack.enter_context(Store(history.path)) if history is not None else None  # fail before work
        notes = _sharing_notes(paths, out_dir, found)
        batch = score_batch(rules, found.files, options, progress, shown=found.relative)
        if batch.rosters:  # a roster kept beside the submissions is listed, not scored
            found = replace(found, others=sorted([*found.others, *batch.rosters]))
            if not batch.results:
                raise found.no_inputs(paths)
        notes.extend(_mixed_rounds_note(rules, batch.results))
        notes.extend(other_rules_note(rules, batch.results) + repeated_branches_note(batch.results))
        summary: list[SummaryRow] = []
        matching = match_roster(roster, rules, batch.results) if roster is not None else None
        levels = plan_levels(rules, batch.results, matching, by_unit=by_unit)
        keys = matching.history_keys() if matching is not None else None
        notes.extend(roster_notes(matching))
        comparisons, compared = _compare(store, history, rules, batch.results, keys)
        others = [escape_surrogates(found.relative(o)) for o in found.others]
        rounds = None if history is None else Rounds(history.round, compared, comparisons or {}, keys or {})
        try:
            written = _write_outputs(
                rules, batch, folder.staging, options, summary, comparisons, found, others, rounds, levels
            )
            if store is not None and history is not None:
                notes.append(_history_note(store, history, rules, batch.results, compared, comparisons, keys))
        except KeyboardInterrupt:
            raise Interrupted(
                f"已中断：{len(batch.results)} 个文件已评分，但输出未写完；"
                "输出文件夹和历史记录库保持上次的内容不变，请重新运行。"
            ) from None
        try:
            swap = folder.commit(written, {os.path.realpath(f) for f in found.files})
        except KeyboardInterrupt:
            raise Interrupted("已中断：输出文件夹保持上次的内容不变，请重新运行。") from None
    final = [out_dir / p.relative_to(folder.staging) for p in written]
    if json_copy is not None:
        with atomic_text(json_copy) as stream:
            write_results(stream, rules, batch.results, comparisons, _as_given(found.others))
        final.append(json_copy)
    return RunOutcome(batch.results, final, notes + _swap_notes(swap), summary, others)


def _as_given(paths: list[str]) -> list[str]:
    return [escape_surrogates(p) for p in paths]


def _compare(
    store: Store | None,
    history: HistoryOptions | None,
    rules: RuleSet,
    results: list[Result],
    keys: dict[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, Comparison] | None, str | None]:
    """The comparisons by source (None without a store) and the earlier round's name."""
    if store is None or history is None:
        return None, None
    earlier = previous_round(store, results, history.round, history.compare_with)
    return (compare(store, rules, results, earlier, keys) if earlier else {}), earlier


def _history_note(
    store: Store,
    history: HistoryOptions,
    rules: RuleSet,
    results: list[Result],
    compared: str | None,
    comparisons: dict[str, Comparison] | None,
    keys: dict[str, tuple[str, ...]] | None = None,
) -> str:
    """Record the round when asked (one transaction), and say what was recorded and compared."""
    found = f"已与评估轮次“{compared}”比较（{len(comparisons or {})} 个支部在该轮次中有记录）"
    if history.round is None:
        return found + "。"
    before = next((r for r in queries.rounds(store) if r.name == history.round), None)
    record_round(store, history.round, rules, results, keys)
    scored = sum(1 for r in results if r.scored)
    text = f"已记录评估轮次“{history.round}”（{scored} 个支部评分，历史记录库 {history.path}）"
    if before is not None:  # recording a round again replaces it (issue 14): say what it replaced
        text += (
            f"；注意：这替换了原有的同名轮次（原按规则集 {before.rule_set_id} {before.rule_set_version}"
            f" 记录了 {before.scored} 个支部评分）"
        )
    return text + ("；历史记录库中没有更早的轮次可比较。" if compared is None else f"；{found}。")


def _write_outputs(
    rules: RuleSet,
    batch: Batch,
    staging: Path,
    options: BatchOptions,
    summary: list[SummaryRow],
    comparisons: dict[str, Comparison] | None,
    found: Found,
    others: list[str],
    rounds: Rounds | None = None,
    levels: Levels | None = None,
) -> list[Path]:
    results = batch.results
    written: list[Path] = [staging / RESULTS_NAME]
    shown = {escape_surrogates(s): escape_surrogates(found.relative(s)) for s in found.files}
    with atomic_text(staging / RESULTS_NAME) as stream:  # each dict form made once, for both
        document = ResultsStream(stream, rules, comparisons, _as_given(found.others))
        reports = write_reports(
            rules,
            results,
            staging,
            jobs=options.jobs,
            summary=summary,
            shown=lambda s: shown.get(s, s),
            others=others,
            rounds=rounds,
            levels=levels,
            each=document.add,
        )
        document.close()
    written.extend(reports)
    if batch.incidents:
        written.append(_write_log(staging, batch.incidents))
    used: dict[str, Any] = {
        "jobs": options.jobs,
        "strict": options.strict,
        "memory_mib": options.limits.memory_mib,
        "timeout_s": options.limits.timeout_s,
        "max_file_size": options.max_file_size,
    }
    if levels is not None and levels.matching is not None:
        source = levels.matching.roster.source
        used["roster"] = {"path": escape_surrogates(source), "sha256": guards.digest(source)}
    if levels is not None and levels.by_unit:
        used["by_unit"] = True
    written.append(write_manifest(staging, rules, used, results, written))
    return written


def _refuse_overwrites(inputs: list[str], out_dir: Path, json_copy: Path | None) -> None:
    """Stop before any work when an output of this run would land on an input or on another output."""
    root = os.path.realpath(out_dir)
    notices = os.path.join(root, NOTICE_DIR)
    for source in inputs:
        real = os.path.realpath(source)
        if os.path.dirname(real) in (root, notices) and is_output_name(os.path.basename(real)):
            raise UsageError(
                f"输入文件 {escape_surrogates(source)} 位于输出文件夹中，且与本工具的输出文件同名，"
                "评分会覆盖它；请把它移出输出文件夹，或用 -o 指定另一个输出文件夹"
            )
    if json_copy is None:
        return
    real = os.path.realpath(json_copy)
    if real in {os.path.realpath(s) for s in inputs}:
        raise UsageError(f"--json 指定的文件 {json_copy} 是一个输入文件，不能覆盖它；请换一个文件名")
    inside = os.path.dirname(real) in (root, notices) or real.startswith(notices + os.sep)
    if inside and (is_output_name(os.path.basename(real)) or os.path.basename(real) in FIXED_NAMES):
        raise UsageError(
            f"--json 指定的文件 {json_copy} 与本次评分的另一个输出文件相同；请指定输出文件夹之外的文件"
        )
    if os.path.isdir(real):
        raise UsageError(f"--json 指定的 {json_copy} 是一个文件夹；请指定一个文件名，如 结果.json")


def _sharing_notes(paths: Sequence[str | Path], out_dir: Path, found: Found) -> list[str]:
    out_real = os.path.realpath(out_dir)
    folders = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    shared = any(out_real == f or out_real.startswith(f + os.sep) for f in folders)
    notes = []
    if shared:
        notes.append("提示：输入和输出在同一文件夹中；本工具写出的文件（汇总、问题清单、退回说明等）不会被当作输入读取。")
    if found.skipped_outputs:
        notes.append(f"已跳过 {len(found.skipped_outputs)} 个本工具生成的文件（未作为输入读取）。")
    return notes


def _mixed_rounds_note(rules: RuleSet, results: list[Result]) -> list[str]:
    """A warning when the scored submissions carry different 评估年度 or were assessed at different
    reference dates (a 2024 workbook among 2018 ones would otherwise be ranked with them silently);
    汇总's 总表 says the same."""
    counted = [r for r in results if r.scored and r.duplicate_of is None]
    years = (assessment_year(rules, r.profile) for r in counted)
    warning = mixed_rounds_warning(years, (r.reference_date.isoformat() for r in counted if r.reference_date))
    return [warning] if warning else []


def _swap_notes(swap: Swap) -> list[str]:
    notes = []
    for was, now in swap.set_aside:
        why = "上次输出后被修改过" if now.name.startswith(EDITED_PREFIX) else "不是本工具写出的文件"
        notes.append(f"注意：{escape_surrogates(str(was))} {why}，已保留为 {escape_surrogates(now.name)}，未覆盖。")
    return notes


def _write_log(out_dir: Path, incidents: list[tuple[str, str]]) -> Path:
    """The details of internal errors, for the maintainers (the files themselves just say 内部错误)."""
    target = out_dir / LOG_NAME
    with atomic_text(target) as stream:
        for source, details in incidents:
            stream.write(f"== {escape_surrogates(source)}\n{escape_surrogates(details.rstrip())}\n\n")
    return target
