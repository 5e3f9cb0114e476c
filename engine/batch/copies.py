"""Which of several identical files is the original: the one whose name does not look like a copy.

People copy a workbook before sending it again: Windows names the copy ``名称 - 副本.xlsx`` or
``名称 (2).xlsx``, a browser ``名称(1).xlsx``, macOS ``名称 拷贝.xlsx``, English systems
``名称 - Copy.xlsx`` or ``Copy of 名称.xlsx``. Path order alone would keep ``名称(1).xlsx``
(``(`` sorts before ``.``), so the original is chosen by name first, then by path order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

# A number in brackets at the end of the name, 副本/拷贝 anywhere, the word "copy" anywhere.
_COPY = re.compile(r"(?:[(（]\s*\d{1,4}\s*[)）]\s*$)|副本|拷贝|(?<![a-z])copy(?![a-z])", re.IGNORECASE)


def looks_like_copy(path: str) -> bool:
    """Whether a file name, or any folder of a relative path (a copied folder
    ``办公室 - 副本/自评表.xlsx``), looks like a copy of another's."""
    parts = PurePath(path).parts
    if not parts:
        return False
    *folders, name = parts
    stem = PurePath(name).stem or name
    return any(_COPY.search(part[:200]) is not None for part in (*folders, stem))


def original(names: Sequence[str], preferred: Sequence[bool] | None = None) -> int:
    """The index of the original among identical files (names or paths relative to the input
    root, in path order): a ``preferred`` one (e.g. scored) first, then one not named like a
    copy, then the first."""
    order = range(len(names))
    return min(order, key=lambda n: (not preferred[n] if preferred else False, looks_like_copy(names[n]), n))
