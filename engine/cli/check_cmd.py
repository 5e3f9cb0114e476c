"""``branchcheck check``: check returned workbooks and list what must be corrected.

The library does the work (:func:`engine.batch.check.check_files`); the table and ``--json``
both render the report's dict form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from engine.batch.check import check_files
from engine.batch.scoring import BatchOptions, default_jobs
from engine.cli.console import out
from engine.cli.progress import progress_reporter
from engine.diagnostics import CATALOGUE, SEVERITY_WORDS
from engine.reports.texts import undetermined_veto
from engine.rules import load_rule_set
from engine.textsafe import json_text


def check(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="文件或文件夹", help="自评表文件或文件夹（文件夹会递归查找）。", show_default=False),
    ],
    rules: Annotated[
        Path | None, typer.Option("--rules", help="规则集文件夹；默认使用内置规则集。", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（公开格式，见 README）。")] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="严格模式（与 score 相同）：有未填写的检查要点或无法判定的否决项时不能提交。"),
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="并行进程数；默认为 CPU 核数。", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度。")] = False,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", min=1, help="单个文件大小上限（MiB），超过的文件不予读取。")
    ] = 20,
) -> int:
    """检查：逐个检查回收的自评表，列出需要修改的问题，不评分。

    退出码：0 全部可以提交；1 有文件存在错误；2 用法、规则集错误或没有输入。
    """
    rule_set = load_rule_set(rules)
    options = BatchOptions(jobs=jobs or default_jobs(), strict=strict, max_file_size=max_file_size * 1024 * 1024)
    with progress_reporter(quiet, label="检查") as progress:
        report = check_files(rule_set, paths, options, progress)
    document = report.to_dict()
    if as_json:
        print(json_text(json.dumps(document, ensure_ascii=False, indent=2)))
    else:
        for submission, entry in zip(report.files, document["files"], strict=True):
            _print({**entry, "source": report.shown(submission.source)})
        valid = sum(1 for entry in document["files"] if entry["valid"])
        total = len(document["files"])
        line = f"共 {total} 个文件：可以提交 {valid}，需修改后重新提交 {total - valid}"
        out.print(line + others_text(len(report.others)), markup=False)
    return 0 if report.valid else 1


def others_text(count: int) -> str:
    """The summary line's mention of the files that are not spreadsheets (evidence, photos…)."""
    return f"；另有 {count} 个其他文件不是自评表，未作为自评表读取" if count else ""


def verdict(entry: Mapping[str, Any]) -> str:
    """``✔ 文件名：可以提交（N 个提醒）`` or ``✘ 文件名：有 N 个错误，需修改后重新提交``."""
    errors = sum(1 for d in entry["diagnostics"] if d["severity"] == "error")
    vetoes = [v for v in map(undetermined_veto, entry["diagnostics"]) if v]
    undecided = f"；否决项无法判定（{'；'.join(vetoes)}）" if vetoes else ""
    if entry["valid"]:
        return f"✔ {entry['source']}：可以提交（{len(entry['diagnostics']) - errors} 个提醒{undecided}）"
    return f"✘ {entry['source']}：有 {errors} 个错误，需修改后重新提交{undecided}"


def _table(diagnostics: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(show_lines=False)
    for title in ("位置", "级别", "问题", "说明"):
        table.add_column(title, overflow="fold")
    for d in diagnostics:
        style = "red" if d["severity"] == "error" else "yellow"
        table.add_row(
            Text(d["cell"] or ""),
            Text(SEVERITY_WORDS.get(d["severity"], d["severity"]), style=style),
            Text(CATALOGUE[d["code"]].title if d["code"] in CATALOGUE else d["code"]),
            Text(d["message"]),
        )
    return table


def _print(entry: Mapping[str, Any]) -> None:
    """The verdict first (a secretary reads it before the details), then what to correct."""
    out.print(Text(verdict(entry), style="green" if entry["valid"] else "red"), emoji=False)
    if entry["diagnostics"]:
        out.print(_table(entry["diagnostics"]))
