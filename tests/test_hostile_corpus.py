"""``branchcheck score`` over a folder of hostile, broken and odd inputs mixed with valid workbooks.

One corpus (tests/hostile.py), scored as a subprocess with ``--jobs 1`` and ``--jobs 2``: exit
code 1, no traceback, every input exactly once, every bad input rejected with its Chinese
reason, every valid one scored exactly as when scored alone, the same results.json for both
job counts, and the whole run (the largest process in it) under 500 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hostile import CONTROL_NAME, TERMINAL_CONTROLS, Corpus, build_corpus

from engine.rules import RuleSet

ROOT = Path(__file__).resolve().parents[1]
MAX_RSS_MB = 500
# A generous bound on one run over the whole corpus (a few seconds here): text handling that is
# quadratic in a cell's length (a 1,000,000-character answer, 支部名称 or 编号) takes minutes.
MAX_RUN_SECONDS = 120

# Runs the command and reports the peak resident size of the largest process below it
# (the CLI and the worker processes it waited for), in KiB on Linux.
_MEASURE = (
    "import json, resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps([p.returncode, p.stdout, p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    max_rss_mb: float
    results: dict[str, Any]
    seconds: float

    def by_name(self, folder: Path) -> dict[str, dict[str, Any]]:
        return {str(Path(s["source"]).relative_to(folder)): s for s in self.results["submissions"]}


def score(inputs: Path, out: Path, jobs: int) -> Run:
    command = [sys.executable, "-m", "engine", "score", str(inputs), "-o", str(out), "--jobs", str(jobs), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, timeout=600, cwd=ROOT, env=env
    )
    seconds = time.monotonic() - started
    assert measured.returncode == 0, measured.stderr
    code, stdout, stderr, max_rss = json.loads(measured.stdout)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return Run(code, stdout, stderr, max_rss / 1024, results, seconds)


@pytest.fixture(scope="module")
def corpus(bundled_rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("hostile") / "inbox", bundled_rules)


@pytest.fixture(scope="module")
def runs(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    work = tmp_path_factory.mktemp("runs")
    alone = work / "alone"
    alone.mkdir()
    for name in corpus.valid:
        shutil.copy(corpus.folder / name, alone / name)
    around_before = sorted(p.name for p in corpus.folder.parent.iterdir())
    found = {
        "jobs1": score(corpus.folder, work / "out1", 1),
        "jobs2": score(corpus.folder, work / "out2", 2),
        "alone": score(alone, work / "out-alone", 2),
    }
    # Nothing was written next to the corpus (a branch named ../../x must not escape the output folder).
    assert sorted(p.name for p in corpus.folder.parent.iterdir()) == around_before
    return found


def test_the_corpus_is_big_enough(corpus: Corpus) -> None:
    assert len(corpus.bad) >= 25, [b.name for b in corpus.bad]
    assert len(corpus.valid) >= 4
    for case, why in corpus.skipped.items():
        print(f"not built here: {case}: {why}")


@pytest.mark.parametrize("jobs", ["jobs1", "jobs2"])
def test_the_run_exits_1_without_a_traceback_within_the_memory_bound(runs: dict[str, Run], jobs: str) -> None:
    run = runs[jobs]
    assert run.code == 1, run.stderr
    for text in (run.stdout, run.stderr):
        assert "Traceback" not in text
        assert "内部错误" not in text
        assert not any(ch in text for ch in TERMINAL_CONTROLS), "a control character reached the terminal"
    assert run.max_rss_mb < MAX_RSS_MB, f"{run.max_rss_mb:.0f} MB"
    assert run.seconds < MAX_RUN_SECONDS, f"{run.seconds:.0f} s"
    print(f"{jobs}: peak {run.max_rss_mb:.0f} MB, {run.seconds:.1f} s")


def test_every_input_appears_exactly_once(corpus: Corpus, runs: dict[str, Run]) -> None:
    sources = [s["source"] for s in runs["jobs1"].results["submissions"]]
    assert len(sources) == len(set(sources))
    names = sorted(str(Path(s).relative_to(corpus.folder)) for s in sources)
    assert names == corpus.inputs()
    for ignored in corpus.ignored:  # a folder named x.xlsx, a link to the folder itself
        assert not any(n == ignored or n.startswith(ignored + "/") for n in names)


def test_every_bad_input_is_rejected_with_its_reason(corpus: Corpus, runs: dict[str, Run]) -> None:
    by_name = runs["jobs1"].by_name(corpus.folder)
    wrong = []
    for case in corpus.bad:
        result = by_name[case.name]
        errors = [d for d in result["diagnostics"] if d["severity"] == "error"]
        first = errors[0] if errors else {}
        if (
            result["status"] != "rejected"
            or result["score"] is not None
            or first.get("code") != case.code
            or case.reason not in first.get("message", "")
            or first.get("cell") != case.cell
        ):
            wrong.append((case.name, case.code, case.reason, result["status"], first))
    assert not wrong


def test_every_valid_input_is_scored_as_when_scored_alone(corpus: Corpus, runs: dict[str, Run]) -> None:
    mixed = runs["jobs1"].by_name(corpus.folder)
    alone = runs["alone"].by_name(Path(runs["alone"].results["submissions"][0]["source"]).parent)
    assert sorted(alone) == sorted(corpus.valid)
    for name in corpus.valid:
        assert mixed[name]["status"] == "scored", (name, mixed[name]["diagnostics"])
        assert {**mixed[name], "source": None} == {**alone[name], "source": None}, name


def test_odd_workbooks_are_read_as_written(corpus: Corpus, runs: dict[str, Run]) -> None:
    by_name = runs["jobs1"].by_name(corpus.folder)
    for name, answers in corpus.self_answers.items():  # a formula's cached value is read, never evaluated
        items = {i["id"]: i for i in by_name[name]["items"]}
        for item_id, answer in answers.items():
            assert items[item_id]["self_answer"] == answer
    assert by_name["odd-dotdot-name.xlsx"]["branch"]["name"] == "../../x"
    assert len(by_name["odd-long-name.xlsx"]["branch"]["name"]) == 300
    merged = [d["code"] for d in by_name["odd-merged.xlsx"]["diagnostics"]]
    assert merged.count("item-unanswered") == 2  # a merged cell keeps its value in the first row only


def test_long_and_control_texts_are_kept_whole_and_exact_in_results_json(corpus: Corpus, runs: dict[str, Run]) -> None:
    by_name = runs["jobs1"].by_name(corpus.folder)
    assert len(by_name["long-name.xlsx"]["branch"]["name"]) == 1_000_000
    [unknown] = [d for d in by_name["long-id.xlsx"]["diagnostics"] if d["code"] == "unknown-id"]
    assert unknown["value"] == "9." * 500_000 and "…（共 1000000 字）" in unknown["message"]
    branch = by_name[CONTROL_NAME]["branch"]
    assert (branch["name"], branch["parent"]) == ("控制字符党支部\x1b]0;pwned\x07\x1b[8m", "\x1b[2J\x9b机关党委")
    [variant] = [d for d in by_name["odd-zwj-sheet.xlsx"]["diagnostics"] if d["code"] == "name-variant"]
    assert variant["value"] == "自评表\u200d" and "“自评表\\u200d”" in variant["message"]


def test_one_or_two_jobs_give_identical_results(runs: dict[str, Run]) -> None:
    assert runs["jobs1"].results == runs["jobs2"].results


def test_check_gives_every_file_the_same_verdict_as_score(corpus: Corpus, runs: dict[str, Run]) -> None:
    """``check`` reads through the same guarded worker pool: one crafted file cannot stop it."""
    command = [sys.executable, "-m", "engine", "check", str(corpus.folder), "--json", "--jobs", "2", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    files = {str(Path(f["source"]).relative_to(corpus.folder)): f for f in json.loads(done.stdout)["files"]}
    assert sorted(files) == corpus.inputs()
    scored = runs["jobs1"].by_name(corpus.folder)
    for name, entry in files.items():
        first_check = next((d["code"] for d in entry["diagnostics"] if d["severity"] == "error"), None)
        first_score = next((d["code"] for d in scored[name]["diagnostics"] if d["severity"] == "error"), None)
        if first_score not in ("strict-incomplete", "nothing-applicable"):  # scoring's own verdicts
            assert first_check == first_score, name
