"""The benchmark runs end to end on a tiny batch and writes its JSON (it times nothing here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def test_the_benchmark_completes_and_writes_its_results(tmp_path: Path) -> None:
    command = [sys.executable, str(BENCH), "--files", "20", "--out", str(tmp_path), "--repeat", "1",
               "--scale-files", "10", "--rollup-branches", "200",
               "--history-branches", "60", "--history-rounds", "2"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "intake + scoring" in done.stdout

    report = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert set(report) >= {"machine", "config", "generate", "floor", "intake", "full", "scale", "memory", "report",
                           "rollup", "template", "history", "ratios", "verdicts"}  # fmt: skip
    assert report["config"]["files"] == 20
    assert {"cpu_count", "python"} <= set(report["machine"])
    assert set(report["intake"]) == {"jobs1", "jobs2"} and set(report["full"]) == {"jobs1", "jobs2"}
    assert report["floor"]["median_s"] > 0 and report["full"]["jobs2"]["per_file_ms"] > 0
    assert report["memory"]["full"]["largest_mib"] > 0
    assert report["rollup"]["branches"] == 200 and report["rollup"]["peak_mib"] > 0
    assert report["report"]["median_ms"] > 0
    assert report["template"]["count"] == 20 and report["template"]["one_ms"] > 0
    assert set(report["verdicts"]) == {
        "report_ms", "full_vs_floor", "intake_vs_floor", "jobs_speedup", "scale_intake", "scale_full",
        "peak_memory_mib", "memory_growth", "rollup_s", "template_ms", "templates_s", "history_record",
        "history_show_s", "history_compare_s", "history_bytes",
    }  # fmt: skip
    history = report["history"]
    assert history["branches"] == 60 and history["rounds"] == 2 and history["show_rounds"] == 2
    assert history["compared"] == 60 and history["bytes_per_submission"] > 0
