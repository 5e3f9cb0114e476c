"""The output folder under attack: the previous set survives failures, outputs are never read
back or written over inputs, edited reports and users' files are kept, one run at a time."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import CliResult, run
from conftest import Fill
from minirules import write_rules
from openpyxl import load_workbook


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return write_rules(tmp_path / "rules")


def _score(
    capsys: pytest.CaptureFixture[str], rules: Path, out: Path, *inputs: Path | str, extra: tuple[str, ...] = ()
) -> CliResult:
    return run(capsys, "score", *map(str, inputs), "--rules", str(rules), "-o", str(out), "-q", *extra)


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden working files aside) → sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture
def inbox(fill: Fill, tmp_path: Path) -> Path:
    folder = tmp_path / "回收"
    folder.mkdir()
    fill("a.xlsx").rename(folder / "a.xlsx")
    fill("b.xlsx", answers={"1.1.1": "也许"}).rename(folder / "b.xlsx")
    return folder


# 1. A failure while writing leaves the previous complete set intact.
def test_a_crash_while_writing_keeps_the_previous_output_set(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _score(capsys, rules_dir, out, inbox).exit_code == 1
    before = _snapshot(out)

    import engine.batch.run

    def broken(*args: object, **kwargs: object) -> list[Path]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine.batch.run, "write_reports", broken)
    (inbox / "a.xlsx").unlink()
    assert _score(capsys, rules_dir, out, inbox).exit_code == 3
    assert _snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".branchcheck-staging")] == []


# 1. A file name that is not valid UTF-8 is read and shown escaped, everywhere alike.
def test_a_non_utf8_file_name_is_scored_and_shown_escaped(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "zip"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"\xb5\xda\xff.xlsx")  # bytes no UTF-8 reading accepts
    with open(raw, "wb") as handle:
        handle.write(fill("x.xlsx").read_bytes())
    with open(os.path.join(os.fsencode(folder), b"\xfe.xlsx"), "wb") as handle:
        handle.write(fill("y.xlsx", answers={"1.1.1": "也许"}).read_bytes())
    out = tmp_path / "out"
    result = run(capsys, "score", str(folder), "--rules", str(rules_dir), "-o", str(out))  # the table: no -q
    assert result.exit_code == 1, result.stderr
    rejected = load_workbook(out / "汇总.xlsx")["未通过文件"]
    assert any(c.value == "\\xfe.xlsx" for row in rejected.iter_rows() for c in row)  # relative to the input root
    data = json.loads((out / "results.json").read_bytes().decode("utf-8"))
    escaped = "\\xb5\\xda\\xff.xlsx"
    assert data["submissions"][0]["source"].endswith(escaped)
    manifest = json.loads((out / "manifest.json").read_bytes().decode("utf-8"))
    assert manifest["inputs"][0]["path"].endswith(escaped)
    assert escaped in result.stdout
    assert run(capsys, "verify", str(out)).exit_code == 0  # the input is still found by its real bytes


# 2. Output folder = input folder: the tool's own outputs are never read back.
def test_scoring_into_the_input_folder_never_reads_its_own_outputs(
    inbox: Path, rules_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        result = _score(capsys, rules_dir, inbox, inbox)
        assert result.exit_code == 1
        data = json.loads((inbox / "results.json").read_text(encoding="utf-8"))
        assert [Path(s["source"]).name for s in data["submissions"]] == ["a.xlsx", "b.xlsx"]
    assert result.stderr.count("输入和输出在同一文件夹中") == 1
    assert "已跳过" in result.stderr


def test_reports_from_an_older_run_elsewhere_are_not_inputs(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _score(capsys, rules_dir, inbox / "旧报告", inbox)
    result = _score(capsys, rules_dir, tmp_path / "新", inbox)
    data = json.loads((tmp_path / "新" / "results.json").read_text(encoding="utf-8"))
    assert [Path(s["source"]).name for s in data["submissions"]] == ["a.xlsx", "b.xlsx"]
    assert "已跳过" in result.stderr


# 3. An output that would replace an input, or another output of the run: refused before any work.
def test_an_explicit_input_with_an_output_name_in_the_output_folder_is_refused(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "汇总.xlsx"
    mine.write_bytes(fill().read_bytes())
    before = mine.read_bytes()
    result = _score(capsys, rules_dir, out, mine)
    assert result.exit_code == 2
    assert "会覆盖它" in result.stderr
    assert mine.read_bytes() == before
    assert not (out / "results.json").exists()


@pytest.mark.parametrize("target", ["input", "results"])
def test_json_pointed_at_an_input_or_another_output_is_refused(
    target: str, inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    path = inbox / "a.xlsx" if target == "input" else out / "results.json"
    before = path.read_bytes() if path.exists() else None
    result = _score(capsys, rules_dir, out, inbox, extra=("--json", str(path)))
    assert result.exit_code == 2
    assert "--json" in result.stderr
    assert (path.read_bytes() if path.exists() else None) == before


# 4. Edited reports, users' files with an output's name, a tampered manifest.
def test_a_rerun_keeps_an_edited_report_under_a_clear_name(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _score(capsys, rules_dir, out, inbox)
    report = next(out.glob("*-问题清单.xlsx"))
    edited = report.read_bytes() + b"rectification filled in"
    report.write_bytes(edited)
    result = _score(capsys, rules_dir, out, inbox)
    assert (out / f"已修改-{report.name}").read_bytes() == edited
    assert report.read_bytes() != edited  # the new report is in place
    assert f"已保留为 已修改-{report.name}" in result.stderr
    assert run(capsys, "verify", str(out)).exit_code == 0


def test_a_first_run_keeps_a_users_file_that_has_an_outputs_name(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "汇总.xlsx").write_bytes(b"my own summary")
    (out / "results.json").write_text("mine", encoding="utf-8")
    _score(capsys, rules_dir, out, inbox)
    assert (out / "原有-汇总.xlsx").read_bytes() == b"my own summary"
    assert (out / "原有-results.json").read_text(encoding="utf-8") == "mine"
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["format"] == "branchcheck.results/1"


def test_a_tampered_manifest_cannot_make_the_tool_delete_a_users_file(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _score(capsys, rules_dir, out, inbox)
    precious = out / "工作记录.docx"
    precious.write_bytes(b"a year of notes")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"].append({"path": "工作记录.docx", "sha256": "0" * 64})
    manifest["outputs"].append({"path": "../回收/a.xlsx", "sha256": "0" * 64})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    _score(capsys, rules_dir, out, inbox)
    assert not precious.exists()  # not deleted: set aside under a name that says why
    assert (out / "已修改-工作记录.docx").read_bytes() == b"a year of notes"
    assert (inbox / "a.xlsx").exists()


def test_a_rerun_removes_only_unchanged_previous_outputs(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _score(capsys, rules_dir, out, inbox)
    assert (out / "退回").is_dir()
    (inbox / "b.xlsx").unlink()  # the rejected file is gone: its notice must go too
    assert _score(capsys, rules_dir, out, inbox).exit_code == 0
    assert not (out / "退回").exists()
    assert run(capsys, "verify", str(out)).exit_code == 0


# 5. One run at a time.
def test_a_second_run_into_a_locked_folder_exits_2(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".branchcheck.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = _score(capsys, rules_dir, out, inbox)
    finally:
        os.close(fd)
    assert result.exit_code == 2
    assert "另一个 branchcheck 正在向输出文件夹" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".branchcheck.lock"]


# 17. Every output gets the same permissions, from the umask.
def test_every_output_has_the_umasks_permissions(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    copy = tmp_path / "copy.json"
    old = os.umask(0o022)
    try:
        _score(capsys, rules_dir, out, inbox, extra=("--json", str(copy)))
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [*out.rglob("*"), copy] if p.is_file()}
    modes.pop(".branchcheck.lock")
    assert set(modes.values()) == {0o644}, modes


# 15. verify never opens a FIFO that replaced an input.
def test_verify_reports_an_input_replaced_by_a_fifo_without_hanging(
    inbox: Path, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _score(capsys, rules_dir, out, inbox)
    (inbox / "a.xlsx").unlink()
    os.mkfifo(inbox / "a.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "engine", "verify", str(out)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "已被替换为文件夹或特殊文件（输入）" in done.stdout
