"""Intake: read a returned self-assessment workbook into a normalised submission."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.lazy import exports

if TYPE_CHECKING:
    from engine.intake.reader import read_submission

__getattr__ = exports(
    __name__,
    {
        "read_submission": "reader",
    },
)

__all__ = ["read_submission"]
