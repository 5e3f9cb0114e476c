"""CPU time of the per-branch report: python benchmarks/report_cpu.py [--inputs DIR] [--repeat N] [--profile].

On a shared machine wall-clock times of one process swing with other people's work; the CPU time
of the process (``time.process_time``) swings much less. This writes the reports of the first 60
scored workbooks of a generated batch (``batch_specs(N, seed)``, as ``bench.py`` makes them) with
``write_branch_report``, once to warm up and then ``--repeat`` times, each report timed, and prints
the median CPU and wall milliseconds per report; ``--profile`` prints a cProfile of 20 reports
instead. ``--inputs DIR`` keeps the generated workbooks in DIR (made on the first run) so that
later runs skip generating them. Not a test: CI times nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.batch.scoring import BatchOptions, find_inputs, score_batch  # noqa: E402
from engine.demo.generate import DEFAULT_SEED, batch_specs, generate  # noqa: E402
from engine.reports.branch import write_branch_report  # noqa: E402
from engine.rules import load_rule_set  # noqa: E402
from engine.scoring.results import result_to_dict  # noqa: E402

SAMPLE = 60  # as bench.py's per-branch report measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--inputs", type=Path, help="folder for the generated workbooks (kept for later runs)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds over the reports (default 3)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of 20 reports instead")
    args = parser.parse_args(argv)
    rules = load_rule_set()
    with tempfile.TemporaryDirectory(prefix="branchcheck-report-cpu-") as tmp:
        inputs = args.inputs or Path(tmp) / "inputs"
        if not inputs.is_dir():
            generate(rules, inputs, batch_specs(SAMPLE, DEFAULT_SEED), DEFAULT_SEED)
        results = score_batch(rules, find_inputs([inputs])[:SAMPLE], BatchOptions(jobs=1)).results
        dicts = [result_to_dict(r) for r in results if r.scored]
        out = Path(tmp) / "reports"
        out.mkdir()
        for n, d in enumerate(dicts):  # warm: imports, the format table, kept texts and line counts
            write_branch_report(rules, d, out / f"r{n}.xlsx")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for n, d in enumerate(dicts[:20]):
                write_branch_report(rules, d, out / f"r{n}.xlsx")
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
            return 0
        cpu: list[float] = []
        wall: list[float] = []
        for _ in range(args.repeat):
            for n, d in enumerate(dicts):
                start, clock = time.process_time(), time.perf_counter()
                write_branch_report(rules, d, out / f"r{n}.xlsx")
                cpu.append(time.process_time() - start)
                wall.append(time.perf_counter() - clock)
    print(f"{len(dicts)} reports × {args.repeat}: CPU median {statistics.median(cpu) * 1e3:.2f} ms, "
          f"wall median {statistics.median(wall) * 1e3:.2f} ms per report")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
