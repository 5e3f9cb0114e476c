"""The rule workbook saved by LibreOffice as .xlsx and as .ods imports to the same rule set.
Skipped without ``soffice``, except under CI=true where that is a failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_libreoffice import convert

from engine.rulebook import export_rulebook, import_rulebook
from engine.rules import load_rule_set

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_workbook_saved_by_libreoffice_imports_to_the_same_fingerprint(
    soffice: str, fmt: str, tmp_path: Path
) -> None:
    bundled = load_rule_set()
    book = export_rulebook(bundled, tmp_path / "rules.xlsx")
    saved = convert(soffice, book, fmt, tmp_path, 0)
    imported = import_rulebook(saved, tmp_path / "imported")
    assert imported.fingerprint == bundled.fingerprint
    assert imported == bundled
