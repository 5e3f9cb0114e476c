"""Scoring: model + submission → result, as pure functions."""

from engine.scoring.evaluate import score_submission
from engine.scoring.model import Result

__all__ = ["Result", "score_submission"]
