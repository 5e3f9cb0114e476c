"""Rule sets: load and validate YAML into an immutable model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.lazy import exports

if TYPE_CHECKING:
    from engine.rules.export import to_dict
    from engine.rules.loader import bundled_rules_dir, load_rule_set
    from engine.rules.model import RuleSet

__getattr__ = exports(
    __name__,
    {
        "to_dict": "export",
        "bundled_rules_dir": "loader",
        "load_rule_set": "loader",
        "RuleSet": "model",
    },
)

__all__ = ["RuleSet", "bundled_rules_dir", "load_rule_set", "to_dict"]
