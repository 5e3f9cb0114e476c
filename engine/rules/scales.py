"""Level option scales declared once in ruleset.yaml (``scales:``) and referred to by name
from an item (``options: 四档``). The loader resolves the names in the raw data before the
cross-reference checks, so everything after it sees the options written out."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from engine.rules.problems import Problems
from engine.rules.yamlsource import YamlDoc


def resolve(root: YamlDoc, areas: Sequence[YamlDoc], problems: Problems) -> None:
    """Replace every ``options: <scale name>`` in ``areas`` by that scale's options (a copy)."""
    data: dict[str, Any] = root.data  # type: ignore[assignment]
    scales: dict[str, Any] = data.get("scales", {})
    for doc in areas:
        for s, standard in enumerate(doc.data["standards"]):  # type: ignore[index]
            for i, item in enumerate(standard["items"]):
                name = item.get("options")
                if not isinstance(name, str):
                    continue
                if name in scales:
                    item["options"] = copy.deepcopy(scales[name])
                else:
                    known = "、".join(scales) or "无"
                    where = ("standards", s, "items", i, "options")
                    problems.add(doc, where, f"等级量表“{name}”未在 ruleset.yaml 的 scales 中定义（已定义：{known}）")
