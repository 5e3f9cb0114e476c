"""The rating scheme of a rule set beyond plain bands (issue 16): the total formula with its
components, and the words for the kinds of blocks and veto effects. Pure data and its
building from validated YAML; the semantic checks are in engine.rules.ratingchecks.

Order of operations (docs/rule-format.md, README 评分规则): per-item credit → sums (the
checklist, each bonus and penalty block capped) → the total formula (components weighted,
clamped to [min, max]) → vetoes (lowest band, or a cap) → bands → quotas (whole batch).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Area kinds: the scored checklist, and blocks whose capped sum is added to or subtracted from it.
CHECKLIST = "checklist"
BONUS = "bonus"
PENALTY = "penalty"
BLOCK_WORDS = {BONUS: "加分项", PENALTY: "减分项"}

# Veto effects.
LOWEST = "lowest"
CAP = "cap"

# Component sources.
FIELD = "field"
COMPONENT_FIELD_TYPES = ("number", "integer")


@dataclass(frozen=True)
class Component:
    """One weighted part of the total: the checklist score (with bonus and penalty) or a numeric profile field."""

    source: str  # CHECKLIST | FIELD
    weight: Decimal
    field: str | None = None


@dataclass(frozen=True)
class TotalFormula:
    """total = clamp(Σ weight × component, min, max), rounded half-up to cents."""

    components: tuple[Component, ...]
    min: Decimal
    max: Decimal

    @property
    def plain(self) -> bool:
        """True for the default: the checklist score alone, within 0–100."""
        return self == DEFAULT_TOTAL

    @property
    def checklist_weight(self) -> Decimal:
        return next(c.weight for c in self.components if c.source == CHECKLIST)


DEFAULT_TOTAL = TotalFormula((Component(CHECKLIST, Decimal(1)),), Decimal(0), Decimal(100))


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def build_total(raw: dict[str, Any] | None) -> TotalFormula:
    """The total formula of ``ruleset.yaml``'s ``total`` (absent: the default)."""
    if raw is None:
        return DEFAULT_TOTAL
    components = tuple(
        Component(c["source"], _dec(c["weight"]), c.get("field"))
        for c in raw.get("components", [{"source": CHECKLIST, "weight": 1}])
    )
    return TotalFormula(components, _dec(raw.get("min", 0)), _dec(raw.get("max", 100)))


def total_dict(total: TotalFormula) -> dict[str, Any]:
    """The JSON form of the total formula (rule-set export and fingerprint)."""
    from engine.rules.model import json_number

    return {
        "min": json_number(total.min),
        "max": json_number(total.max),
        "components": [
            {"source": c.source, "field": c.field, "weight": json_number(c.weight)} for c in total.components
        ],
    }


def share_text(share: Decimal) -> str:
    """A quota share as people write it: 0.3 → 30%, 0.125 → 12.5%."""
    from engine.rules.model import format_number

    return f"{format_number(share * 100)}%"
