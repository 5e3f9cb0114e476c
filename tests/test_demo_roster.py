"""The demo's roster: one branch does not submit, one submission is not on it, one was renamed."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run
from openpyxl import load_workbook

from engine.demo.roster import LISTED_AS, NOT_SUBMITTING


def test_the_demo_scores_against_a_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "demo", "-o", str(tmp_path), "--quiet").exit_code == 0
    wb = load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames[-4:] == ["分组汇总", "未提交", "名册外", "变化分析"]  # the demo compares two rounds (rounds14)
    missing = [r[2] for r in wb["未提交"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert missing == [*LISTED_AS.values(), NOT_SUBMITTING[0]]
    off = [(r[3], r[6]) for r in wb["名册外"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert off == [("信息服务党支部", "是否为“信息服务中心党支部”？")]
    units = sorted(p.name for p in (tmp_path / "分单位").iterdir())
    assert units == ["示范中心党委-汇总.xlsx", "示范厅机关党委-汇总.xlsx", "示范局机关党委-汇总.xlsx"]
    assert not list(tmp_path.glob("*名册*问题清单.xlsx"))  # the roster among the inputs is not a submission
    # Every unit's scored branches are counted in 分组汇总 and in its own roll-up (sources are shown
    # relative to the input folder; the levels must be keyed the same way).
    groups = wb["分组汇总"]
    header = [c.value for c in groups[3]]
    rows = groups.iter_rows(min_row=4, max_row=6, values_only=True)  # the three units (the demo roster has no 分组)
    scored = {r[0]: r[header.index("已评分")] for r in rows}
    assert sum(scored.values()) == 11 and all(n > 0 for n in scored.values())
    for unit, n in scored.items():
        table = load_workbook(tmp_path / "分单位" / f"{unit}-汇总.xlsx")["总表"]
        assert str(table["A2"].value).startswith(f"共 {n} 个支部评分")
