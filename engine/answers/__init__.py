"""Answer types: one object per type owns everything about it (rule parameters and their
checks, export, 填写说明, cell validation, reading a cell, credit, display, demo answer).

The JSON Schema (engine/rules/schema.json) declares each type's parameters; a test keeps its
type list and :data:`TYPES` the same. Adding a type means a class here, its schema fragment
and its documentation.
"""

from __future__ import annotations

from engine.answers.base import AnswerType
from engine.answers.choice import Level, YesNo
from engine.answers.dates import Date
from engine.answers.numbers import Count, Percent
from engine.answers.text import Text

# In the order 填表说明 lists them.
TYPES: dict[str, AnswerType] = {t.name: t for t in (YesNo(), Level(), Count(), Percent(), Date(), Text())}


def answer_type(name: str) -> AnswerType:
    """The type object; an unknown name is a bug here (the loader refuses it against the schema)."""
    try:
        return TYPES[name]
    except KeyError:
        raise ValueError(f"unknown answer type {name!r}") from None


__all__ = ["TYPES", "AnswerType", "answer_type"]
