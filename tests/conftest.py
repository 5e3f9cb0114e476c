"""Shared fixtures: the mini and bundled rule sets, filled mini workbooks, LibreOffice."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from minirules import write_rules

from engine.rules import RuleSet, load_rule_set

# What a secretary types into the mini template (fill_workbook writes it as given).
MINI_PROFILE: dict[str, Any] = {
    "branch_name": "测试党支部",
    "parent_org": "测试机关党委",
    "full_members": 9,
    "has_committee": "是",
    "election_date": date(2017, 6, 1),
    "assessment_year": 2018,
}
MINI_ANSWERS: dict[str, Any] = {
    "1.1.1": "是",
    "1.1.2": "较好",
    "1.1.3": 31.5,
    "1.2.1": 0.95,
    "1.2.2": "不适用",
    "2.1.1": 12,
    "2.1.2": 1,
    "2.1.4": date(2018, 10, 1),
}
MINI_VETOES: dict[str, Any] = {"V1": "否"}

Fill = Callable[..., Path]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "libreoffice: converts workbooks with LibreOffice (soffice)")


@pytest.fixture(scope="session")
def mini_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    """The mini rule set of tests/minirules.py, loaded from a temporary folder."""
    return load_rule_set(write_rules(tmp_path_factory.mktemp("minirules")))


@pytest.fixture(scope="session")
def bundled_rules() -> RuleSet:
    return load_rule_set()


@pytest.fixture(scope="session")
def mini_template(mini_rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.template import write_template

    return write_template(mini_rules, tmp_path_factory.mktemp("template") / "mini.xlsx")


@pytest.fixture
def fill(mini_template: Path, tmp_path: Path) -> Fill:
    """``fill(name="filled.xlsx", profile=…, answers=…, checks=…, vetoes=…, evidence=…)``:
    the mini template filled with MINI_* updated by the given values (``None`` clears a cell)."""
    from engine.template import fill_workbook

    def run(
        name: str = "filled.xlsx",
        *,
        profile: Mapping[str, Any] | None = None,
        answers: Mapping[str, Any] | None = None,
        checks: Mapping[str, Any] | None = None,
        vetoes: Mapping[str, Any] | None = None,
        evidence: Mapping[str, str] | None = None,
    ) -> Path:
        return fill_workbook(
            mini_template,
            tmp_path / name,
            profile={**MINI_PROFILE, **(profile or {})},
            answers={**MINI_ANSWERS, **(answers or {})},
            checks=dict(checks or {}),
            vetoes={**MINI_VETOES, **(vetoes or {})},
            evidence=dict(evidence or {}),
        )

    return run


@pytest.fixture(scope="session")
def soffice() -> str:
    """The LibreOffice executable. Missing: skip, except under CI=true where it is a failure."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


Rows = list[list[Any]]


@pytest.fixture
def edit(tmp_path: Path) -> Callable[..., Path]:
    """``edit(path, sheet, transform, name=…)``: a copy of ``path`` whose sheet ``sheet`` holds
    ``transform(rows)`` (rows of cell values; merged cells are unmerged first). The
    transform may also be a function of the openpyxl workbook when ``sheet`` is None."""
    from openpyxl import load_workbook

    def run(path: Path, sheet: str | None, transform: Callable[[Any], Any], name: str = "edited.xlsx") -> Path:
        wb = load_workbook(path)
        if sheet is None:
            transform(wb)
        else:
            ws = wb[sheet]
            for merged in list(ws.merged_cells.ranges):
                ws.unmerge_cells(str(merged))
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            new_rows = transform(rows)
            ws.delete_rows(1, ws.max_row)
            for row in new_rows:
                ws.append(list(row))
        out = tmp_path / name
        wb.save(out)
        return out

    return run
