"""The ``score`` job as one library call: find inputs, score them, write the outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.errors import MissingInputError
from engine.files import atomic_text
from engine.pipeline import BatchOptions, Progress, find_inputs, score_batch
from engine.rules.model import RuleSet
from engine.scoring.model import Result
from engine.scoring.results import write_results

RESULTS_NAME = "results.json"


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
    """Score every input under ``paths`` and write ``out_dir/results.json`` (plus ``json_copy``)."""
    inputs = find_inputs(paths, out_dir)
    if not inputs:
        raise MissingInputError("没有找到任何输入文件：" + "、".join(str(p) for p in paths))
    batch = score_batch(rules, inputs, options or BatchOptions(), progress)
    results = batch.results
    written = []
    for target in [out_dir / RESULTS_NAME] + ([json_copy] if json_copy is not None else []):
        with atomic_text(target) as stream:
            write_results(stream, rules, results)
        written.append(target)
    return RunOutcome(results, written)
