"""engine.xlsx: user text never becomes a formula; saves are deterministic and atomic."""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from engine import cells, files
from engine.xlsx import save_workbook, write_text

FORMULA_LIKE = ['=HYPERLINK("x")', "+1", "-1", "@a", "=1+1"]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def small_workbook(text: str = "内容") -> Workbook:
    wb = Workbook()
    write_text(wb.active["A1"], text)
    wb.active["B1"] = 3
    return wb


def test_write_text_stores_formula_like_text_as_literal_strings(tmp_path: Path) -> None:
    wb = Workbook()
    for row, text in enumerate(FORMULA_LIKE, start=1):
        write_text(wb.active.cell(row=row, column=1), text)
    path = save_workbook(wb, tmp_path / "t.xlsx")

    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    for text in FORMULA_LIKE:
        assert f"<t>{text}</t>" in xml
    ws = load_workbook(path).active
    assert [ws.cell(row=r, column=1).value for r in range(1, 6)] == FORMULA_LIKE
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(1, 6))


def test_formula_like_text_gets_the_quote_prefix_so_editing_keeps_it_text() -> None:
    wb = Workbook()
    write_text(wb.active["A1"], "=SUM(1)")
    write_text(wb.active["A2"], "普通文字")
    assert wb.active["A1"].quotePrefix
    assert not wb.active["A2"].quotePrefix


def test_undecodable_file_name_bytes_are_written_as_visible_escapes(tmp_path: Path) -> None:
    wb = Workbook()
    write_text(wb.active["A1"], os.fsdecode(b"\xb5\xb3\xff.xlsx"))
    path = save_workbook(wb, tmp_path / "t.xlsx")
    assert load_workbook(path).active["A1"].value == "\\xb5\\xb3\\xff.xlsx"


def _former_pieces(paragraph: str) -> list[str]:
    pieces: list[str] = []
    glue = False
    for ch in paragraph:
        if pieces and (glue or ch in cells._NO_LINE_START or cells._continues_word(pieces[-1][-1], ch)):
            pieces[-1] += ch
        else:
            pieces.append(ch)
        glue = ch in cells._NO_LINE_END
    return pieces


@given(st.text(alphabet="ab 1,.（）《》“”，。%支部\u3000", max_size=40))
def test_lines_break_where_they_did_before(paragraph: str) -> None:
    assert cells._pieces(paragraph) == _former_pieces(paragraph)


def test_a_long_word_is_one_piece_cut_from_the_text() -> None:
    word = "x" * 1_000_000
    [piece] = cells._pieces(word)
    assert piece == word
    assert cells.line_count(word, 10) > 1000


def test_write_text_drops_characters_a_worksheet_cannot_hold() -> None:
    wb = Workbook()
    write_text(wb.active["A1"], "支部\x00名称\x07")
    write_text(wb.active["A2"], None)
    assert wb.active["A1"].value == "支部名称"
    assert wb.active["A2"].value is None


def test_saving_the_same_content_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = save_workbook(small_workbook(), tmp_path / "a.xlsx")
    second = save_workbook(small_workbook(), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()


def test_saved_files_carry_fixed_times_and_creator(tmp_path: Path) -> None:
    path = save_workbook(small_workbook(), tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2018-01-01T00:00:00Z" in core
    assert "lastModifiedBy" not in core
    props = load_workbook(path).properties
    assert props.creator == "branchcheck"
    assert props.created == props.modified == datetime(2018, 1, 1)


def test_a_timestamp_sets_created_and_modified(tmp_path: Path) -> None:
    moment = datetime(2019, 3, 5, 10, 30, tzinfo=timezone(timedelta(hours=8)))
    path = save_workbook(small_workbook(), tmp_path / "a.xlsx", timestamp=moment)
    props = load_workbook(path).properties
    assert props.created == props.modified == moment.astimezone(UTC).replace(tzinfo=None)


def test_save_replaces_an_existing_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    save_workbook(small_workbook("新"), target)
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
    assert load_workbook(target).active["A1"].value == "新"


def test_a_failed_save_keeps_the_old_file_and_removes_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    def refuse(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(PermissionError):
        save_workbook(small_workbook(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]
    assert target.read_bytes() == b"old"
