"""The one error hierarchy of the library.

The CLI has a single handler for :class:`BranchcheckError`; anything else that
escapes is an internal error (exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass


class BranchcheckError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` follows the CLI contract."""

    exit_code = 2


class UsageError(BranchcheckError):
    """The command was called with options or paths that cannot work."""

    exit_code = 2


class MissingInputError(BranchcheckError):
    """A named input file or folder does not exist, or there is no input at all."""

    exit_code = 2


class Interrupted(BranchcheckError):
    """The user pressed Ctrl-C; the message says how far the job got."""

    exit_code = 130


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a rule set, positioned in its YAML file."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        inside = f" [{self.path}]" if self.path else ""
        return f"{where}{inside}：{self.message}"


class RuleSetError(BranchcheckError):
    """The rule set is invalid; ``problems`` lists every problem found."""

    exit_code = 2

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"规则集有 {len(problems)} 个问题：\n{lines}")
