"""Which check-point columns each answer type needs, may have, or must leave blank, read from
the rule files' JSON Schema (engine/rules/schema.json, ``$defs/item`` → ``allOf``): one source
of truth for the loader, the import's positioned messages and the 说明 sheet."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from engine.rules.schema import schema


@dataclass(frozen=True)
class TypeParams:
    required: tuple[str, ...]  # keys the type needs (points, target …)
    forbidden: frozenset[str]  # keys the type does not take


@lru_cache(maxsize=1)
def by_type() -> dict[str, TypeParams]:
    found: dict[str, TypeParams] = {}
    for block in schema()["$defs"]["item"]["allOf"]:
        name = block["if"]["properties"]["type"]["const"]
        then = block["then"]
        found[name] = TypeParams(tuple(then.get("required", ())), frozenset(then.get("properties", {})))
    return found


def parameter_keys() -> tuple[str, ...]:
    """Every key some type needs or refuses (the type parameters, and ``points``), sorted."""
    keys: set[str] = set()
    for params in by_type().values():
        keys.update(params.required, params.forbidden)
    return tuple(sorted(keys))
