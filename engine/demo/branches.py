"""The demo's fictional branches: varied quality and every situation an inspector meets.

All names are invented (示范厅/示范局/示范中心); no real branch is described.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BranchSpec:
    name: str
    parent: str
    secretary: str
    full: int  # 正式党员人数; 7 or more: the branch must have a committee
    probationary: int = 0
    groups: int = 0
    quality: float = 0.85  # share of check points fully met
    election: date | None = date(2017, 3, 15)  # of the committee, or of the secretary without one
    committee: bool | None = None  # None: as the regulation requires (full >= 7); False at 7+: 应设未设
    extension_approved: bool = False  # a delayed election approved by the higher organisation
    founded: date | None = None
    veto: str | None = None  # a question veto answered 是
    typed_freely: bool = False  # synonyms, units, full-width digits, text dates
    inspector_changes: int = 0  # answers the inspectors corrected
    invalid_answer: bool = False  # one answer no reader can accept
    not_applicable: bool = False  # 不适用 wherever the rules allow it
    give_reference_date: bool = True
    branch_type: str | None = None  # 支部类型: a variant's name selects its overlay (engine.rules.tailor)
    retired: int = 0  # 离退休党员人数


PARENT_A = "示范厅机关党委"
PARENT_B = "示范局机关党委"
PARENT_C = "示范中心党委"

DEMO_BRANCHES: tuple[BranchSpec, ...] = (
    BranchSpec("办公室党支部", PARENT_A, "王建华", full=12, probationary=1, groups=2, quality=1.0),
    BranchSpec("政策法规处党支部", PARENT_A, "李明", full=9, quality=0.92),
    BranchSpec("基础研究处党支部", PARENT_A, "张立新", full=8, probationary=1, quality=0.8, committee=False),
    BranchSpec("农村科技处党支部", PARENT_A, "赵红梅", full=10, quality=0.55, give_reference_date=False),
    BranchSpec("规划财务处党支部", PARENT_A, "刘卫东", full=11, quality=0.9, veto="V1"),
    BranchSpec("审查业务处党支部", PARENT_B, "陈晓燕", full=5, probationary=1, quality=0.85),
    BranchSpec(
        "信息服务党支部", PARENT_B, "杨光", full=8, quality=0.88, founded=date(2018, 6, 20), election=date(2018, 6, 20)
    ),
    BranchSpec("综合管理党支部", PARENT_B, "周文", full=7, groups=1, quality=0.75, typed_freely=True),
    BranchSpec("计算服务部党支部", PARENT_C, "吴志强", full=14, groups=3, quality=0.85, inspector_changes=6),
    BranchSpec("研发部党支部", PARENT_C, "郑海", full=9, quality=0.7, invalid_answer=True),
    BranchSpec("后勤保障部党支部", PARENT_C, "孙丽", full=8, quality=0.8, election=date(2013, 5, 10)),
    BranchSpec(
        "离退休干部党支部",
        PARENT_C,
        "何建国",
        full=16,
        groups=4,
        quality=0.78,
        not_applicable=True,
        branch_type="离退休干部党支部",
        retired=15,
    ),
)
