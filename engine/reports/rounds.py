"""Mixed assessment rounds in one batch: submissions that carry different 评估年度 or 评估基准日.

A 2024 workbook among 2018 ones would otherwise be ranked with them silently; the console
(``score``) and 汇总's 总表 say so with the same words, from :func:`mixed_rounds_warning`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from engine.rules.model import RuleSet

ASSESSMENT_YEAR = "assessment_year"  # the profile role of 评估年度
SHOWN = 5  # at most this many distinct values are listed


def assessment_year(rules: RuleSet, profile: Mapping[str, Any] | None) -> Any:
    """The 评估年度 as filled in (None when blank or the rule set has no such field)."""
    field = rules.field_with_role(ASSESSMENT_YEAR)
    return None if field is None or not profile else profile.get(field.id)


def _counts(values: Iterable[Any], unit: str) -> str:
    counted = sorted(Counter(str(v) for v in values).items())
    listed = "，".join(f"{value}{unit}：{n} 份" for value, n in counted[:SHOWN])
    return listed + (f"，等 {len(counted)} 种" if len(counted) > SHOWN else "")


def mixed_rounds_warning(years: Iterable[Any], dates: Iterable[Any]) -> str | None:
    """The warning when the scored submissions' 评估年度 (blank ones left out) or 评估基准日
    differ, else None."""
    year_values = [y for y in years if y is not None and y != ""]
    date_values = [d for d in dates if d]
    parts = []
    if len(set(map(str, year_values))) > 1:
        parts.append(f"评估年度不一致（{_counts(year_values, ' 年')}）")
    if len(set(map(str, date_values))) > 1:
        parts.append(f"评估基准日不一致（{_counts(date_values, '')}）")
    if not parts:
        return None
    return f"注意：本批评分的提交{'，'.join(parts)}，汇总中会一并排名，请确认是否属于同一轮评估。"
