"""``branchcheck demo`` as one library call: generate the demo inputs, then score them."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.batch.run import RunOutcome, score_to_folder
from engine.batch.scoring import BatchOptions, Progress
from engine.demo.generate import generate
from engine.demo.roster import write_demo_roster
from engine.roster import load_roster
from engine.rules.model import RuleSet

INPUTS_FOLDER = "demo-inputs"


def run_demo(rules: RuleSet, out_dir: Path, *, jobs: int = 1, progress: Progress | None = None) -> RunOutcome:
    """Write the demo workbooks and roster into ``out_dir/demo-inputs`` and score them into ``out_dir``
    (with the roster, and a roll-up per unit)."""
    inputs = out_dir / INPUTS_FOLDER
    if inputs.exists():
        shutil.rmtree(inputs)  # only the demo's own generated inputs live here
    generate(rules, inputs)
    roster = load_roster(write_demo_roster(inputs))  # one branch does not submit, one submission is off it
    options = BatchOptions(jobs=jobs)
    return score_to_folder(rules, [inputs], out_dir, options=options, progress=progress, roster=roster, by_unit=True)
