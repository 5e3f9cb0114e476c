"""The rule workbook's layout table covers the rule format: a key added to the schema without a
column (or sheet) in engine/rulebook/layout.py fails here, before it could be lost on import."""

from __future__ import annotations

from engine import answers
from engine.rulebook import export, import_, layout, typeparams
from engine.rules.schema import schema

DEFS = schema()["$defs"]


def _keys(definition: str) -> set[str]:
    return set(DEFS[definition]["properties"])


def test_every_check_point_key_has_a_column() -> None:
    assert {c.key for c in layout.ITEMS.columns} == _keys("item")
    assert set(typeparams.parameter_keys()) - {"points"} == {c.key for c in layout.PARAMETERS}


def test_every_answer_type_has_a_chinese_word() -> None:
    assert [code for code, _ in layout.ANSWER_TYPES] == list(answers.TYPES) == list(typeparams.by_type())


def test_every_other_key_of_the_rule_files_has_a_column_or_a_sheet() -> None:
    assert {c.key for c in layout.PROFILE.columns} == _keys("profile_field")
    assert {c.key for c in layout.VETOES.columns} == _keys("veto")
    assert {c.key for c in layout.BANDS.columns} == _keys("band")
    assert {c.key for c in layout.CHECKS.columns} == _keys("profile_check")
    assert {"name", "options"} == {c.key for c in layout.SCALES.columns}
    record = {c.key.split(".")[0] for c in layout.RULESET.columns}
    sheets = {"areas", "profile", "profile_checks", "bands", "vetoes", "scales"}
    assert record | sheets == _keys("ruleset_file")
    assert {c.key.split(".")[1] for c in layout.RULESET.columns if "." in c.key} == set(
        DEFS["ruleset_file"]["properties"]["source"]["properties"]
    )


def test_every_sheet_is_written_and_read() -> None:
    names = [s.name for s in layout.SHEETS]
    assert set(export.SHEET_ROWS) == set(names) == set(import_.ASSEMBLE)
    assert len(set(names)) == len(names) and layout.GUIDE_SHEET not in names and layout.META_SHEET not in names
