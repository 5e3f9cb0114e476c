"""The ``score`` job as one library call: find inputs, score them, write the outputs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.errors import Interrupted, MissingInputError, UsageError
from engine.files import atomic_text
from engine.manifest import remove_previous_outputs, write_manifest
from engine.pipeline import Batch, BatchOptions, Progress, find_inputs, score_batch
from engine.reports import write_reports
from engine.rules.model import RuleSet
from engine.scoring.model import Result
from engine.scoring.results import write_results

RESULTS_NAME = "results.json"
LOG_NAME = "branchcheck.log"


@dataclass(frozen=True)
class RunOutcome:
    results: list[Result]
    written: list[Path]

    @property
    def scored(self) -> int:
        return sum(1 for r in self.results if r.scored)

    @property
    def rejected(self) -> int:
        return len(self.results) - self.scored


def score_to_folder(
    rules: RuleSet,
    paths: Sequence[str | Path],
    out_dir: Path,
    *,
    options: BatchOptions | None = None,
    json_copy: Path | None = None,
    progress: Progress | None = None,
) -> RunOutcome:
    """Score every input under ``paths`` and write into ``out_dir``: results.json (plus
    ``json_copy``), the reports, branchcheck.log when the tool hit trouble, and manifest.json.

    Outputs of a previous run listed in ``out_dir/manifest.json`` are removed first.
    """
    options = options or BatchOptions()
    _prepare(out_dir)
    inputs = find_inputs(paths, out_dir)
    if not inputs:
        raise MissingInputError("没有找到任何输入文件：" + "、".join(str(p) for p in paths))
    batch = score_batch(rules, inputs, options, progress)
    try:
        written = _write_outputs(rules, batch, out_dir, options, json_copy)
    except KeyboardInterrupt:
        raise Interrupted(
            f"已中断：{len(batch.results)} 个文件已评分，但输出未写完（已写出的每个文件都是完整的），请重新运行。"
        ) from None
    return RunOutcome(batch.results, written)


def _write_outputs(
    rules: RuleSet, batch: Batch, out_dir: Path, options: BatchOptions, json_copy: Path | None
) -> list[Path]:
    remove_previous_outputs(out_dir)
    results = batch.results
    written: list[Path] = []
    with atomic_text(out_dir / RESULTS_NAME) as stream:
        write_results(stream, rules, results)
    written.append(out_dir / RESULTS_NAME)
    written.extend(write_reports(rules, results, out_dir, jobs=options.jobs))
    if batch.incidents:
        written.append(_write_log(out_dir, batch.incidents))
    used = {
        "jobs": options.jobs,
        "strict": options.strict,
        "memory_mib": options.limits.memory_mib,
        "timeout_s": options.limits.timeout_s,
        "max_file_size": options.max_file_size,
    }
    written.append(write_manifest(out_dir, rules, used, results, written))
    if json_copy is not None:
        with atomic_text(json_copy) as stream:
            write_results(stream, rules, results)
        written.append(json_copy)
    return written


def _prepare(out_dir: Path) -> None:
    """Fail before any work when the output folder cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置 {out_dir} 是一个文件，不是文件夹，请用 -o 指定一个文件夹")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建输出文件夹 {out_dir}：{exc.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise UsageError(f"没有权限写入输出文件夹 {out_dir}")


def _write_log(out_dir: Path, incidents: list[tuple[str, str]]) -> Path:
    """The details of internal errors, for the maintainers (the files themselves just say 内部错误)."""
    target = out_dir / LOG_NAME
    with atomic_text(target) as stream:
        for source, details in incidents:
            stream.write(f"== {source}\n{details.rstrip()}\n\n")
    return target
