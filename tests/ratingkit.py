"""The example rule set (rules/example-five-star) for rating-scheme tests: a copy to edit,
and submissions built directly, without workbooks."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from engine.submission import ItemEntry, Submission

EXAMPLE = Path(__file__).resolve().parent.parent / "rules" / "example-five-star"

PROFILE: dict[str, Any] = {
    "branch_name": "甲党支部",
    "parent_org": "示例机关党委",
    "assessment_year": 2024,
    "reference_date": None,
    "appraisal_score": Decimal(90),
}

# Everything met, both bonus items earned, no penalty: checklist 100.
ALL_MET: dict[str, Any] = {
    "1.1.1": Decimal(4),
    "1.1.2": Decimal(12),
    "1.1.3": "是",
    "2.1.1": "好",
    "2.1.2": Decimal(100),
    "3.1.1": "是",
    "3.1.2": "是",
    "4.1.1": "否",
    "4.1.2": "否",
}

Edit = Callable[[dict[str, dict[str, Any]]], None]


def edited_example(tmp_path: Path, edit: Edit) -> Path:
    """A copy of the example rule set after ``edit`` changed its files (by file name)."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    docs = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in folder.glob("*.yaml")}
    edit(docs)
    for name, data in docs.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def submission(
    answers: dict[str, Any] | None = None,
    *,
    source: str = "甲.xlsx",
    checks: dict[str, Any] | None = None,
    vetoes: dict[str, Any] | None = None,
    **profile: Any,
) -> Submission:
    """A valid submission: ``answers`` replace those of ALL_MET (None = blank); profile overrides by id."""
    merged = {**ALL_MET, **(answers or {})}
    checks = checks or {}
    items = {k: ItemEntry(k, self_value=v, check_value=checks.get(k)) for k, v in merged.items()}
    veto_entries = {k: ItemEntry(k, self_value=v) for k, v in {"V1": "否", "V2": "否", **(vetoes or {})}.items()}
    digest = format(abs(hash(source)), "064x")[:64]
    return Submission(source, digest, {**PROFILE, **profile}, items, veto_entries, ())
