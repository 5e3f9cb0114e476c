"""The benchmark's speed-ups give the same files and values as the plain paths they replace."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.merge import MergedCellRange

from engine.batch.scoring import BatchOptions, find_inputs, score_batch
from engine.demo.branches import DEMO_BRANCHES
from engine.demo.generate import generate
from engine.reports import styles as st
from engine.rules import RuleSet
from engine.scoring.model import Result
from engine.template import fill_workbook
from engine.template.fill import Filler


def test_a_filler_writes_the_bytes_fill_workbook_writes(mini_template: Path, tmp_path: Path) -> None:
    values = {
        "profile": {"branch_name": "测试党支部", "parent_org": "=SUM(A1)", "full_members": 9, "assessment_year": 2018},
        "answers": {"1.1.1": "是", "1.1.3": 31.5, "1.2.1": Decimal("0.95")},
        "checks": {"1.1.1": "否"},
        "vetoes": {"V1": "否"},
        "evidence": {"1.1.1": "见台账"},
    }
    plain = fill_workbook(mini_template, tmp_path / "plain.xlsx", **values)  # type: ignore[arg-type]
    filler = Filler(mini_template)
    first = filler.fill(tmp_path / "first.xlsx", **values)  # type: ignore[arg-type]
    filler.fill(tmp_path / "other.xlsx", profile={"branch_name": "别的支部"}, answers={"1.1.1": "否"})
    again = filler.fill(tmp_path / "again.xlsx", **values)  # type: ignore[arg-type]
    assert plain.read_bytes() == first.read_bytes() == again.read_bytes()


def test_generating_in_several_processes_gives_the_same_files(bundled_rules: RuleSet, tmp_path: Path) -> None:
    specs = DEMO_BRANCHES[:4]
    one = generate(bundled_rules, tmp_path / "one", specs)
    two = generate(bundled_rules, tmp_path / "two", specs, jobs=2)
    assert [p.name for p in one] == [p.name for p in two]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two, strict=True))


def test_results_come_back_from_pickle_equal_with_the_same_numbers(bundled_rules: RuleSet, tmp_path: Path) -> None:
    generate(bundled_rules, tmp_path / "in", DEMO_BRANCHES)
    results = score_batch(bundled_rules, find_inputs([tmp_path / "in"]), BatchOptions(jobs=1)).results
    assert {r.status for r in results} == {"scored", "rejected"}
    for result in results:
        back: Result = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == result
        assert str(back.score) == str(result.score) and str(back.self_score) == str(result.self_score)
        for mine, theirs in zip(back.items, result.items, strict=True):
            assert (str(mine.earned), str(mine.credit), str(mine.max)) == (
                str(theirs.earned),
                str(theirs.credit),
                str(theirs.max),
            )
            assert type(mine.answer) is type(theirs.answer)
        assert [str(g.gain) for g in back.gaps] == [str(g.gain) for g in result.gaps]


def test_a_new_report_workbook_holds_the_styles_registering_them_gives() -> None:
    registered = Workbook()
    for name, spec in st._SPECS.items():
        registered.add_named_style(st._named(name, spec))
    made = st.new_workbook()
    for table in st._TABLES:
        assert list(getattr(made, table)) == list(getattr(registered, table)), table
    assert [s.name for s in made._named_styles] == [s.name for s in registered._named_styles]
    assert [s.as_tuple() for s in made._named_styles] == [s.as_tuple() for s in registered._named_styles]


def test_an_accent_is_what_assigning_the_font_or_fill_gives() -> None:
    wb = st.new_workbook()
    ws = wb.create_sheet("x")
    plain, accented = ws.cell(row=1, column=1), ws.cell(row=2, column=1)
    for cell in (plain, accented):
        st.apply_style(cell, "bc-center")
    plain.font, plain.fill = st.FONT_RED_BOLD, st.TRIGGERED_FILL
    st.accent(accented, font=st.FONT_RED_BOLD, fill=st.TRIGGERED_FILL)
    assert tuple(accented._style) == tuple(plain._style)


def test_a_span_merges_like_openpyxl_and_keeps_the_borders() -> None:
    wb = st.new_workbook()
    ws = wb.create_sheet("x")
    st.span(ws, 1, 1, 3, "合计", "bc-total")
    for c in range(1, 4):
        st.apply_style(ws.cell(row=2, column=c), "bc-total")
    before = tuple(ws.cell(row=2, column=1)._style)
    MergedCellRange(ws, "A2:C2")  # what openpyxl does to the first cell when merging
    assert tuple(ws.cell(row=2, column=1)._style) == before == tuple(ws.cell(row=1, column=1)._style)
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
