"""Run the ``branchcheck`` CLI in-process and capture its exit code and output."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from engine.cli.app import main


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run(capsys: pytest.CaptureFixture[str], *args: str) -> CliResult:
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    code = info.value.code
    return CliResult(code if isinstance(code, int) else 0, captured.out, captured.err)
