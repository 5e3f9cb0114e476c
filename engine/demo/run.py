"""``branchcheck demo`` as one library call: generate the demo inputs, then score them."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.batch.run import RunOutcome, score_to_folder
from engine.batch.scoring import BatchOptions, Progress
from engine.demo.generate import generate
from engine.rules.model import RuleSet

INPUTS_FOLDER = "demo-inputs"


def run_demo(rules: RuleSet, out_dir: Path, *, jobs: int = 1, progress: Progress | None = None) -> RunOutcome:
    """Write the demo workbooks into ``out_dir/demo-inputs`` and score them into ``out_dir``."""
    inputs = out_dir / INPUTS_FOLDER
    if inputs.exists():
        shutil.rmtree(inputs)  # only the demo's own generated inputs live here
    generate(rules, inputs)
    return score_to_folder(rules, [inputs], out_dir, options=BatchOptions(jobs=jobs), progress=progress)
