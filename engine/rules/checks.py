"""Cross-reference checks that a JSON Schema cannot express.

They run on the raw YAML data after every file passed the schema, and add every
problem they find; the model is built only when there are none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine import answers
from engine.rules.model import NO, YES
from engine.rules.problems import Problems
from engine.rules.yamlsource import PathKey, YamlDoc

NUMERIC_FIELD_TYPES = {"integer", "year", "number"}
FIELDS_ONLY = "适用条件（applies_if）和 derived_from 只能引用支部信息字段，不能引用检查要点"
# Item keys that make a check point's answer come from 支部信息 instead of 自评表 (Item.asked).
DERIVED_KEYS = ("value_from", "derived_from")
ROLE_TYPES = {
    "branch_name": "text",
    "parent_org": "text",
    "assessment_year": "year",
    "reference_date": "date",
    "founded_date": "date",
    "branch_code": "text",  # the code in the national membership system: a branch's identity across rounds
}


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


class Checker:
    def __init__(self, root: YamlDoc, areas: list[YamlDoc], problems: Problems) -> None:
        self.root = root
        self.areas = areas
        self.p = problems
        self.data: dict[str, Any] = root.data  # type: ignore[assignment]
        self.fields: dict[str, dict[str, Any]] = {}
        for f in self.data["profile"]:
            self.fields.setdefault(f["id"], f)
        self.items: dict[str, dict[str, Any]] = {}
        for doc in areas:
            for s in doc.data["standards"]:  # type: ignore[index]
                for i in s["items"]:
                    self.items.setdefault(i["id"], i)

    def run(self) -> None:
        self.check_profile()
        self.check_structure()
        self.check_bands()
        self.check_vetoes()
        data = self.data
        seen: set[str] = set()
        for n, check in enumerate(data.get("profile_checks", [])):
            if check["id"] in seen:
                self.p.add(self.root, ("profile_checks", n, "id"), f"一致性检查编号“{check['id']}”重复")
            seen.add(check["id"])
            self.condition(self.root, ("profile_checks", n, "condition"), check["condition"], False, False)

    # -- profile -------------------------------------------------------
    def check_profile(self) -> None:
        ids: set[str] = set()
        labels: set[str] = set()
        roles: set[str] = set()
        for n, f in enumerate(self.data["profile"]):
            at: PathKey = ("profile", n)
            if f["id"] in ids:
                self.p.add(self.root, at + ("id",), f"支部信息字段编号“{f['id']}”重复")
            if f["label"] in labels:
                self.p.add(self.root, at + ("label",), f"支部信息字段名称“{f['label']}”重复")
            ids.add(f["id"])
            labels.add(f["label"])
            role = f.get("role")
            if role:
                if role in roles:
                    self.p.add(self.root, at + ("role",), f"字段角色“{role}”只能指定给一个字段")
                roles.add(role)
                if f["type"] != ROLE_TYPES[role]:
                    self.p.add(
                        self.root,
                        at + ("type",),
                        f"角色为 {role} 的字段类型应为 {ROLE_TYPES[role]}，实际为 {f['type']}",
                    )
            if "required_if" in f:
                if f["required"]:
                    self.p.add(self.root, at + ("required_if",), "必填字段（required: true）不能再设置 required_if")
                self.condition(self.root, at + ("required_if",), f["required_if"], False, False)
        if "branch_name" not in roles:
            self.p.add(self.root, ("profile",), "支部信息中必须有角色为 branch_name 的字段（支部名称）")
        if not roles & {"assessment_year", "reference_date"}:
            self.p.add(self.root, ("profile",), "支部信息中必须有角色为 assessment_year 或 reference_date 的字段")

    # -- areas, standards, items ---------------------------------------
    def check_structure(self) -> None:
        first_seen: dict[str, str] = {}
        total = Decimal(0)

        def unique(kind: str, ident: str, doc: YamlDoc, path: PathKey) -> None:
            where = f"{doc.name}:{doc.line(path)}"
            if ident in first_seen:
                self.p.add(doc, path, f"{kind}编号“{ident}”重复（首次出现在 {first_seen[ident]}）")
            else:
                first_seen[ident] = where

        for doc in self.areas:
            area: dict[str, Any] = doc.data  # type: ignore[assignment]
            unique("方面", "area:" + area["id"], doc, ("id",))
            for sn, s in enumerate(area["standards"]):
                spath: PathKey = ("standards", sn)
                unique("标准", s["id"], doc, spath + ("id",))
                if s["id"].split(".")[0] != area["id"]:
                    self.p.add(doc, spath + ("id",), f"标准编号“{s['id']}”应以所属方面编号“{area['id']}.”开头")
                for n, item in enumerate(s["items"]):
                    ipath: PathKey = spath + ("items", n)
                    unique("检查要点", item["id"], doc, ipath + ("id",))
                    if item["id"].rsplit(".", 1)[0] != s["id"]:
                        self.p.add(doc, ipath + ("id",), f"检查要点编号“{item['id']}”应以所属标准编号“{s['id']}.”开头")
                    points = self.check_item(doc, ipath, item)
                    if area.get("kind", "checklist") == "checklist":  # bonus/penalty blocks: engine.rules.ratingchecks
                        total += points
        for n, name in enumerate(self.data["areas"]):
            if name in self.data["areas"][:n]:
                self.p.add(self.root, ("areas", n), f"方面文件“{name}”重复列出")
        if total != 100:
            self.p.add(self.root, ("areas",), f"全部检查要点分值合计为 {total.normalize():f}，应为 100")

    def check_item(self, doc: YamlDoc, at: PathKey, item: dict[str, Any]) -> Decimal:
        points = dec(item.get("points", 0))  # an unscored answer type has none
        if points != points.quantize(Decimal("0.01")):
            self.p.add(doc, at + ("points",), f"分值 {item['points']} 最多保留 2 位小数")
        def add(path: PathKey, message: str) -> None:
            self.p.add(doc, at + path, message)

        kind = answers.answer_type(item["type"])
        kind.check_rule(item, self.fields, add)
        if "applies_if" in item:
            self.condition(doc, at + ("applies_if",), item["applies_if"], fields_only=True, required_only=True)
        for key in kind.condition_params:
            if key in item:
                self.condition(doc, at + (key,), item[key], fields_only=True, required_only=False)
        derived = [k for k in DERIVED_KEYS if k in item]
        if derived and item.get("na_allowed"):
            add(("na_allowed",), f"由支部信息自动评定的检查要点（{derived[0]}）不在自评表中填写，不能允许填写“不适用”")
        if item["basis_kind"] == "regulation" and "《" not in item["basis"]:
            add(("basis",), "依据类型为 regulation（党内规定）的检查要点，依据应写明文件名称（《…》）和条款")
        return points

    # -- bands and vetoes ----------------------------------------------
    def check_bands(self) -> None:
        names: set[str] = set()
        mins: set[Decimal] = set()
        for n, band in enumerate(self.data["bands"]):
            if band["name"] in names:
                self.p.add(self.root, ("bands", n, "name"), f"等级名称“{band['name']}”重复")
            if dec(band["min"]) in mins:
                self.p.add(self.root, ("bands", n, "min"), f"等级下限 {band['min']} 重复")
            names.add(band["name"])
            mins.add(dec(band["min"]))
        if Decimal(0) not in mins:
            self.p.add(
                self.root,
                ("bands",),
                f"等级未覆盖 0 至 100 分：最低下限为 {min(mins).normalize():f}，应有一个等级下限为 0",
            )

    def check_vetoes(self) -> None:
        seen: set[str] = set()
        for n, veto in enumerate(self.data.get("vetoes", [])):
            at: PathKey = ("vetoes", n)
            if veto["id"] in seen:
                self.p.add(self.root, at + ("id",), f"否决项编号“{veto['id']}”重复")
            seen.add(veto["id"])
            if veto["kind"] == "question" and "condition" in veto:
                self.p.add(self.root, at + ("condition",), "问答式否决项（kind: question）不能有 condition")
            if veto["kind"] == "derived":
                if "condition" not in veto:
                    self.p.add(self.root, at, "推导式否决项（kind: derived）必须有 condition")
                else:
                    self.condition(self.root, at + ("condition",), veto["condition"], False, False)

    # -- conditions ----------------------------------------------------
    def condition(
        self, doc: YamlDoc, at: PathKey, cond: dict[str, Any], fields_only: bool, required_only: bool
    ) -> None:
        for key in ("all", "any"):
            if key in cond:
                for n, term in enumerate(cond[key]):
                    self.condition(doc, at + (key, n), term, fields_only, required_only)
                return
        if "not" in cond:
            self.condition(doc, at + ("not",), cond["not"], fields_only, required_only)
            return
        self.leaf(doc, at, cond, fields_only, required_only)

    def field_type(self, doc: YamlDoc, at: PathKey, field_id: str, required_only: bool) -> str | None:
        f = self.fields.get(field_id)
        if f is None:
            self.p.add(doc, at, f"条件引用了不存在的支部信息字段“{field_id}”")
            return None
        if required_only and not f["required"]:
            self.p.add(doc, at, f"适用条件只能引用必填字段，“{field_id}”（{f['label']}）不是必填字段")
        return str(f["type"])

    def leaf(self, doc: YamlDoc, at: PathKey, leaf: dict[str, Any], fields_only: bool, required_only: bool) -> None:
        op = leaf["op"]
        options: list[str] = []
        if "field" in leaf:
            kind = self.field_type(doc, at + ("field",), leaf["field"], required_only)
            numeric = kind in NUMERIC_FIELD_TYPES
            if kind == "yes_no":
                options = [YES, NO]
        elif "item" in leaf:
            if fields_only:
                self.p.add(doc, at + ("item",), FIELDS_ONLY)
                return
            item = self.items.get(leaf["item"])
            if item is None:
                self.p.add(doc, at + ("item",), f"条件引用了不存在的检查要点“{leaf['item']}”")
                return
            answer = answers.answer_type(item["type"])
            kind = "date" if answer.compares_as == "date" else item["type"]
            numeric = answer.compares_as == "number"
            options = list(answer.choices(item))
        else:
            kinds = [self.field_type(doc, at + ("sum_of",), f, required_only) for f in leaf["sum_of"]]
            if any(k is not None and k != "integer" for k in kinds):
                self.p.add(doc, at + ("sum_of",), "sum_of 只能对整数类型的字段求和")
            kind, numeric = "integer", True
        if kind is None:
            return
        if ("value" in leaf and "value_field" in leaf) or ("value" not in leaf and "value_field" not in leaf):
            self.p.add(doc, at, "条件必须且只能有 value 或 value_field 之一")
            return
        if "value_field" in leaf:
            other = self.field_type(doc, at + ("value_field",), leaf["value_field"], required_only)
            if other is not None and (other in NUMERIC_FIELD_TYPES) != numeric:
                self.p.add(doc, at + ("value_field",), f"无法比较：{kind} 与 {other} 类型不兼容")
            return
        value = leaf["value"]
        values = value if isinstance(value, list) else [value]
        if (op == "in") != isinstance(value, list):
            self.p.add(doc, at + ("value",), "op 为 in 时 value 应为列表，其他 op 时 value 应为单个值")
            return
        if op == "older_than_months":
            if kind != "date" or not isinstance(value, int) or isinstance(value, bool):
                self.p.add(doc, at + ("op",), "older_than_months 只能用于日期，value 应为整数月数")
            return
        if op in ("lt", "le", "gt", "ge") and not numeric:
            self.p.add(doc, at + ("op",), f"op {op} 只能用于数值，而比较对象的类型是 {kind}")
            return
        for v in values:
            if numeric and (not isinstance(v, (int, float)) or isinstance(v, bool)):
                self.p.add(doc, at + ("value",), f"值 {v!r} 应为数字")
            elif options and v not in options:
                self.p.add(doc, at + ("value",), f"值 {v!r} 无效，允许：" + "、".join(options))
            elif kind == "date":
                self.p.add(doc, at + ("op",), "日期只能用 older_than_months 比较")
