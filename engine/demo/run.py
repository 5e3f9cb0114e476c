"""``branchcheck demo`` as one library call: generate the demo inputs of two years, record the
previous year as a round with the rectification its branches declared, then score this year
against it, so that the first run already shows trends, rectification classes and 整改不实."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from engine.batch.discovery import discover
from engine.batch.run import RunOutcome, score_to_folder
from engine.batch.scoring import BatchOptions, Progress, score_batch
from engine.demo.branches import DEMO_BRANCHES, BranchSpec
from engine.demo.generate import DEFAULT_SEED, REFERENCE, generate
from engine.demo.roster import write_demo_roster
from engine.history import HistoryOptions
from engine.history import declared as dec
from engine.history.declared import Declared
from engine.history.location import FILE_NAME
from engine.history.record import identity, record_round
from engine.history.store import Store
from engine.roster import load_roster
from engine.rules.model import RuleSet
from engine.scoring.model import MET, Result

INPUTS_FOLDER = "demo-inputs"
PREVIOUS_INPUTS_FOLDER = "demo-inputs-上年度"
PREVIOUS_REFERENCE = date(REFERENCE.year - 1, 12, 31)
PREVIOUS_ROUND = f"{PREVIOUS_REFERENCE.year}年度"
THIS_ROUND = f"{REFERENCE.year}年度"
DECLARED_DUE = date(REFERENCE.year, 6, 30)  # what the branches promised after last year's check
LATER_DUE = date(REFERENCE.year, 9, 30)  # passed by this year's reference date: 逾期未整改 when still open


SLIPPED = ("基础研究处党支部", "计算服务部党支部")  # better last year than this year


def previous_specs() -> tuple[BranchSpec, ...]:
    """Last year's branches: those founded by then, most somewhat weaker, two stronger, none vetoed yet."""
    return tuple(
        replace(s, quality=_earlier_quality(s), veto=None, inspector_changes=0)
        for s in DEMO_BRANCHES
        if s.founded is None or s.founded <= PREVIOUS_REFERENCE
    )


def _earlier_quality(spec: BranchSpec) -> float:
    return round(min(1.0, spec.quality + 0.1) if spec.name in SLIPPED else max(0.4, spec.quality - 0.12), 2)


def run_demo(rules: RuleSet, out_dir: Path, *, jobs: int = 1, progress: Progress | None = None) -> RunOutcome:
    """Write the demo workbooks of both years and the roster under ``out_dir``, record last year in
    the store ``out_dir/history.sqlite3`` and score this year into ``out_dir``, compared with last
    year, with the roster (one branch does not submit, one submission is off it) and a roll-up per unit."""
    inputs, earlier = out_dir / INPUTS_FOLDER, out_dir / PREVIOUS_INPUTS_FOLDER
    store_path = out_dir / FILE_NAME
    for folder in (inputs, earlier):
        if folder.exists():
            shutil.rmtree(folder)  # only the demo's own generated inputs live here
    for leftover in (store_path, *(out_dir / f"{FILE_NAME}{s}" for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)  # the demo's own store: each run starts from scratch
    generate(rules, inputs)
    generate(rules, earlier, previous_specs(), DEFAULT_SEED - 1, reference=PREVIOUS_REFERENCE)
    roster = load_roster(write_demo_roster(inputs))
    options = BatchOptions(jobs=jobs)
    with Store(store_path) as store:
        before = score_batch(rules, discover([earlier]), options).results
        record_round(store, PREVIOUS_ROUND, rules, before)
        now = score_batch(rules, discover([inputs]), options).results
        _declare(store, rules, before, now)
    history = HistoryOptions(store_path, THIS_ROUND)
    return score_to_folder(
        rules, [inputs], out_dir, options=options, progress=progress, history=history, roster=roster, by_unit=True
    )


def _declare(store: Store, rules: RuleSet, before: list[Result], now: list[Result]) -> None:
    """What last year's branches reported about their gaps, as ``rectification import`` would store
    it: the gaps fixed since declared done, one gap still open declared done all the same (整改不实),
    some open ones in progress with a 时限 that has passed (逾期未整改), the rest left 未整改."""
    later = {identity(rules, r): r for r in now if r.scored}
    planted = False
    for r in before:
        key = identity(rules, r)
        if not r.scored or key is None or key not in later:
            continue
        met = {i.id for i in later[key].items if i.status == MET}
        owner = str(r.profile.get("secretary_name") or "") or None
        rows: list[tuple[str, Declared]] = []
        for n, gap in enumerate(r.gaps):
            if gap.id in met or not planted:
                planted = planted or gap.id not in met
                rows.append((gap.id, Declared(dec.DONE, DECLARED_DUE, owner, "已按整改建议完成整改")))
            elif n % 2:
                rows.append((gap.id, Declared(dec.DOING, LATER_DUE, owner, "正在整改")))
            else:
                rows.append((gap.id, Declared(dec.TODO, None, owner, None)))
        dec.save(store, PREVIOUS_ROUND, key, rows, r.source)
