"""The rule workbook (``branchcheck.rulebook/1``): a rule set as an editable spreadsheet and back.

``export_rulebook`` writes it, ``import_rulebook`` reads one into a rule-set folder; the sheets
and columns are the data in :mod:`engine.rulebook.layout`.
"""

from __future__ import annotations

from engine.rulebook.export import export_rulebook
from engine.rulebook.import_ import RulebookError, exported_as, import_rulebook, read_rulebook

__all__ = ["RulebookError", "export_rulebook", "exported_as", "import_rulebook", "read_rulebook"]
