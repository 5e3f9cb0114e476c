"""engine.xlsxsheet: the fast worksheet writer writes exactly what openpyxl's own writer writes."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet

from engine.rules.loader import load_rule_set
from engine.template.writer import build_template
from engine.xlsx import save_bytes, write_text
from engine.xlsxsheet import ZIP_TIME, sheet_xml


def openpyxl_xml(ws: Worksheet) -> bytes:
    """The worksheet as openpyxl's own writer serialises it."""
    writer = WorksheetWriter(ws, out=io.BytesIO())
    writer.write()
    return bytes(writer.out.getvalue())


def same_as_openpyxl(ws: Worksheet) -> None:
    ours = sheet_xml(ws)[0]
    ws.column_dimensions.max_outline = None  # computed by a save, after writing the columns
    assert ours == openpyxl_xml(ws)


def varied_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    values: list[object] = [
        "文字",
        " leading and trailing ",
        "a & b < c > d \" ' \n second line\r\t",
        "",
        "   ",
        0,
        -17,
        3.5,
        1e-20,
        2**70,
        float("nan"),
        Decimal("12.50"),
        True,
        False,
        datetime(2018, 3, 5, 12, 30),
        date(2018, 3, 5),
        time(8, 15),
        timedelta(hours=36),
        '=SUM(A1:A3)&"<&>"',
        "#N/A",
    ]
    for row, value in enumerate(values, start=1):
        ws.cell(row=row, column=1, value=value)
        write_text(ws.cell(row=row, column=3), f"=text {row}")
    ws["B20"].data_type = "e"
    ws["B20"].value = "#N/A"
    ws["D2"].font = Font(bold=True)  # a styled empty cell
    ws["D3"].number_format = "0.00"
    ws.row_dimensions[40].height = 30  # a row with a height and no cells
    ws.row_dimensions[2].hidden = True
    ws.merge_cells("E5:G6")
    ws["E5"].border = Border(left=Side(style="thin"), right=Side(style="thin"))
    ws.freeze_panes = "B2"
    return wb


def test_every_kind_of_cell_is_written_as_openpyxl_writes_it() -> None:
    wb = varied_workbook()
    for ws in wb.worksheets:
        same_as_openpyxl(ws)


def test_the_template_sheets_are_written_as_openpyxl_writes_them() -> None:
    wb = build_template(load_rule_set(), "示范单位 & <第一> 党支部 ")
    for ws in wb.worksheets:
        same_as_openpyxl(ws)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=1, max_size=8))
def test_any_text_is_written_as_openpyxl_writes_it(texts: list[str]) -> None:
    wb = Workbook()
    for row, text in enumerate(texts, start=1):
        write_text(wb.active.cell(row=row, column=1), text)
    same_as_openpyxl(wb.active)


@pytest.mark.parametrize("kind", ["comment", "hyperlink", "rich text"])
def test_a_sheet_with_what_the_fast_writer_does_not_write_is_written_by_openpyxl(kind: str) -> None:
    wb = varied_workbook()
    ws = wb.active
    if kind == "comment":
        ws["B2"].comment = Comment("注释", "作者")
    elif kind == "hyperlink":
        ws["B3"].hyperlink = "https://example.org/"
    else:
        ws["B4"] = CellRichText([TextBlock(InlineFont(b=True), "粗"), "细"])
    data, rels = sheet_xml(ws)
    assert data == openpyxl_xml(ws)
    if kind == "hyperlink":
        assert len(rels) == 1


def test_where_openpyxl_writes_with_lxml_its_own_writer_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.xlsxsheet

    wb = varied_workbook()
    calls: list[Worksheet] = []
    monkeypatch.setattr(engine.xlsxsheet, "_sheet_data", calls.append)
    monkeypatch.setattr(engine.xlsxsheet, "LXML", True)
    assert sheet_xml(wb.active)[0] == openpyxl_xml(wb.active)
    assert calls == []


def test_saved_workbooks_read_back_and_every_entry_has_the_fixed_time(tmp_path: Path) -> None:
    data = save_bytes(varied_workbook())
    assert data == save_bytes(varied_workbook())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_TIME}
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    ws = load_workbook(path).active
    assert ws["A1"].value == "文字"
    assert ws["A2"].value == " leading and trailing "
    assert ws["A12"].value == Decimal("12.50")
    assert ws["A15"].value == datetime(2018, 3, 5, 12, 30)
    assert ws["A19"].value == '=SUM(A1:A3)&"<&>"'
    assert ws["C1"].value == "=text 1" and ws["C1"].data_type == "s"
    assert {str(r) for r in ws.merged_cells.ranges} == {"E5:G6"}
