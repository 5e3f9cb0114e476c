"""Collects rule-set problems with their file, line and path."""

from __future__ import annotations

from engine.errors import RuleProblem
from engine.rules.yamlsource import PathKey, YamlDoc, format_path


class Problems:
    def __init__(self) -> None:
        self.items: list[RuleProblem] = []

    def add(self, doc: YamlDoc, path: PathKey, message: str) -> None:
        self.items.append(RuleProblem(doc.name, doc.line(path), format_path(path), message))

    def add_file(self, file: str, line: int | None, message: str) -> None:
        self.items.append(RuleProblem(file, line, "", message))

    def __bool__(self) -> bool:
        return bool(self.items)
