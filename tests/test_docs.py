"""Documentation generated from code stays current; every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from engine.cli.app import app
from engine.docs import BEGIN, END, diagnostics_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_every_diagnostic_code_as_generated() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert section == diagnostics_table(), "run: python -m engine.docs, and paste into README.md"


def test_every_command_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    for name in names:
        assert re.search(rf"`branchcheck {name}\b", text), name


def test_the_readme_starts_with_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[1] == "python -m pip install -e '.[test]' && python -m pytest"
    assert block[0].startswith("python -m pip install -e . && branchcheck ")
