"""Cross-reference checks of the rating scheme (issue 16) that the JSON Schema cannot express:
bonus and penalty blocks, veto effects, quotas and the total formula. Every problem is added
with its position; the loader builds the model only when there are none."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from engine.rules.problems import Problems
from engine.rules.rating import BLOCK_WORDS, CAP, CHECKLIST, COMPONENT_FIELD_TYPES, FIELD
from engine.rules.yamlsource import PathKey, YamlDoc


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check(root: YamlDoc, areas: Sequence[YamlDoc], problems: Problems) -> None:
    data: dict[str, Any] = root.data  # type: ignore[assignment]
    fields = {f["id"]: f for f in data["profile"]}
    for doc in areas:
        _block(doc, problems)
    band_names = [b["name"] for b in data["bands"]]
    _vetoes(root, data.get("vetoes", []), band_names, problems)
    _quotas(root, data["bands"], fields, problems)
    if "total" in data:
        _total(root, data["total"], data["bands"], fields, problems)


def _block(doc: YamlDoc, problems: Problems) -> None:
    area: dict[str, Any] = doc.data  # type: ignore[assignment]
    kind = area.get("kind", CHECKLIST)
    if kind == CHECKLIST:
        if "cap" in area:
            problems.add(doc, ("cap",), "只有加分项、减分项（kind: bonus 或 penalty）可以有上限 cap")
        return
    word = BLOCK_WORDS[kind]
    if "cap" not in area:
        problems.add(doc, ("kind",), f"{word}（kind: {kind}）必须用 cap 写明合计最多{word[0]}多少分")
        return
    points = sum(
        (_dec(i.get("points", 0)) for s in area["standards"] for i in s["items"]),
        Decimal(0),
    )
    cap = _dec(area["cap"])
    if cap > points:
        problems.add(doc, ("cap",), f"{word}上限 {_num(cap)} 大于本块检查要点分值合计 {_num(points)}，上限不起作用")


def _vetoes(root: YamlDoc, vetoes: list[dict[str, Any]], band_names: list[str], problems: Problems) -> None:
    for n, veto in enumerate(vetoes):
        at: PathKey = ("vetoes", n)
        effect = veto.get("effect", "lowest")
        if effect == CAP and "cap" not in veto:
            problems.add(root, at + ("effect",), "否决效果为 cap 时必须用 cap 写明触发后最高可评的等级")
        elif effect != CAP and "cap" in veto:
            problems.add(
                root, at + ("cap",), "只有 effect: cap 的否决项可以有 cap（effect 缺省为 lowest：评为最低等级）"
            )
        elif "cap" in veto and veto["cap"] not in band_names:
            known = "、".join(band_names)
            problems.add(root, at + ("cap",), f"cap 引用了不存在的等级“{veto['cap']}”（已定义：{known}）")


def _quotas(root: YamlDoc, bands: list[dict[str, Any]], fields: dict[str, Any], problems: Problems) -> None:
    lowest = min(bands, key=lambda b: _dec(b["min"]))
    for n, band in enumerate(bands):
        at: PathKey = ("bands", n)
        if "quota_per" in band and "max_share" not in band:
            problems.add(root, at + ("quota_per",), "quota_per 只能与名额比例 max_share 一起使用")
        if "max_share" in band and band is lowest:
            problems.add(root, at + ("max_share",), "最低等级不能有名额限制（超出名额的支部没有更低的等级可评）")
        per = band.get("quota_per")
        if per is not None and per not in fields:
            problems.add(root, at + ("quota_per",), f"名额分组字段“{per}”不是支部信息字段")


def _total(
    root: YamlDoc, total: dict[str, Any], bands: list[dict[str, Any]], fields: dict[str, Any], problems: Problems
) -> None:
    low, high = _dec(total.get("min", 0)), _dec(total.get("max", 100))
    if low >= high:
        problems.add(root, ("total", "min"), f"总分下限 {_num(low)} 应小于上限 {_num(high)}")
    top = max(_dec(b["min"]) for b in bands)
    if top > high:
        problems.add(root, ("total", "max"), f"总分上限 {_num(high)} 低于最高等级的下限 {_num(top)}，该等级无法达到")
    components = total.get("components")
    if components is None:
        return
    checklists = [n for n, c in enumerate(components) if c["source"] == CHECKLIST]
    if len(checklists) != 1:
        found = len(checklists)
        problems.add(root, ("total", "components"), f"总分构成中必须有且只有一项 source: checklist（现有 {found} 项）")
    seen: set[str] = set()
    for n, component in enumerate(components):
        _component(root, ("total", "components", n), component, fields, seen, problems)
    weights = sum((_dec(c["weight"]) for c in components), Decimal(0))
    if weights != 1:
        problems.add(root, ("total", "components"), f"总分各构成部分的权重合计为 {_num(weights)}，应为 1")


def _component(
    root: YamlDoc, at: PathKey, component: dict[str, Any], fields: dict[str, Any], seen: set[str], problems: Problems
) -> None:
    field_id = component.get("field")
    if component["source"] == CHECKLIST:
        if field_id is not None:
            problems.add(root, at + ("field",), "source: checklist 的构成部分不能有 field")
        return
    assert component["source"] == FIELD
    if field_id is None:
        problems.add(root, at, "source: field 的构成部分必须用 field 指明支部信息字段")
        return
    f = fields.get(field_id)
    if f is None:
        problems.add(root, at + ("field",), f"总分构成引用了不存在的支部信息字段“{field_id}”")
        return
    if field_id in seen:
        problems.add(root, at + ("field",), f"支部信息字段“{field_id}”在总分构成中出现了两次")
    seen.add(field_id)
    if f["type"] not in COMPONENT_FIELD_TYPES:
        kinds = "、".join(COMPONENT_FIELD_TYPES)
        problems.add(root, at + ("field",), f"构成总分的字段“{field_id}”类型为 {f['type']}，应为数值（{kinds}）")
    if not f["required"]:
        why = "缺少时不予评分，而不是少算一项"
        problems.add(root, at + ("field",), f"构成总分的字段“{field_id}”（{f['label']}）必须是必填字段：{why}")
