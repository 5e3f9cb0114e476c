"""Benchmark of ``branchcheck score``: python benchmarks/bench.py [--files N] [--jobs N] [--out DIR].

Generates N filled workbooks with the demo generator (fixed seed, in a temporary
folder) and measures, in one run (medians of ``--repeat`` repetitions):

1. floor: 自评表 and 支部信息 of every workbook read with python-calamine alone;
2. intake + scoring through ``engine.batch.scoring.score_batch`` (the CLI's worker isolation), no reports;
3. the full job ``engine.batch.run.score_to_folder`` (results.json, reports, roll-up, manifest), jobs 1 and jobs N;
4. scale: per-file time of (2) and (3) at ``--scale-files`` and at N files;
5. memory: peak resident memory (VmHWM) of the largest process of a full ``python -m engine score`` run;
6. the roll-up alone for ``--rollup-branches`` synthetic scored branches (time and peak memory);
7. ``template``: one workbook (median of warm calls in one process), and N per-branch templates
   written by ``--jobs`` processes;
8. the history store (``benchmarks/history_bench.py``): what ``--round`` adds to the full run at
   one job, ``history show`` and the comparison in a store of ``--history-branches`` branches ×
   ``--history-rounds`` rounds, and the store's bytes per submission;
plus the per-branch report: median milliseconds per report and its share of the full run.

Prints a table of ratios (absolute times vary between machines) with a verdict per target and
writes ``results.json`` into ``--out`` (default: a folder in the system's temporary directory, so a
run leaves the checkout untouched; ``--out benchmarks`` updates the committed record).
Not a test: CI times nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # ``python benchmarks/bench.py`` from a checkout without installing
    sys.path.insert(0, str(ROOT))
if str(ROOT / "benchmarks") not in sys.path:  # history_bench beside it, also when imported as a module
    sys.path.insert(0, str(ROOT / "benchmarks"))

from history_bench import measure_history  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

import engine  # noqa: E402
from engine.batch.run import score_to_folder  # noqa: E402
from engine.batch.scoring import BatchOptions, find_inputs, score_batch  # noqa: E402
from engine.contract import SHEET_ITEMS, SHEET_PROFILE  # noqa: E402
from engine.demo.generate import DEFAULT_SEED, batch_specs, generate  # noqa: E402
from engine.reports.branch import write_branch_report  # noqa: E402
from engine.reports.rollup import Rollup  # noqa: E402
from engine.rules import RuleSet, load_rule_set  # noqa: E402
from engine.scoring.results import result_to_dict  # noqa: E402

MIB = 1024 * 1024
REPORT_SAMPLE = 60  # reports timed one by one for the per-report median
TEMPLATE_REPEAT = 10  # warm single-template timings
DEFAULT_OUT = Path(tempfile.gettempdir()) / "branchcheck-bench"
# The targets of issue 18 (ratios to the floor and between runs: absolute times vary between machines).
TARGETS = {
    "report_ms": "≤ 12 ms",
    "full_vs_floor": "≤ 12 ×",
    "intake_vs_floor": "≤ 2.5 ×",
    "jobs_speedup": "≥ 1.8",
    "scale_intake": "0.90–1.10",
    "scale_full": "0.90–1.10",
    "peak_memory_mib": "< 200",
    "memory_growth": "≤ 1.5 × result size",
    "rollup_s": "≤ 2 s",
    "template_ms": "≤ 50 ms",
    "templates_s": "≤ 30 s for 1,000",
    "history_record": "≤ 10 % of full jobs 1",
    "history_show_s": "< 1 s",
    "history_compare_s": "< 1 s",
    "history_bytes": "≤ 10 KB",
}


# -------------------------------------------------------------------- timing


def repeat(fn: Callable[[], object], times: int) -> list[float]:
    """Wall-clock seconds of ``times`` calls of ``fn``."""
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        spent.append(time.perf_counter() - start)
    return spent


def summary(seconds: list[float], files: int) -> dict[str, Any]:
    median = statistics.median(seconds)
    runs = [round(s, 4) for s in seconds]
    return {"median_s": round(median, 4), "runs_s": runs, "per_file_ms": round(median / files * 1e3, 3)}


def floor(paths: list[str]) -> None:
    """No engine code: the two sheets the engine reads answers from, with python-calamine alone."""
    for path in paths:
        with CalamineWorkbook.from_path(path) as book:
            book.get_sheet_by_name(SHEET_ITEMS).to_python()
            book.get_sheet_by_name(SHEET_PROFILE).to_python()


def batch(rules: RuleSet, inputs: list[str], jobs: int) -> None:
    """Intake and scoring only, with the CLI's worker isolation."""
    score_batch(rules, inputs, BatchOptions(jobs=jobs))


def full_run(rules: RuleSet, inputs: Path, out: Path, jobs: int) -> None:
    shutil.rmtree(out, ignore_errors=True)
    score_to_folder(rules, [inputs], out, options=BatchOptions(jobs=jobs))


def timed_full(rules: RuleSet, inputs: Path, scratch: Path, jobs: int, times: int) -> list[float]:
    spent = []
    for n in range(times):
        out = scratch / f"full-j{jobs}-{n}"
        start = time.perf_counter()
        full_run(rules, inputs, out, jobs)
        spent.append(time.perf_counter() - start)
        shutil.rmtree(out, ignore_errors=True)  # not timed
    return spent


# -------------------------------------------------------------------- memory


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in KiB (empty once the process is gone)."""
    found = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line[:5]] = int(line.split()[1])
    except OSError:
        return {}
    return found


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(p) for p in handle.read().split())
    except OSError:
        pass
    return found


class Sampler:
    """Polls a process tree every few milliseconds; keeps each process's peak (VmHWM) and command."""

    def __init__(self, root: int, interval: float = 0.01) -> None:
        self.root, self.interval = root, interval
        self.peaks: dict[int, int] = {}  # pid → KiB
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        todo = [self.root]
        while todo:
            pid = todo.pop()
            status = _status(pid)
            if status:
                self.peaks[pid] = max(self.peaks.get(pid, 0), status.get("VmHWM", 0), status.get("VmRSS", 0))
                if pid not in self.names:
                    self.names[pid] = "parent" if pid == self.root else "worker"
            todo.extend(_children(pid))

    def largest(self) -> tuple[float, str]:
        pid = max(self.peaks, key=lambda p: self.peaks[p])
        return self.peaks[pid] / 1024, self.names[pid]


def measure_cli(inputs: Path, out: Path, jobs: int) -> dict[str, Any]:
    """``python -m engine score`` as a subprocess: wall time and the peak RSS of its largest process."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "engine", "score", str(inputs), "-o", str(out), "--jobs", str(jobs), "--quiet"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    with Sampler(process.pid) as sampler:
        _, errors = process.communicate()
    spent = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise RuntimeError(f"score exited with {process.returncode}: {errors.decode(errors='replace')[-2000:]}")
    peak, which = sampler.largest()
    parent = sampler.peaks.get(process.pid, 0) / 1024
    workers = max((kib for pid, kib in sampler.peaks.items() if pid != process.pid), default=0) / 1024
    shutil.rmtree(out, ignore_errors=True)
    return {"wall_s": round(spent, 3), "largest_mib": round(peak, 1), "largest_is": which,
            "parent_mib": round(parent, 1), "largest_worker_mib": round(workers, 1),
            "processes": len(sampler.peaks)}  # fmt: skip


def result_kib(rules: RuleSet, paths: list[str]) -> float:
    """Memory one scored result takes in the parent once it has arrived from a worker (KiB)."""
    import gc
    import pickle
    import tracemalloc

    from engine.batch.scoring import score_file

    blobs = [pickle.dumps(score_file(rules, p), protocol=pickle.HIGHEST_PROTOCOL) for p in paths]
    gc.collect()
    tracemalloc.start()
    kept = [pickle.loads(b) for b in blobs]
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return size / len(kept) / 1024


# -------------------------------------------------------------------- reports


def report_times(rules: RuleSet, dicts: list[dict[str, Any]], scratch: Path, times: int) -> list[float]:
    scratch.mkdir(parents=True, exist_ok=True)
    spent = []
    for _ in range(times):
        for n, d in enumerate(dicts):
            start = time.perf_counter()
            write_branch_report(rules, d, scratch / f"r{n}.xlsx")
            spent.append(time.perf_counter() - start)
    shutil.rmtree(scratch, ignore_errors=True)
    return spent


def report_profile(rules: RuleSet, dicts: list[dict[str, Any]], scratch: Path, top: int = 25) -> str:
    scratch.mkdir(parents=True, exist_ok=True)
    profile = cProfile.Profile()
    profile.enable()
    for n, d in enumerate(dicts):
        write_branch_report(rules, d, scratch / f"r{n}.xlsx")
    profile.disable()
    shutil.rmtree(scratch, ignore_errors=True)
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(top)
    return text.getvalue()


# -------------------------------------------------------------------- roll-up


def synthetic(rules: RuleSet, seeds: list[dict[str, Any]], count: int, seed: int) -> Iterator[dict[str, Any]]:
    """``count`` scored result dicts: the seeds replicated with their own names, sources and scores."""
    rng = random.Random(seed)
    scored = [d for d in seeds if d.get("status") == "scored"]
    for n in range(count):
        base = scored[n % len(scored)]
        score = Decimal(rng.randint(4000, 10000)) / 100
        vetoed = bool(base.get("vetoed"))
        rating = rules.lowest_band.name if vetoed else rules.band_for(score).name
        branch = {**base["branch"], "name": f"合成第{n + 1}党支部", "parent": f"合成单位{n // 50 + 1}机关党委"}
        self_score = min(score + Decimal(rng.randint(0, 500)) / 100, Decimal(100))
        source = f"synthetic/{n + 1:05d}.xlsx"
        yield {**base, "source": source, "branch": branch, "score": float(score), "self_score": float(self_score),
               "rating": rating}  # fmt: skip


def rollup_child(seeds_file: Path, count: int, out: Path) -> None:
    """In a fresh process (``--rollup-child``): the roll-up of ``count`` synthetic branches; prints JSON."""
    rules = load_rule_set()
    seeds = json.loads(seeds_file.read_text(encoding="utf-8"))
    before = _status(os.getpid()).get("VmRSS", 0)
    rollup = Rollup(rules)
    adding = 0.0  # only the roll-up's own work: making the synthetic dicts is not timed
    for n, d in enumerate(synthetic(rules, seeds, count, DEFAULT_SEED)):
        start = time.perf_counter()
        rollup.add(d, f"synthetic-{n + 1:05d}-问题清单.xlsx")
        adding += time.perf_counter() - start
    start = time.perf_counter()
    rollup.write(out)
    writing = time.perf_counter() - start
    peak = _status(os.getpid()).get("VmHWM", 0)
    print(json.dumps({"add_s": adding, "write_s": writing, "peak_mib": peak / 1024,
                      "start_mib": before / 1024, "bytes": out.stat().st_size}))  # fmt: skip


def measure_rollup(seeds_file: Path, count: int, out: Path, times: int) -> dict[str, Any]:
    runs = []
    for _ in range(times):
        command = [sys.executable, str(Path(__file__).resolve()), "--rollup-child", str(seeds_file), str(count)]
        command.append(str(out))
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    total = [r["add_s"] + r["write_s"] for r in runs]
    return {
        "branches": count,
        "median_s": round(statistics.median(total), 3),
        "add_s": round(statistics.median(r["add_s"] for r in runs), 3),
        "write_s": round(statistics.median(r["write_s"] for r in runs), 3),
        "per_branch_ms": round(statistics.median(total) / count * 1e3, 4),
        "peak_mib": round(max(r["peak_mib"] for r in runs), 1),
        "growth_mib": round(max(r["peak_mib"] - r["start_mib"] for r in runs), 1),
        "file_mib": round(runs[-1]["bytes"] / MIB, 2),
    }


# -------------------------------------------------------------------- template


def _template_worker(rules: RuleSet, folder: Path, names: list[str]) -> int:
    from engine.template import write_template

    for n, name in enumerate(names):
        write_template(rules, folder / f"{n:05d}.xlsx", branch=name)
    return len(names)


def measure_templates(rules: RuleSet, scratch: Path, count: int, jobs: int) -> dict[str, Any]:
    """One template (warm, in this process) and ``count`` per-branch templates in ``jobs`` processes."""
    from concurrent.futures import ProcessPoolExecutor

    from engine.template import write_template

    scratch.mkdir(parents=True, exist_ok=True)
    write_template(rules, scratch / "warm.xlsx")
    single = repeat(lambda: write_template(rules, scratch / "one.xlsx"), TEMPLATE_REPEAT)  # the full build
    write_template(rules, scratch / "warm-branch.xlsx", branch="示范单位")  # the common workbook, once
    per_branch = repeat(lambda: write_template(rules, scratch / "branch.xlsx", branch="示范单位第1党支部"),
                        TEMPLATE_REPEAT)  # fmt: skip
    names = [f"示范单位{n // 50 + 1}第{n + 1}党支部" for n in range(count)]
    chunks = [names[j::jobs] for j in range(jobs)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:  # process start-up included: what a script would pay
        done = sum(pool.map(_template_worker, [rules] * jobs, [scratch / f"t{j}" for j in range(jobs)], chunks))
    spent = time.perf_counter() - start
    assert done == count
    size = (scratch / "one.xlsx").stat().st_size
    shutil.rmtree(scratch, ignore_errors=True)
    return {"one_ms": round(statistics.median(single) * 1e3, 2), "runs_ms": [round(t * 1e3, 2) for t in single],
            "branch_ms": round(statistics.median(per_branch) * 1e3, 2),
            "count": count, "jobs": jobs, "all_s": round(spent, 2), "per_template_ms": round(spent / count * 1e3, 2),
            "bytes": size}  # fmt: skip


# -------------------------------------------------------------------- the run


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "openpyxl": _version("openpyxl"),
        "xlsxwriter": _version("xlsxwriter"),
        "python_calamine": _version("python-calamine"),
        "branchcheck": engine.__version__,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    rules = load_rule_set()
    files, jobs, times = args.files, args.jobs, args.repeat
    small = min(args.scale_files, files)
    report: dict[str, Any] = {"machine": machine(), "config": {
        "files": files, "jobs": jobs, "repeat": times, "scale_files": small, "seed": args.seed,
        "rollup_branches": args.rollup_branches, "command": " ".join(["python", "benchmarks/bench.py", *sys.argv[1:]]),
    }}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="branchcheck-bench-") as tmp:
        scratch = Path(tmp)
        log(f"generating {files} workbooks")
        start = time.perf_counter()
        generate(rules, scratch / "inputs", batch_specs(files, args.seed), args.seed, jobs=max(jobs, 1))
        report["generate"] = {"seconds": round(time.perf_counter() - start, 2)}
        report["generate"]["per_file_ms"] = round(report["generate"]["seconds"] / files * 1e3, 2)
        inputs = find_inputs([scratch / "inputs"])
        (scratch / "inputs-small").mkdir()
        for path in inputs[:small]:
            shutil.copy2(path, scratch / "inputs-small" / Path(path).name)
        small_inputs = find_inputs([scratch / "inputs-small"])

        log("1. floor: python-calamine alone")
        report["floor"] = summary(repeat(lambda: floor(inputs), times), files)

        log("2. intake + scoring (score_batch)")
        intake: dict[str, Any] = {}
        for j in sorted({1, jobs}):
            intake[f"jobs{j}"] = summary(repeat(lambda j=j: batch(rules, inputs, j), times), files)
        report["intake"] = intake

        log("3. full score (score_to_folder)")
        full: dict[str, Any] = {}
        for j in sorted({1, jobs}):
            full[f"jobs{j}"] = summary(timed_full(rules, scratch / "inputs", scratch, j, times), files)
        report["full"] = full

        log(f"4. scale: {small} files")
        report["scale"] = {
            "small_files": small,
            "intake_small": summary(repeat(lambda: batch(rules, small_inputs, 1), times), small),
            "full_small": summary(timed_full(rules, scratch / "inputs-small", scratch, 1, times), small),
        }

        log("5. memory: python -m engine score as a subprocess")
        report["memory"] = {
            "full": measure_cli(scratch / "inputs", scratch / "cli-out", jobs),
            "small": measure_cli(scratch / "inputs-small", scratch / "cli-out", jobs),
            "result_kib": round(result_kib(rules, inputs[: min(files, 40)]), 1),
        }

        log("per-branch reports")
        sample = score_batch(rules, inputs[: min(files, REPORT_SAMPLE)], BatchOptions(jobs=1))
        dicts = [result_to_dict(r) for r in sample.results if r.scored]
        per_report = statistics.median(report_times(rules, dicts, scratch / "reports", times))
        report["report"] = {"sample": len(dicts), "median_ms": round(per_report * 1e3, 2)}
        if args.profile_reports:
            report["report"]["profile"] = report_profile(rules, dicts[:20], scratch / "profile")

        log(f"6. roll-up of {args.rollup_branches} synthetic branches")
        seeds_file = scratch / "seeds.json"
        seeds_file.write_text(json.dumps(dicts[:20], ensure_ascii=False), encoding="utf-8")
        report["rollup"] = measure_rollup(seeds_file, args.rollup_branches, scratch / "rollup.xlsx", times)

        log(f"7. template: one, and {files} per-branch templates in {jobs} processes")
        report["template"] = measure_templates(rules, scratch / "templates", files, jobs)

        log(f"8. history: recording {files} results, a store of {args.history_branches} × {args.history_rounds}")
        results = score_batch(rules, inputs, BatchOptions(jobs=jobs)).results
        report["history"] = measure_history(rules, results, full["jobs1"]["median_s"], scratch / "history", times,
                                            args.history_branches, args.history_rounds)  # fmt: skip
    report["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    report["ratios"] = ratios(report)
    return report


def ratios(r: dict[str, Any]) -> dict[str, Any]:
    jobs, files = r["config"]["jobs"], r["config"]["files"]
    full1, fullj = r["full"]["jobs1"]["median_s"], r["full"][f"jobs{jobs}"]["median_s"]
    scored = files  # every generated workbook is scored (the generator writes no invalid answers)
    memory = r["memory"]
    small = r["scale"]["small_files"]
    growth = (memory["full"]["largest_mib"] - memory["small"]["largest_mib"]) * 1024 / max(files - small, 1)
    return {
        "intake_vs_floor": round(r["intake"]["jobs1"]["median_s"] / r["floor"]["median_s"], 2),
        f"intake_jobs{jobs}_vs_floor": round(r["intake"][f"jobs{jobs}"]["median_s"] / r["floor"]["median_s"], 2),
        "full_vs_floor": round(full1 / r["floor"]["median_s"], 1),
        "jobs_speedup": round(full1 / fullj, 2),
        "scale_intake": round(r["intake"]["jobs1"]["per_file_ms"] / r["scale"]["intake_small"]["per_file_ms"], 3),
        "scale_full": round(r["full"]["jobs1"]["per_file_ms"] / r["scale"]["full_small"]["per_file_ms"], 3),
        "peak_memory_mib": memory["full"]["largest_mib"],
        "memory_growth_kib_per_file": round(growth, 1),
        "memory_growth": round(growth / memory["result_kib"], 2) if memory["result_kib"] else None,
        "report_share_of_full": round(r["report"]["median_ms"] / 1e3 * scored / full1, 3),
    }


def verdicts(r: dict[str, Any]) -> dict[str, bool]:
    ratio = r["ratios"]
    growth = ratio["memory_growth"]
    template = r["template"]
    templates_1000 = template["all_s"] * 1000 / template["count"]  # per-template cost at 1,000
    return {
        "report_ms": r["report"]["median_ms"] <= 12,
        "full_vs_floor": ratio["full_vs_floor"] <= 12,
        "intake_vs_floor": ratio["intake_vs_floor"] <= 2.5,
        "jobs_speedup": ratio["jobs_speedup"] >= 1.8,
        "scale_intake": 0.90 <= ratio["scale_intake"] <= 1.10,
        "scale_full": 0.90 <= ratio["scale_full"] <= 1.10,
        "peak_memory_mib": ratio["peak_memory_mib"] < 200,
        "memory_growth": growth is not None and growth <= 1.5,
        "rollup_s": r["rollup"]["median_s"] <= 2,
        "template_ms": template["one_ms"] <= 50,
        "templates_s": templates_1000 <= 30,
        "history_record": r["history"]["record_share_of_full"] <= 0.10,
        "history_show_s": r["history"]["show_s"] < 1,
        "history_compare_s": r["history"]["compare_s"] < 1,
        "history_bytes": r["history"]["bytes_per_submission"] <= 10_000,
    }


def table(r: dict[str, Any]) -> str:
    m, c, q, ok = r["machine"], r["config"], r["ratios"], r["verdicts"]
    jobs, files, small = c["jobs"], c["files"], r["scale"]["small_files"]
    floor_, intake, full, scale = r["floor"], r["intake"], r["full"], r["scale"]
    memory, rollup, template, history = r["memory"], r["rollup"], r["template"], r["history"]
    store = f"{history['branches']} × {history['rounds']}"

    def mark(key: str) -> str:
        return f"{TARGETS[key]} {'ok' if ok[key] else 'MISSED'}"

    def timing(name: str, t: dict[str, Any], ratio: str, target: str = "") -> tuple[str, ...]:
        return name, f"{t['median_s']:.2f}", f"{t['per_file_ms']:.2f}", ratio, target

    def change(before: dict[str, Any], after: dict[str, Any]) -> str:
        return f"{before['per_file_ms']:.2f} → {after['per_file_ms']:.2f}"

    rows = [
        timing("floor: calamine alone", floor_, "1.00"),
        timing("intake + scoring, jobs 1", intake["jobs1"], f"{q['intake_vs_floor']:.2f} × floor",
               mark("intake_vs_floor")),
        timing(f"intake + scoring, jobs {jobs}", intake[f"jobs{jobs}"],
               f"{q[f'intake_jobs{jobs}_vs_floor']:.2f} × floor"),
        timing("full score, jobs 1", full["jobs1"], f"{q['full_vs_floor']:.1f} × floor", mark("full_vs_floor")),
        timing(f"full score, jobs {jobs}", full[f"jobs{jobs}"], f"{q['jobs_speedup']:.2f} × faster",
               mark("jobs_speedup")),
        (f"scale intake {small} → {files}", "", change(scale["intake_small"], intake["jobs1"]),
         f"{q['scale_intake']:.3f}", mark("scale_intake")),
        (f"scale full {small} → {files}", "", change(scale["full_small"], full["jobs1"]),
         f"{q['scale_full']:.3f}", mark("scale_full")),
        (f"peak RSS, largest process (jobs {jobs})", "", "",
         f"{q['peak_memory_mib']:.0f} MiB ({memory['full']['largest_is']})", mark("peak_memory_mib")),
        (f"memory growth {small} → {files}", "", "",
         f"{q['memory_growth_kib_per_file']:.0f} KiB/file (result {memory['result_kib']:.0f} KiB)",
         mark("memory_growth")),
        ("per-branch report", "", f"{r['report']['median_ms']:.1f}",
         f"{q['report_share_of_full']:.0%} of full jobs 1", mark("report_ms")),
        (f"roll-up alone, {rollup['branches']} branches", f"{rollup['median_s']:.2f}", f"{rollup['per_branch_ms']:.3f}",
         f"peak {rollup['peak_mib']:.0f} MiB", mark("rollup_s")),
        ("template, one workbook", "", f"{template['one_ms']:.1f}",
         f"per branch, warm: {template['branch_ms']:.1f} ms", mark("template_ms")),
        (f"templates, {template['count']} per branch, jobs {template['jobs']}", f"{template['all_s']:.2f}",
         f"{template['per_template_ms']:.2f}", f"{template['all_s'] * 1000 / template['count']:.1f} s per 1,000",
         mark("templates_s")),
        (f"history: record {history['results']} as a round", f"{history['record_s']:.2f}", "",
         f"{history['record_share_of_full']:.1%} of full jobs 1", mark("history_record")),
        (f"history show, store {store}", f"{history['show_s']:.3f}", "", f"{history['show_rounds']} rounds",
         mark("history_show_s")),
        (f"history compare, {store}", f"{history['compare_s']:.3f}", "", f"{history['compared']} branches",
         mark("history_compare_s")),
        ("history store per submission", "", "", f"{history['bytes_per_submission'] / 1000:.1f} KB",
         mark("history_bytes")),
    ]  # fmt: skip
    head = ("measure", "median s", "ms / file", "ratio", "target")
    widths = [max(_width(row[i]) for row in [head, *rows]) for i in range(5)]
    lines = [
        f"branchcheck {m['branchcheck']} · {files} files · Python {m['python']} · {m['cpu_count']} CPUs · "
        f"load {m['load_average_start'][0]:.2f} → {m['load_average_end'][0]:.2f} · medians of {c['repeat']}",
        "  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=1000, help="workbooks to generate (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="jobs of the parallel runs (default 2)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder for results.json (default {DEFAULT_OUT}; --out benchmarks updates the record)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each timing (median; default 3)")
    parser.add_argument("--scale-files", type=int, default=200, help="the small batch of the scale check (default 200)")
    parser.add_argument("--rollup-branches", type=int, default=10_000, help="synthetic branches of the roll-up")
    parser.add_argument("--history-branches", type=int, default=10_000, help="branches of the synthetic store")
    parser.add_argument("--history-rounds", type=int, default=5, help="rounds of the synthetic store")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument("--profile-reports", action="store_true", help="also profile 20 per-branch reports")
    parser.add_argument("--rollup-child", nargs=3, metavar=("SEEDS", "COUNT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rollup_child:
        seeds, count, out = args.rollup_child
        rollup_child(Path(seeds), int(count), Path(out))
        return 0
    if args.files < 2 or args.jobs < 1 or args.repeat < 1:
        parser.error("--files must be at least 2, --jobs and --repeat at least 1")
    report = run(args)
    report["verdicts"] = verdicts(report)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "results.json"
    target.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    if args.profile_reports:
        print("\nper-branch report profile (20 reports, by own time):\n" + report["report"]["profile"])
    print(f"\nwritten: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
