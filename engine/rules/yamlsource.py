"""Parse a YAML file with PyYAML's safe loader, keeping the line of every node.

The only YAML reader in the project. Lines let every rule-set problem point at
the place a reviewer must edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

PathKey = tuple[str | int, ...]


@dataclass
class YamlDoc:
    file: Path
    data: object
    lines: dict[PathKey, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.file.name

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that exists."""
        for cut in range(len(path), -1, -1):
            found = self.lines.get(path[:cut])
            if found is not None:
                return found
        return None


class YamlSyntaxError(Exception):
    def __init__(self, file: Path, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message


def parse(file: Path) -> YamlDoc:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(file, None, f"不是 UTF-8 编码的文本：{exc.reason}") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "无法解析"
        raise YamlSyntaxError(file, line, f"YAML 语法错误：{problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(file, None, f"YAML 语法错误：{exc}") from None
    finally:
        loader.dispose()
    doc = YamlDoc(file, data)
    if node is not None:
        doc.lines[()] = node.start_mark.line + 1
        _walk(node, (), doc.lines)
    return doc


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (str(key_node.value),)
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, value_node in enumerate(node.value):
            child = path + (index,)
            lines[child] = value_node.start_mark.line + 1
            _walk(value_node, child, lines)


def format_path(path: PathKey) -> str:
    """``standards[0].items[2].points``: the path a reviewer can follow."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
