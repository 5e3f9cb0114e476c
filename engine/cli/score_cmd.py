"""``branchcheck score``: score returned workbooks and write results and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from engine.cli.console import out, shown
from engine.cli.progress import progress_reporter
from engine.pipeline import BatchOptions, default_jobs
from engine.rules import load_rule_set
from engine.run import RunOutcome, score_to_folder
from engine.scoring.model import Result


def score(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="文件或文件夹", help="回收的自评表文件或文件夹（文件夹会递归查找）。", show_default=False
        ),
    ],
    rules: Annotated[
        Path | None, typer.Option("--rules", help="规则集文件夹；默认使用内置规则集。", show_default=False)
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹（results.json 和报告）。")] = Path("reports"),
    json_copy: Annotated[
        Path | None, typer.Option("--json", help="另外把 results.json 复制一份写到此文件。", show_default=False)
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="严格模式：有未填写的检查要点或无法判定的否决项时不予评分。")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="并行进程数；默认为 CPU 核数。", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度。")] = False,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", min=1, help="单个文件大小上限（MiB），超过的文件不予读取。")
    ] = 20,
) -> int:
    """评分：逐个检查、评分回收的自评表，打印汇总表并写出 results.json。

    退出码：0 全部评分；1 有文件未通过；2 用法、规则集错误或没有输入。
    """
    rule_set = load_rule_set(rules)
    options = BatchOptions(jobs=jobs or default_jobs(), strict=strict, max_file_size=max_file_size * 1024 * 1024)
    with progress_reporter(quiet) as progress:
        outcome = score_to_folder(rule_set, inputs, out_dir, options=options, json_copy=json_copy, progress=progress)
    out.print(_table(outcome.results))
    print_outputs(outcome, out_dir)
    out.print(_summary(outcome), markup=False)
    return 1 if outcome.rejected else 0


def print_outputs(outcome: RunOutcome, out_dir: Path) -> None:
    """The files a reader opens, and a count of the rest (10,000 reports are not 10,000 lines)."""
    reports = [p for p in outcome.written if p.name.endswith("-问题清单.xlsx")]
    notices = [p for p in outcome.written if p.name.endswith("-退回说明.xlsx")]
    for path in outcome.written:
        if path not in reports and path not in notices:
            out.print(f"已写出：{path}", markup=False)
    if reports:
        out.print(f"已写出：{len(reports)} 份支部问题清单（{out_dir}）", markup=False)
    if notices:
        out.print(f"已写出：{len(notices)} 份退回说明（{out_dir / '退回'}）", markup=False)


def _summary(outcome: RunOutcome) -> str:
    return f"共 {len(outcome.results)} 个文件：已评分 {outcome.scored}，未通过 {outcome.rejected}"


def _table(results: list[Result]) -> Table:
    table = Table(show_lines=False)
    for title in ("文件", "支部", "得分", "等级", "否决", "问题数"):
        table.add_column(title, overflow="fold")
    for r in results:
        if r.scored:
            veto = "是" if r.vetoed else ("无法判定" if any(v.status == "undetermined" for v in r.vetoes) else "否")
            table.add_row(
                escape(shown(Path(r.source).name)),
                escape(shown(r.branch_name or "")),
                f"{r.score:.2f}" if r.score is not None else "",
                r.rating or "",
                veto,
                str(len(r.gaps)),
            )
        else:
            first = next((d for d in r.diagnostics if d.is_error), None)
            why = first.message if first else "未通过"
            where = f"{first.cell}：" if first and first.cell else ""
            name = escape(shown(Path(r.source).name))
            table.add_row(name, f"[red]未通过[/red]：{escape(where + why)}", "", "", "", "")
    return table
