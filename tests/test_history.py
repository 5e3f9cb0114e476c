"""Assessment rounds: recording, replacing, comparing two rounds, and the store's safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import MINI_ANSWERS, MINI_PROFILE, MINI_VETOES, Fill
from minirules import write_rules

from engine.rules import load_rule_set
from engine.template import fill_workbook, write_template

ROOT = Path(__file__).resolve().parents[1]
NEXT_YEAR = {"assessment_year": 2019}
NEXT_ANSWERS = {"2.1.4": date(2019, 10, 1)}


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return write_rules(tmp_path / "rules")


def _score(capsys: pytest.CaptureFixture[str], rules: Path, store: Path, out: Path, inputs: Path, *extra: str) -> Any:
    options = ("--rules", str(rules), "-o", str(out), "-q", "--history", str(store))
    return run(capsys, "score", str(inputs), *options, *extra)


def _inbox(folder: Path, fill: Fill, **kwargs: Any) -> Path:
    folder.mkdir(parents=True)
    fill("办公室.xlsx", **kwargs).rename(folder / "办公室.xlsx")
    return folder


def _results(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return loaded


def test_a_second_round_follows_up_each_earlier_gap(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.sqlite3"
    first = _inbox(tmp_path / "2018", fill)
    result = _score(capsys, rules_dir, store, tmp_path / "o1", first, "--round", "2018年度")
    assert result.exit_code == 0, result.stderr
    assert "没有更早的轮次可比较" in result.stderr
    assert _results(tmp_path / "o1")["submissions"][0]["comparison"] is None
    earlier_gaps = {g["id"]: g["status"] for g in _results(tmp_path / "o1")["submissions"][0]["gaps"]}
    assert earlier_gaps == {"1.1.2": "partial", "1.1.3": "partial", "1.2.1": "partial"}

    answers = {**NEXT_ANSWERS, "1.1.2": "好", "1.2.1": 0.97, "1.1.3": 31.5}  # fixed, better, the same
    second = _inbox(tmp_path / "2019", fill, profile=NEXT_YEAR, answers=answers)
    result = _score(capsys, rules_dir, store, tmp_path / "o2", second, "--round", "2019年度")
    assert "已与评估轮次“2018年度”比较（1 个支部在该轮次中有记录）" in result.stderr
    sub = _results(tmp_path / "o2")["submissions"][0]
    comparison = sub["comparison"]
    assert comparison["round"] == "2018年度" and comparison["score"] == 97.04
    assert comparison["change"] == round(sub["score"] - 97.04, 2)
    assert comparison["gaps"] == [
        {"id": "1.1.2", "class": "已整改", "declared": None},
        {"id": "1.1.3", "class": "未整改", "declared": None},
        {"id": "1.2.1", "class": "部分整改", "declared": None},
    ]
    assert comparison["rectification_rate"] == 0.3333
    areas = {a["id"]: a for a in comparison["areas"]}
    assert areas["1"]["change"] > 0 and areas["2"]["change"] == 0  # the fixes were all in area 1


def test_a_store_of_schema_2_is_migrated_and_compares_the_same(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Schema 3 keeps each submission's gaps beside it; a store written before gets them from its results."""
    from engine.history.store import SCHEMA_VERSION, Store

    store = tmp_path / "h.sqlite3"
    result = _score(capsys, rules_dir, store, tmp_path / "o1", _inbox(tmp_path / "2018", fill), "--round", "2018年度")
    assert result.exit_code == 0, result.stderr
    db = sqlite3.connect(store)
    recorded = db.execute("SELECT id, gaps FROM submissions").fetchall()
    assert [[g.split(":")[0] for g in gaps.split(" ")] for _, gaps in recorded] == [["1.1.2", "1.1.3", "1.2.1"]]
    db.execute("ALTER TABLE submissions DROP COLUMN gaps")  # the store as schema 2 wrote it
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with Store(store) as opened:
        assert opened.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert opened.conn.execute("SELECT id, gaps FROM submissions").fetchall() == recorded

    answers = {**NEXT_ANSWERS, "1.1.2": "好", "1.2.1": 0.97, "1.1.3": 31.5}
    second = _inbox(tmp_path / "2019", fill, profile=NEXT_YEAR, answers=answers)
    result = _score(capsys, rules_dir, store, tmp_path / "o2", second, "--round", "2019年度")
    assert result.exit_code == 0, result.stderr
    gaps = _results(tmp_path / "o2")["submissions"][0]["comparison"]["gaps"]
    assert [(g["id"], g["class"]) for g in gaps] == [("1.1.2", "已整改"), ("1.1.3", "未整改"), ("1.2.1", "部分整改")]


def test_a_changed_rule_is_not_followed_and_a_round_recorded_again_replaces_itself(
    fill: Fill, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.sqlite3"
    rules_1 = write_rules(tmp_path / "r1")

    def stricter(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][1]["items"][0]["target"] = 98  # 1.2.1: 100 % → 98 %
        _r["version"] = "1.1.0"

    rules_2 = write_rules(tmp_path / "r2", stricter)
    first = _inbox(tmp_path / "2018", fill)
    for _ in range(2):
        _score(capsys, rules_1, store, tmp_path / "o1", first, "--round", "2018年度")
    listed = run(capsys, "history", "list", "--history", str(store))
    assert listed.stdout.count("2018年度") == 1 and "mini 1.0.0" in listed.stdout
    second = tmp_path / "2019"
    second.mkdir()
    template = write_template(load_rule_set(rules_2), tmp_path / "t2.xlsx")  # a 1.1.0 workbook
    profile, answers = {**MINI_PROFILE, **NEXT_YEAR}, {**MINI_ANSWERS, **NEXT_ANSWERS}
    fill_workbook(template, second / "办公室.xlsx", profile=profile, answers=answers, vetoes=MINI_VETOES)
    result = _score(capsys, rules_2, store, tmp_path / "o2", second, "--round", "2019年度")
    assert result.exit_code == 0, result.stderr
    classes = {g["id"]: g["class"] for g in _results(tmp_path / "o2")["submissions"][0]["comparison"]["gaps"]}
    assert classes == {"1.1.2": "未整改", "1.1.3": "未整改", "1.2.1": "规则已变更"}


def test_history_show_export_and_remove(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.sqlite3"
    _score(capsys, rules_dir, store, tmp_path / "o1", _inbox(tmp_path / "a", fill), "--round", "2018年度")
    second = _inbox(tmp_path / "b", fill, profile=NEXT_YEAR, answers={**NEXT_ANSWERS, "1.1.2": "好"})
    _score(capsys, rules_dir, store, tmp_path / "o2", second, "--round", "2019年度")
    shown = run(capsys, "history", "show", "测试党支部", "--history", str(store))
    assert shown.exit_code == 0
    lines = [line for line in shown.stdout.splitlines() if "年度" in line]
    assert "2018年度" in lines[0] and "97.04" in lines[0] and "2019年度" in lines[1]
    exported = tmp_path / "h.json"
    assert run(capsys, "history", "export", "-o", str(exported), "--history", str(store)).exit_code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "branchcheck.history/1"
    assert [r["name"] for r in data["rounds"]] == ["2018年度", "2019年度"]
    items = {i["id"]: i for i in data["rounds"][0]["submissions"][0]["items"]}
    assert items["1.1.2"] == {"id": "1.1.2", "answer": "较好", "status": "partial", "credit": 0.8, "earned": 8,
                              "max": 10, "gain": 2.22}  # fmt: skip
    xlsx = tmp_path / "h.xlsx"
    assert run(capsys, "history", "export", "-o", str(xlsx), "--format", "xlsx", "--history", str(store)).exit_code == 0
    assert run(capsys, "history", "remove", "2018年度", "--yes", "--history", str(store)).exit_code == 0
    assert "2018年度" not in run(capsys, "history", "list", "--history", str(store)).stdout


def test_a_busy_store_stops_the_run_before_any_work(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.sqlite3"
    _score(capsys, rules_dir, store, tmp_path / "o1", _inbox(tmp_path / "a", fill), "--round", "2018年度")
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the store
    try:
        second = _inbox(tmp_path / "b", fill, profile=NEXT_YEAR, answers=NEXT_ANSWERS)
        result = _score(capsys, rules_dir, store, tmp_path / "o2", second, "--round", "2019年度")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 2
    assert "正被另一个 branchcheck 写入" in result.stderr
    assert not (tmp_path / "o2" / "results.json").exists()


def test_a_newer_store_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "h.sqlite3"
    db = sqlite3.connect(store)
    db.execute("PRAGMA user_version = 99")
    db.close()
    result = run(capsys, "history", "list", "--history", str(store))
    assert result.exit_code == 2 and "更新版本的 branchcheck" in result.stderr


def test_an_empty_file_becomes_a_store_of_the_current_version(tmp_path: Path) -> None:
    from engine.history.store import SCHEMA_VERSION, Store

    store = tmp_path / "new.sqlite3"
    store.touch()
    with Store(store) as opened:
        assert opened.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in opened.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"rounds", "round_items", "submissions", "results"} <= tables


_RECORD = """
import sys
from pathlib import Path
from engine.history.record import record_round
from engine.history.store import Store
from engine.rules import load_rule_set
from engine.batch.scoring import score_file

rules = load_rule_set(sys.argv[2])
one = score_file(rules, sys.argv[3])
results = [one] * int(sys.argv[4])
with Store(Path(sys.argv[1])) as store:
    print("recording", flush=True)
    record_round(store, "大轮次", rules, results)
print("done", flush=True)
"""


def test_killing_a_recording_midway_leaves_the_store_as_it_was(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.sqlite3"
    first = _inbox(tmp_path / "a", fill)
    _score(capsys, rules_dir, store, tmp_path / "o1", first, "--round", "2018年度")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", _RECORD, str(store), str(rules_dir), str(first / "办公室.xlsx"), "40000"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "recording"
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    db = sqlite3.connect(store)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    names = [r[0] for r in db.execute("SELECT name FROM rounds ORDER BY name")]
    counts = {n: db.execute("SELECT COUNT(*) FROM submissions s JOIN rounds r ON r.id = s.round_id WHERE r.name = ?",
                            (n,)).fetchone()[0] for n in names}  # fmt: skip
    db.close()
    assert counts in ({"2018年度": 1}, {"2018年度": 1, "大轮次": 40000})  # all of it or none of it


def test_a_branch_code_follows_a_renamed_branch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def with_code(r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        field = {"id": "code", "label": "支部编码", "type": "text", "required": False, "role": "branch_code"}
        r["profile"].append(field)

    rules_dir = write_rules(tmp_path / "rules", with_code)
    template = write_template(load_rule_set(rules_dir), tmp_path / "t.xlsx")
    store = tmp_path / "h.sqlite3"
    for year, name in ((2018, "第一党支部"), (2019, "综合党支部")):  # renamed, same code
        folder = tmp_path / str(year)
        folder.mkdir()
        profile = {**MINI_PROFILE, "branch_name": name, "code": "620100001", "assessment_year": year}
        answers = {**MINI_ANSWERS, "2.1.4": date(year, 10, 1)}
        fill_workbook(template, folder / "a.xlsx", profile=profile, answers=answers, vetoes=MINI_VETOES)
        _score(capsys, rules_dir, store, tmp_path / f"o{year}", folder, "--round", f"{year}年度")
    comparison = _results(tmp_path / "o2019")["submissions"][0]["comparison"]
    assert comparison is not None and comparison["round"] == "2018年度"
    shown = run(capsys, "history", "show", "620100001", "--history", str(store))
    assert "2018年度" in shown.stdout and "2019年度" in shown.stdout
