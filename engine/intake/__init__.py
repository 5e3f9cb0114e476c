"""Intake: read a returned self-assessment workbook into a normalised submission."""

from engine.intake.reader import read_submission

__all__ = ["read_submission"]
