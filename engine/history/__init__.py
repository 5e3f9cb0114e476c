"""Assessment rounds across years: a SQLite history store, recording a run as a named round,
and comparing a run with an earlier round (score change, what became of each earlier gap).

- :mod:`~engine.history.location`: where the store lives by default;
- :mod:`~engine.history.store`: the file, its schema and migrations, one transaction per change;
- :mod:`~engine.history.identity`: who a branch is across rounds;
- :mod:`~engine.history.record`: a run's results as a round;
- :mod:`~engine.history.compare`: the earlier round and the classification of its gaps;
- :mod:`~engine.history.queries`: rounds, one branch across rounds, export, removal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HistoryOptions:
    """``score --round/--compare-with/--history``: record the run, compare it, or both."""

    path: Path
    round: str | None = None
    compare_with: str | None = None
