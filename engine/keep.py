"""Keys of what intake and scoring keep per process for the next file (engine.intake.remembered,
engine.scoring.memo, engine.applicability): values by type and text, and a bound on the text kept.

A key holds every input of what is kept, so that a kept outcome is the one a fresh computation
makes. Values equal in Python but written out differently (1, 1.0, Decimal 1, True) get different
keys. Only keys with little text are kept: a workbook full of long texts cannot fill the memory.
"""

from __future__ import annotations

MAX_KEPT_TEXT = 512  # characters of text in one key (answers, 佐证材料, 备注, 核查意见 …)


def value_key(value: object) -> object:
    """A value as a key: equal only for values of one type written out the same."""
    if value is None or value.__class__ is str:
        return value
    return (value.__class__, str(value))


def small(key: tuple[object, ...]) -> bool:
    """Whether ``key`` (made of value_key results and other small values) holds little enough text to keep."""
    size = 0
    for part in key:
        if isinstance(part, str):
            size += len(part)
        elif isinstance(part, tuple):
            size += sum(len(p) for p in part if isinstance(p, str))
    return size <= MAX_KEPT_TEXT
