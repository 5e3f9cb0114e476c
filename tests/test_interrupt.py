"""Ctrl-C stops a batch cleanly: exit 130, says how far it got, no half-written file, no traceback."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Fill


def test_ctrl_c_stops_cleanly(fill: Fill, tmp_path: Path) -> None:
    from minirules import write_rules

    rules = write_rules(tmp_path / "rules")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    one = fill("one.xlsx")
    for n in range(400):
        shutil.copy(one, inbox / f"{n:03d}.xlsx")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", "score", str(inbox), "--rules", str(rules), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until_started(out)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:  # the machine was fast enough to finish first: nothing to interrupt
        return
    assert process.returncode == 130, stderr[-2000:]
    assert "已中断" in stderr and "Traceback" not in stdout + stderr
    # Nothing of the interrupted run is left: no temporary file, no staging folder, no output at all.
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left in ([], [".branchcheck.lock"])


def _wait_until_started(out: Path) -> None:
    """Past the interpreter's start-up (a signal there is Python's, not ours): the run holds its lock."""
    deadline = time.monotonic() + 60
    while not (out / ".branchcheck.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("delay", [0.2, 1.0, 2.5])
def test_sigterm_at_any_point_keeps_the_previous_output_set(fill: Fill, tmp_path: Path, delay: float) -> None:
    """SIGTERM is a clean stop like Ctrl-C: exit 130, a message, the previous set intact, no child left."""
    from minirules import write_rules

    rules = write_rules(tmp_path / "rules")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    one = fill("one.xlsx")
    shutil.copy(one, inbox / "first.xlsx")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "engine", "score", str(inbox), "--rules", str(rules), "-o", str(out), "-q"]
    assert subprocess.run([*command, "--jobs", "2"], capture_output=True, timeout=120).returncode == 0
    (out / ".branchcheck.lock").unlink()  # its reappearing says the second run has started
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    for n in range(300):
        shutil.copy(one, inbox / f"{n:03d}.xlsx")
    process = subprocess.Popen([*command, "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_until_started(out)
    time.sleep(delay)
    children = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert not [c for c in children if _alive(c)], "a worker outlived the run"
    assert "Traceback" not in stdout + stderr
    assert not list(out.glob(".branchcheck-staging-*"))
    if process.returncode == 130:
        assert "已中断" in stderr
        assert after == before
    else:  # finished before the signal: then the new set is complete
        assert process.returncode == 0
        assert subprocess.run([sys.executable, "-m", "engine", "verify", str(out)], timeout=60).returncode == 0
