"""Build submissions for the mini rule set directly, without workbooks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from engine.submission import ItemEntry, Submission

FULL_PROFILE: dict[str, Any] = {
    "branch_name": "测试党支部",
    "parent_org": "测试机关党委",
    "full_members": 9,
    "has_committee": "是",
    "election_date": date(2017, 6, 1),
    "assessment_year": 2018,
    "reference_date": None,
    "founded_date": None,
}

ALL_MET: dict[str, Any] = {
    "1.1.1": "是",
    "1.1.2": "好",
    "1.1.3": Decimal(32),
    "1.2.1": Decimal(100),
    "1.2.2": "是",
    "2.1.1": Decimal(12),
    "2.1.2": Decimal(1),
    "2.1.4": date(2018, 10, 1),
}


def submission(
    answers: dict[str, Any] | None = None,
    *,
    checks: dict[str, Any] | None = None,
    vetoes: dict[str, Any] | None = None,
    **profile: Any,
) -> Submission:
    """A valid submission: ``answers`` replace those of ALL_MET (None = blank); profile overrides by id."""
    merged_profile = {**FULL_PROFILE, **profile}
    merged = {**ALL_MET, **(answers or {})}
    checks = checks or {}
    items = {k: ItemEntry(k, self_value=v, check_value=checks.get(k)) for k, v in merged.items()}
    items["2.1.3"] = ItemEntry("2.1.3", self_value=merged_profile["election_date"])
    veto_entries = {k: ItemEntry(k, self_value=v) for k, v in (vetoes or {"V1": "否"}).items()}
    return Submission("demo.xlsx", "0" * 64, merged_profile, items, veto_entries, ())
