"""The 支部类型 (branch type) a submission claims: listed for the inspector when it selects a
variant's rules, and flagged when it is not one of the offered types (the base rules apply).

Choosing a variant is a fact the branch is free to have, but it changes what is asked, so it
is never silent: every submission scored by a variant's rules carries a warning naming it.
"""

from __future__ import annotations

from engine.contract import SHEET_PROFILE
from engine.diagnostics import Diagnostic, make
from engine.intake.profile import ProfileRead
from engine.rules.model import RuleSet
from engine.rules.tailor import counts_text, known_option, variant_of


def branch_type_diagnostics(rules: RuleSet, read: ProfileRead) -> list[Diagnostic]:
    variants = rules.variants
    if variants is None:
        return []
    value = read.values.get(variants.field)
    if value is None:
        return []
    field = rules.field(variants.field)
    row = read.rows.get(field.id)
    column = read.value_column if row is not None else None
    found = str(value)  # shortened and made printable by make()
    variant = variant_of(rules, read.values)
    if variant is not None:
        what = counts_text(variant)
        return [
            make(
                "branch-type-applied",
                value=value,
                label=field.label,
                found=found,
                variant=variant.name,
                what=what,
                sheet=SHEET_PROFILE,
                row=row,
                column=column,
            )
        ]
    if known_option(variants, value):
        return []
    allowed = "、".join(variants.options)
    return [
        make(
            "branch-type-unknown",
            value=value,
            label=field.label,
            found=found,
            allowed=allowed,
            sheet=SHEET_PROFILE,
            row=row,
            column=column,
        )
    ]
