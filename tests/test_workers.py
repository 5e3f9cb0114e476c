"""One bad file costs only itself: crashes, hangs and odd exceptions in a worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import Fill
from minirules import write_rules

from engine.batch.workers import Limits, Pool
from engine.rules import RuleSet, load_rule_set
from engine.scoring.evaluate import rejected
from engine.scoring.model import Result
from engine.submission import Submission


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_rule_set(write_rules(tmp_path_factory.mktemp("mini")))


def misbehaving(_rules: RuleSet, source: str) -> Result:
    """A scorer that fails in the way its file's name says."""
    if source == "abort":
        os.abort()
    if source == "hang":
        time.sleep(60)
    if source == "exit":
        raise SystemExit(9)
    if source == "memory":
        _ = bytearray(4 * 1024 * 1024 * 1024)
    if source == "error":
        raise ValueError("boom")
    return rejected(Submission(source, "ok"))


def failure(source: str, reason: str, _details: str) -> Result:
    return rejected(Submission(source, "failed:" + reason))


def run(rules: RuleSet, sources: list[str], jobs: int) -> tuple[dict[str, str], Pool]:
    pool = Pool(rules, misbehaving, failure, jobs=jobs, limits=Limits(memory_mib=1024, timeout_s=2))
    seen: dict[str, str] = {}
    pool.run(sources, lambda source, result: seen.__setitem__(source, result.sha256))
    return seen, pool


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_failure_costs_only_its_own_file(rules: RuleSet, jobs: int) -> None:
    sources = ["good-1", "abort", "good-2", "hang", "exit", "memory", "error", "good-3"]
    started = time.monotonic()
    seen, pool = run(rules, sources, jobs)
    assert time.monotonic() - started < 30
    assert seen["good-1"] == seen["good-2"] == seen["good-3"] == "ok"
    assert seen["abort"].startswith("failed:处理本文件时进程异常退出")
    assert seen["hang"] == "failed:处理超时（超过 2 秒）"
    assert seen["exit"] == "failed:SystemExit: 9"
    assert seen["memory"] == "failed:MemoryError: "
    assert seen["error"] == "failed:ValueError: boom"
    assert {source for source, _ in pool.incidents} == {"abort", "hang", "exit", "memory", "error"}


def test_an_empty_batch_starts_nothing(rules: RuleSet, tmp_path: Path) -> None:
    seen, _ = run(rules, [], 2)
    assert seen == {}


def test_check_gives_a_verdict_for_every_file_when_one_kills_its_reader(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import engine.batch.check
    from engine.batch.check import check_files
    from engine.batch.scoring import BatchOptions, read_file

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.xlsx", "boom.xlsx", "hang.xlsx", "z.xlsx"):
        fill(name).rename(folder / name)

    def hostile(rules: RuleSet, source: str, max_size: int) -> Submission:
        if source.endswith("boom.xlsx"):
            os.abort()
        if source.endswith("hang.xlsx"):
            time.sleep(60)
        return read_file(rules, source, max_size)

    monkeypatch.setattr(engine.batch.check, "read_file", hostile)
    report = check_files(mini_rules, [folder], BatchOptions(jobs=2, limits=Limits(timeout_s=3)))
    verdicts = {Path(s.source).name: [d.code for d in s.errors] for s in report.files}
    assert verdicts == {"a.xlsx": [], "boom.xlsx": ["internal-error"], "hang.xlsx": ["internal-error"], "z.xlsx": []}
