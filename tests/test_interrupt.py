"""Ctrl-C stops a batch cleanly: exit 130, says how far it got, no half-written file, no traceback."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

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
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:  # the machine was fast enough to finish first: nothing to interrupt
        return
    assert process.returncode == 130
    assert "已中断" in stderr and "Traceback" not in stdout + stderr
    # Nothing of the interrupted run is left: no temporary file, no staging folder, no output at all.
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left in ([], [".branchcheck.lock"])
