"""Who a submission is across rounds: the 支部编码 when given, else 上级党组织 + 支部名称 normalised.

A renamed branch without a code appears as a new branch (a roster's former names will map it).
"""

from __future__ import annotations

import unicodedata

CODE_ROLE = "branch_code"


def normalise_name(text: str) -> str:
    """NFKC (full-width → half-width), every space removed, as typed otherwise."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace())


def branch_key(code: str | None, parent: str | None, name: str | None) -> str | None:
    """``code:<支部编码>`` or ``name:<上级党组织>/<支部名称>``; None when nothing identifies the branch."""
    if code and normalise_name(code):
        return "code:" + normalise_name(code)
    if not name:
        return None
    return "name:" + normalise_name(parent or "") + "/" + normalise_name(name)
