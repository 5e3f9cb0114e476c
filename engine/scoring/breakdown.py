"""How a submission's total and rating were formed (issue 16): the checklist score, each
bonus and penalty block, the weighted components, and the reasons for the rating. Frozen
data carried on :class:`engine.scoring.model.Result`; computed by engine.scoring.total and,
for quotas, engine.scoring.quota."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class BlockResult:
    """A bonus or penalty block: Σ earned of its check points, and what counts after the cap."""

    id: str
    name: str
    kind: str  # "bonus" | "penalty"
    earned: Decimal
    cap: Decimal
    applied: Decimal  # min(earned, cap)


@dataclass(frozen=True, slots=True)
class ComponentResult:
    """One weighted part of the total: the checklist (with bonus and penalty) or a profile field."""

    source: str  # "checklist" | "field"
    field: str | None
    name: str
    value: Decimal
    weight: Decimal


@dataclass(frozen=True, slots=True)
class RatingDetail:
    base_score: Decimal  # 100 × Σ earned / Σ applicable max of the checklist
    blocks: tuple[BlockResult, ...]
    components: tuple[ComponentResult, ...]
    rating_before_quota: str  # the band after vetoes, before the batch's quotas
    rating_label: str  # the display label of the final rating (its name when the band has none)
    reasons: tuple[str, ...]  # Chinese sentences: the band reached, vetoes, quotas

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)
