"""The benchmark's speed-ups give the same files and values as the plain paths they replace."""

from __future__ import annotations

import copy
import pickle
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as hst
from xlsxwriter.worksheet import Worksheet

from engine import book, cells, sheetxml, streamsheet
from engine.batch.scoring import BatchOptions, find_inputs, score_batch
from engine.book import fixed_zip_entries
from engine.cells import MAX_CELL_CHARS, _measured_lines, cell_text, fitted_height, line_count, row_height
from engine.demo.branches import DEMO_BRANCHES
from engine.demo.generate import generate
from engine.reports import styles as st
from engine.reports import write_reports
from engine.reports.branch import write_branch_report
from engine.reports.rollup import Rollup
from engine.reports.texts import number
from engine.rules import RuleSet
from engine.scoring.model import Result
from engine.scoring.results import result_to_dict
from engine.template import fill_workbook
from engine.template.fill import Filler
from engine.textsafe import escape_surrogates
from engine.xlsx import _normalise_zip


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


ODD_TEXTS = ("<r>a&b</r>", "_x0041_ und _x005F_", " 前后空格 ", "a\x01b\x1fc", "=cmd|' /c calc'!A0", "<&>\"\n'",
             "\ufffe\uffff", "𠀀𪚥 astral", "")  # fmt: skip


def _odd_results(rules: RuleSet, tmp_path: Path) -> list[dict[str, Any]]:
    """Results of six demo branches, plus odd user text in names, answers, reasons, file names and messages."""
    generate(rules, tmp_path / "in", DEMO_BRANCHES[:6])
    results = score_batch(rules, find_inputs([tmp_path / "in"]), BatchOptions(jobs=1)).results
    dicts = [result_to_dict(r) for r in results]
    scored = next(d for d in dicts if d["status"] == "scored")
    for n, text in enumerate(ODD_TEXTS):
        odd = copy.deepcopy(scored)
        odd["source"] = f"in/{n}{text[:3]}.xlsx"
        odd["branch"]["name"] = odd["branch"]["parent"] = text
        odd["items"][0].update(self_answer=text, answer="否", reason=text)
        odd["diagnostics"] = [{"code": "item-unanswered", "severity": "warning", "cell": text, "message": text}]
        dicts.append(odd)
        dicts.append({**odd, "status": "rejected", "diagnostics": [{**odd["diagnostics"][0], "severity": "error"}]})
    return dicts


def test_rendered_cells_read_back_as_xlsxwriters_own_cells(
    bundled_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-memory books render their cells (engine.sheetxml); XlsxWriter's cell table with its own
    formats is the reference: every sheet reads back the same in openpyxl, cell by cell and style by
    style. The streamed roll-up's row writer (FastWorksheet) writes XlsxWriter's bytes exactly."""
    dicts = _odd_results(bundled_rules, tmp_path)
    fast = write_reports(bundled_rules, dicts, tmp_path / "fast")
    monkeypatch.setattr(book, "RENDERED_CELLS", False)
    monkeypatch.setattr(book, "FastWorksheet", Worksheet)
    stock = write_reports(bundled_rules, dicts, tmp_path / "stock")
    assert [p.name for p in fast] == [p.name for p in stock]
    assert len(fast) > 20
    for mine, theirs in zip(fast, stock, strict=True):
        if mine.name == "汇总.xlsx":  # streamed
            assert mine.read_bytes() == theirs.read_bytes()
        else:
            assert _read_back(mine) == _read_back(theirs), mine.name


def test_a_report_has_the_same_bytes_whatever_the_process_wrote_before(bundled_rules: RuleSet, tmp_path: Path) -> None:
    """Formats are numbered per workbook: the process's format table (quote-prefixed formats are added
    to it as they are first needed) and its kept texts do not show in a file."""
    dicts = [d for d in _odd_results(bundled_rules, tmp_path) if d["status"] == "scored"]
    plain = dicts[0]
    odd = next(d for d in dicts if str(d["branch"]["name"]).startswith("="))  # quote-prefixed cells

    def written(order: list[dict[str, Any]], folder: str) -> list[bytes]:
        sheetxml._TABLES.clear()  # as in a new process
        paths = [write_branch_report(bundled_rules, d, tmp_path / folder / f"{n}.xlsx") for n, d in enumerate(order)]
        return [p.read_bytes() for p in paths]

    first, second = written([plain, odd], "a")
    second_alone, first_after = written([odd, plain], "b")
    assert (first, second) == (first_after, second_alone)


def _read_back(path: Path) -> list[Any]:
    """What openpyxl reads of every sheet: its setup, and each cell's value, type and style."""
    from openpyxl import load_workbook

    out: list[Any] = []
    for ws in load_workbook(path).worksheets:
        out.append((ws.title, ws.sheet_state, ws.freeze_panes, ws.print_area, ws.auto_filter.ref, ws.dimensions))
        out.append(sorted(str(r) for r in ws.merged_cells.ranges))
        out.append({n: (d.ht, d.customHeight) for n, d in ws.row_dimensions.items() if d.ht is not None})
        out.append({n: (d.width, d.hidden) for n, d in ws.column_dimensions.items()})
        out.append([(link.ref, link.target) for link in ws._hyperlinks])
        out.append((len(ws.data_validations.dataValidation), len(ws.conditional_formatting), len(ws._charts)))
        for (row, column), cell in sorted(ws._cells.items()):
            style = tuple(repr(part) for part in (cell.font, cell.fill, cell.border, cell.alignment, cell.protection))
            out.append((row, column, cell.value, cell.data_type, cell.quotePrefix, cell.number_format, *style))
    return out


@pytest.mark.parametrize("streamed", [False, True])
def test_fixing_the_zip_headers_gives_the_bytes_rewriting_every_entry_gives(
    streamed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheetxml, "COMPRESS_LEVEL", zlib.Z_DEFAULT_COMPRESSION)  # as the plain path deflates
    book = st.new_book(streamed=streamed)
    sheet = book.sheet("表", [10, 20])
    for row in range(1, 60):
        sheet.put(row, 1, f"第{row}行", "bc-header")
        sheet.put(row, 2, row * 1.5, "bc-score")
    sheet.link(61, 1, "退回/a b.xlsx", "a b.xlsx", "bc-link")
    book.close()
    archive = book._buffer.getvalue()
    # The plain path: inflate every entry and deflate it again with the fixed time and attributes.
    assert fixed_zip_entries(archive) == _normalise_zip(archive, {})


@given(hst.text(alphabet=hst.characters(codec=None, exclude_categories=()), max_size=30))
def test_cell_text_takes_its_fast_path_only_when_nothing_changes(text: str) -> None:
    slow = "".join(ch for ch in escape_surrogates(text) if ch not in _NOT_IN_A_CELL)
    assert cell_text(text) == slow[:MAX_CELL_CHARS]


_NOT_IN_A_CELL = {chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}


def test_the_rollup_counts_what_adding_up_decimals_counts(mini_rules: RuleSet) -> None:
    scored = _scored_dicts(mini_rules)
    assert all(d["status"] == "scored" and d["gaps"] for d in scored)
    odd_maxima = [None, 0, 0.0, "0", "0.00", "1.5", Decimal(0), Decimal("2.5"), True, 3]
    for n, d in enumerate(scored):  # numbers as results.json gives them, and in every other form number() takes
        for item, top in zip(d["items"], odd_maxima, strict=False):
            item["max"] = top
        for gap, gain in zip(d["gaps"], ["0.1", 0.2, Decimal("0.30"), None, 1, 1.0], strict=False):
            gap["gain"] = gain
        d["sha256"] = f"{n:064}"
    rollup = Rollup(mini_rules)
    for d in scored:
        rollup.add(d, None)
    applicable: dict[str, int] = {}
    gaps: dict[str, int] = {}
    gains: dict[str, Decimal] = {}
    for d in scored:
        for item in d["items"]:
            if number(item.get("max")):
                applicable[item["id"]] = applicable.get(item["id"], 0) + 1
        for gap in d["gaps"]:
            gaps[gap["id"]] = gaps.get(gap["id"], 0) + 1
            gains[gap["id"]] = gains.get(gap["id"], Decimal(0)) + (number(gap.get("gain")) or Decimal(0))
    assert {i: t.applicable for i, t in rollup.tallies.items() if t.applicable} == applicable
    assert {i: t.gaps for i, t in rollup.tallies.items() if t.gaps} == gaps
    assert {i: t.gain for i, t in rollup.tallies.items() if t.gaps} == gains


def _scored_dicts(rules: RuleSet) -> list[dict[str, Any]]:
    """Three scored mini submissions with gaps (blank and partly met answers)."""
    from scoringkit import submission

    from engine.scoring import score_submission

    answers = [{"1.1.2": "较好", "2.1.1": 9}, {"1.1.1": None, "1.2.1": 50}, {"1.1.3": 10, "2.1.4": None}]
    return [copy.deepcopy(result_to_dict(score_submission(rules, submission(a)))) for a in answers]


@given(
    hst.text(alphabet="ab 1,.（）《》“”，。%支部\u3000\n", max_size=60),
    hst.floats(min_value=0, max_value=120),
    hst.sampled_from([9.0, 10.0, 14.0]),
)
def test_a_text_short_enough_to_skip_measuring_measures_one_line(text: str, width: float, size: float) -> None:
    assert line_count(text, width, size) == _measured_lines(text, width, size)


def _lines_piece_by_piece(text: str, width: float, size: float) -> int:
    """Line count the plain way: cut each paragraph into pieces, measure each, place them."""
    room, scale, lines = max(width - 0.5, 1.0), size / cells.BASE_SIZE, 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for piece in cells._pieces(paragraph):
            piece_width = cells.display_width(piece) * scale
            if used > 0 and used + piece_width > room:
                if piece.isspace():
                    continue
                lines += 1
                used = 0.0
            used += piece_width
            while used > room:
                lines += 1
                used -= room
    return lines


@given(
    hst.text(alphabet="ab 1,.（）《》“”，。%支部\u3000\n\t", max_size=120),
    hst.floats(min_value=0, max_value=60),
    hst.sampled_from([9.0, 10.0, 14.0]),
)
def test_measuring_in_one_pass_counts_the_lines_placing_each_piece_counts(text: str, width: float, size: float) -> None:
    assert _measured_lines.__wrapped__(text, width, size) == _lines_piece_by_piece(text, width, size)


@given(
    hst.lists(
        hst.tuples(
            hst.none() | hst.text(alphabet="ab 1,.（支部\n", max_size=40), hst.floats(min_value=0, max_value=60)
        ),
        max_size=5,
    ),
    hst.integers(min_value=0, max_value=3),
)
def test_a_fitted_height_counts_lines_as_line_count_does(texts: list[tuple[str | None, float]], minimum: int) -> None:
    lines = max([minimum, *(line_count(t, w) for t, w in texts if t)])
    assert fitted_height(texts, minimum) == (row_height(texts, minimum=minimum) if lines > 1 else None)


def test_a_fitted_height_is_the_row_height_of_rows_needing_more_than_one_line() -> None:
    short, long = ("短", 10.0), ("很长的说明文字" * 6, 10.0)
    assert fitted_height([short, (None, 5.0)]) is None
    assert fitted_height([short, long]) == row_height([short, long])
    assert fitted_height([short], minimum=3) == row_height([short], minimum=3)


def test_the_shared_strings_are_written_as_xlsxwriter_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from xlsxwriter.sharedstrings import SharedStrings

    def written() -> bytes:
        new = st.new_book()
        sheet = new.sheet("表", [10])
        for row, text in enumerate([*ODD_TEXTS, "普通文字", "a & b", "line\nbreak ", "_x005F_"], start=1):
            sheet.put(row, 1, text or None, "bc-text")
        new.wb.close()
        return new._buffer.getvalue()

    fast = written()
    monkeypatch.setattr(SharedStrings, "_write_sst_strings", streamsheet.STOCK_SST_WRITER)
    assert written() == fast
