"""The rule workbook saved by LibreOffice as .xlsx and as .ods imports to the same rule set.
Skipped without ``soffice``, except under CI=true where that is a failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from ratingkit import EXAMPLE
from test_libreoffice import convert

from engine.rulebook import export_rulebook, import_rulebook
from engine.rules import load_rule_set

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize(("rules", "fmt"), [(None, "xlsx"), (None, "ods"), (EXAMPLE, "ods")],
                         ids=["bundled-xlsx", "bundled-ods", "example-ods"])  # fmt: skip
def test_a_workbook_saved_by_libreoffice_imports_to_the_same_fingerprint(
    soffice: str, rules: Path | None, fmt: str, tmp_path: Path
) -> None:
    original = load_rule_set(rules)  # the bundled set has variants, the example a rating scheme
    book = export_rulebook(original, tmp_path / "rules.xlsx")
    saved = convert(soffice, book, fmt, tmp_path, 0)
    imported = import_rulebook(saved, tmp_path / "imported")
    assert imported.fingerprint == original.fingerprint
    assert imported == original
