"""Build the frozen model from validated raw YAML data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.rules.model import (
    AllOf,
    AnyOf,
    Area,
    Band,
    Condition,
    Item,
    Leaf,
    LevelOption,
    Not,
    ProfileCheck,
    ProfileField,
    Source,
    Standard,
    Veto,
)
from engine.rules.rating import CHECKLIST, LOWEST


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


def condition(raw: dict[str, Any] | None) -> Condition | None:
    if raw is None:
        return None
    if "all" in raw:
        return AllOf(tuple(_cond(t) for t in raw["all"]))
    if "any" in raw:
        return AnyOf(tuple(_cond(t) for t in raw["any"]))
    if "not" in raw:
        return Not(_cond(raw["not"]))
    value = raw.get("value")
    return Leaf(
        op=raw["op"],
        field=raw.get("field"),
        item=raw.get("item"),
        sum_of=tuple(raw.get("sum_of", ())),
        value=tuple(value) if isinstance(value, list) else value,
        value_field=raw.get("value_field"),
    )


def _cond(raw: dict[str, Any]) -> Condition:
    built = condition(raw)
    assert built is not None
    return built


# Item keys every answer type has; the rest are the type's own parameters.
COMMON_ITEM_KEYS = frozenset(
    {"id", "text", "type", "points", "basis", "basis_kind", "evidence", "advice", "na_allowed", "applies_if", "hint"}
)


def _frozen(value: Any) -> Any:
    """Lists as tuples and mappings as sorted pairs, so that the frozen model stays hashable."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def item(raw: dict[str, Any], area_id: str, standard_id: str) -> Item:
    def opt_dec(key: str) -> Decimal | None:
        return dec(raw[key]) if key in raw else None

    return Item(
        id=raw["id"],
        area_id=area_id,
        standard_id=standard_id,
        text=raw["text"],
        type=raw["type"],
        points=dec(raw.get("points", 0)),  # an unscored answer type has none
        basis=raw["basis"],
        evidence=raw["evidence"],
        advice=raw["advice"],
        basis_kind=raw["basis_kind"],
        na_allowed=bool(raw.get("na_allowed", False)),
        applies_if=condition(raw.get("applies_if")),
        hint=raw.get("hint"),
        options=tuple(LevelOption(o["label"], dec(o["credit"])) for o in raw.get("options", ())),
        target=opt_dec("target"),
        deduction_per_unit=opt_dec("deduction_per_unit"),
        decimals=int(raw.get("decimals", 0)),
        per=raw.get("per"),
        within_months=raw.get("within_months"),
        value_from=raw.get("value_from"),
        derived_from=condition(raw.get("derived_from")),
        params=tuple((k, _frozen(raw[k])) for k in sorted(raw) if k not in COMMON_ITEM_KEYS),
    )


def area(raw: dict[str, Any]) -> Area:
    return Area(
        id=raw["id"],
        name=raw["name"],
        kind=raw.get("kind", CHECKLIST),
        cap=dec(raw["cap"]) if "cap" in raw else None,
        standards=tuple(
            Standard(
                id=s["id"],
                area_id=raw["id"],
                name=s["name"],
                items=tuple(item(i, raw["id"], s["id"]) for i in s["items"]),
            )
            for s in raw["standards"]
        ),
    )


def profile_field(raw: dict[str, Any]) -> ProfileField:
    return ProfileField(
        id=raw["id"],
        label=raw["label"],
        type=raw["type"],
        required=raw["required"],
        required_if=condition(raw.get("required_if")),
        role=raw.get("role"),
        hint=raw.get("hint"),
    )


def source(raw: dict[str, Any]) -> Source:
    return Source(raw["handbook"], raw["note"], tuple(raw["regulations"]))


def profile_check(raw: dict[str, Any]) -> ProfileCheck:
    built = condition(raw["condition"])
    assert built is not None
    return ProfileCheck(raw["id"], built, raw["message"], raw["severity"])


def band(raw: dict[str, Any]) -> Band:
    share = dec(raw["max_share"]) if "max_share" in raw else None
    return Band(raw["name"], dec(raw["min"]), raw.get("label"), share, raw.get("quota_per"))


def bands(raw: list[dict[str, Any]]) -> tuple[Band, ...]:
    return tuple(sorted((band(b) for b in raw), key=lambda b: -b.min))


def veto(raw: dict[str, Any]) -> Veto:
    return Veto(
        raw["id"], raw["text"], raw["kind"], condition(raw.get("condition")), raw.get("effect", LOWEST), raw.get("cap")
    )
