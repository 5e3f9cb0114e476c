"""Read the rule workbook's sheets into rows of positioned cells, by sheet name and column title.

Sheets and columns are found by name after :func:`engine.intake.normalise.fold_title` (full-width
/ half-width, invisible characters, spaces), so moved or extra columns still work; cells are
read with calamine (values, never formulas: nothing in the workbook is executed). Every problem
is collected with its position (``检查要点!F57``); nothing is raised for a bad cell.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from engine import guards
from engine.diagnostics import Diagnostic, column_letter
from engine.errors import UsageError
from engine.intake.cells import CellValue, Grid, grid
from engine.intake.normalise import fold_title, match_title
from engine.rulebook import syntax
from engine.rulebook.cells import CellProblem, read_value
from engine.rulebook.layout import HEADER_SCAN_ROWS, META_SHEET, RULEBOOK_FORMAT, Column, Sheet

MAX_BYTES = 50 * 1024 * 1024
# What the file checks refuse, said for a rule workbook (their messages speak of 自评表).
_REFUSED = {
    "not-a-workbook": "不是 Excel（.xlsx）或 LibreOffice（.ods）工作簿，请导入由 rules export 导出的规则工作簿",
    "unsupported-file": "不是 Excel（.xlsx）或 LibreOffice（.ods）工作簿，请导入由 rules export 导出的规则工作簿",
    "file-encrypted": "文件已加密，请去除密码后再导入",
    "file-empty": "文件是空的（0 字节）",
    "file-too-large": f"文件超过 {MAX_BYTES // 1024 // 1024} MiB，不像是规则工作簿",
}
RECORD_HEADERS = ("项目", "内容")


@dataclass
class Row:
    """One row of a sheet: each mapped column's raw value and cell reference."""

    sheet: str
    number: int  # 1-based
    values: dict[str, CellValue]
    refs: dict[str, str]
    first_ref: str

    def blank(self, key: str) -> bool:
        return self.values.get(key) is None


@dataclass
class Problems:
    """Positioned problems, in the order found: ``检查要点!F57：类型“计数”需要填写“目标”``."""

    lines: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}：{message}")

    def __bool__(self) -> bool:
        return bool(self.lines)


def ref(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{column_letter(column)}{row}"


class Workbook:
    """The sheets of a rule workbook, each read once, and the problems found while reading."""

    def __init__(self, path: Path) -> None:
        self.problems = Problems()
        data = guards.load(path, MAX_BYTES)  # type, zip and XML safety, size: before any parser
        if isinstance(data, Diagnostic):
            raise UsageError(f"无法读取文件 {path}：{_REFUSED.get(data.code, data.message)}")
        try:
            with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
                self.names = list(book.sheet_names)
                self.sheets: dict[str, Grid] = {
                    name: grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in self.names
                }
        except PasswordError:
            raise UsageError(f"文件 {path} 已加密，请去除密码后再导入") from None
        except (CalamineError, ValueError, OSError) as exc:
            raise UsageError(f"无法读取文件 {path}：不是可以读取的 Excel 或 ODS 工作簿（{exc}）") from None

    def sheet(self, name: str, optional: bool = False) -> tuple[str, Grid] | None:
        found = match_title(name, self.names)
        if found is None and optional:
            return None
        if found is None:
            present = "、".join(f"“{n}”" for n in self.names if n != META_SHEET)
            self.problems.add(name, f"找不到工作表“{name}”（本文件中的工作表：{present}）")
            return None
        return found, self.sheets[found]

    def meta(self) -> dict[str, str]:
        """The ``_meta`` sheet's keys and values (empty without it)."""
        found = match_title(META_SHEET, self.names)
        rows = self.sheets[found] if found is not None else []
        return {str(r[0]): str(r[1]) for r in rows if len(r) > 1 and r[0] is not None and r[1] is not None}

    def check_meta(self) -> None:
        meta = self.meta()
        if not meta:
            return  # rebuilt by hand or by another program: read by the sheets' names
        value = meta.get("format")
        if value != RULEBOOK_FORMAT:
            where = match_title(META_SHEET, self.names)
            self.problems.add(f"{where}!B1", f"不是规则工作簿：格式为“{value}”，应为“{RULEBOOK_FORMAT}”")

    def table(self, spec: Sheet) -> list[Row]:
        """The rows of a table sheet below its header (blank rows skipped)."""
        got = self.sheet(spec.name, spec.optional)
        if got is None:
            return []
        name, table = got
        first = fold_title(spec.columns[0].title)
        header = next(
            (r for r, row in enumerate(table[:HEADER_SCAN_ROWS]) if any(_folded(v) == first for v in row)), None
        )
        if header is None:
            self.problems.add(
                f"{name}!A1", f"前 {HEADER_SCAN_ROWS} 行中找不到表头行（含“{spec.columns[0].title}”的一行）"
            )
            return []
        titles = {_folded(v): c for c, v in enumerate(table[header]) if v is not None}
        columns: dict[str, int] = {}
        for column in spec.columns:
            at = titles.get(fold_title(column.title))
            if at is not None:
                columns[column.key] = at
            elif column.header_required:
                self.problems.add(f"{name}!{header + 1}:{header + 1}", f"表头中缺少列“{column.title}”")
        return list(self._rows(name, table, header, columns))

    def _rows(self, name: str, table: Grid, header: int, columns: dict[str, int]) -> Iterator[Row]:
        for r in range(header + 1, len(table)):
            row = table[r]
            values = {key: row[c] if c < len(row) else None for key, c in columns.items()}
            if all(v is None for v in values.values()):
                continue
            refs = {key: ref(name, r + 1, c + 1) for key, c in columns.items()}
            yield Row(name, r + 1, values, refs, ref(name, r + 1, min(columns.values(), default=0) + 1))

    def record(self, spec: Sheet) -> tuple[dict[str, list[CellValue]], dict[str, list[str]], str]:
        """A 项目 | 内容 sheet: each column's values (several for a repeated one) and their cells."""
        got = self.sheet(spec.name)
        if got is None:
            return {}, {}, spec.name
        name, table = got
        by_title = {fold_title(c.title): c for c in spec.columns}
        values: dict[str, list[CellValue]] = {}
        refs: dict[str, list[str]] = {}
        for r, row in enumerate(table):
            label = _folded(row[0]) if row else ""
            column = by_title.get(label)
            if column is None:
                continue
            value = row[1] if len(row) > 1 else None
            if value is None and column.repeated:
                continue
            if column.key in refs and not column.repeated:
                again = f"“{column.title}”出现了两行（另见 {refs[column.key][0]}），请删除一行"
                self.problems.add(ref(name, r + 1, 1), again)
                continue
            values.setdefault(column.key, []).append(value)
            refs.setdefault(column.key, []).append(ref(name, r + 1, 2))
        for column in spec.columns:
            if column.header_required and column.key not in values:
                self.problems.add(name, f"缺少“{column.title}”一行（“项目”列中应有“{column.title}”）")
        return values, refs, name


def _folded(value: CellValue) -> str:
    return fold_title(value) if isinstance(value, str) and len(value) <= 100 else ""


class Cells:
    """Converts positioned cells to rule-file values, adding a problem for each that does not fit."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.fields = syntax.Fields(())

    def value(self, column: Column, raw: CellValue, where: str) -> object:
        if raw is None:
            return None
        try:
            value = read_value(column, raw)
        except CellProblem as exc:
            self.problems.add(where, str(exc))
            return None
        if column.kind == "condition":
            try:
                return syntax.parse(str(value), self.fields)
            except syntax.ConditionSyntaxError as exc:
                self.problems.add(where, f"“{column.title}”的条件写法有误：{exc.message}")
                return None
        if column.kind == "field":
            found = self.fields.resolve(str(value))
            if found is None:
                self.problems.add(where, f"“{column.title}”填写的“{value}”不是支部信息字段的名称")
            return found
        return value

    def get(self, spec: Sheet, row: Row, key: str, *, need: bool = False) -> object:
        column = spec.column(key)
        if key not in row.refs:
            return None
        if need and row.blank(key):
            self.problems.add(row.refs[key], f"“{column.title}”未填写")
            return None
        return self.value(column, row.values.get(key), row.refs[key])
