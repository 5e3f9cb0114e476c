"""The 支部类型 and 变体调整 sheets of the rule workbook: a rule set's variants (branch types) and
their overlay files, both ways (docs/rule-format.md "Variants").

支部类型 has one row per option of ``variants.options`` (in order), with the overlay file and its
``note`` for the options that have one. 变体调整 has one row per change of every overlay (the
overlays in the order of ``variants.overlays``): the change's own keys (``item``, ``action``,
``reason``, ``basis``, ``basis_kind``) and one column per key its ``set`` may hold, the same
columns as 检查要点 (layout.SET_KEYS). On import the overlays are listed in the order their first
change row appears, and a ``set`` is written in the rule files' key order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.rulebook import layout
from engine.rulebook.layout import CHANGES, SET_KEYS, VARIANTS
from engine.rules.loader import ROOT_FILE
from engine.rules.model import ADD, CHANGE, NOT_APPLICABLE, Item, Variants

if TYPE_CHECKING:
    from engine.rulebook.import_ import Assembly
    from engine.rulebook.reader import Row as SheetRow

Row = dict[str, Any]
_FILE = re.compile(r"[^/\\]+\.ya?ml")


# -- Export ---------------------------------------------------------------------------------------
def option_rows(variants: Variants | None, skeleton: bool) -> list[Row]:
    if variants is None or skeleton:
        return []
    rows = []
    for option in variants.options:
        overlay = variants.named(option)
        rows.append({"option": option, "file": overlay and overlay.file, "note": overlay and overlay.note})
    return rows


def change_rows(variants: Variants | None, skeleton: bool, item_row: Callable[[Item], Row]) -> list[Row]:
    """One row per change, the overlays in their order; ``item_row`` gives a check point's cells."""
    if variants is None or skeleton:
        return []
    rows: list[Row] = []
    for overlay in variants.overlays:
        for item in overlay.changes:
            t = item.tailoring
            assert t is not None
            row: Row = {"variant": overlay.name, "item": item.id, "action": t.action, "reason": t.reason,
                        "basis": t.basis, "basis_kind": t.basis_kind}  # fmt: skip
            cells = item_row(item)
            if t.action == ADD:
                row.update((k, cells.get(k)) for k in SET_KEYS)
            elif t.action == CHANGE:  # exactly the keys set, a 否 included
                row.update((k, item.na_allowed if k == "na_allowed" else cells.get(k)) for k in t.changed)
            rows.append(row)
    return rows


# -- Import ---------------------------------------------------------------------------------------
@dataclass
class _Option:
    row: SheetRow
    number: int  # its place among the options, 1-based (the default file name)
    file: str | None
    note: object
    overlay: dict[str, Any] | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)


def assemble_options(a: Assembly) -> None:
    """支部类型: the options, each with its overlay file name and note (no variants without rows)."""
    spec = VARIANTS
    for row in a.book.table(spec):
        option = a.cells.get(spec, row, "option", need=True)
        file = a.cells.get(spec, row, "file")
        note = a.cells.get(spec, row, "note")
        if option is None:
            continue
        if str(option) in a.options:
            first = a.options[str(option)].row.number
            a.problems.add(row.refs["option"], f"支部类型“{option}”重复（另见第 {first} 行）")
            continue
        a.options[str(option)] = _Option(row, len(a.options) + 1, None if file is None else str(file), note)


def assemble_changes(a: Assembly) -> None:
    """变体调整: one overlay file per type with changes, ``variants`` in ruleset.yaml."""
    spec = CHANGES
    order: list[_Option] = []
    for row in a.book.table(spec):
        variant = a.cells.get(spec, row, "variant", need=True)
        change = _change(a, row)
        if variant is None:
            continue
        option = a.options.get(str(variant))
        if option is None:
            a.problems.add(row.refs["variant"], f"支部类型“{variant}”不在“{VARIANTS.name}”表中")
            continue
        if option.overlay is None:
            option.overlay = {"variant": str(variant)}
            order.append(option)
        if change is not None:
            option.changes.append(change)
            _note_change(a, option, row, change)
    _check_options(a, order)
    if a.problems or not a.options:
        return
    for option in order:
        assert option.overlay is not None
        name = _file(option)
        if option.note is not None:
            option.overlay["note"] = option.note
        option.overlay["changes"] = option.changes
        a.overlays[name] = option.overlay
    a.root["variants"] = {"options": list(a.options), "overlays": [_file(o) for o in order]}
    a.note(ROOT_FILE, ("variants",), spec.name)
    for n, option in enumerate(a.options.values()):
        a.note(ROOT_FILE, ("variants", "options", n), option.row.refs["option"])
    for n, option in enumerate(order):
        a.note(ROOT_FILE, ("variants", "overlays", n), option.row.refs.get("file", option.row.first_ref))


def _file(option: _Option) -> str:
    return option.file if option.file is not None else f"variant-{option.number}.yaml"


def _change(a: Assembly, row: SheetRow) -> dict[str, Any] | None:
    spec = CHANGES
    own = {k: a.cells.get(spec, row, k, need=True) for k in ("item", "action", "reason", "basis", "basis_kind")}
    values = {k: v for k in SET_KEYS if (v := a.cells.get(spec, row, k)) is not None}
    action = own["action"]
    word = layout.word(spec.column("action"), str(action))
    if action == NOT_APPLICABLE:
        for key in values:
            a.problems.add(row.refs[key], f"调整方式为“{word}”时不用填写“{spec.column(key).title}”，请留空")
        values = {}
    elif action in (CHANGE, ADD) and not values:
        what = "要修改的参数（如分值、目标）" if action == CHANGE else "新检查要点的各列（检查要点、类型、分值等）"
        a.problems.add(row.refs["action"], f"调整方式为“{word}”时须填写{what}")
    scale = values.get("options")
    if isinstance(scale, str) and scale not in a.root.get("scales", {}):
        why = f"既不是“名称=得分系数”的写法，也不是“{layout.SCALES.name}”表中的量表名称"
        a.problems.add(row.refs["options"], f"等级选项“{scale}”{why}")
    if any(v is None for v in own.values()):
        return None
    change: dict[str, Any] = {"item": str(own["item"]), "action": action}
    if values:
        change["set"] = values
    change.update(reason=own["reason"], basis=own["basis"], basis_kind=own["basis_kind"])
    return change


def _note_change(a: Assembly, option: _Option, row: SheetRow, change: dict[str, Any]) -> None:
    file = _file(option)
    path = ("changes", len(option.changes) - 1)
    a.note(file, (), row.refs["variant"])
    a.note(file, ("variant",), row.refs["variant"])
    a.note(file, ("changes",), CHANGES.name)
    a.note(file, path, row.first_ref)
    for key in change:
        a.note(file, (*path, key), row.refs["action" if key == "set" else key])
    for key in change.get("set", {}):
        a.note(file, (*path, "set", key), row.refs[key])
    if option.note is not None:
        a.note(file, ("note",), option.row.refs["note"])


def _check_options(a: Assembly, order: list[_Option]) -> None:
    """Options without changes keep no file or note; file names are valid and each used once."""
    used = {file: f"方面 {area} 的文件名" for area, file in a.files.items()}
    for option in a.options.values():
        name = option.row.values.get("option")
        if option.overlay is None:
            for key in ("file", "note"):
                if key in option.row.refs and not option.row.blank(key):
                    title = VARIANTS.column(key).title
                    why = f"“{CHANGES.name}”表中没有支部类型“{name}”的调整，“{title}”无处写出（没有调整的类型留空）"
                    a.problems.add(option.row.refs[key], why)
            continue
        file, where = _file(option), option.row.refs.get("file", option.row.refs["option"])
        if not _FILE.fullmatch(file) or file == ROOT_FILE:
            a.problems.add(where, f"变体文件名“{file}”无效：应以 .yaml 结尾，不含“/”，且不是 {ROOT_FILE}")
        elif file in used:
            a.problems.add(where, f"变体文件名“{file}”已是{used[file]}，请换一个")
        used[file] = f"支部类型“{name}”的变体文件名"
    if a.options and not order:
        a.problems.add(
            f"{CHANGES.name}!A2",
            f"“{VARIANTS.name}”表列出了支部类型，但本表没有任何调整：至少一种类型要有调整"
            f"（不区分类型时请清空“{VARIANTS.name}”表）",
        )
