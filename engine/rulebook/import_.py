"""Read a rule workbook back into a rule-set folder (``branchcheck rules import``).

The sheets are read (:mod:`engine.rulebook.reader`) and assembled into the rule files' data by
:data:`ASSEMBLE`, one function per sheet, noting which cell each value came from. When every
cell fits, the files are written (:mod:`engine.rulebook.yamlwrite`) into a staging folder beside
the target and loaded with the normal loader; its problems are reported at the cells they came
from. Only a rule set that loads is moved into the target folder. Problems are reported all at
once, by sheet and cell, in Chinese (:class:`RulebookError`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.errors import BranchcheckError, RuleSetError, UsageError
from engine.rulebook import layout, variantsheets
from engine.rulebook.reader import Cells, Row, Workbook
from engine.rulebook.syntax import Fields
from engine.rulebook.typeparams import by_type
from engine.rulebook.yamlwrite import rule_files
from engine.rules import load_rule_set
from engine.rules.loader import ROOT_FILE
from engine.rules.model import RuleSet
from engine.rules.schema import schema
from engine.rules.yamlsource import PathKey, format_path

_ITEM_ID = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")
_AREA_FILE = re.compile(r"[^/\\]+\.ya?ml")


class RulebookError(BranchcheckError):
    """The rule workbook has problems; ``problems`` lists each, positioned by sheet and cell."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"规则工作簿有 {len(problems)} 个问题：\n{lines}")


class Assembly:
    """The rule files' data being built from the sheets, with the cell of every value."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.problems = book.problems
        self.cells = Cells(book.problems)
        self.root: dict[str, Any] = {}
        self.areas: dict[str, dict[str, Any]] = {}  # area id → area file data
        self.files: dict[str, str] = {}  # area id → file name
        self.standards: dict[str, tuple[str, dict[str, Any], Row]] = {}  # id → (area id, data, row)
        self.where: dict[tuple[str, str], str] = {}  # (file, path) → cell
        self.options: dict[str, Any] = {}  # branch type → its 支部类型 row (engine.rulebook.variantsheets)
        self.overlays: dict[str, dict[str, Any]] = {}  # overlay file → its data

    def note(self, file: str, path: PathKey, where: str) -> None:
        self.where.setdefault((file, format_path(path)), where)

    def fill(self, spec: layout.Sheet, row: Row, target: dict[str, Any], file: str, path: PathKey,
             keys: tuple[str, ...], need: tuple[str, ...] = ()) -> None:  # fmt: skip
        """Copy the non-blank cells of ``keys`` into ``target``, noting each one's cell."""
        self.note(file, path, row.first_ref)
        for key in keys:
            value = self.cells.get(spec, row, key, need=key in need)
            if value is not None:
                target[key] = value
                self.note(file, (*path, key), row.refs[key])


def _ruleset(a: Assembly) -> None:
    spec = layout.RULESET
    values, refs, sheet = a.book.record(spec)
    a.note(ROOT_FILE, (), sheet)
    source: dict[str, Any] = {}
    for column in spec.columns:
        found = values.get(column.key, [])
        converted = [a.cells.value(column, v, r) for v, r in zip(found, refs.get(column.key, []), strict=True)]
        if column.repeated:
            source["regulations"] = [v for v in converted if v is not None]
            for n, r in enumerate(refs.get(column.key, [])):
                a.note(ROOT_FILE, ("source", "regulations", n), r)
            continue
        if found and found[0] is None and column.header_required:
            a.problems.add(refs[column.key][0], f"“{column.title}”未填写")
        if not converted or converted[0] is None:
            continue
        key = column.key
        a.note(ROOT_FILE, tuple(key.split(".")), refs[key][0])
        if "." in key:  # source.note, total.min
            head, tail = key.split(".", 1)
            (source if head == "source" else a.root.setdefault(head, {}))[tail] = converted[0]
        else:
            a.root[key] = converted[0]
    a.root["source"] = {k: source[k] for k in ("handbook", "note", "regulations") if k in source}
    a.note(ROOT_FILE, ("source",), sheet)


def _profile(a: Assembly) -> None:
    spec = layout.PROFILE
    rows = a.book.table(spec)
    a.cells.fields = Fields(
        (str(r.values["id"]), str(r.values["label"])) for r in rows if "id" in r.refs and "label" in r.refs
        and not r.blank("id") and not r.blank("label")
    )  # fmt: skip
    fields: list[dict[str, Any]] = []
    for row in rows:
        data: dict[str, Any] = {}
        keys = tuple(c.key for c in spec.columns)
        a.fill(spec, row, data, ROOT_FILE, ("profile", len(fields)), keys, need=("id", "label", "type", "required"))
        fields.append(data)
    a.root["profile"] = fields
    a.note(ROOT_FILE, ("profile",), spec.name)


def _areas(a: Assembly) -> None:
    spec = layout.AREAS
    for row in a.book.table(spec):
        area_id = a.cells.get(spec, row, "area_id", need=True)
        area_name = a.cells.get(spec, row, "area_name", need=True)
        sid = a.cells.get(spec, row, "id", need=True)
        name = a.cells.get(spec, row, "name", need=True)
        if area_id is None or sid is None:
            continue
        area_id, sid = str(area_id), str(sid)
        area = a.areas.get(area_id)
        if area is None:
            area = a.areas[area_id] = {"id": area_id, "name": area_name}
            a.note(area_id, (), row.refs["area_id"])
            a.note(area_id, ("id",), row.refs["area_id"])
            a.note(area_id, ("name",), row.refs["area_name"])
            file = a.cells.get(spec, row, "file")
            a.files[area_id] = str(file) if file is not None else f"area-{area_id}.yaml"
            for key in ("kind", "cap"):
                value = a.cells.get(spec, row, key)
                if value is not None:
                    area[key] = value
                    a.note(area_id, (key,), row.refs[key])
            area["standards"] = []
        else:
            _same_as_first(a, row, area_id, area)
        if sid in a.standards:
            a.problems.add(row.refs["id"], f"标准编号“{sid}”重复（另见第 {a.standards[sid][2].number} 行）")
            continue
        standard: dict[str, Any] = {"id": sid, "name": name, "items": []}
        path: PathKey = ("standards", len(area["standards"]))
        area["standards"].append(standard)
        a.standards[sid] = (area_id, standard, row)
        a.note(area_id, path, row.refs["id"])
        a.note(area_id, (*path, "id"), row.refs["id"])
        if name is not None:
            a.note(area_id, (*path, "name"), row.refs["name"])
    _check_files(a)


def _same_as_first(a: Assembly, row: Row, area_id: str, area: dict[str, Any]) -> None:
    """A later row of an area repeats its name, file, kind and cap (blank file, kind, cap: as before)."""
    spec = layout.AREAS
    first = {"area_name": area["name"], "file": a.files[area_id], "kind": area.get("kind"), "cap": area.get("cap")}
    for key, known in first.items():
        value = a.cells.get(spec, row, key)
        if value is not None and value != known:
            column = spec.column(key)
            said = f"方面 {area_id} 的{_WHAT[key]}“{_shown(column, value)}”"
            a.problems.add(row.refs[key], f"{said}与前面各行的“{_shown(column, known)}”不一致")


_WHAT = {"area_name": "名称", "file": "文件名", "kind": "加分减分", "cap": "封顶分"}


def _shown(column: layout.Column, value: object) -> str:
    if value is None:
        return "（空）"
    return layout.word(column, str(value)) if column.kind == "choice" else str(value)


def _check_files(a: Assembly) -> None:
    seen: dict[str, str] = {}
    for area_id, file in a.files.items():
        where = a.where.get((area_id, ""), layout.AREAS.name)
        if not _AREA_FILE.fullmatch(file) or file == ROOT_FILE:
            a.problems.add(where, f"方面 {area_id} 的文件名“{file}”无效：应以 .yaml 结尾，不含“/”，且不是 {ROOT_FILE}")
        elif file in seen:
            a.problems.add(where, f"方面 {area_id} 与方面 {seen[file]} 的文件名都是“{file}”")
        seen[file] = area_id


def _items(a: Assembly) -> None:
    spec = layout.ITEMS
    seen: dict[str, int] = {}
    required = tuple(schema()["$defs"]["item"]["required"])
    words = dict(layout.ANSWER_TYPES)
    for row in a.book.table(spec):
        ident = a.cells.get(spec, row, "id", need=True)
        if ident is None:
            continue
        ident = str(ident)
        if not _ITEM_ID.fullmatch(ident):
            a.problems.add(row.refs["id"], f"编号“{ident}”格式不对，应为 标准编号.序号（如 3.1.2）")
            continue
        if ident in seen:
            a.problems.add(row.refs["id"], f"编号“{ident}”重复（另见第 {seen[ident]} 行）")
            continue
        seen[ident] = row.number
        owner = a.standards.get(ident.rsplit(".", 1)[0])
        if owner is None:
            sid = ident.rsplit(".", 1)[0]
            a.problems.add(row.refs["id"], f"编号“{ident}”所属的标准“{sid}”不在“{layout.AREAS.name}”表中")
            continue
        area_id, standard, _ = owner
        item: dict[str, Any] = {}
        path: PathKey = ("standards", a.areas[area_id]["standards"].index(standard), "items", len(standard["items"]))
        keys = tuple(c.key for c in spec.columns)
        a.fill(spec, row, item, area_id, path, keys, need=tuple(k for k in required if k != "id"))
        if item.get("na_allowed") is False:
            del item["na_allowed"]
        kind = str(item.get("type"))
        if kind in by_type():
            _type_params(a, spec, row, item, by_type()[kind], words.get(kind, kind))
        scale = item.get("options")
        if isinstance(scale, str) and scale not in a.root.get("scales", {}):
            why = f"既不是“名称=得分系数”的写法，也不是“{layout.SCALES.name}”表中的量表名称"
            a.problems.add(row.refs["options"], f"等级选项“{scale}”{why}")
            del item["options"]
        standard["items"].append(item)
    for sid, (_, standard, row) in a.standards.items():
        if not standard["items"]:
            a.problems.add(row.refs["id"], f"标准“{sid}”没有检查要点（在“{spec.name}”表中添加编号以 {sid}. 开头的行）")


def _type_params(a: Assembly, spec: layout.Sheet, row: Row, item: dict[str, Any], params: Any, word: str) -> None:
    for key in params.required:
        if key not in item and key in row.refs and row.blank(key):
            a.problems.add(row.refs[key], f"类型“{word}”需要填写“{spec.column(key).title}”")
    for key in sorted(params.forbidden):
        if key in row.refs and not row.blank(key):
            a.problems.add(row.refs[key], f"类型“{word}”不用填写“{spec.column(key).title}”，请留空")
            item.pop(key, None)


def _scales(a: Assembly) -> None:
    spec = layout.SCALES
    scales: dict[str, Any] = {}
    for row in a.book.table(spec):
        name = a.cells.get(spec, row, "name", need=True)
        options = a.cells.get(spec, row, "options", need=True)
        if name is None or options is None:
            continue
        if not isinstance(options, list):
            a.problems.add(row.refs["options"], "量表的等级选项应写成“名称=得分系数”，各项之间用“；”分隔")
        elif str(name) in scales:
            a.problems.add(row.refs["name"], f"量表名称“{name}”重复")
        else:
            scales[str(name)] = options
            a.note(ROOT_FILE, ("scales", str(name)), row.refs["options"])
    if scales:
        a.root["scales"] = scales


def _list(key: str, spec: layout.Sheet, need: tuple[str, ...]) -> Callable[[Assembly], None]:
    def assemble(a: Assembly) -> None:
        found: list[dict[str, Any]] = []
        for row in a.book.table(spec):
            data: dict[str, Any] = {}
            a.fill(spec, row, data, ROOT_FILE, (key, len(found)), tuple(c.key for c in spec.columns), need)
            found.append(data)
        a.note(ROOT_FILE, (key,), spec.name)
        if found or key == "bands":
            a.root[key] = found

    return assemble


def _total(a: Assembly) -> None:
    spec = layout.TOTAL
    found: list[dict[str, Any]] = []
    for row in a.book.table(spec):
        data: dict[str, Any] = {}
        a.fill(spec, row, data, ROOT_FILE, ("total", "components", len(found)), ("source", "field", "weight"),
               ("source", "weight"))  # fmt: skip
        found.append(data)
    if found:
        a.root.setdefault("total", {})["components"] = found
        a.note(ROOT_FILE, ("total", "components"), spec.name)
    if "total" in a.root:
        a.note(ROOT_FILE, ("total",), spec.name)


# Each sheet's assembly, in this order (profile fields before any condition names them). A new
# sheet in layout.SHEETS needs its function here.
ASSEMBLE: dict[str, Callable[[Assembly], None]] = {
    layout.RULESET.name: _ruleset,
    layout.PROFILE.name: _profile,
    layout.AREAS.name: _areas,
    layout.SCALES.name: _scales,
    layout.ITEMS.name: _items,
    layout.VETOES.name: _list("vetoes", layout.VETOES, ("id", "text", "kind")),
    layout.BANDS.name: _list("bands", layout.BANDS, ("name", "min")),
    layout.CHECKS.name: _list("profile_checks", layout.CHECKS, ("id", "condition", "message", "severity")),
    layout.TOTAL.name: _total,
    layout.VARIANTS.name: variantsheets.assemble_options,
    layout.CHANGES.name: variantsheets.assemble_changes,
}


def exported_as(path: Path) -> dict[str, str]:
    """What the workbook's ``_meta`` says it was exported from: rule_set_id, rule_set_version,
    fingerprint (empty when it has no ``_meta``)."""
    return Workbook(path).meta()


def read_rulebook(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The rule-set files written from the workbook at ``path`` (name → text), and where each
    value came from ((file, path) → cell); :class:`RulebookError` lists every bad cell."""
    book = Workbook(path)
    book.check_meta()
    a = Assembly(book)
    for assemble in ASSEMBLE.values():
        assemble(a)
    if a.problems:
        raise RulebookError(a.problems.lines)
    a.root["areas"] = [a.files[area_id] for area_id in a.areas]
    a.note(ROOT_FILE, ("areas",), layout.ITEMS.name)  # the points' total
    files = rule_files(a.root, list(a.areas.values()), a.overlays)
    where = {(a.files.get(file, file), p): cell for (file, p), cell in a.where.items()}
    return files, where


def _position(where: dict[tuple[str, str], str], file: str, path: str) -> str:
    while True:
        found = where.get((file, path))
        if found is not None:
            return found
        if not path:
            return layout.RULESET.name if file == ROOT_FILE else layout.AREAS.name
        path = re.sub(r"(\.[^.\[]+|\[\d+\]|^[^.\[]+)$", "", path)


def import_rulebook(source: Path, target: Path, *, force: bool = False) -> RuleSet:
    """Write the rule set in the workbook ``source`` into the folder ``target`` and load it."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"输出位置 {target} 是一个文件，应为文件夹")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(f"文件夹 {target} 不是空的；确认要覆盖其中的规则集文件时加 --force")
    files, where = read_rulebook(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".branchcheck-import-", dir=target.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        try:
            rules = load_rule_set(staging)
        except RuleSetError as exc:
            raise RulebookError([f"{_position(where, p.file, p.path)}：{p.message}" for p in exc.problems]) from None
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(staging / name, target / name)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
    return dataclasses.replace(rules, path=target)  # the same files, moved
