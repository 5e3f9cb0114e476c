"""The rows of 自评表 already read, kept per rule set and process.

What :class:`engine.intake.items._Reader` makes of one check point's row (its entry and the
diagnostics of the row) depends only on the check point, the row's place, where the columns
are, whether the check point applies, the reference date and the five cells it reads. A batch
of workbooks made from one template has every check point in the same row, answered in a few
ways, so the same (immutable) outcome is kept and handed out again for the same inputs. The key
holds every one of them: an outcome never depends on what was read before. Bounded; when full
it starts again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic
from engine.rules.model import Item, RuleSet
from engine.submission import ItemEntry

MAX_ROWS_KEPT = 20_000  # per rule set: ≈ 100 distinct rows per check point
_MAX_RULE_SETS = 64

Outcome = tuple[ItemEntry, tuple[Diagnostic, ...]]


@dataclass
class Remembered:
    """Of one rule set: its check points asked in 自评表 by id, those whose applicability depends on
    the profile, and the rows read."""

    rules: RuleSet
    asked: dict[str, Item]
    conditional: frozenset[str]
    rows: dict[tuple[object, ...], Outcome] = field(default_factory=dict)


_kept: dict[int, Remembered] = {}


def remembered(rules: RuleSet) -> Remembered:
    """What is kept for ``rules`` (by identity; the rules are kept alive with it)."""
    found = _kept.get(id(rules))
    if found is not None and found.rules is rules:
        if len(found.rows) > MAX_ROWS_KEPT:
            found.rows.clear()
        return found
    if len(_kept) >= _MAX_RULE_SETS:
        _kept.clear()
    asked = {i.id: i for i in rules.items if i.asked}
    made = _kept[id(rules)] = Remembered(
        rules, asked, frozenset(i.id for i in rules.items if i.excluded or i.applies_if is not None)
    )
    return made
