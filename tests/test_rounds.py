"""Two rounds end to end: the report's _meta, rectification import of returned 问题清单, 整改不实 and
逾期未整改 at the next round, the comparison in the reports, and the 回头看 workbook."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import Fill
from minirules import write_rules
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from test_history import _inbox, _score

from engine.history.store import MIGRATIONS, SCHEMA_VERSION, Store
from engine.reportcontract import REPORT_FORMAT
from engine.reports.gaplist import HEADERS as GAP_HEADERS
from engine.reports.summary_block import TABLE_HEADER_ROW

NEXT_YEAR = {"assessment_year": 2019}
REPORT = "测试机关党委-测试党支部-问题清单.xlsx"
Edit = Callable[..., Path]



@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return write_rules(tmp_path / "rules")

def _meta(path: Path) -> dict[str, Any]:
    ws = load_workbook(path)["_meta"]
    assert ws.sheet_state == "veryHidden"
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True)}


ID, DUE, STATE = (get_column_letter(GAP_HEADERS.index(t) + 1) for t in ("编号", "整改时限", "整改状态"))


def _returned(
    report: Path, target: Path, rows: dict[str, tuple[Any, Any]], change: Callable[[Any], None] | None = None
) -> Path:
    """The report as a branch returns it: 整改状态 and 整改时限 filled for the given check points."""
    wb = load_workbook(report)
    ws = wb["问题清单"]
    header = [c.value for c in ws[3]]
    col_id, col_due, col_state = (header.index(t) + 1 for t in ("编号", "整改时限", "整改状态"))
    for row in range(4, ws.max_row + 1):
        item = ws.cell(row, col_id).value
        if item in rows:
            state, due = rows[item]
            ws.cell(row, col_state).value = state
            ws.cell(row, col_due).value = due
    if change is not None:
        change(wb)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def _first_round(fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    store = tmp_path / "h.sqlite3"
    result = _score(capsys, rules_dir, store, tmp_path / "o1", _inbox(tmp_path / "2018", fill), "--round", "2018年度")
    assert result.exit_code == 0, result.stderr
    return store


def test_two_rounds_with_declared_rectification(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _first_round(fill, rules_dir, tmp_path, capsys)
    report = tmp_path / "o1" / REPORT
    meta = _meta(report)
    assert meta["format"] == REPORT_FORMAT and meta["round"] == "2018年度"
    assert meta["branch"] == "name:测试机关党委/测试党支部" and meta["rule_set_version"] == "1.0.0"
    returned = {"1.1.2": ("已整改", date(2019, 3, 1)), "1.1.3": ("整改中", date(2019, 6, 30)),
                "1.2.1": ("已完成", "2019年5月1日")}  # fmt: skip
    back = _returned(report, tmp_path / "back" / "办公室问题清单.xlsx", returned)
    imported = run(capsys, "rectification", "import", str(tmp_path / "back"), "--round", "2018年度",
                   "--history", str(store))  # fmt: skip
    assert imported.exit_code == 0, imported.stderr
    assert "导入 3 个问题项的整改情况" in imported.stdout
    assert back.exists()

    followup = run(capsys, "rectification", "report", "--round", "2018年度", "--as-of", "2019-06-01",
                   "-o", str(tmp_path / "ht"), "--history", str(store), "--rules", str(rules_dir))  # fmt: skip
    assert followup.exit_code == 0, followup.stderr
    path = tmp_path / "ht" / "整改回头看-2018年度-2019-06-01.xlsx"
    progress = load_workbook(path)["整改进度"]
    assert "截至 2019-06-01" in progress["A1"].value
    assert [c.value for c in progress[4]][5:11] == [3, 2, 1, 0, 0, 0]  # 3 gaps: 2 done, 1 in progress, none late
    later = run(capsys, "rectification", "report", "--round", "2018年度", "--as-of", "2019-07-01",
                "-o", str(tmp_path / "ht"), "--history", str(store), "--rules", str(rules_dir))  # fmt: skip
    assert later.exit_code == 0
    assert load_workbook(tmp_path / "ht" / "整改回头看-2018年度-2019-07-01.xlsx")["整改进度"]["K4"].value == 1  # late
    again = tmp_path / "ht2"
    run(capsys, "rectification", "report", "--round", "2018年度", "--as-of", "2019-06-01", "-o", str(again),
        "--history", str(store), "--rules", str(rules_dir))  # fmt: skip
    assert (again / path.name).read_bytes() == path.read_bytes()  # the same date: the same bytes

    answers = {"2.1.4": date(2019, 10, 1), "1.1.2": "好", "1.2.1": 0.97, "1.1.3": 31.5}  # fixed, better, the same
    second = _inbox(tmp_path / "2019", fill, profile=NEXT_YEAR, answers=answers)
    result = _score(capsys, rules_dir, store, tmp_path / "o2", second, "--round", "2019年度")
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "o2" / "results.json").read_text(encoding="utf-8"))
    comparison = data["submissions"][0]["comparison"]
    classes = {g["id"]: g["class"] for g in comparison["gaps"]}
    assert classes == {"1.1.2": "已整改", "1.1.3": "逾期未整改", "1.2.1": "整改不实"}
    declared = {g["id"]: g["declared"] for g in comparison["gaps"]}
    assert declared["1.2.1"] == {"state": "已完成", "due": "2019-05-01", "owner": None, "measure": None}
    assert comparison["rectification_rate"] == 0.3333

    new_report = load_workbook(tmp_path / "o2" / REPORT)
    assert new_report.sheetnames == ["总览", "问题清单", "评分明细", "整改情况", "_meta"]  # no warnings: no 数据问题
    overview = [c for row in new_report["总览"].iter_rows(values_only=True) for c in row if c is not None]
    assert "与上一轮次“2018年度”比较" in overview and "上轮得分" in overview and 97.04 in overview
    gaps = new_report["问题清单"]
    header = [c.value for c in gaps[3]]
    assert header[-1] == "上轮"
    marks = {r[1]: r[-1] for r in gaps.iter_rows(min_row=4, values_only=True) if r[1]}  # 编号 in column B
    assert marks["1.2.1"] == "整改不实" and marks["1.1.3"] == "上轮已有"
    followed = {r[1]: r[5] for r in new_report["整改情况"].iter_rows(min_row=4, values_only=True)}
    assert followed == {"1.1.2": "已整改", "1.1.3": "逾期未整改", "1.2.1": "整改不实"}

    rollup = load_workbook(tmp_path / "o2" / "汇总.xlsx")
    assert "变化分析" in rollup.sheetnames
    table = rollup["总表"]
    titles = [c.value for c in table[TABLE_HEADER_ROW]]  # below the statistics block (roster15)
    row = dict(zip(titles, (c.value for c in table[TABLE_HEADER_ROW + 1]), strict=True))
    assert row["上轮得分"] == 97.04 and row["整改率"] == 0.3333
    assert row["变化"] == pytest.approx(data["submissions"][0]["score"] - 97.04)
    changes = [c for r in rollup["变化分析"].iter_rows(values_only=True) for c in r if c is not None]
    assert "整改不实（支部自报“已完成”，本轮核查仍未达标）" in changes and "1.2.1" in changes
    with zipfile.ZipFile(tmp_path / "o2" / "汇总.xlsx") as z:
        assert any(n.startswith("xl/charts/") for n in z.namelist())


def test_without_a_comparison_the_reports_are_as_before(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = _inbox(tmp_path / "in", fill)
    assert _score(capsys, rules_dir, tmp_path / "a.sqlite3", tmp_path / "plain", inbox).exit_code == 0
    store = tmp_path / "b.sqlite3"
    assert _score(capsys, rules_dir, store, tmp_path / "first", inbox, "--round", "2018年度").exit_code == 0
    plain, first = tmp_path / "plain" / REPORT, tmp_path / "first" / REPORT
    assert load_workbook(plain).sheetnames == ["总览", "问题清单", "评分明细", "_meta"]  # no warnings: no 数据问题
    assert not _meta(plain)["round"] and _meta(first)["round"] == "2018年度"
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(first) as b:
        for n in range(1, 4):  # the visible sheets: byte for byte
            part = f"xl/worksheets/sheet{n}.xml"
            assert a.read(part) == b.read(part), part
    assert (tmp_path / "plain" / "汇总.xlsx").read_bytes() == (tmp_path / "first" / "汇总.xlsx").read_bytes()


def _import(capsys: pytest.CaptureFixture[str], store: Path, *files: Path, round_name: str = "2018年度") -> Any:
    return run(capsys, "rectification", "import", *map(str, files), "--round", round_name, "--history", str(store))


def test_messy_returned_reports_are_read_or_diagnosed_by_position(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _first_round(fill, rules_dir, tmp_path, capsys)
    report = tmp_path / "o1" / REPORT

    def messy(wb: Any) -> None:
        ws = wb["问题清单"]
        rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
        ws.delete_rows(4, ws.max_row)
        for n, row in enumerate(reversed(rows)):  # reordered, with blank rows between
            ws.append([None] * len(row))
            ws.append(row)
            del n
        ws[f"{STATE}3"] = "状 态"  # an edited header: a variant title with a space
        ws[f"{DUE}3"] = "整改时限"

    dates = {"1.1.2": ("已完成", 43555), "1.1.3": ("整改中", "2019/6/30"), "1.2.1": ("未整改", None)}  # a serial, text
    back = _returned(report, tmp_path / "back" / "a.xlsx", dates, messy)
    result = _import(capsys, store, back)
    assert result.exit_code == 0, result.stderr
    assert "导入 3 个问题项" in result.stdout and f"问题清单!{STATE}3" in result.stderr  # the variant header, a warning
    with Store(store) as opened:
        rows = dict(opened.conn.execute("SELECT item_id, due FROM declared").fetchall())
    assert rows == {"1.1.2": "2019-03-31", "1.1.3": "2019-06-30", "1.2.1": None}

    bad = _returned(report, tmp_path / "bad.xlsx", {"1.1.2": ("好像完成了", None), "1.1.3": ("整改中", "下个月")})
    result = _import(capsys, store, bad)
    assert result.exit_code == 1
    assert f"问题清单!{STATE}" in result.stderr and "整改状态“好像完成了”无法识别" in result.stderr
    assert "整改时限“下个月”不是日期" in result.stderr

    def other_round(wb: Any) -> None:
        wb["_meta"]["B2"] = "2017年度"

    elsewhere = _returned(report, tmp_path / "other.xlsx", {}, other_round)
    result = _import(capsys, store, elsewhere)
    assert result.exit_code == 1 and "属于评估轮次“2017年度”" in result.stderr and "_meta" in result.stderr

    def no_header(wb: Any) -> None:
        wb["问题清单"][f"{ID}3"] = "序号2"

    result = _import(capsys, store, _returned(report, tmp_path / "nohead.xlsx", {}, no_header))
    assert result.exit_code == 1 and "找不到同时包含“编号”和“整改状态”的表头行" in result.stderr

    not_a_report = fill("自评表.xlsx")
    result = _import(capsys, store, not_a_report)
    assert result.exit_code == 1 and "不是本工具写出的支部问题清单" in result.stderr
    assert _import(capsys, store, back, round_name="2030年度").exit_code == 2
    fake = tmp_path / "fake.xlsx"
    fake.write_text("编号,整改状态\n1.1.2,已完成\n", encoding="utf-8")
    result = _import(capsys, store, fake)
    assert result.exit_code == 1 and "fake.xlsx" in result.stderr
    whole = _import(capsys, store, tmp_path / "o1")  # the output folder: only the report is read
    assert whole.exit_code == 0 and "共 1 个文件" in whole.stdout


def test_a_report_of_another_rule_set_is_refused(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _first_round(fill, rules_dir, tmp_path, capsys)

    def newer(r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][1]["items"][0]["target"] = 98
        r["version"] = "1.1.0"

    other = write_rules(tmp_path / "r2", newer)
    assert _score(capsys, other, tmp_path / "x.sqlite3", tmp_path / "o9", tmp_path / "2018").exit_code == 1  # old form
    from engine.reports import write_reports
    from engine.rules import load_rule_set
    from engine.scoring.results import result_to_dict

    data = json.loads((tmp_path / "o1" / "results.json").read_text(encoding="utf-8"))
    write_reports(load_rule_set(other), [data["submissions"][0]], tmp_path / "o9b")
    result = _import(capsys, store, tmp_path / "o9b" / REPORT)
    assert result.exit_code == 1 and "按规则集 mini 1.1.0 写出" in result.stderr
    del result_to_dict


@pytest.mark.libreoffice
def test_a_report_saved_again_by_libreoffice_is_read(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], soffice: str
) -> None:
    import subprocess

    store = _first_round(fill, rules_dir, tmp_path, capsys)
    back = _returned(tmp_path / "o1" / REPORT, tmp_path / "src" / "r.xlsx", {"1.1.2": ("已完成", date(2019, 3, 1))})
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir",
         str(tmp_path / "lo"), str(back)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    result = _import(capsys, store, tmp_path / "lo" / "r.xlsx")
    assert result.exit_code == 0, result.stderr
    with Store(store) as opened:
        found = opened.conn.execute("SELECT item_id, state, due FROM declared ORDER BY item_id").fetchall()
    assert found == [("1.1.2", "已完成", "2019-03-01"), ("1.1.3", "未整改", None), ("1.2.1", "未整改", None)]


def test_a_store_of_the_first_version_is_migrated(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    row = (1, "2018年度", "mini", "1.0.0", "sha256:x", "2018-12-31", "2018-12-31", 1, 0)
    db.execute("INSERT INTO rounds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert store.conn.execute("SELECT name FROM rounds").fetchall() == [("2018年度",)]
        assert store.conn.execute("SELECT COUNT(*) FROM declared").fetchone()[0] == 0


def test_two_rounds_across_a_rule_set_version_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled rule set, then a copy whose check point 3.2.1 changed (9.9.9): 3.2.1 is not followed."""
    import shutil

    from engine.demo.branches import DEMO_BRANCHES
    from engine.demo.generate import generate
    from engine.rules import load_rule_set
    from engine.rules.loader import bundled_rules_dir

    bundled = load_rule_set()
    copy = tmp_path / "rules-9.9.9"
    shutil.copytree(bundled_rules_dir(), copy)
    root = copy / "ruleset.yaml"
    text = root.read_text(encoding="utf-8").replace(f"version: {bundled.version}", "version: 9.9.9")
    root.write_text(text, encoding="utf-8")
    area = copy / "area-3.yaml"
    text = area.read_text(encoding="utf-8")
    at = text.index('- id: "3.2.1"')
    end = text.index("target: 12", at)
    area.write_text(text[:end] + "target: 10" + text[end + len("target: 12") :], encoding="utf-8")
    changed = load_rule_set(copy)
    assert changed.version == "9.9.9" and changed.fingerprint != bundled.fingerprint

    specs = DEMO_BRANCHES[1:3]  # 政策法规处, and 基础研究处 without its committee: 2.2.7 and 3.2.1 are gaps
    generate(bundled, tmp_path / "2017", specs, 7, reference=date(2017, 12, 31))
    generate(changed, tmp_path / "2018", specs, 8, reference=date(2018, 12, 31))
    store = tmp_path / "h.sqlite3"
    first = run(capsys, "score", str(tmp_path / "2017"), "-o", str(tmp_path / "o1"), "-q", "--history", str(store),
                "--round", "2017年度")  # fmt: skip
    assert first.exit_code == 0, first.stderr
    report = tmp_path / "o1" / "示范厅机关党委-基础研究处党支部-问题清单.xlsx"
    back = _returned(report, tmp_path / "back" / "r.xlsx", {"2.2.7": ("已完成", date(2018, 6, 30))})
    assert _import(capsys, store, back, round_name="2017年度").exit_code == 0

    second = run(capsys, "score", str(tmp_path / "2018"), "--rules", str(copy), "-o", str(tmp_path / "o2"), "-q",
                 "--history", str(store), "--round", "2018年度")  # fmt: skip
    assert second.exit_code == 0, second.stderr
    assert "已与评估轮次“2017年度”比较（2 个支部在该轮次中有记录）" in second.stderr
    subs = json.loads((tmp_path / "o2" / "results.json").read_text(encoding="utf-8"))["submissions"]
    weak = next(s for s in subs if s["branch"]["name"] == "基础研究处党支部")
    classes = {g["id"]: g["class"] for g in weak["comparison"]["gaps"]}
    assert classes["3.2.1"] == "规则已变更" and classes["2.2.7"] == "整改不实"
    assert {c for k, c in classes.items() if k != "3.2.1"} <= {"已整改", "部分整改", "未整改", "整改不实"}
    listed = run(capsys, "history", "list", "--history", str(store))
    assert bundled.version in listed.stdout and "9.9.9" in listed.stdout
    rollup = load_workbook(tmp_path / "o2" / "汇总.xlsx")
    assert "变化分析" in rollup.sheetnames
