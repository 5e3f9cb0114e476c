"""Scoring: model + submission → result, as pure functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.lazy import exports

if TYPE_CHECKING:
    from engine.scoring.evaluate import rejected, score_submission
    from engine.scoring.model import Result

__getattr__ = exports(
    __name__,
    {
        "rejected": "evaluate",
        "score_submission": "evaluate",
        "Result": "model",
    },
)

__all__ = ["Result", "rejected", "score_submission"]
