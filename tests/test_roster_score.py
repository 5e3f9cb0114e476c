"""``score --roster``: 未提交 with contacts, 名册外 with hints, rejected-only rows, the history identity."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from clirun import run
from conftest import Fill
from minirules import write_rules
from openpyxl import load_workbook

from engine.roster import contract as c
from engine.roster.template import write_roster_template


def roster(path: Path, *rows: tuple[str, str, str | None, str | None, str | None]) -> Path:
    """Rows of (上级党组织, 支部名称, 联系人, 联系电话, 曾用名)."""
    return write_roster_template(path, [
        {c.COL_PARENT: p, c.COL_NAME: n, c.COL_CONTACT: who, c.COL_PHONE: phone, c.COL_FORMER: former,
         c.COL_GROUP: "片区一"}
        for p, n, who, phone, former in rows
    ])  # fmt: skip


@pytest.fixture
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_rules(tmp_path_factory.mktemp("rules"))


def sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    ws = load_workbook(path)[sheet]
    return [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] is not None]


def test_score_with_a_roster(fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    fill("in/a.xlsx", profile={"branch_name": "办公室党支部", "parent_org": "一党委"})
    fill("in/b.xlsx", profile={"branch_name": "人事处党支部", "parent_org": "一党委"}, answers={"1.1.1": "也许"})
    fill("in/c.xlsx", profile={"branch_name": "财务党支部", "parent_org": "一党委"})
    fill("in/d.xlsx", profile={"branch_name": "旧名党支部", "parent_org": "二 党委"})
    names = roster(
        inputs / "名册.xlsx",  # among the inputs: never scored as a submission
        ("一党委", "办公室党支部", "张三", "111", None),
        ("一党委", "人事处党支部", "李四", "222", None),
        ("一党委", "财务处党支部", "王五", "333", None),
        ("一党委", "后勤服务中心党支部", "赵六", "444", None),
        ("二党委", "新名党支部", None, None, "旧名党支部"),
    )
    out = tmp_path / "out"
    done = run(capsys, "score", str(inputs), "--rules", str(rules_dir), "-o", str(out), "--roster", str(names),
               "--by-unit", "--quiet")  # fmt: skip
    assert done.exit_code == 1  # b.xlsx is rejected
    assert "名册：5 个支部，已提交 3 个（其中 1 个的文件都未通过），未提交 2 个；不在名册中的提交 1 份" in done.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [Path(s["source"]).name for s in results["submissions"]] == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]
    rollup = out / "汇总.xlsx"
    missing = sheet_rows(rollup, "未提交")
    assert [(r[2], r[5], r[6]) for r in missing] == [
        ("财务处党支部", "王五", "333"),
        ("后勤服务中心党支部", "赵六", "444"),
    ]
    off = sheet_rows(rollup, "名册外")
    assert [(Path(str(r[1])).name, r[3], r[5], r[6]) for r in off] == [
        ("c.xlsx", "财务党支部", "已评分", "是否为“财务处党支部”？")
    ]
    groups = load_workbook(rollup)["分组汇总"]
    titles = {cell.value: cell.column for cell in groups[3]}
    line = {t: groups.cell(4 + n, col).value for n in range(2) for t, col in titles.items() if
            groups.cell(4 + n, 1).value == "一党委"}  # fmt: skip
    assert (line["应提交"], line["已提交"], line["未通过"], line["未提交"], line["名册外"]) == (4, 2, 1, 2, 1)
    assert line["提交率"] == 0.5
    assert sorted(p.name for p in (out / "分单位").iterdir()) == ["一党委-汇总.xlsx", "二党委-汇总.xlsx"]
    assert sheet_rows(out / "分单位" / "二党委-汇总.xlsx", "未提交") == [
        ("无", None, None, None, None, None, None, None)
    ]
    assert [r[2] for r in sheet_rows(out / "分单位" / "一党委-汇总.xlsx", "未提交")] == [
        "财务处党支部",
        "后勤服务中心党支部",
    ]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["roster"]["path"] == str(names) and manifest["options"]["by_unit"] is True


def test_a_bad_roster_stops_before_any_work(fill: Fill, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = fill("a.xlsx")
    names = roster(
        tmp_path / "名册.xlsx", ("一党委", "甲党支部", None, None, None), ("一党委", "甲党支部", None, None, None)
    )
    out = tmp_path / "out"
    done = run(capsys, "score", str(source), "-o", str(out), "--roster", str(names), "--quiet")
    assert done.exit_code == 2
    assert "名册!B3：与第 2 行是同一个支部" in done.stderr
    assert not out.exists()
    gone = run(capsys, "score", str(source), "-o", str(out), "--roster", str(tmp_path / "无.xlsx"), "--quiet")
    assert gone.exit_code == 2 and "名册文件不存在" in gone.stderr


def test_the_history_follows_a_renamed_branch_through_the_roster(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "history.sqlite3"
    early = {"2.1.4": date(2017, 10, 1)}
    before = fill("old.xlsx", profile={"branch_name": "旧名党支部", "assessment_year": 2017}, answers=early)
    now = fill("new.xlsx", profile={"branch_name": "新名党支部", "assessment_year": 2018})
    rules = ("--rules", str(rules_dir))
    first = run(capsys, "score", str(before), *rules, "-o", str(tmp_path / "o1"), "--round", "2017", "--history",
                str(store), "-q")  # fmt: skip
    assert first.exit_code == 0
    names = roster(tmp_path / "名册.xlsx", ("测试机关党委", "新名党支部", None, None, "旧名党支部"))
    args = ["score", str(now), *rules, "-o", str(tmp_path / "o2"), "--round", "2018", "--history", str(store), "-q"]
    without = run(capsys, "score", str(now), *rules, "-o", str(tmp_path / "o2"), "--compare-with", "2017",
                  "--history", str(store), "-q")  # fmt: skip
    assert without.exit_code == 0
    plain = json.loads((tmp_path / "o2" / "results.json").read_text(encoding="utf-8"))
    assert plain["submissions"][0]["comparison"] is None  # a new name without a roster: a new branch
    second = run(capsys, *args, "--roster", str(names))
    assert second.exit_code == 0
    found = json.loads((tmp_path / "o2" / "results.json").read_text(encoding="utf-8"))
    assert found["submissions"][0]["comparison"]["round"] == "2017"
    shown = run(capsys, "history", "show", "测试机关党委/新名党支部", "--history", str(store))
    assert "2018" in shown.stdout
