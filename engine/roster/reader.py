"""Read a roster workbook (名册) with the submissions' tolerant reader.

The file goes through the same guards (:mod:`engine.guards`) and calamine; the sheet and the
header titles are found by :func:`engine.intake.normalise.match_title` (full-width, spaces,
invisible characters and case do not matter, and a variant is a ``name-variant`` warning);
cell text is trimmed. Every problem is a positioned diagnostic; nothing is raised for a bad file.
"""

from __future__ import annotations

import io
from pathlib import Path

from python_calamine import CalamineWorkbook

from engine import guards
from engine.diagnostics import Diagnostic, make
from engine.history.identity import branch_key
from engine.intake.cells import CellValue, Grid, display, grid
from engine.intake.normalise import match_title
from engine.roster import contract as c
from engine.roster.model import Roster, RosterRow
from engine.textsafe import quoted_list, reveal

CORRUPT = "文件已损坏"

_FIELDS = {
    c.COL_PARENT: "parent",
    c.COL_NAME: "name",
    c.COL_CODE: "code",
    c.COL_GROUP: "group",
    c.COL_CONTACT: "contact",
    c.COL_PHONE: "phone",
    c.COL_FORMER: "former",
}


def read_roster(path: Path | str) -> Roster:
    """The roster at ``path``; its problems are in ``diagnostics`` (errors mean it cannot be used)."""
    source = str(path)
    data = guards.load(Path(path))
    if isinstance(data, Diagnostic):
        return Roster(source, diagnostics=(data,))
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            names = list(book.sheet_names)
            name = match_title(c.SHEET_ROSTER, names)
            if name is None:
                present = quoted_list(names) or "无"
                return Roster(source, diagnostics=(make("roster-sheet-missing", present=present),))
            table = grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    except Exception:  # calamine's errors on malformed content
        return Roster(source, diagnostics=(make("file-unreadable", reason=CORRUPT),))
    found: list[Diagnostic] = []
    if name != c.SHEET_ROSTER:
        found.append(make("name-variant", sheet=name, value=name, what="工作表", found=reveal(name),
                          expected=c.SHEET_ROSTER))  # fmt: skip
    columns: dict[str, int] = {}
    rows = _rows(table, name, found, columns)
    found.extend(duplicates(rows, name, columns.get(c.COL_CODE), columns.get(c.COL_NAME)))
    return Roster(source, tuple(rows), tuple(found))


def _header(table: Grid, sheet: str, found: list[Diagnostic]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and title → column (0-based) of the roster's columns."""
    for r, row in enumerate(table[: c.HEADER_SCAN_ROWS]):
        titles = [display(v) if v is not None else "" for v in row]
        columns: dict[str, int] = {}
        for expected in c.ROSTER_HEADERS:
            title = match_title(expected, [t for t in titles if t])
            if title is not None:
                columns[expected] = titles.index(title)
        if all(t in columns for t in c.REQUIRED_HEADERS):
            for expected, column in columns.items():
                if titles[column] != expected:
                    found.append(make("name-variant", sheet=sheet, row=r + 1, column=column + 1, value=titles[column],
                                      what="表头", found=reveal(titles[column]), expected=expected))  # fmt: skip
            return r, columns
    shown = [display(v) for row in table[: c.HEADER_SCAN_ROWS] for v in row if v is not None][:20]
    present = "表中的文字：" + quoted_list(shown) if shown else "工作表是空的"
    found.append(make("roster-header-missing", sheet=sheet, present=present))
    return None


def _rows(table: Grid, sheet: str, found: list[Diagnostic], used: dict[str, int]) -> list[RosterRow]:
    """The rows below the header; ``used`` receives title → 1-based column of the columns found."""
    header = _header(table, sheet, found)
    if header is None:
        return []
    first, columns = header
    used.update({t: col + 1 for t, col in columns.items()})
    rows: list[RosterRow] = []
    for r in range(first + 1, len(table)):
        line = table[r]
        values = {t: _text(line[col]) if col < len(line) else "" for t, col in columns.items()}
        if not any(values.values()):
            continue
        missing = [t for t in c.REQUIRED_HEADERS if not values[t]]
        for title in missing:
            found.append(make("roster-value-missing", sheet=sheet, row=r + 1, column=columns[title] + 1, label=title))
        if missing:
            continue
        fields = {_FIELDS[t]: (v or None) for t, v in values.items() if t not in (c.COL_FORMER,)}
        rows.append(RosterRow(row=r + 1, former=split_former(values.get(c.COL_FORMER, "")), **fields))  # type: ignore[arg-type]
    return rows


def _text(value: CellValue) -> str:
    return display(value).strip() if value is not None else ""


def split_former(text: str) -> tuple[str, ...]:
    """曾用名 split on ``；`` or ``;``, each trimmed, blanks dropped."""
    for sep in c.FORMER_SEPARATORS[1:]:
        text = text.replace(sep, c.FORMER_SEPARATORS[0])
    return tuple(dict.fromkeys(p.strip() for p in text.split(c.FORMER_SEPARATORS[0]) if p.strip()))


def duplicates(
    rows: list[RosterRow], sheet: str = c.SHEET_ROSTER, code_column: int | None = None, name_column: int | None = None
) -> list[Diagnostic]:
    """roster-duplicate on the later row of each pair naming one branch (same code, or same name keys)."""
    found: list[Diagnostic] = []
    by_code: dict[str, RosterRow] = {}
    by_name: dict[str, tuple[RosterRow, str]] = {}
    for row in rows:
        code = row.code_key
        if code is not None:
            other = by_code.setdefault(code, row)
            if other is not row:
                found.append(_duplicate(sheet, row, other, f"支部编码都是“{row.code}”", code_column))
                continue
        pairs = [(branch_key(None, row.parent, n), n) for n in (row.name, *row.former)]
        for key, shown in pairs:
            if key is None:
                continue
            if key in by_name and by_name[key][0] is not row:
                other, other_shown = by_name[key]
                why = f"上级党组织都是“{row.parent}”，名称“{shown}”与该行的“{other_shown}”相同"
                found.append(_duplicate(sheet, row, other, why, name_column))
                break
            by_name.setdefault(key, (row, shown))
    return found


def _duplicate(sheet: str, row: RosterRow, other: RosterRow, why: str, column: int | None) -> Diagnostic:
    return make(
        "roster-duplicate", sheet=sheet, row=row.row, column=column, value=row.name, other_row=other.row, why=why
    )
