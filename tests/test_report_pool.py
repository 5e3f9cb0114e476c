"""The report workers (engine.reports.pool): a worker's failure reaches the caller, a worker
killed from outside is an error and not a hang, and no worker outlives the block."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from engine.reports import pool
from engine.reports.pool import ReportPool, ReportWorkerLost
from engine.rules import RuleSet


def _refuse(rules: RuleSet, d: Mapping[str, Any], path: Path) -> Path:
    raise PermissionError(13, "拒绝访问", str(path))


def _write(rules: RuleSet, d: Mapping[str, Any], path: Path) -> Path:
    path.write_text(str(d["n"]), encoding="utf-8")
    return path


def _stall(rules: RuleSet, d: Mapping[str, Any], path: Path) -> Path:
    time.sleep(60)
    return path


@pytest.fixture
def writers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test writers, in place before the workers are forked (they inherit them)."""
    for name, fn in (("refuse", _refuse), ("write", _write), ("stall", _stall)):
        monkeypatch.setitem(pool.WRITERS, name, fn)


def _gone(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        return False
    return True


def test_every_report_is_written_and_no_worker_is_left(writers: None, mini_rules: RuleSet, tmp_path: Path) -> None:
    with ReportPool(mini_rules, jobs=2) as reports:
        pids = [w.process.pid for w in reports._workers if w.process.pid is not None]
        for n in range(25):
            reports.submit("write", {"n": n}, tmp_path / f"{n}.txt")
    assert sorted(int(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*.txt")) == list(range(25))
    assert len(pids) == 2 and _gone(pids)


def test_a_workers_error_reaches_the_caller_as_raised(writers: None, mini_rules: RuleSet, tmp_path: Path) -> None:
    with pytest.raises(PermissionError) as raised, ReportPool(mini_rules, jobs=2) as reports:
        pids = [w.process.pid for w in reports._workers if w.process.pid is not None]
        reports.submit("write", {"n": 1}, tmp_path / "1.txt")
        reports.submit("refuse", {}, tmp_path / "2.txt")
    assert raised.value.errno == 13 and raised.value.filename == str(tmp_path / "2.txt")
    assert _gone(pids)


def test_a_worker_killed_from_outside_is_an_error_not_a_hang(
    writers: None, mini_rules: RuleSet, tmp_path: Path
) -> None:
    with pytest.raises(ReportWorkerLost), ReportPool(mini_rules, jobs=2) as reports:
        pids = [w.process.pid for w in reports._workers if w.process.pid is not None]
        reports.submit("stall", {}, tmp_path / "1.txt")
        os.kill(reports._workers[0].process.pid or 0, signal.SIGKILL)
    assert _gone(pids)
