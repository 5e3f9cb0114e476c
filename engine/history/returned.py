"""Reading a returned per-branch report (问题清单) for the rectification the branch declared.

Tolerant like the intake: the file passes the same guards first, each sheet is found by name
after folding full-width forms, spaces and invisible characters; the header row is the first of
the top rows holding 编号 and 整改状态 (or an accepted variant of either), and every column is
found by its title, so reordered rows and columns, blank rows, a re-save by LibreOffice or WPS,
dates typed as text or stored as serial numbers all read. Every problem is a positioned
diagnostic; the input file is only ever read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from engine import guards
from engine import reportcontract as rc
from engine.diagnostics import Diagnostic, make
from engine.history import declared as dec
from engine.history.declared import Declared
from engine.intake.cells import Grid, at, display, grid
from engine.intake.normalise import a_date, fold_title, match_title
from engine.textsafe import printable

SHEET = rc.SHEET_GAPS
ALLOWED_STATES = "、".join(w for state in dec.STATES for w in dec.STATE_WORDS[state][:2])
_ALIASES = {column: {fold_title(t) for t in titles} for column, titles in rc.COLUMN_ALIASES.items()}


@dataclass(frozen=True)
class Row:
    """One filled 问题清单 row: its check point, what was declared, and where it is (1-based row)."""

    item: str
    declared: Declared
    row: int


@dataclass
class Returned:
    """What one returned report says: its _meta keys and its rows, with the problems found."""

    source: str
    meta: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)


def read_returned(path: Path | str, max_size: int = guards.MAX_SIZE) -> Returned:
    """The _meta keys and the declared rectification rows of the report at ``path``."""
    found = Returned(str(path))
    data = guards.load(Path(path), max_size)
    if not isinstance(data, bytes):
        found.add(data)
        return found
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            names = list(book.sheet_names)
            meta_name, gaps_name = match_title(rc.SHEET_REPORT_META, names), match_title(SHEET, names)
            meta = grid(book.get_sheet_by_name(meta_name).to_python(skip_empty_area=False)) if meta_name else None
            table = grid(book.get_sheet_by_name(gaps_name).to_python(skip_empty_area=False)) if gaps_name else None
    except Exception:  # calamine's errors, and a Rust panic (pyo3 PanicException) on malformed content
        found.add(make("file-unreadable", reason="文件已损坏或无法解析"))
        return found
    found.meta = _meta(meta)
    fmt = found.meta.get(rc.META_FORMAT, "")
    if meta is None or fmt != rc.REPORT_FORMAT:
        why = "没有隐藏的 _meta 工作表" if meta is None else f"_meta 中的格式为“{printable(fmt) or '空'}”"
        found.add(make("report-unrecognised", sheet=rc.SHEET_REPORT_META, detail=why))
        return found
    if table is None:
        found.add(make("report-unrecognised", sheet=SHEET, detail=f"缺少工作表“{SHEET}”"))
        return found
    _rows(table, found)
    return found


def _meta(table: Grid | None) -> dict[str, str]:
    keys: dict[str, str] = {}
    for r in range(len(table or ())):
        key = at(table or [], r, 0)
        if isinstance(key, str) and key not in keys:
            keys[key] = display(at(table or [], r, 1))
    return keys


def _header(table: Grid, found: Returned) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and the column (0-based) of each title found, or None."""
    for r in range(min(rc.HEADER_SCAN_ROWS, len(table))):
        columns: dict[str, int] = {}
        for c, value in enumerate(table[r]):
            if not isinstance(value, str) or len(value) > 100:
                continue
            folded = fold_title(value)
            for title, aliases in _ALIASES.items():
                if folded in aliases and title not in columns:
                    columns[title] = c
                    if value != title:
                        what = "表头"
                        found.add(make("name-variant", sheet=SHEET, row=r + 1, column=c + 1, value=value, what=what,
                                       found=value, expected=title))  # fmt: skip
        if rc.COL_ID in columns and rc.COL_STATE in columns:
            return r, columns
        found.diagnostics = [d for d in found.diagnostics if d.row != r + 1]  # not the header after all
    return None


def _rows(table: Grid, found: Returned) -> None:
    header = _header(table, found)
    if header is None:
        found.add(make("report-header-missing", sheet=SHEET, sheet_name=SHEET, first=rc.COL_ID, second=rc.COL_STATE))
        return
    first, columns = header
    seen: dict[str, int] = {}
    for r in range(first + 1, len(table)):
        item = at(table, r, columns[rc.COL_ID])
        if item is None:
            continue  # a blank row, a note below the table
        item_id = display(item)
        if item_id in seen:
            found.add(make("rectify-duplicate", sheet=SHEET, row=r + 1, column=columns[rc.COL_ID] + 1, value=item_id,
                           found=item_id, first=seen[item_id]))  # fmt: skip
            continue
        seen[item_id] = r + 1
        declared = _declared(table, r, columns, found)
        if declared is not None:
            found.rows.append(Row(item_id, declared, r + 1))


def _text(table: Grid, r: int, columns: dict[str, int], title: str) -> str | None:
    if title not in columns:
        return None
    value = at(table, r, columns[title])
    return None if value is None else display(value)


def _declared(table: Grid, r: int, columns: dict[str, int], found: Returned) -> Declared | None:
    """The row's declaration; None when its state or 时限 cannot be read (diagnosed) or nothing is declared."""
    state_text = _text(table, r, columns, rc.COL_STATE)
    state = dec.state_of(state_text) if state_text else None
    if state_text and state is None:
        found.add(make("rectify-state-invalid", sheet=SHEET, row=r + 1, column=columns[rc.COL_STATE] + 1,
                       value=state_text, found=state_text, allowed=ALLOWED_STATES))  # fmt: skip
        return None
    due = None
    if rc.COL_DUE in columns and at(table, r, columns[rc.COL_DUE]) is not None:
        raw = at(table, r, columns[rc.COL_DUE])
        due = a_date(raw)
        if due is None:
            found.add(make("rectify-due-invalid", sheet=SHEET, row=r + 1, column=columns[rc.COL_DUE] + 1,
                           value=display(raw), found=display(raw)))  # fmt: skip
            return None
    owner, measure = _text(table, r, columns, rc.COL_OWNER), _text(table, r, columns, rc.COL_MEASURE)
    if state is None and due is None and owner is None and measure is None:
        return None
    return Declared(state or dec.TODO, due, owner, measure)
