"""The demo's roster (名册): every demo branch but one as submitted, plus

- 政策法规处党支部 under its new name, the old one as 曾用名 (matched by the former name);
- 信息服务党支部, new in 2018, listed as 信息服务中心党支部 (its submission is 名册外, with the hint);
- 档案管理党支部, which does not submit (未提交, with 联系人 and 联系电话).
"""

from __future__ import annotations

from pathlib import Path

from engine.demo.branches import DEMO_BRANCHES, PARENT_B, PARENT_C
from engine.roster import contract as c
from engine.roster.template import write_roster_template

ROSTER_NAME = "名册.xlsx"
RENAMED = {"政策法规处党支部": "政策法规与改革处党支部"}
LISTED_AS = {"信息服务党支部": "信息服务中心党支部"}
NOT_SUBMITTING = ("档案管理党支部", PARENT_B, "钱永康", "0931-8800123")
GROUPS = {PARENT_C: "直属单位"}
DEFAULT_GROUP = "机关"


def roster_rows() -> list[dict[str, str | None]]:
    rows: list[dict[str, str | None]] = []
    for n, spec in enumerate(DEMO_BRANCHES, start=1):
        name = RENAMED.get(spec.name) or LISTED_AS.get(spec.name) or spec.name
        rows.append({
            c.COL_PARENT: spec.parent,
            c.COL_NAME: name,
            c.COL_CODE: None,
            c.COL_GROUP: GROUPS.get(spec.parent, DEFAULT_GROUP),
            c.COL_CONTACT: spec.secretary,
            c.COL_PHONE: f"0931-88{n:05d}",
            c.COL_FORMER: spec.name if spec.name in RENAMED else None,
        })  # fmt: skip
    name, parent, contact, phone = NOT_SUBMITTING
    rows.append({c.COL_PARENT: parent, c.COL_NAME: name, c.COL_GROUP: DEFAULT_GROUP, c.COL_CONTACT: contact,
                 c.COL_PHONE: phone})  # fmt: skip
    return rows


def write_demo_roster(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_roster_template(folder / ROSTER_NAME, roster_rows())
