"""The closest roster names to a name on no roster row, by edit distance: "是否为“办公室党支部”？".

Linear-bounded: names are cut to ``MAX_CHARS`` characters, candidates are first narrowed by
shared characters (one pass over each roster name), and only the best ``SHORTLIST`` of them get
the quadratic-in-``MAX_CHARS`` edit distance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from engine.history.identity import normalise_name

MAX_CHARS = 40
SHORTLIST = 12
SHOWN = 3


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance of ``a`` and ``b`` (callers keep both short)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _folded(text: str) -> str:
    return normalise_name(text[: MAX_CHARS * 4])[:MAX_CHARS]


class Names:
    """Candidate names folded and counted once, for many :meth:`closest` questions."""

    def __init__(self, candidates: Sequence[str]) -> None:
        self.candidates = list(candidates)
        self.folded = [_folded(c) for c in self.candidates]
        self.counts = [Counter(f) for f in self.folded]

    def closest(self, name: str, shown: int = SHOWN) -> list[str]:
        return _closest(name, self, shown)


def closest(name: str, candidates: Sequence[str], shown: int = SHOWN) -> list[str]:
    """The ``candidates`` nearest to ``name`` (up to ``shown`` equally near, in candidate order); none
    that are nothing alike (more than half of the longer name would have to change)."""
    return _closest(name, Names(candidates), shown)


def _closest(name: str, names: Names, shown: int) -> list[str]:
    target = _folded(name)
    candidates, folded = names.candidates, names.folded
    if not target or not candidates:
        return []
    chars = Counter(target)
    shared = [sum((chars & names.counts[n]).values()) for n in range(len(candidates))]
    overlap = sorted(range(len(candidates)), key=lambda n: (-shared[n], n))
    scored = []
    for n in overlap[:SHORTLIST]:
        distance = edit_distance(target, folded[n])
        if distance * 2 <= max(len(target), len(folded[n])):
            scored.append((distance, n))
    scored.sort()
    best = scored[0][0] if scored else 0
    return list(dict.fromkeys(candidates[n] for d, n in scored[:shown] if d == best))


def hint_text(names: Sequence[str]) -> str:
    """``是否为“A”或“B”？``; empty when there is nothing close."""
    if not names:
        return ""
    return "是否为" + "或".join(f"“{n}”" for n in names) + "？"
