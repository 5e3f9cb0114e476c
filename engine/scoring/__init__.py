"""Scoring: model + submission → result, as pure functions."""

from engine.scoring.evaluate import rejected, score_submission
from engine.scoring.model import Result

__all__ = ["Result", "rejected", "score_submission"]
