"""The answer-type registry is the one place that knows each type; the schema declares the same types."""

from __future__ import annotations

from engine import answers
from engine.rules.schema import schema


def _schema_types() -> tuple[list[str], list[str]]:
    item = schema()["$defs"]["item"]
    enum = list(item["properties"]["type"]["enum"])
    with_rules = [block["if"]["properties"]["type"]["const"] for block in item["allOf"]]
    return enum, with_rules


def test_every_type_in_the_schema_has_a_registry_entry_and_vice_versa() -> None:
    enum, with_rules = _schema_types()
    assert sorted(enum) == sorted(answers.TYPES)
    assert sorted(with_rules) == sorted(answers.TYPES)  # each type states its parameters in the schema


def test_every_registry_entry_implements_what_the_engine_asks_of_it() -> None:
    required = ("answer_line", "validation", "allowed", "read", "demo")
    for name, kind in answers.TYPES.items():
        assert kind.name == name
        for method in required:
            assert getattr(type(kind), method) is not getattr(answers.AnswerType, method), (name, method)
        if kind.scored:
            assert type(kind).credit is not answers.AnswerType.credit, name


def test_an_unknown_type_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown answer type"):
        answers.answer_type("essay")
