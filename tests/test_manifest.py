"""The audit manifest: every input and output hashed; ``verify`` finds what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run
from conftest import Fill
from minirules import write_rules


@pytest.fixture
def scored(fill: Fill, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    rules = write_rules(tmp_path / "rules")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill("a.xlsx").rename(inbox / "a.xlsx")
    fill("b.xlsx", answers={"1.1.1": "也许"}).rename(inbox / "b.xlsx")
    out = tmp_path / "out"
    assert run(capsys, "score", str(inbox), "--rules", str(rules), "-o", str(out), "-q").exit_code == 1
    return out


def test_manifest_lists_every_input_and_output(scored: Path) -> None:
    manifest = json.loads((scored / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "branchcheck.manifest/1"
    assert [Path(i["path"]).name for i in manifest["inputs"]] == ["a.xlsx", "b.xlsx"]
    assert [i["status"] for i in manifest["inputs"]] == ["scored", "rejected"]
    outputs = {o["path"] for o in manifest["outputs"]}
    assert "results.json" in outputs and "汇总.xlsx" in outputs
    assert all(len(o["sha256"]) == 64 for o in manifest["outputs"])


def test_verify_passes_on_an_untouched_folder(scored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "verify", str(scored))
    assert result.exit_code == 0
    assert "核验通过" in result.stdout


def test_verify_detects_a_changed_report_and_a_missing_input(scored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = next(scored.glob("*-问题清单.xlsx"))
    report.write_bytes(report.read_bytes() + b"x")
    (scored.parent / "inbox" / "b.xlsx").unlink()
    result = run(capsys, "verify", str(scored))
    assert result.exit_code == 1
    assert f"内容已变更（输出）：{report.name}" in result.stdout
    assert "已缺失（输入）：" in result.stdout


def test_verify_without_a_manifest_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "verify", str(tmp_path))
    assert result.exit_code == 2
    assert "找不到审计清单" in result.stderr


def test_a_rerun_removes_the_previous_runs_outputs_only(scored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = scored / "我的笔记.txt"
    mine.write_text("留着", encoding="utf-8")
    stale = next(scored.glob("*-问题清单.xlsx"))
    inbox = scored.parent / "inbox"
    (inbox / "a.xlsx").unlink()
    rules = scored.parent / "rules"
    run(capsys, "score", str(inbox), "--rules", str(rules), "-o", str(scored), "-q")
    assert not stale.exists()
    assert mine.read_text(encoding="utf-8") == "留着"
