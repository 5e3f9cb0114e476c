"""Which library writes the reports fastest: python benchmarks/writers.py [--reports N] [--repeat N].

The measurement behind the choice of writer (see benchmarks/README.md). The engine writes
the per-branch reports of N generated, scored workbooks; each report is read back into a
plain model (column widths, row heights, merged ranges, and every cell's value, type and
style: font, fill, border, alignment, number format, protection) and written again, into
memory, by each candidate in turn:

- openpyxl, normal mode, styles assigned the fast way (one registered style per distinct
  look, copied into each cell as the engine's openpyxl reports did);
- openpyxl, write-only mode (rows streamed in order, cells ``WriteOnlyCell``);
- XlsxWriter, in memory (``in_memory``: no temporary files);
- :mod:`engine.book` as the reports use it: XlsxWriter for the package, each cell rendered as XML
  when it is put (:mod:`engine.sheetxml`, no cell table, formats from a per-process table), the
  parts deflated at level 1;
- XlsxWriter, ``constant_memory`` (rows streamed through a temporary file).

Times are per report (median over the reports and ``--repeat`` rounds), building and saving
together, from the same model in the same process: only the library differs. Charts,
conditional formats and validations (a handful of objects per report) are left out of the
replay. Not a test: CI times nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.cell.cell import WriteOnlyCell  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side  # noqa: E402

from engine.batch.scoring import BatchOptions, find_inputs, score_batch  # noqa: E402
from engine.book import Book  # noqa: E402
from engine.demo.generate import DEFAULT_SEED, batch_specs, generate  # noqa: E402
from engine.reports.branch import write_branch_report  # noqa: E402
from engine.reports.texts import for_display  # noqa: E402
from engine.rules import load_rule_set  # noqa: E402
from engine.scoring.results import result_to_dict  # noqa: E402

# (font name, size, bold, colour, underline), fill colour, bordered, (horizontal, vertical, wrap), format, locked
FontLook = tuple[str, float, bool, str | None, bool]
Look = tuple[FontLook, str | None, bool, tuple[str | None, str | None, bool], str, bool]


@dataclass
class SheetModel:
    title: str
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column → width
    heights: dict[int, float] = field(default_factory=dict)  # 1-based row → height
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    cells: list[tuple[int, int, Any, int]] = field(default_factory=list)  # row, column, value, look index
    freeze: str | None = None


@dataclass
class BookModel:
    sheets: list[SheetModel]
    looks: list[Look]


def _colour(value: Any) -> str | None:
    rgb = getattr(value, "rgb", None)
    return rgb if isinstance(rgb, str) and rgb not in ("00000000",) else None


def read_model(path: Path) -> BookModel:
    wb = load_workbook(path)
    looks: dict[Look, int] = {}
    sheets = []
    for ws in wb.worksheets:
        model = SheetModel(ws.title, freeze=ws.freeze_panes)
        for dim in ws.column_dimensions.values():
            if dim.width and dim.min:
                for column in range(dim.min, (dim.max or dim.min) + 1):
                    model.widths[column] = dim.width
        model.heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
        model.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                f, a = cell.font, cell.alignment
                fill = cell.fill.fgColor if cell.fill is not None and cell.fill.fill_type == "solid" else None
                look: Look = (
                    (f.name or "Calibri", float(f.sz or 11), bool(f.b), _colour(f.color), bool(f.u)),
                    _colour(fill) if fill is not None else None,
                    cell.border is not None and cell.border.left is not None and cell.border.left.style is not None,
                    (a.horizontal, a.vertical, bool(a.wrap_text)),
                    cell.number_format,
                    bool(cell.protection.locked),
                )
                index = looks.setdefault(look, len(looks))
                model.cells.append((cell.row, cell.column, cell.value, index))
        sheets.append(model)
    return BookModel(sheets, list(looks))


# -------------------------------------------------------------------- openpyxl

_THIN = Side(style="thin", color="FF808080")


def _named(n: int, look: Look) -> NamedStyle:
    (name, size, bold, colour, underline), fill, boxed, (h, v, wrap), number_format, locked = look
    style = NamedStyle(
        name=f"s{n}",
        font=Font(name=name, size=size, bold=bold, color=colour, underline="single" if underline else None),
        alignment=Alignment(horizontal=h, vertical=v, wrap_text=wrap),
        number_format=number_format,
        protection=Protection(locked=locked),
    )
    if fill:
        style.fill = PatternFill(fill_type="solid", start_color=fill, end_color=fill)
    if boxed:
        style.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    return style


_TABLES = ("_fonts", "_alignments", "_borders", "_fills", "_number_formats", "_protections", "_cell_styles")
_REGISTERED: dict[tuple[Look, ...], tuple[Workbook, list[Any]]] = {}


def _openpyxl_styles(wb: Workbook, book: BookModel) -> list[Any]:
    """The looks as registered styles. As the engine's openpyxl reports did: registered once per
    process, and each new workbook copies the finished style tables (no hashing per workbook)."""
    from openpyxl.styles.named_styles import NamedStyleList
    from openpyxl.utils.indexed_list import IndexedList

    key = tuple(book.looks)
    if key not in _REGISTERED:
        registered = Workbook()
        arrays = []
        for n, look in enumerate(book.looks):
            style = _named(n, look)
            registered.add_named_style(style)
            arrays.append(style.as_tuple())
        _REGISTERED[key] = registered, arrays
    registered, arrays = _REGISTERED[key]
    for table in _TABLES:
        source = getattr(registered, table)
        copied = IndexedList()
        list.extend(copied, source)
        copied._dict = dict(source._dict)
        copied.clean = source.clean
        setattr(wb, table, copied)
    named = NamedStyleList()
    list.extend(named, registered._named_styles)
    wb._named_styles = named
    return arrays


def openpyxl_normal(book: BookModel) -> bytes:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    class Merge(MergedCellRange):  # type: ignore[misc]
        def _get_borders(self) -> None:  # cells are styled already (the engine's shortcut)
            self.start_cell = self.ws._cells.get((self.min_row, self.min_col))

    wb = Workbook()
    wb.remove(wb.active)
    arrays = _openpyxl_styles(wb, book)
    for model in book.sheets:
        ws = wb.create_sheet(model.title)
        for column, width in model.widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        for row, height in model.heights.items():
            ws.row_dimensions[row].height = height
        for row, column, value, look in model.cells:
            cell = ws.cell(row=row, column=column)
            cell._style = copy(arrays[look])
            if value is not None:
                cell.value = value
        for r1, c1, r2, c2 in model.merges:
            ws.merged_cells.ranges.add(Merge(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"))
        if model.freeze:
            ws.freeze_panes = model.freeze
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def openpyxl_write_only(book: BookModel) -> bytes:
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    arrays = _openpyxl_styles(wb, book)
    for model in book.sheets:
        ws = wb.create_sheet(model.title)
        for column, width in model.widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        for row, height in model.heights.items():
            ws.row_dimensions[row].height = height
        if model.freeze:
            ws.freeze_panes = model.freeze
        for r1, c1, r2, c2 in model.merges:
            ws.merged_cells.add(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
        rows: dict[int, list[tuple[int, Any, int]]] = {}
        for row, column, value, look in model.cells:
            rows.setdefault(row, []).append((column, value, look))
        last = 0
        for row in sorted(rows):
            while last < row - 1:
                ws.append([])
                last += 1
            line: list[Any] = []
            for column, value, look in rows[row]:
                line.extend([None] * (column - 1 - len(line)))
                cell = WriteOnlyCell(ws, value)
                cell._style = copy(arrays[look])
                line.append(cell)
            ws.append(line)
            last = row
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -------------------------------------------------------------------- XlsxWriter


def _format(wb: Any, look: Look) -> Any:
    return wb.add_format(_spec(look))


def _spec(look: Look) -> dict[str, Any]:
    (name, size, bold, colour, underline), fill, boxed, (h, v, wrap), number_format, locked = look
    spec: dict[str, Any] = {"font_name": name, "font_size": size, "bold": bold, "text_wrap": wrap,
                            "num_format": number_format, "locked": locked}  # fmt: skip
    if colour:
        spec["font_color"] = "#" + colour[-6:]
    if underline:
        spec["underline"] = 1
    if fill:
        spec.update(pattern=1, bg_color="#" + fill[-6:])
    if boxed:
        spec.update(border=1, border_color="#808080")
    if h:
        spec["align"] = h
    if v:
        spec["valign"] = {"center": "vcenter"}.get(v, v)
    return spec


def _xlsxwriter(book: BookModel, options: dict[str, Any], target: Any, worksheet_class: Any = None) -> None:
    wb = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False, **options})
    wb.set_properties({"author": "branchcheck", "created": datetime(2018, 1, 1)})
    formats = [_format(wb, look) for look in book.looks]
    for model in book.sheets:
        ws = wb.add_worksheet(model.title, worksheet_class=worksheet_class)
        for column, width in model.widths.items():
            ws.set_column(column - 1, column - 1, width)
        if model.freeze:
            ws.freeze_panes(model.freeze)
        merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in model.merges}
        for r1, c1, r2, c2 in model.merges:
            if not options.get("constant_memory"):
                ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "", None)
        heights = model.heights
        row_done = 0
        for row, column, value, look in model.cells:
            if row != row_done:
                if row in heights:
                    ws.set_row(row - 1, heights[row])
                row_done = row
            fmt = formats[look]
            if (row, column) in merged and options.get("constant_memory"):
                r2, c2 = merged[(row, column)]
                ws.merge_range(row - 1, column - 1, r2 - 1, c2 - 1, "", fmt)
            if isinstance(value, str):
                ws.write_string(row - 1, column - 1, value, fmt)
            elif isinstance(value, datetime):
                ws.write_datetime(row - 1, column - 1, value, fmt)
            elif isinstance(value, int | float):
                ws.write_number(row - 1, column - 1, value, fmt)
            else:
                ws.write_blank(row - 1, column - 1, None, fmt)
    wb.close()


def xlsxwriter_memory(book: BookModel) -> bytes:
    buffer = io.BytesIO()
    _xlsxwriter(book, {"in_memory": True}, buffer)
    return buffer.getvalue()


# Every look of the replayed reports as a named style of engine.book (made before timing: the
# process's format table is built once per set of styles, as for the engine's own styles).
ENGINE_STYLES: dict[str, dict[str, Any]] = {}
_LOOK_NAMES: dict[Look, str] = {}


def engine_styles(books: list[BookModel]) -> None:
    for book in books:
        for look in book.looks:
            if look not in _LOOK_NAMES:
                _LOOK_NAMES[look] = name = f"look-{len(_LOOK_NAMES)}"
                ENGINE_STYLES[name] = _spec(look)


def engine_book(book: BookModel) -> bytes:
    """engine.book as the reports use it: cells rendered as XML when put (engine.sheetxml), the
    formats of the process's table, the parts deflated at level 1."""
    out = Book(ENGINE_STYLES, {})
    names = [_LOOK_NAMES[look] for look in book.looks]
    for model in book.sheets:
        sheet = out.sheet(model.title, [model.widths.get(c, 8.43) for c in range(1, max(model.widths, default=0) + 1)])
        if model.freeze:
            sheet.freeze(model.freeze)
        for r1, c1, r2, c2 in model.merges:
            sheet.ws.merge.append([r1 - 1, c1 - 1, r2 - 1, c2 - 1])  # what Sheet.span records
        for row, height in model.heights.items():
            sheet.height(row, height)
        for row, column, value, look in model.cells:
            sheet.put(row, column, value, names[look])
    out.close()
    return out._buffer.getvalue()


def xlsxwriter_constant(book: BookModel) -> bytes:
    buffer = io.BytesIO()
    _xlsxwriter(book, {"constant_memory": True}, buffer)
    return buffer.getvalue()


WRITERS: dict[str, Callable[[BookModel], bytes]] = {
    "openpyxl normal": openpyxl_normal,
    "openpyxl write-only": openpyxl_write_only,
    "XlsxWriter in_memory": xlsxwriter_memory,
    "engine.book (rendered)": engine_book,
    "XlsxWriter constant_memory": xlsxwriter_constant,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=30, help="per-branch reports to replay (default 30)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds over the reports (default 3)")
    args = parser.parse_args(argv)
    rules = load_rule_set()
    with tempfile.TemporaryDirectory(prefix="branchcheck-writers-") as tmp:
        scratch = Path(tmp)
        generate(rules, scratch / "in", batch_specs(args.reports, DEFAULT_SEED), DEFAULT_SEED, jobs=2)
        results = score_batch(rules, find_inputs([scratch / "in"]), BatchOptions(jobs=1)).results
        books = []
        for n, result in enumerate(r for r in results if r.scored):
            path = write_branch_report(rules, for_display(result_to_dict(result)), scratch / f"r{n}.xlsx")
            books.append(read_model(path))
    engine_styles(books)
    cells = statistics.median(sum(len(s.cells) for s in b.sheets) for b in books)
    print(f"{len(books)} reports, median {cells:.0f} cells, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    for writer in WRITERS.values():  # warm up: imports, caches
        writer(books[0])
    spent: dict[str, list[float]] = {name: [] for name in WRITERS}
    sizes: dict[str, int] = {}
    for _ in range(args.repeat):
        for book in books:
            for name, writer in WRITERS.items():  # interleaved: load changes hit every writer alike
                start = time.perf_counter()
                data = writer(book)
                spent[name].append(time.perf_counter() - start)
                sizes[name] = len(data)
    base = statistics.median(spent["openpyxl normal"])
    print(f"{'writer':<28}{'ms / report':>12}{'vs normal':>11}{'bytes':>9}")
    for name, times in spent.items():
        median = statistics.median(times)
        print(f"{name:<28}{median * 1e3:>12.1f}{base / median:>10.1f}×{sizes[name]:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
