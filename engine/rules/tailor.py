"""Apply a branch-type variant: the model a submission is read and scored against.

A submission's 支部类型 (the profile field with role ``branch_type``) names the variant; a
blank value, or one without an overlay (e.g. 在职党支部, or anything not offered), means the
base rules — never "not applicable". :func:`select` is the one place that decides, so intake
and scoring always agree. The resolved model is an ordinary frozen :class:`RuleSet`: changed
check points replace the base ones, excluded ones stay in place marked not applicable (their
``tailoring`` says why), added ones follow their standard's items; the fingerprint is the
base's (it already covers every overlay).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping

from engine.rules.model import ADD, NOT_APPLICABLE, Area, Item, RuleSet, Standard, Variant, Variants

_CACHE_LIMIT = 64


def _key(value: object) -> str:
    """A 支部类型 as compared: NFKC, no whitespace (``离退休干部 党支部`` is the option)."""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split())


def variant_of(rules: RuleSet, profile: Mapping[str, object]) -> Variant | None:
    """The overlay named by the profile's branch type, or None (the base rules)."""
    variants = rules.variants
    if variants is None:
        return None
    value = profile.get(variants.field)
    if value is None:
        return None
    wanted = _key(value)
    return next((v for v in variants.overlays if _key(v.name) == wanted), None)


def known_option(variants: Variants, value: object) -> bool:
    """Whether ``value`` is one of the offered branch types (written in any width or spacing)."""
    return _key(value) in {_key(o) for o in variants.options}


_resolved: dict[tuple[int, str], tuple[RuleSet, RuleSet]] = {}


def select(rules: RuleSet, profile: Mapping[str, object]) -> RuleSet:
    """The model for a submission with ``profile``: its variant's, or ``rules`` itself."""
    if rules.variant is not None:
        return rules
    variant = variant_of(rules, profile)
    return rules if variant is None else resolve(rules, variant.name)


def resolve(rules: RuleSet, name: str) -> RuleSet:
    """``rules`` with the overlay of variant ``name`` applied (cached per base model)."""
    key = (id(rules), name)
    found = _resolved.get(key)
    if found is not None and found[0] is rules:
        return found[1]
    assert rules.variants is not None and rules.variant is None
    variant = rules.variants.named(name)
    assert variant is not None
    resolved = dataclasses.replace(rules, areas=_areas(rules.areas, variant.changes), variant=name)
    if len(_resolved) >= _CACHE_LIMIT:
        _resolved.clear()
    _resolved[key] = (rules, resolved)
    return resolved


def _areas(areas: tuple[Area, ...], changes: tuple[Item, ...]) -> tuple[Area, ...]:
    by_id = {i.id: i for i in changes if i.tailoring is not None and i.tailoring.action != ADD}
    added = [i for i in changes if i.tailoring is not None and i.tailoring.action == ADD]

    def standard(s: Standard) -> Standard:
        own = tuple(by_id.get(i.id, i) for i in s.items)
        extra = tuple(sorted((i for i in added if i.standard_id == s.id), key=lambda i: _order(i.id)))
        return dataclasses.replace(s, items=own + extra) if extra or own != s.items else s

    return tuple(dataclasses.replace(a, standards=tuple(standard(s) for s in a.standards)) for a in areas)


def _order(ident: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ident.split("."))


def added_items(rules: RuleSet) -> tuple[Item, ...]:
    """Every check point an overlay adds, in overlay order (the template asks them all)."""
    if rules.variants is None:
        return ()
    return tuple(i for v in rules.variants.overlays for i in v.changes if i.tailoring and i.tailoring.action == ADD)


def template_model(rules: RuleSet) -> RuleSet:
    """The base rules plus every added check point: one template serves every variant."""
    extra = added_items(rules)
    if not extra:
        return rules
    return dataclasses.replace(rules, areas=_areas(rules.areas, extra))


def tailorings(rules: RuleSet, item_id: str) -> list[Item]:
    """How each variant treats check point ``item_id`` (its changed, excluded or added form)."""
    if rules.variants is None:
        return []
    return [i for v in rules.variants.overlays for i in v.changes if i.id == item_id]


def counts(variant: Variant) -> tuple[int, int, int]:
    """(not applicable, changed, added) check points of a variant."""
    actions = [i.tailoring.action for i in variant.changes if i.tailoring is not None]
    excluded, added = actions.count(NOT_APPLICABLE), actions.count(ADD)
    return excluded, len(actions) - excluded - added, added


def counts_text(variant: Variant) -> str:
    """``12 个检查要点不适用，2 个检查要点要求不同``: what a variant changes, in Chinese."""
    excluded, changed, added = counts(variant)
    parts = [f"{excluded} 个检查要点不适用"] if excluded else []
    parts += [f"{changed} 个检查要点要求不同"] if changed else []
    parts += [f"增设 {added} 个检查要点"] if added else []
    return "，".join(parts) or "与基础规则相同"
