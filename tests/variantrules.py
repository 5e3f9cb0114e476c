"""The mini rule set with one branch-type variant (an overlay file), for the variant tests.

The overlay marks 1.1.3 not applicable, lowers 1.2.1's target to 80 %, takes 5 points from
2.1.2 and gives them to an added check point 1.2.3, so the points still add up to 100.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from minirules import write_rules

RETIRED = "离退休干部党支部"
REGULATION = {"basis": "《中国共产党党员教育管理工作条例》第二十三条", "basis_kind": "regulation"}

OVERLAY: dict[str, Any] = {
    "variant": RETIRED,
    "note": "测试用变体",
    "changes": [
        {"item": "1.1.3", "action": "not_applicable", "reason": "年老体弱党员的学习培训不作硬性要求", **REGULATION},
        {"item": "1.2.1", "action": "change", "set": {"target": 80}, "reason": "量力而行", **REGULATION},
        {"item": "2.1.2", "action": "change", "set": {"points": 5}, "reason": "分值调整", **REGULATION},
        {
            "item": "1.2.3",
            "action": "add",
            "set": {
                "text": "对年老体弱党员送学上门",
                "type": "yes_no",
                "points": 5,
                "evidence": "送学记录",
                "advice": "定期送学上门",
            },
            "reason": "年老体弱党员通过送学上门参加学习",
            **REGULATION,
        },
    ],
}

BRANCH_TYPE = {"id": "branch_type", "label": "支部类型", "type": "text", "required": False, "role": "branch_type"}

Edit = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], None]


def write_variant_rules(
    folder: Path,
    overlay: dict[str, Any] | None = None,
    edit: Edit | None = None,
    extra: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """The mini rule set with 支部类型 and the overlay ``retired.yaml`` (``overlay`` or OVERLAY);
    ``edit`` changes ruleset.yaml and the area files, ``extra`` writes more files by name."""

    def add(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        r["profile"].insert(2, dict(BRANCH_TYPE))
        r["variants"] = {"options": ["在职党支部", RETIRED, "联合党支部"], "overlays": ["retired.yaml"]}
        if edit is not None:
            edit(r, a1, a2)

    write_rules(folder, add)
    files = {"retired.yaml": copy.deepcopy(OVERLAY if overlay is None else overlay), **(extra or {})}
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def overlay_with(change: dict[str, Any], replace: int | None = None) -> dict[str, Any]:
    """OVERLAY with ``change`` added (or put in place of change number ``replace``)."""
    data = copy.deepcopy(OVERLAY)
    if replace is None:
        data["changes"].append(change)
    else:
        data["changes"][replace] = change
    return data
