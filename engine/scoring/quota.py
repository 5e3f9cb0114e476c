"""Quotas on bands (issue 16): applied after scoring, over the whole batch, in the parent's
cross-file step (engine.batch.scoring). Pure and deterministic.

For each band with ``max_share`` (highest band first) and each group (the whole batch, or the
scored branches sharing the value of the ``quota_per`` profile field), at most
floor(max_share × the group's scored branches) branches may keep the band. The branches rated
in the band are ranked by total; the first ones up to the quota keep it. **Ties at the
boundary are all demoted**: when the branch just outside the quota has the same total as ones
inside it, every branch with that total takes the next band, so the quota is never exceeded
and equal totals always get equal ratings. Demoted branches take the next lower band, where
that band's own quota (processed next) counts them too. A later copy of the same file (same
sha256, flagged duplicate-file) is not counted again and is rated as its first copy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from engine.rules.model import Band, RuleSet
from engine.rules.rating import share_text
from engine.scoring.model import Result


def _group_key(rules: RuleSet, band: Band, result: Result) -> object:
    if band.quota_per is None:
        return None
    value = result.profile.get(band.quota_per)
    return None if value is None else str(value)


def _reason(rules: RuleSet, band: Band, lower: Band) -> str:
    assert band.max_share is not None
    within = "" if band.quota_per is None else f"同一{rules.field(band.quota_per).label}中"
    return f"因名额限制（{within}{band.name}不超过 {share_text(band.max_share)}），评定为{lower.name}"


def _demoted(members: list[int], scores: Sequence[Decimal], allowed: int) -> list[int]:
    """The members beyond the quota, all those tied with the first one outside it included."""
    if len(members) <= allowed:
        return []
    ranked = sorted(members, key=lambda n: -scores[n])
    boundary = scores[ranked[allowed]]
    return [n for n in ranked if scores[n] <= boundary]


def apply_quotas(rules: RuleSet, results: list[Result]) -> list[Result]:
    """The results with every band's quota applied; unchanged when no band has one."""
    bands = rules.bands
    if not any(b.max_share is not None for b in bands):
        return results
    first: dict[str, int] = {}  # a later copy of the same file (duplicate-file) is not counted twice
    copies: dict[int, int] = {}
    scored: list[int] = []
    for n, r in enumerate(results):
        if not (r.scored and r.score is not None and r.rating is not None):
            continue
        if r.sha256 and r.sha256 in first:
            copies[n] = first[r.sha256]
        else:
            first.setdefault(r.sha256, n)
            scored.append(n)
    rating = {n: str(results[n].rating) for n in scored}
    scores = [r.score if r.score is not None else Decimal(0) for r in results]
    reasons: dict[int, list[str]] = {}
    for position, band in enumerate(bands):
        if band.max_share is None or position == len(bands) - 1:
            continue
        groups: dict[object, list[int]] = {}
        for n in scored:
            groups.setdefault(_group_key(rules, band, results[n]), []).append(n)
        lower = bands[position + 1]
        for group in groups.values():
            allowed = math.floor(band.max_share * len(group))
            members = [n for n in group if rating[n] == band.name]
            for n in _demoted(members, scores, allowed):
                rating[n] = lower.name
                reasons.setdefault(n, []).append(_reason(rules, band, lower))
    for copy, original in copies.items():  # a copy is rated as its first copy
        if original in reasons:
            rating[copy], reasons[copy] = rating[original], reasons[original]
    return [_with_quota(rules, r, rating[n], reasons[n]) if n in reasons else r for n, r in enumerate(results)]


def _with_quota(rules: RuleSet, result: Result, rating: str, reasons: list[str]) -> Result:
    detail = result.rating_detail
    assert detail is not None
    detail = replace(detail, rating_label=rules.band(rating).display, reasons=detail.reasons + tuple(reasons))
    return replace(result, rating=rating, rating_detail=detail)
