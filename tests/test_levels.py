"""Statistics and organisation levels: the 总表 block, 分组汇总, per-unit roll-ups, the standing in 总览."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from scoringkit import submission

from engine.reports import ROLLUP_NAME, write_reports
from engine.reports.levels import plan_levels
from engine.reports.rollup import BranchRow
from engine.reports.stats import mean, median, stats_of
from engine.reports.summary_block import TABLE_HEADER_ROW
from engine.rules import RuleSet
from engine.scoring import score_submission
from engine.scoring.evaluate import rejected
from engine.scoring.model import Result

BANDS = ["优秀", "达标", "基本达标", "不达标"]


def row(score: str, rating: str, *percents: str | None, vetoed: bool = False) -> BranchRow:
    rates = tuple(Decimal(p) if p is not None else None for p in percents)
    return BranchRow(f"{score}.xlsx", score, "P", Decimal(score), None, rating, vetoed, "", 0, rates)


def test_statistics_against_hand_computed_values() -> None:
    rows = [
        row("90.00", "优秀", "1", "0.5"),
        row("85.50", "达标", "0.9", None),
        row("70.25", "基本达标", "0.8", "0.25"),
        row("60.01", "不达标", "0.7001", "0.3", vetoed=True),
    ]
    stats = stats_of(rows, BANDS, 2, rejected=3, missing=1)
    # mean 305.76 / 4 = 76.44; median (70.25 + 85.50) / 2 = 77.875 → 77.88 (half-up to the cent)
    assert (stats.mean, stats.median, stats.low, stats.high) == (
        Decimal("76.44"), Decimal("77.88"), Decimal("60.01"), Decimal("90.00")
    )  # fmt: skip
    assert stats.bands == (("优秀", 1), ("达标", 1), ("基本达标", 1), ("不达标", 1)) and stats.vetoed == 1
    # area 1: 3.4001 / 4 = 0.850025 → 0.8500; area 2 (three branches): 1.05 / 3 = 0.35
    assert stats.area_means == (Decimal("0.8500"), Decimal("0.3500"))
    assert (stats.scored, stats.rejected, stats.missing) == (4, 3, 1)
    odd = stats_of(rows[:3], BANDS, 2)
    assert odd.median == Decimal("85.50") and odd.mean == Decimal("81.92")  # 245.75 / 3 = 81.9166…
    assert stats_of([], BANDS, 2).mean is None and median([]) is None and mean([]) is None


def results_of(rules: RuleSet) -> list[Result]:
    """Five branches in two units (one spelled with a space), one rejected file."""

    def one(source: str, name: str, parent: str, answers: dict[str, Any] | None = None) -> Result:
        sub = replace(submission(answers, branch_name=name, parent_org=parent), source=source, sha256=source * 8)
        return score_submission(rules, sub)

    return [
        one("a.xlsx", "甲党支部", "一党委"),
        one("b.xlsx", "乙党支部", "一党委", {"1.1.2": "较好", "2.1.1": Decimal(9)}),
        one("c.xlsx", "丙党支部", "一 党委", {"1.2.2": "否"}),
        one("d.xlsx", "丁党支部", "二党委", {"1.1.1": "否", "1.1.3": Decimal(20)}),
        one("e.xlsx", "戊党支部", "二党委", {"1.2.2": "否", "2.1.1": Decimal(6)}),
        rejected(replace(submission(branch_name="己党支部", parent_org="二党委"), source="f.xlsx"), rules=rules),
    ]


def cents(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def header_map(ws: Worksheet, row: int) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if isinstance(c.value, str)}


@pytest.fixture
def written(mini_rules: RuleSet, tmp_path: Path) -> tuple[list[Result], Path]:
    results = results_of(mini_rules)
    levels = plan_levels(mini_rules, results, by_unit=True)
    write_reports(mini_rules, results, tmp_path, levels=levels)
    return results, tmp_path


def test_the_table_block_and_group_summary_match_the_scores(written: tuple[list[Result], Path]) -> None:
    results, out = written
    scores = [r.score for r in results if r.score is not None]
    wb = load_workbook(out / ROLLUP_NAME)
    table = wb["总表"]
    labels = header_map(table, 3)
    value = {t: table.cell(4, c).value for t, c in labels.items()}
    assert value["已评分"] == 5 and value["未通过"] == 1 and value["未提交"] == "—"
    assert Decimal(str(value["平均分"])) == cents(scores)
    assert Decimal(str(value["最低分"])) == min(scores) and Decimal(str(value["最高分"])) == max(scores)
    assert table.cell(TABLE_HEADER_ROW, 1).value == "排名"
    groups = wb["分组汇总"]
    titles = header_map(groups, 3)
    rows = {groups.cell(r, 1).value: r for r in range(4, 6)}
    assert set(rows) == {"一党委", "二党委"}  # "一 党委" is the same unit
    one = [r.score for r in results[:3] if r.score is not None]
    two = [r.score for r in results[3:5] if r.score is not None]
    for unit, unit_scores in (("一党委", one), ("二党委", two)):
        line = {t: groups.cell(rows[unit], c).value for t, c in titles.items()}
        assert Decimal(str(line["平均分"])) == cents(unit_scores)
        assert line["已评分"] == len(unit_scores)
    assert groups.cell(rows["二党委"], titles["未通过"]).value == 1
    assert groups.cell(rows["二党委"], titles["已提交"]).value == 3  # without a roster: files
    assert groups.cell(rows["一党委"], titles["应提交"]).value is None
    ranked = sorted(((cents(one), "一党委"), (cents(two), "二党委")), reverse=True)
    assert [groups.cell(r, 1).value for r in (4, 5)] == [u for _, u in ranked]
    link = groups.cell(4, titles["分单位汇总"]).hyperlink
    assert link is not None and link.target == f"分单位/{ranked[0][1]}-汇总.xlsx"


def test_each_unit_gets_its_own_rollup(written: tuple[list[Result], Path]) -> None:
    _, out = written
    files = sorted(p.name for p in (out / "分单位").iterdir())
    assert files == ["一党委-汇总.xlsx", "二党委-汇总.xlsx"]
    wb = load_workbook(out / "分单位" / "二党委-汇总.xlsx")
    table = wb["总表"]
    names = [table.cell(r, 2).value for r in range(TABLE_HEADER_ROW + 1, table.max_row + 1)]
    assert sorted(n for n in names if n) == ["丁党支部", "戊党支部"]
    assert table.cell(TABLE_HEADER_ROW + 1, table.max_column).hyperlink.target.startswith("../")
    assert [r[0] for r in wb["未通过文件"].iter_rows(min_row=4, values_only=True)] == ["f.xlsx"]
    assert wb["分组汇总"].cell(5, 1).value is None  # only its own unit


def test_the_overview_shows_the_rank_in_the_unit_and_the_unit_means(written: tuple[list[Result], Path]) -> None:
    results, out = written
    one = [r for r in results[:3] if r.score is not None]
    best = max(one, key=lambda r: r.score or 0)
    report = next(p for p in out.glob("*-问题清单.xlsx") if best.branch_name and best.branch_name in p.name)
    ws = load_workbook(report)["总览"]
    texts = [c.value for line in ws.iter_rows() for c in line if isinstance(c.value, str)]
    assert any(t.startswith("在本单位（一党委）3 个支部中列第 1，在全部 5 个支部中列第") for t in texts)
    header = next(c for line in ws.iter_rows() for c in line if c.value == "本单位平均得分率")
    first_area = ws.cell(header.row + 1, header.column).value
    rates = [a.percent for r in one for a in r.areas[:1] if a.percent is not None]
    assert Decimal(str(first_area)) == (sum(rates, Decimal(0)) / len(rates)).quantize(Decimal("0.0001"))
