"""Write rule-set data as YAML in the layout and style of the bundled rule set: ruleset.yaml and
one file per area, a header comment, the rule files' key order, Chinese unescaped, conditions
and short mappings in flow style, text with line breaks as literal blocks (other text stays on
one line: Chinese has no spaces where YAML could fold it).

Pure: data in, file texts out, the same bytes for the same data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import yaml

from engine.rules.loader import ROOT_FILE
from engine.rules.model import format_number

# Key order of the rule files (keys not listed keep their place after these).
ROOT_ORDER = ("id", "title", "version", "source", "areas", "profile", "profile_checks", "total", "bands",
              "bands_note", "scales", "vetoes", "variants")  # fmt: skip
SOURCE_ORDER = ("handbook", "note", "regulations")
FIELD_ORDER = ("id", "label", "type", "required", "required_if", "role", "hint")
ITEM_ORDER = ("id", "text", "type", "points", "options", "target", "exceed", "per", "deduction_per_unit", "decimals",
              "within_months", "value_from", "derived_from", "required", "na_allowed", "hint", "applies_if", "basis",
              "basis_kind", "evidence", "advice")  # fmt: skip
CHECK_ORDER = ("id", "condition", "message", "severity")
VETO_ORDER = ("id", "text", "kind", "condition", "effect", "cap")
BAND_ORDER = ("name", "min", "label", "max_share", "quota_per")
AREA_ORDER = ("id", "name", "kind", "cap", "standards")
TOTAL_ORDER = ("min", "max", "components")
COMPONENT_ORDER = ("source", "field", "weight")
OVERLAY_ORDER = ("variant", "note", "changes")
CHANGE_ORDER = ("item", "action", "set", "reason", "basis", "basis_kind")
CONDITION_KEYS = ("applies_if", "derived_from", "required_if", "condition")
BLANK_LINE_BEFORE = ("profile", "profile_checks", "total", "bands", "scales", "vetoes", "variants")
FLOW_WIDTH = 100  # a condition whose flow form is longer is written in block style
WIDTH = 1_000_000  # no folding: Chinese text has no spaces to fold at, so each value keeps one line
_ID_LIKE = re.compile(r"[0-9][0-9.]*")


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written in flow style: ``{field: has_committee, op: eq, value: 是}``."""


class _FlowList(list):  # type: ignore[type-arg]
    """A list written in flow style: ``[full_members, probationary_members]``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key, as in the bundled files


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style: str | None = None
    if "\n" in text:
        style = "|"
    elif _ID_LIKE.fullmatch(text) or _resolved(dumper, text) != "tag:yaml.org,2002:str":
        style = '"'  # ids such as "2" and "2.1" stay text, double-quoted as in the bundled files
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _resolved(dumper: yaml.SafeDumper, text: str) -> str:
    """The tag a plain scalar ``text`` would be read as."""
    return str(dumper.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format_number(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(dict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=False))


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH, default_flow_style=False)


def ordered(data: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    known = [k for k in order if k in data]
    return {k: data[k] for k in [*known, *(k for k in data if k not in order)]}


def _flow_leaves(cond: Any) -> Any:
    """A condition: in flow style when short, else block style with its parts decided alike."""
    if not isinstance(cond, Mapping):
        return cond
    inner = {k: _flow_leaves(v) if k == "not" else [_flow_leaves(t) for t in v] if k in ("all", "any") else v
             for k, v in cond.items()}  # fmt: skip
    flat = _flow(cond)
    if len(_dump(flat).strip()) <= FLOW_WIDTH:
        return flat
    return {k: (_FlowList(v) if k == "sum_of" else v) for k, v in inner.items()}


def _flow(cond: Any) -> Any:
    if isinstance(cond, Mapping):
        return _Flow({k: _flow(v) for k, v in cond.items()})
    if isinstance(cond, list):
        return _FlowList(_flow(v) for v in cond)
    return cond


def _with_conditions(data: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    out = ordered(data, order)
    for key in CONDITION_KEYS:
        if key in out:
            out[key] = _flow_leaves(out[key])
    return out


def _options(options: Any) -> Any:
    return [_Flow(ordered(o, ("label", "credit"))) for o in options] if isinstance(options, list) else options


def root_text(root: Mapping[str, Any]) -> str:
    data = ordered(root, ROOT_ORDER)
    if "source" in data:
        data["source"] = ordered(data["source"], SOURCE_ORDER)
    data["profile"] = [_with_conditions(f, FIELD_ORDER) for f in data.get("profile", [])]
    if "profile_checks" in data:
        data["profile_checks"] = [_with_conditions(c, CHECK_ORDER) for c in data["profile_checks"]]
    if "total" in data:
        total = ordered(data["total"], TOTAL_ORDER)
        if "components" in total:
            total["components"] = [_Flow(ordered(c, COMPONENT_ORDER)) for c in total["components"]]
        data["total"] = total
    data["bands"] = [_Flow(ordered(b, BAND_ORDER)) for b in data.get("bands", [])]
    if "scales" in data:
        data["scales"] = {name: _options(opts) for name, opts in data["scales"].items()}
    if "vetoes" in data:
        data["vetoes"] = [_with_conditions(v, VETO_ORDER) for v in data["vetoes"]]
    if "variants" in data:
        data["variants"] = {**data["variants"], "options": _FlowList(data["variants"]["options"])}
    head = (
        f"# Rule set {root.get('id')} {root.get('version')}: "
        "written by `branchcheck rules import` from a rule workbook.\n"
        "# Edit the workbook and import it again, or edit these files and run `branchcheck rules validate`.\n"
    )
    parts = []
    for key, value in data.items():
        chunk = _dump({key: value})
        parts.append(("\n" if key in BLANK_LINE_BEFORE else "") + chunk)
    return head + "".join(parts)


def area_text(area: Mapping[str, Any], rule_set_id: str) -> str:
    standards = area.get("standards", [])
    items = [i for s in standards for i in s.get("items", [])]
    points = sum((Decimal(str(i.get("points", 0))) for i in items), Decimal(0))
    head = (
        f"# Area {area.get('id')} of {rule_set_id}: {len(standards)} standards, {len(items)} check points, "
        f"{format_number(points)} points.\n"
    )
    data = ordered(area, AREA_ORDER)
    data["standards"] = [
        {**ordered(s, ("id", "name", "items")),
         "items": [_item(i) for i in s.get("items", [])]}
        for s in standards
    ]  # fmt: skip
    return head + _dump(data)


def _item(item: Mapping[str, Any]) -> dict[str, Any]:
    out = _with_conditions(item, ITEM_ORDER)
    if "options" in out:
        out["options"] = _options(out["options"])
    return out


def overlay_text(overlay: Mapping[str, Any], rule_set_id: str) -> str:
    """A variant's overlay file: its changes one after another, each ``set`` in flow style when short."""
    head = (
        f"# Variant {overlay.get('variant')} of {rule_set_id}: {len(overlay.get('changes', []))} changes, "
        "written by `branchcheck rules import` from a rule workbook.\n"
    )
    data = ordered(overlay, OVERLAY_ORDER)
    data["changes"] = [_change(c) for c in overlay.get("changes", [])]
    return head + _dump(data)


def _change(change: Mapping[str, Any]) -> dict[str, Any]:
    out = ordered(change, CHANGE_ORDER)
    if "set" in out:
        block = _item(ordered(out["set"], ITEM_ORDER))
        flat = _flow(block)
        one_line = _dump({"set": flat}).strip()
        out["set"] = flat if len(one_line) <= FLOW_WIDTH and "\n" not in one_line else block
    return out


def rule_files(
    root: Mapping[str, Any], areas: Sequence[Mapping[str, Any]], overlays: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, str]:
    """File name → text of a rule-set folder (``root['areas']`` names the area files, in order;
    ``overlays`` are the variants' files by name)."""
    files = {ROOT_FILE: root_text(root)}
    for name, area in zip(root["areas"], areas, strict=True):
        files[name] = area_text(area, str(root.get("id")))
    for name, overlay in (overlays or {}).items():
        files[name] = overlay_text(overlay, str(root.get("id")))
    return files
