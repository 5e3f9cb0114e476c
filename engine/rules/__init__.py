"""Rule sets: load and validate YAML into an immutable model."""

from engine.rules.export import to_dict
from engine.rules.loader import bundled_rules_dir, load_rule_set
from engine.rules.model import RuleSet

__all__ = ["RuleSet", "bundled_rules_dir", "load_rule_set", "to_dict"]
