"""The rule workbook's layout table covers the rule format: a key added to the schema without a
column (or sheet) in engine/rulebook/layout.py fails here, before it could be lost on import."""

from __future__ import annotations

from engine import answers
from engine.rulebook import export, import_, layout, typeparams
from engine.rules.schema import schema
from engine.rules.variants import CHANGEABLE

DEFS = schema()["$defs"]


def _keys(definition: str) -> set[str]:
    if definition == "source_of_ruleset":
        return set(DEFS["ruleset_file"]["properties"]["source"]["properties"])
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
    sheets = {"areas", "profile", "profile_checks", "bands", "vetoes", "scales", "variants"}
    assert record | sheets == _keys("ruleset_file")
    dotted = {c.key for c in layout.RULESET.columns if "." in c.key}
    assert {k.split(".")[1] for k in dotted if k.startswith("source.")} == _keys("source_of_ruleset")
    assert {k.split(".")[1] for k in dotted if k.startswith("total.")} | {"components"} == _keys("total")
    assert {c.key for c in layout.TOTAL.columns} == _keys("component")


def test_every_key_of_areas_variants_and_overlays_has_a_column() -> None:
    assert {c.key for c in layout.AREAS.columns} - {"area_id", "area_name", "file", "id", "name"} == _keys(
        "area_file"
    ) - {"id", "name", "standards"}
    assert {c.key for c in layout.VARIANTS.columns} - {"file"} == {"option", "note"}
    assert _keys("variants") == {"options", "overlays"}  # the 支部类型 rows and their 变体文件
    assert _keys("overlay_file") == {"variant", "note", "changes"}
    own = {c.key for c in layout.CHANGES.columns} - set(layout.SET_KEYS)
    assert own | {"set"} == _keys("overlay_change") | {"variant"}
    assert set(layout.SET_KEYS) == _keys("item") - {"id", "basis", "basis_kind"}
    assert set(CHANGEABLE) <= set(layout.SET_KEYS)


def test_every_profile_field_type_and_role_has_a_chinese_word() -> None:
    field = DEFS["profile_field"]["properties"]
    assert {code for code, _ in layout.FIELD_TYPES} == set(field["type"]["enum"])
    assert {code for code, _ in layout.ROLES} == set(field["role"]["enum"])
    assert {code for code, _ in layout.AREA_KINDS} == set(DEFS["area_file"]["properties"]["kind"]["enum"])
    assert {code for code, _ in layout.VETO_EFFECTS} == set(DEFS["veto"]["properties"]["effect"]["enum"])
    assert {code for code, _ in layout.SOURCES} == set(DEFS["component"]["properties"]["source"]["enum"])
    assert {code for code, _ in layout.ACTIONS} == set(DEFS["overlay_change"]["properties"]["action"]["enum"])


def test_every_sheet_is_written_and_read() -> None:
    names = [s.name for s in layout.SHEETS]
    assert set(export.SHEET_ROWS) == set(names) == set(import_.ASSEMBLE)
    assert len(set(names)) == len(names) and layout.GUIDE_SHEET not in names and layout.META_SHEET not in names
