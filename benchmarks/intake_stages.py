"""Where intake + scoring spends its time, stage by stage, against the calamine floor (issue 18).

    python benchmarks/intake_stages.py                       # 200 generated workbooks, 3 warm rounds
    python benchmarks/intake_stages.py --inputs DIR --rounds 5 --profile

CPU time of this one process (``time.process_time``), so that other work on a shared machine
counts as little as possible: each stage over every workbook, per round; the median per workbook of
the rounds after a first, warm-up one. Then ``score_batch`` at jobs 1 (the worker pool of the CLI)
against the floor, both wall clock in the same run, with the worker's CPU (``RUSAGE_CHILDREN``).
Stages: the guards (reading the file and checking it, ``engine.guards.load``), the sha256, calamine
with the grid (``reader._open``), the sheets into a submission, scoring, pickling the result (what
the worker sends) and unpickling it (what the parent does meanwhile). ``--profile`` adds a cProfile of
the worker's work in one process (score_file and pickling), by own time. Not a test; CI times nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pickle
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402

from engine import guards  # noqa: E402
from engine.batch.scoring import BatchOptions, score_batch, score_file  # noqa: E402
from engine.contract import SHEET_ITEMS, SHEET_PROFILE  # noqa: E402
from engine.demo.generate import DEFAULT_SEED, batch_specs, generate  # noqa: E402
from engine.intake import reader  # noqa: E402
from engine.rules import RuleSet, load_rule_set  # noqa: E402
from engine.scoring import score_submission  # noqa: E402


def floor(paths: list[str]) -> None:
    """benchmarks/bench.py's floor: the two sheets with python-calamine alone."""
    for path in paths:
        with CalamineWorkbook.from_path(path) as book:
            book.get_sheet_by_name(SHEET_ITEMS).to_python()
            book.get_sheet_by_name(SHEET_PROFILE).to_python()


def stages(rules: RuleSet, paths: list[str], rounds: int) -> dict[str, float]:
    """Median CPU ms per workbook of each stage (rounds after the first)."""
    spent: dict[str, list[float]] = {}
    clock = time.process_time
    for n in range(rounds + 1):
        took = dict.fromkeys(("floor", "guards", "sha256", "calamine + grid", "submission", "scoring",
                              "pickle", "unpickle (parent)"), 0.0)  # fmt: skip
        for path in paths:
            t0 = clock()
            floor([path])
            t1 = clock()
            data = guards.load(Path(path))
            t2 = clock()
            assert isinstance(data, bytes), f"{path}: {data}"
            digest = hashlib.sha256(data).hexdigest()
            t3 = clock()
            book = reader._open(data)
            t4 = clock()
            assert not isinstance(book, str), f"{path}: {book}"
            submission = reader._submission(path, digest, book, rules)
            t5 = clock()
            result = score_submission(rules, submission)
            t6 = clock()
            blob = pickle.dumps(("ok", result), protocol=pickle.HIGHEST_PROTOCOL)
            t7 = clock()
            pickle.loads(blob)
            t8 = clock()
            for key, value in zip(took, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6, t8 - t7),
                                  strict=True):  # fmt: skip
                took[key] += value
        if n:
            for key, value in took.items():
                spent.setdefault(key, []).append(value / len(paths) * 1e3)
    return {key: statistics.median(values) for key, values in spent.items()}


def batch(rules: RuleSet, paths: list[str], rounds: int) -> dict[str, float]:
    """score_batch at jobs 1 against the floor, wall clock, medians of ``rounds``; the worker's CPU."""
    walls, floors, workers = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        floor(paths)
        floors.append(time.perf_counter() - start)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        score_batch(rules, paths, BatchOptions(jobs=1))
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    per = 1e3 / len(paths)
    return {
        "floor_ms": statistics.median(floors) * per,
        "batch_ms": statistics.median(walls) * per,
        "ratio": statistics.median(walls) / statistics.median(floors),
        "worker_cpu_ms": statistics.median(workers) * per,
    }


def profile(rules: RuleSet, paths: list[str], top: int = 30) -> None:
    def work() -> None:
        for path in paths:
            pickle.dumps(("ok", score_file(rules, path)), protocol=pickle.HIGHEST_PROTOCOL)

    work()  # warm
    found = cProfile.Profile()
    found.enable()
    work()
    found.disable()
    pstats.Stats(found).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--inputs", type=Path, help="a folder of workbooks (default: generate --files of them)")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after a warm-up one (default 3)")
    parser.add_argument("--profile", action="store_true", help="a cProfile of the worker's work")
    args = parser.parse_args(argv)
    rules = load_rule_set()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.inputs
        if folder is None:
            folder = Path(tmp) / "inputs"
            generate(rules, folder, batch_specs(args.files, DEFAULT_SEED), DEFAULT_SEED, jobs=2)
        paths = sorted(str(p) for p in folder.glob("*.xlsx"))
        print(f"{len(paths)} workbooks; CPU ms per workbook, median of {args.rounds} warm rounds")
        found = stages(rules, paths, args.rounds)
        engine_ms = sum(v for k, v in found.items() if k not in ("floor", "unpickle (parent)"))
        for key, value in found.items():
            print(f"  {key:22s} {value:7.3f}")
        print(f"  {'worker, all stages':22s} {engine_ms:7.3f}  = {engine_ms / found['floor']:.2f} × floor")
        measured = batch(rules, paths, args.rounds)
        print(
            f"score_batch jobs 1: {measured['batch_ms']:.3f} ms per workbook, floor {measured['floor_ms']:.3f} ms "
            f"(wall, same run): {measured['ratio']:.2f} × floor; worker CPU {measured['worker_cpu_ms']:.3f} ms"
        )
        if args.profile:
            profile(rules, paths)


if __name__ == "__main__":
    main()
