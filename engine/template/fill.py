"""Fill a self-assessment workbook programmatically (tests, demo data, benchmarks).

Cells are found by header title and by the 编号 / 项目 label, never by fixed
column letters, so this also works on templates whose columns were moved.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine import contract as c
from engine.template.writer import META_FIELD_PREFIX
from engine.xlsx import save_workbook, write_text

_EMPTY: Mapping[str, object] = MappingProxyType({})
_NO_TEXT: Mapping[str, str] = MappingProxyType({})


def fill_workbook(
    template: Path,
    out: Path,
    *,
    profile: Mapping[str, object],
    answers: Mapping[str, object],
    checks: Mapping[str, object] = _EMPTY,
    vetoes: Mapping[str, object] = _EMPTY,
    evidence: Mapping[str, str] = _NO_TEXT,
) -> Path:
    """Copy ``template`` to ``out`` with values filled in; returns ``out``.

    ``profile`` is keyed by profile field id (or by the label shown in 项目);
    ``answers`` / ``checks`` by check-point id go to 自评结果 / 核查结果;
    ``vetoes`` by veto id go to 自评结果; ``evidence`` by check-point id goes to 佐证材料.
    Values are written as given (text always as literal text; Decimal as float;
    a percentage as the fraction, 0.95 for 95%). None clears a cell.
    Raises ``KeyError`` for an id or label the workbook does not have.
    """
    return _fill(load_workbook(template), out, profile, answers, checks, vetoes, evidence)


class Filler:
    """A template read once and filled any number of times: the fast path for demo and benchmark data.

    Each :meth:`fill` starts from a fresh copy of the template as loaded (unpickled,
    about ten times faster than reading the file again), so its file is byte for
    byte the one :func:`fill_workbook` writes with the same arguments.
    """

    def __init__(self, template: Path) -> None:
        self._loaded = pickle.dumps(load_workbook(template), protocol=pickle.HIGHEST_PROTOCOL)

    def fill(
        self,
        out: Path,
        *,
        profile: Mapping[str, object],
        answers: Mapping[str, object],
        checks: Mapping[str, object] = _EMPTY,
        vetoes: Mapping[str, object] = _EMPTY,
        evidence: Mapping[str, str] = _NO_TEXT,
    ) -> Path:
        """Like :func:`fill_workbook` with this filler's template."""
        wb: Workbook = pickle.loads(self._loaded)  # our own bytes, made just above
        return _fill(wb, out, profile, answers, checks, vetoes, evidence)


def _fill(
    wb: Workbook,
    out: Path,
    profile: Mapping[str, object],
    answers: Mapping[str, object],
    checks: Mapping[str, object],
    vetoes: Mapping[str, object],
    evidence: Mapping[str, str],
) -> Path:
    labels = _field_labels(wb)
    _fill_profile(wb[c.SHEET_PROFILE], {labels.get(k, k): v for k, v in profile.items()})
    items = wb[c.SHEET_ITEMS]
    header_row, columns = _item_columns(items)
    rows = _rows_by_id(items, header_row, columns[c.COL_ID])
    for values, title in (
        (answers, c.COL_SELF),
        (checks, c.COL_CHECK),
        (vetoes, c.COL_SELF),
        (evidence, c.COL_EVIDENCE),
    ):
        for key, value in values.items():
            if key not in rows:
                raise KeyError(f"{c.SHEET_ITEMS} has no row with {c.COL_ID} {key!r}")
            _write(items.cell(row=rows[key], column=columns[title]), value)
    return save_workbook(wb, out)


def _write(cell: Cell, value: object) -> None:
    if isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, Decimal):
        cell.value = float(value)
    elif value is None or isinstance(value, (int, float, date, datetime)):
        cell.value = value
    else:
        raise TypeError(f"cannot write {type(value).__name__} to a cell: {value!r}")


def _field_labels(wb: Workbook) -> dict[str, str]:
    """Profile field id → label, from the template's _meta sheet (empty if absent)."""
    if c.SHEET_META not in wb.sheetnames:
        return {}
    meta = wb[c.SHEET_META]
    labels: dict[str, str] = {}
    for key, value in meta.iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(key, str) and key.startswith(META_FIELD_PREFIX) and isinstance(value, str):
            labels[key[len(META_FIELD_PREFIX) :]] = value
    return labels


def _header(ws: Worksheet, required: tuple[str, str]) -> tuple[int, dict[str, int]]:
    """The first row among the top rows holding both titles, and its title → column map."""
    for row in ws.iter_rows(min_row=1, max_row=c.HEADER_SCAN_ROWS):
        titles = {str(cell.value).strip(): cell.column for cell in row if isinstance(cell.value, str)}
        if all(t in titles for t in required):
            return row[0].row, titles
    raise KeyError(f"{ws.title}: no header row with {required[0]} and {required[1]}")


def _fill_profile(ws: Worksheet, values: Mapping[str, object]) -> None:
    header_row, columns = _header(ws, (c.PROFILE_HEADERS[0], c.PROFILE_HEADERS[1]))
    label_col, value_col = columns[c.PROFILE_HEADERS[0]], columns[c.PROFILE_HEADERS[1]]
    rows: dict[str, int] = {}
    for row in range(header_row + 1, ws.max_row + 1):
        label = ws.cell(row=row, column=label_col).value
        if isinstance(label, str) and label.strip():
            rows.setdefault(label.strip(), row)
    for label, value in values.items():
        if label not in rows:
            raise KeyError(f"{ws.title} has no row {label!r}")
        _write(ws.cell(row=rows[label], column=value_col), value)


def _item_columns(ws: Worksheet) -> tuple[int, dict[str, int]]:
    header_row, columns = _header(ws, (c.COL_ID, c.COL_SELF))
    missing = [t for t in (c.COL_CHECK, c.COL_EVIDENCE) if t not in columns]
    if missing:
        raise KeyError(f"{ws.title}: no column {missing[0]}")
    return header_row, columns


def _rows_by_id(ws: Worksheet, header_row: int, id_col: int) -> dict[str, int]:
    rows: dict[str, int] = {}
    for row in range(header_row + 1, ws.max_row + 1):
        value = ws.cell(row=row, column=id_col).value
        if value is not None and str(value).strip():
            rows.setdefault(str(value).strip(), row)
    return rows
