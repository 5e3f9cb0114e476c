"""The normalised JSON form of a rule set (a public contract) and its fingerprint."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from engine import answers
from engine.rules.model import (
    AllOf,
    AnyOf,
    Band,
    Condition,
    Item,
    Leaf,
    Not,
    ProfileField,
    RuleSet,
    Veto,
    json_number,
)
from engine.rules.rating import LOWEST, total_dict

RULES_FORMAT = "branchcheck.rules/1"
# Keys of a check point that do not affect answering or scoring (basis_kind documents the
# basis: what kind of requirement it states).
_DISPLAY_ONLY = ("basis", "basis_kind", "evidence", "advice", "hint")


def _value(value: object) -> object:
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def condition_dict(cond: Condition | None) -> dict[str, Any] | None:
    if cond is None:
        return None
    if isinstance(cond, AllOf):
        return {"all": [condition_dict(t) for t in cond.terms]}
    if isinstance(cond, AnyOf):
        return {"any": [condition_dict(t) for t in cond.terms]}
    if isinstance(cond, Not):
        return {"not": condition_dict(cond.term)}
    assert isinstance(cond, Leaf)
    out: dict[str, Any] = {}
    if cond.field is not None:
        out["field"] = cond.field
    elif cond.item is not None:
        out["item"] = cond.item
    else:
        out["sum_of"] = list(cond.sum_of)
    out["op"] = cond.op
    if cond.value_field is not None:
        out["value_field"] = cond.value_field
    else:
        out["value"] = _value(cond.value)
    return out


def item_dict(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "text": item.text,
        "type": item.type,
        "points": json_number(item.points),
        "basis": item.basis,
        "basis_kind": item.basis_kind,
        "evidence": item.evidence,
        "advice": item.advice,
        "hint": item.hint,
        "na_allowed": item.na_allowed,
        "applies_if": condition_dict(item.applies_if),
    }
    out.update(answers.answer_type(item.type).export(item))
    return out


def field_dict(f: ProfileField) -> dict[str, Any]:
    return {
        "id": f.id,
        "label": f.label,
        "type": f.type,
        "required": f.required,
        "required_if": condition_dict(f.required_if),
        "role": f.role,
        "hint": f.hint,
    }


def scoring_item(item: Item) -> dict[str, Any]:
    """A check point's part of the scoring content (what answering and scoring depend on)."""
    return {k: v for k, v in item_dict(item).items() if k not in _DISPLAY_ONLY}


def _band_scoring(band: Band) -> dict[str, Any]:
    """A band's part of the scoring content; the quota only when there is one (older fingerprints stay)."""
    out: dict[str, Any] = {"name": band.name, "min": json_number(band.min)}
    if band.max_share is not None:
        out.update(max_share=json_number(band.max_share), quota_per=band.quota_per)
    return out


def _veto_scoring(veto: Veto) -> dict[str, Any]:
    out = {"id": veto.id, "text": veto.text, "kind": veto.kind, "condition": condition_dict(veto.condition)}
    if veto.effect != LOWEST:
        out.update(effect=veto.effect, cap=veto.cap)
    return out


def _rating_scoring(rules: RuleSet) -> dict[str, Any]:
    """The rating scheme's additions to the scoring content: empty for a plain rule set."""
    out: dict[str, Any] = {}
    if rules.blocks:
        out["blocks"] = [{"id": a.id, "kind": a.kind, "cap": _value(a.cap)} for a in rules.blocks]
    if not rules.total.plain:
        out["total"] = total_dict(rules.total)
    return out


def scoring_content(rules: RuleSet) -> dict[str, Any]:
    """What affects answering and scoring: the input of the fingerprint."""
    return {
        "profile": [{k: v for k, v in field_dict(f).items() if k != "hint"} for f in rules.profile],
        "areas": [
            {
                "id": a.id,
                "standards": [
                    {
                        "id": s.id,
                        "items": [scoring_item(i) for i in s.items],
                    }
                    for s in a.standards
                ],
            }
            for a in rules.areas
        ],
        "profile_checks": [
            {"id": c.id, "condition": condition_dict(c.condition), "severity": c.severity} for c in rules.profile_checks
        ],
        "bands": [_band_scoring(b) for b in rules.bands],
        "vetoes": [_veto_scoring(v) for v in rules.vetoes],
        **_rating_scoring(rules),
    }


def fingerprint(rules: RuleSet) -> str:
    canonical = json.dumps(scoring_content(rules), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def to_dict(rules: RuleSet) -> dict[str, Any]:
    """The rule set as documented in the README (``rules show --format json``)."""
    return {
        "format": RULES_FORMAT,
        "id": rules.id,
        "title": rules.title,
        "version": rules.version,
        "fingerprint": rules.fingerprint,
        "total_points": json_number(rules.total_points),
        "source": {
            "handbook": rules.source.handbook,
            "note": rules.source.note,
            "regulations": list(rules.source.regulations),
        },
        "profile": [field_dict(f) for f in rules.profile],
        "areas": [
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "cap": None if a.cap is None else json_number(a.cap),
                "points": json_number(a.points),
                "standards": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "points": json_number(s.points),
                        "items": [item_dict(i) for i in s.items],
                    }
                    for s in a.standards
                ],
            }
            for a in rules.areas
        ],
        "vetoes": [
            {
                "id": v.id,
                "text": v.text,
                "kind": v.kind,
                "condition": condition_dict(v.condition),
                "effect": v.effect,
                "cap": v.cap,
            }
            for v in rules.vetoes
        ],
        "bands": [
            {
                "name": b.name,
                "min": json_number(b.min),
                "label": b.label,
                "max_share": None if b.max_share is None else json_number(b.max_share),
                "quota_per": b.quota_per,
            }
            for b in rules.bands
        ],
        "bands_note": rules.bands_note,
        "total": total_dict(rules.total),
        "profile_checks": [
            {"id": c.id, "condition": condition_dict(c.condition), "message": c.message, "severity": c.severity}
            for c in rules.profile_checks
        ],
    }
