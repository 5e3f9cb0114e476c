"""Branch-type variants: overlay files that tailor a rule set for a kind of branch.

ruleset.yaml may declare ``variants: {options: [...], overlays: [file, ...]}``. The profile
field with role ``branch_type`` offers the options; each overlay file names one option
(``variant``) and lists ``changes``, one per check point: ``not_applicable`` (with a reason and
its basis), ``change`` (``set``: new points, target, options or other type parameters) or
``add`` (``set``: a new check point). Each changed or added check point is validated like a
check point of an area file (the JSON Schema, then the answer type's own checks), and the
variant's points must still add up to 100. Problems are positioned in the overlay file.

The result is part of the frozen model (:class:`engine.rules.model.Variants`); resolving a
variant (:mod:`engine.rules.tailor`) gives an ordinary model that scoring evaluates unchanged.
"""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal
from typing import Any

from engine.rules import build, schema
from engine.rules.checks import Checker
from engine.rules.model import (
    ADD,
    CHANGE,
    NOT_APPLICABLE,
    Item,
    Tailoring,
    Variant,
    Variants,
    format_number,
)
from engine.rules.problems import Problems
from engine.rules.rating import CHECKLIST
from engine.rules.yamlsource import PathKey, YamlDoc, format_path

ROLE = "branch_type"
# What a ``change`` may set: the points and the answer type's parameters, never the text or the
# type (one template serves every variant, so what a check point asks stays the same).
CHANGEABLE = (
    "points",
    "target",
    "options",
    "deduction_per_unit",
    "decimals",
    "per",
    "within_months",
    "exceed",
    "na_allowed",
    "hint",
)
# Keys of an added check point written on the change itself, not in its ``set``.
OWN_KEYS = ("id", "basis", "basis_kind")
TOTAL = Decimal(100)


@dataclasses.dataclass
class _Base:
    raw: dict[str, Any]
    area_id: str
    standard_id: str


def selector(root: YamlDoc, problems: Problems) -> str | None:
    """The id of the profile field with role branch_type; a problem when variants have none."""
    data: dict[str, Any] = root.data  # type: ignore[assignment]
    found = next((f["id"] for f in data["profile"] if f.get("role") == ROLE), None)
    if found is None:
        problems.add(root, ("variants",), f"声明了 variants 时，支部信息中必须有角色为 {ROLE} 的字段（如“支部类型”）")
    return found


class OverlayBuilder:
    """Builds the variants of one rule set from its validated overlay files."""

    def __init__(self, root: YamlDoc, areas: list[YamlDoc], checker: Checker, problems: Problems) -> None:
        self.root, self.checker, self.p = root, checker, problems
        data: dict[str, Any] = root.data  # type: ignore[assignment]
        self.block: dict[str, Any] = data["variants"]
        self.scales: dict[str, Any] = data.get("scales", {})
        self.base: dict[str, _Base] = {}
        for doc in areas:
            area: dict[str, Any] = doc.data  # type: ignore[assignment]
            for s in area["standards"]:
                for i in s["items"]:
                    self.base.setdefault(i["id"], _Base(i, area["id"], s["id"]))
        self.standards = {b.standard_id: b.area_id for b in self.base.values()}
        # Bonus and penalty blocks (rating schemes) lie outside the checklist's 100.
        data_of: list[dict[str, Any]] = [doc.data for doc in areas]  # type: ignore[misc]
        self.checklist = {a["id"] for a in data_of if a.get("kind", CHECKLIST) == CHECKLIST}
        self.total = sum(
            (Decimal(str(b.raw.get("points", 0))) for b in self.base.values() if b.area_id in self.checklist),
            Decimal(0),
        )
        self.named: dict[str, str] = {}  # variant name → overlay file
        self.added: dict[str, str] = {}  # added item id → overlay file

    def build(self, overlays: list[YamlDoc]) -> Variants | None:
        field = selector(self.root, self.p)
        options: list[str] = self.block["options"]
        for n, option in enumerate(options):
            if option in options[:n]:
                self.p.add(self.root, ("variants", "options", n), f"支部类型“{option}”重复列出")
        built = [self.overlay(doc) for doc in overlays]
        if field is None or self.p:
            return None
        return Variants(field, tuple(options), tuple(v for v in built if v is not None))

    def overlay(self, doc: YamlDoc) -> Variant | None:
        data: dict[str, Any] = doc.data  # type: ignore[assignment]
        name: str = data["variant"]
        options = self.block["options"]
        if name not in options:
            allowed = "、".join(options)
            self.p.add(doc, ("variant",), f"变体“{name}”不在 ruleset.yaml 的 variants.options 中（可选：{allowed}）")
        elif name in self.named:
            where = self.named[name]
            self.p.add(doc, ("variant",), f"变体“{name}”已由变体文件 {where} 定义，每个支部类型只能有一个变体文件")
        self.named.setdefault(name, doc.name)
        seen: dict[str, int | None] = {}
        delta = Decimal(0)
        items: list[Item] = []
        complete = True
        for n, change in enumerate(data["changes"]):
            at: PathKey = ("changes", n)
            ident = change["item"]
            if ident in seen:
                first = seen[ident]
                self.p.add(doc, at + ("item",), f"检查要点 {ident} 已在第 {first} 行出现，在一个变体文件中只能出现一次")
                complete = False
                continue
            seen[ident] = doc.line(at)
            add = change["action"] == ADD
            built = self.added_item(doc, at, change, name) if add else self.tailored(doc, at, change, name)
            if built is None:
                complete = False
                continue
            items.append(built)
            if self.standards.get(built.standard_id) in self.checklist:
                old = self.base[ident].raw.get("points", 0) if ident in self.base else 0
                delta += built.points - Decimal(str(old))
        if complete:  # the totals of a variant with a broken change would only repeat that problem
            self.totals(doc, name, items, delta)
        return Variant(name, doc.name, data.get("note"), tuple(items))

    def totals(self, doc: YamlDoc, name: str, items: list[Item], delta: Decimal) -> None:
        total = self.total + delta
        if total != TOTAL:
            self.p.add(
                doc,
                ("changes",),
                f"按变体“{name}”修改后，全部检查要点分值合计为 {format_number(total)}，应为 100"
                "（标为不适用的检查要点照常计入；增设或提高分值的，须相应降低其他检查要点的分值）",
            )
        excluded = {i.id for i in items if i.excluded}
        scored = [i for i, b in self.base.items() if i not in excluded and Decimal(str(b.raw.get("points", 0))) > 0]
        if not scored and not any(i.points > 0 and not i.excluded for i in items):
            self.p.add(doc, ("changes",), f"变体“{name}”把全部计分的检查要点都标为不适用，无法评分")

    def tailored(self, doc: YamlDoc, at: PathKey, change: dict[str, Any], name: str) -> Item | None:
        """A base check point marked not applicable or changed."""
        ident = change["item"]
        base = self.base.get(ident)
        if base is None:
            self.p.add(doc, at + ("item",), f"检查要点“{ident}”不在规则集中（增设检查要点请用 action: add）")
            return None
        action = change["action"]
        changed: tuple[str, ...] = ()
        if action == NOT_APPLICABLE:
            if "set" in change:
                self.p.add(doc, at + ("set",), "action 为 not_applicable 时不能有 set")
                return None
            raw = base.raw
        else:
            if "set" not in change:
                self.p.add(doc, at, "action 为 change 时必须有 set（要修改的参数及其新值）")
                return None
            wrong = [k for k in change["set"] if k not in CHANGEABLE]
            for key in wrong:
                allowed = "、".join(CHANGEABLE)
                self.p.add(doc, at + ("set", key), f"变体不能修改检查要点的“{key}”，只能修改：{allowed}")
            if wrong:
                return None
            raw = {**copy.deepcopy(base.raw), **self.with_scales(change["set"])}
            if not self.valid(doc, at, raw):
                return None
            changed = tuple(change["set"])
        if not self.basis_ok(doc, at, change):
            return None
        tailoring = Tailoring(name, action, change["reason"], change["basis"], change["basis_kind"], "", changed)
        item = build.item(raw, base.area_id, base.standard_id)
        return dataclasses.replace(item, tailoring=dataclasses.replace(tailoring, summary=summary(tailoring, item)))

    def added_item(self, doc: YamlDoc, at: PathKey, change: dict[str, Any], name: str) -> Item | None:
        ident = change["item"]
        standard = ident.rsplit(".", 1)[0]
        if ident in self.base:
            self.p.add(doc, at + ("item",), f"检查要点编号“{ident}”已在规则集中，不能增设（修改请用 action: change）")
            return None
        if standard not in self.standards:
            self.p.add(doc, at + ("item",), f"增设的检查要点“{ident}”所属的标准“{standard}”不在规则集中")
            return None
        if ident in self.added:
            where = self.added[ident]
            self.p.add(
                doc, at + ("item",), f"检查要点编号“{ident}”已由变体文件 {where} 增设，不同变体增设的编号不能相同"
            )
            return None
        self.added[ident] = doc.name
        if "set" not in change:
            self.p.add(doc, at, "action 为 add 时必须有 set（增设的检查要点：text、type、points、evidence、advice 等）")
            return None
        own = [k for k in change["set"] if k in OWN_KEYS]
        for key in own:
            self.p.add(doc, at + ("set", key), f"增设的检查要点的“{key}”写在本条的 item、basis、basis_kind 中")
        if own:
            return None
        own_keys = {"basis": change["basis"], "basis_kind": change["basis_kind"]}
        raw = {"id": ident, **self.with_scales(change["set"]), **own_keys}
        if not self.valid(doc, at, raw) or not self.basis_ok(doc, at, change):
            return None
        tailoring = Tailoring(name, ADD, change["reason"], change["basis"], change["basis_kind"], "")
        item = build.item(raw, self.standards[standard], standard)
        return dataclasses.replace(item, tailoring=dataclasses.replace(tailoring, summary=summary(tailoring, item)))

    def with_scales(self, values: dict[str, Any]) -> dict[str, Any]:
        """``set`` with a scale's name in ``options`` written out (as the loader does for area files)."""
        out = copy.deepcopy(values)
        if isinstance(out.get("options"), str) and out["options"] in self.scales:
            out["options"] = copy.deepcopy(self.scales[out["options"]])
        return out

    def valid(self, doc: YamlDoc, at: PathKey, raw: dict[str, Any]) -> bool:
        """Check the resulting check point as the area files' are, with problems in the overlay file."""
        lines: dict[PathKey, int] = {(): doc.line(at) or 1}
        inner = at + ("set",)
        for path, line in doc.lines.items():
            if path[: len(inner)] == inner and len(path) > len(inner):
                lines[path[len(inner) :]] = line
        view = YamlDoc(doc.file, raw, lines)
        before = len(self.p.items)
        if schema.validate(view, "item", self.p):
            self.checker.check_item(view, (), raw)
        prefix = format_path(inner)
        for n in range(before, len(self.p.items)):
            problem = self.p.items[n]
            where = f"{prefix}.{problem.path}" if problem.path else format_path(at)
            self.p.items[n] = dataclasses.replace(problem, path=where)
        return len(self.p.items) == before

    def basis_ok(self, doc: YamlDoc, at: PathKey, change: dict[str, Any]) -> bool:
        if change["basis_kind"] == "regulation" and "《" not in change["basis"]:
            self.p.add(doc, at + ("basis",), "依据类型为 regulation（党内规定）的，依据应写明文件名称（《…》）和条款")
            return False
        return True


def summary(tailoring: Tailoring, item: Item) -> str:
    """The sentence explanations show: ``离退休干部党支部目标为 2（依据…）``."""
    name, basis = tailoring.variant, tailoring.basis
    if tailoring.action == NOT_APPLICABLE:
        return f"{name}不适用（依据{basis}）：{tailoring.reason}"
    if tailoring.action == ADD:
        return f"{name}增设本检查要点（依据{basis}）"
    parts = [_changed(key, item) for key in tailoring.changed]
    return f"{name}{'，'.join(p for p in parts if p)}（依据{basis}）"


def _changed(key: str, item: Item) -> str:
    if key == "points":
        return f"分值为 {format_number(item.points)} 分"
    if key == "target" and item.target is not None:
        return f"目标为 {format_number(item.target)}{'%' if item.type == 'percent' else ''}"
    if key == "options":
        return "等级为 " + "、".join(f"{o.label}（{format_number(o.credit)}）" for o in item.options)
    if key == "deduction_per_unit" and item.deduction_per_unit is not None:
        return f"每少 1 扣 {format_number(item.deduction_per_unit)} 分"
    if key == "within_months":
        return f"期限为 {item.within_months} 个月"
    if key == "exceed":
        return "须超过目标" if item.param("exceed") else "达到目标即可"
    if key == "na_allowed":
        return "可填“不适用”" if item.na_allowed else "不可填“不适用”"
    if key == "per":
        return "目标按年计" if item.per == "year" else "目标不按年折算"
    if key == "decimals":
        return f"可填 {item.decimals} 位小数"
    return "填写提示不同"  # hint


__all__ = ["CHANGE", "CHANGEABLE", "OverlayBuilder", "selector", "summary"]
