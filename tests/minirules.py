"""A tiny, complete rule set written from code, for tests that need exact numbers.

Two areas, three standards, one check point of each type; points add up to 100.
``write_rules(tmp_path, edit)`` writes it as YAML after ``edit`` changes the data.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

RULESET: dict[str, Any] = {
    "id": "mini",
    "title": "测试规则集",
    "version": "1.0.0",
    "source": {"handbook": "测试手册", "note": "仅用于测试", "regulations": ["《中国共产党支部工作条例（试行）》"]},
    "areas": ["a1.yaml", "a2.yaml"],
    "profile": [
        {"id": "branch_name", "label": "支部名称", "type": "text", "required": True, "role": "branch_name"},
        {"id": "parent_org", "label": "上级党组织", "type": "text", "required": True, "role": "parent_org"},
        {"id": "full_members", "label": "正式党员人数", "type": "integer", "required": True},
        {"id": "has_committee", "label": "是否设立支部委员会", "type": "yes_no", "required": True},
        {
            "id": "election_date",
            "label": "本届支部委员会选举日期",
            "type": "date",
            "required": False,
            "required_if": {"field": "has_committee", "op": "eq", "value": "是"},
        },
        {"id": "assessment_year", "label": "评估年度", "type": "year", "required": False, "role": "assessment_year"},
        {"id": "reference_date", "label": "评估基准日", "type": "date", "required": False, "role": "reference_date"},
        {"id": "founded_date", "label": "支部成立日期", "type": "date", "required": False, "role": "founded_date"},
    ],
    "profile_checks": [
        {
            "id": "committee-required",
            "condition": {
                "any": [
                    {"field": "full_members", "op": "lt", "value": 7},
                    {"field": "has_committee", "op": "eq", "value": "是"},
                ]
            },
            "message": "正式党员7人以上的党支部应当设立支部委员会",
            "severity": "warning",
        }
    ],
    "bands": [
        {"name": "优秀", "min": 90},
        {"name": "达标", "min": 80},
        {"name": "基本达标", "min": 60},
        {"name": "不达标", "min": 0},
    ],
    "vetoes": [
        {"id": "V1", "text": "支委会成员受到党纪重处分", "kind": "question"},
        {
            "id": "V2",
            "text": "超期未换届",
            "kind": "derived",
            "condition": {
                "all": [
                    {"field": "has_committee", "op": "eq", "value": "是"},
                    {"field": "election_date", "op": "older_than_months", "value": 48},
                ]
            },
        },
        {
            "id": "V3",
            "text": "全年未开组织生活会",
            "kind": "derived",
            "condition": {"item": "2.1.2", "op": "lt", "value": 1},
        },
    ],
}

COMMON = {
    "basis": "《中国共产党支部工作条例（试行）》",
    "basis_kind": "regulation",
    "evidence": "会议记录",
    "advice": "按要求落实",
}

AREA1: dict[str, Any] = {
    "id": "1",
    "name": "政治建设标准",
    "standards": [
        {
            "id": "1.1",
            "name": "理论学习",
            "items": [
                {"id": "1.1.1", "text": "有年度学习计划", "type": "yes_no", "points": 10, **COMMON},
                {
                    "id": "1.1.2",
                    "text": "学习效果",
                    "type": "level",
                    "points": 10,
                    "options": [
                        {"label": "好", "credit": 1},
                        {"label": "较好", "credit": 0.8},
                        {"label": "一般", "credit": 0.5},
                        {"label": "差", "credit": 0},
                    ],
                    **COMMON,
                },
                {
                    "id": "1.1.3",
                    "text": "党员人均学习不少于32学时",
                    "type": "count",
                    "points": 10,
                    "target": 32,
                    "decimals": 1,
                    "per": "year",
                    **COMMON,
                },
            ],
        },
        {
            "id": "1.2",
            "name": "党费",
            "items": [
                {"id": "1.2.1", "text": "按月交纳党费的比例", "type": "percent", "points": 10, "target": 100, **COMMON},
                {
                    "id": "1.2.2",
                    "text": "发展党员程序规范",
                    "type": "yes_no",
                    "points": 10,
                    "na_allowed": True,
                    "hint": "本年度无发展党员工作的填“不适用”",
                    **COMMON,
                },
            ],
        },
    ],
}

AREA2: dict[str, Any] = {
    "id": "2",
    "name": "组织生活标准",
    "standards": [
        {
            "id": "2.1",
            "name": "三会一课",
            "items": [
                {
                    "id": "2.1.1",
                    "text": "全年召开支委会不少于12次",
                    "type": "count",
                    "points": 20,
                    "target": 12,
                    "per": "year",
                    "deduction_per_unit": 2,
                    "applies_if": {"field": "has_committee", "op": "eq", "value": "是"},
                    **COMMON,
                },
                {
                    "id": "2.1.2",
                    "text": "全年召开组织生活会不少于1次",
                    "type": "count",
                    "points": 10,
                    "target": 1,
                    "per": "year",
                    **COMMON,
                },
                {
                    "id": "2.1.3",
                    "text": "按期换届",
                    "type": "date",
                    "points": 10,
                    "within_months": 36,
                    "value_from": "election_date",
                    "applies_if": {"field": "has_committee", "op": "eq", "value": "是"},
                    **COMMON,
                },
                {
                    "id": "2.1.4",
                    "text": "最近一次公布党费收缴情况的日期",
                    "type": "date",
                    "points": 10,
                    "within_months": 12,
                    **COMMON,
                },
            ],
        }
    ],
}


def write_rules(
    folder: Path,
    edit: Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], None] | None = None,
) -> Path:
    """Write the mini rule set into ``folder`` (after ``edit(ruleset, area1, area2)``)."""
    ruleset, a1, a2 = copy.deepcopy(RULESET), copy.deepcopy(AREA1), copy.deepcopy(AREA2)
    if edit is not None:
        edit(ruleset, a1, a2)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (("ruleset.yaml", ruleset), ("a1.yaml", a1), ("a2.yaml", a2)):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")
    return folder
