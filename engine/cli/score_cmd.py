"""``branchcheck score``: score returned workbooks and write results and reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from engine.batch.run import RunOutcome, score_to_folder
from engine.batch.scoring import BatchOptions, default_jobs
from engine.cli.console import err, out, shown
from engine.cli.history_cmd import HISTORY_HELP
from engine.cli.progress import progress_reporter
from engine.history import HistoryOptions
from engine.history.location import history_path
from engine.outnames import NOTICE_DIR, UNIT_DIR
from engine.reports import SummaryRow
from engine.roster import load_roster
from engine.rules import load_rule_set


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
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="安静：不显示进度和逐个文件的表格，只显示最后一行汇总。")
    ] = False,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", min=1, help="单个文件大小上限（MiB），超过的文件不予读取。")
    ] = 20,
    round_name: Annotated[
        str | None,
        typer.Option(
            "--round", help="把本次评分记录为此评估轮次（如 2025年度），并与上一轮次比较。", show_default=False
        ),
    ] = None,
    compare_with: Annotated[
        str | None,
        typer.Option(
            "--compare-with", help="与此评估轮次比较（默认：评估基准日在本次之前的最近一轮）。", show_default=False
        ),
    ] = None,
    history: Annotated[Path | None, typer.Option("--history", help=HISTORY_HELP, show_default=False)] = None,
    roster_path: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="名册（应参加评估的党支部名单，.xlsx）：汇总中增加“未提交”“名册外”和各单位提交率。",
            show_default=False,
        ),
    ] = None,
    by_unit: Annotated[
        bool, typer.Option("--by-unit", help="另为每个上级党组织写一份汇总（分单位/<上级党组织>-汇总.xlsx）。")
    ] = False,
) -> int:
    """评分：逐个检查、评分回收的自评表，打印汇总表并写出 results.json。

    退出码：0 全部评分；1 有文件未通过；2 用法、规则集错误或没有输入。
    """
    rule_set = load_rule_set(rules)
    roster = load_roster(roster_path) if roster_path is not None else None  # before any work
    if roster is not None:
        for d in roster.warnings:
            err.print(f"名册提醒：{d.cell or '整个文件'}：{d.message}", markup=False)
    options = BatchOptions(jobs=jobs or default_jobs(), strict=strict, max_file_size=max_file_size * 1024 * 1024)
    asked = round_name is not None or compare_with is not None
    rounds = HistoryOptions(history_path(history), round_name, compare_with) if asked else None
    with progress_reporter(quiet) as progress:
        outcome = score_to_folder(
            rule_set,
            inputs,
            out_dir,
            options=options,
            json_copy=json_copy,
            progress=progress,
            history=rounds,
            roster=roster,
            by_unit=by_unit,
        )
    if not quiet:  # -q: the summary line (and any warning about kept files) only
        out.print(_table(outcome.summary))
    for note in outcome.notes:
        err.print(note, markup=False)
    if not quiet:
        print_outputs(outcome, out_dir)
    out.print(_summary(outcome), markup=False)
    return 1 if outcome.rejected else 0


def print_outputs(outcome: RunOutcome, out_dir: Path) -> None:
    """The files a reader opens, and a count of the rest (10,000 reports are not 10,000 lines)."""
    many = set(outcome.reports) | set(outcome.notices) | set(outcome.unit_rollups)
    for path in outcome.written:
        if path not in many:
            out.print(f"已写出：{path}", markup=False)
    if outcome.reports:
        out.print(f"已写出：{len(outcome.reports)} 份支部问题清单（{out_dir}）", markup=False)
    if outcome.notices:
        out.print(f"已写出：{len(outcome.notices)} 份退回说明（{out_dir / NOTICE_DIR}）", markup=False)
    if outcome.unit_rollups:
        out.print(f"已写出：{len(outcome.unit_rollups)} 份分单位汇总（{out_dir / UNIT_DIR}）", markup=False)


def _summary(outcome: RunOutcome) -> str:
    line = f"共 {len(outcome.results)} 个文件：已评分 {outcome.scored}，未通过 {outcome.rejected}"
    if outcome.duplicates:
        line += f"；其中重复提交 {outcome.duplicates} 份（与另一份内容相同，不重复计入汇总）"
    if outcome.others:
        line += f"；另有 {len(outcome.others)} 个其他文件不是自评表，未作为自评表读取（见汇总.xlsx“其他文件”）"
    return line


def _table(rows: list[SummaryRow]) -> Table:
    table = Table(show_lines=False)
    for title in ("文件", "支部", "得分", "等级", "否决", "问题数"):
        table.add_column(title, overflow="fold")
    for r in rows:
        name = escape(shown(r.file))
        if r.duplicate_of:
            name += f"\n[yellow]（重复，以 {escape(shown(r.duplicate_of))} 为准）[/yellow]"
        if r.scored:
            veto = r.veto + (f"（{escape(shown(r.undetermined))}）" if r.undetermined else "")
            table.add_row(name, escape(shown(r.branch)), r.score, escape(r.rating), veto, str(r.gaps))
        else:
            table.add_row(name, f"[red]未通过[/red]：{escape(r.problem)}", "", "", "", "")
    return table
