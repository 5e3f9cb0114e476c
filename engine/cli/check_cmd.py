"""``branchcheck check``: check returned workbooks and list what must be corrected."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from engine.cli.console import out
from engine.diagnostics import CATALOGUE, Diagnostic
from engine.errors import MissingInputError
from engine.inputs import WORKBOOK_SUFFIXES, discover
from engine.intake import read_submission
from engine.rules import load_rule_set
from engine.submission import Submission
from engine.textsafe import json_text

JSON_FORMAT = "branchcheck.check/1"
SEVERITY_WORDS = {"error": "错误", "warning": "提醒"}


def find_workbooks(paths: Sequence[Path]) -> list[str]:
    """Files as given, plus every workbook (by suffix) under the given folders, each once."""
    found: dict[str, None] = {}
    for path in paths:
        listed = discover([path])
        if path.is_dir():
            listed = [p for p in listed if p.lower().endswith(WORKBOOK_SUFFIXES)]
        found.update(dict.fromkeys(listed))
    return list(found)


def check(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="文件或文件夹", help="自评表文件或文件夹（文件夹会递归查找）。", show_default=False),
    ],
    rules: Annotated[
        Path | None, typer.Option("--rules", help="规则集文件夹；默认使用内置规则集。", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（公开格式，见 README）。")] = False,
) -> int:
    """检查：逐个检查回收的自评表，列出需要修改的问题，不评分。

    退出码：0 全部可以提交；1 有文件存在错误；2 用法、规则集错误或没有输入。
    """
    rule_set = load_rule_set(rules)
    sources = find_workbooks(paths)
    if not sources:
        raise MissingInputError("没有找到任何工作簿（.xlsx、.xlsm、.xls、.ods）：" + "、".join(str(p) for p in paths))
    submissions = [read_submission(Path(s), rule_set) for s in sources]
    if as_json:
        print(json_text(json.dumps(to_json(submissions), ensure_ascii=False, indent=2)))
    else:
        for submission in submissions:
            _print(submission)
    return 0 if all(s.valid for s in submissions) else 1


def to_json(submissions: Sequence[Submission]) -> dict[str, Any]:
    """The ``--json`` document (format ``branchcheck.check/1``)."""
    return {
        "format": JSON_FORMAT,
        "files": [
            {
                "source": s.source,
                "sha256": s.sha256,
                "valid": s.valid,
                "diagnostics": [d.to_dict() for d in s.diagnostics],
            }
            for s in submissions
        ],
    }


def verdict(submission: Submission) -> str:
    """``✔ 文件名：可以提交（N 个提醒）`` or ``✘ 文件名：有 N 个错误，需修改后重新提交``."""
    if submission.valid:
        return f"✔ {submission.source}：可以提交（{len(submission.warnings)} 个提醒）"
    return f"✘ {submission.source}：有 {len(submission.errors)} 个错误，需修改后重新提交"


def _table(diagnostics: Sequence[Diagnostic]) -> Table:
    table = Table(show_lines=False)
    for title in ("位置", "级别", "问题", "说明"):
        table.add_column(title, overflow="fold")
    for d in diagnostics:
        style = "red" if d.is_error else "yellow"
        table.add_row(
            Text(d.cell or ""),
            Text(SEVERITY_WORDS.get(d.severity, d.severity), style=style),
            Text(CATALOGUE[d.code].title if d.code in CATALOGUE else d.code),
            Text(d.message),
        )
    return table


def _print(submission: Submission) -> None:
    if submission.diagnostics:
        out.print(_table(submission.diagnostics))
    out.print(Text(verdict(submission), style="green" if submission.valid else "red"), emoji=False)
