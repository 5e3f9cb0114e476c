"""``branchcheck rectification``: import the rectification branches declared in their returned
问题清单, and write the 回头看 workbook of a round."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from engine.cli.chinese import ChineseCommand, new_app
from engine.cli.console import err, out, shown
from engine.cli.history_cmd import HistoryOption
from engine.errors import UsageError
from engine.history import queries
from engine.history.followup import round_gaps
from engine.history.location import existing_store
from engine.history.rectify import import_reports, report_files
from engine.history.store import Store
from engine.names import safe_file_name
from engine.reports.followup import write_followup
from engine.rules import load_rule_set

app = new_app("整改销号：导入支部交回的问题清单中填写的整改情况，写出整改回头看表。")

RoundOption = Annotated[
    str, typer.Option("--round", help="问题清单所属的评估轮次（score --round 记录的名称）。", show_default=False)
]


@app.command("import", cls=ChineseCommand)
def import_(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="文件或文件夹", help="支部交回的问题清单文件或文件夹（文件夹会递归查找）。", show_default=False
        ),
    ],
    round_name: RoundOption,
    history: HistoryOption = None,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", min=1, help="单个文件大小上限（MiB），超过的文件不予读取。")
    ] = 20,
) -> int:
    """导入整改情况：读取交回的问题清单中的整改责任人、整改时限、整改状态（和整改措施），记入历史记录库。

    下一轮评分时，自报“已完成”但仍未达标的问题项记为“整改不实”，整改时限已过仍未完成的记为“逾期未整改”。
    退出码：0 全部导入；1 有文件或行未能导入；2 用法错误或没有该轮次。
    """
    files = report_files(inputs)
    if not files:
        raise UsageError("没有找到任何问题清单文件：" + "、".join(str(p) for p in inputs))
    with Store(existing_store(history)) as store:
        outcomes = import_reports(store, round_name, files, max_file_size * 1024 * 1024)
    table = Table(show_lines=False)
    for title in ("文件", "支部", "已导入", "问题"):
        table.add_column(title, overflow="fold")
    for o in outcomes:
        problems = sum(1 for d in o.diagnostics if d.is_error)
        verdict = f"[red]{problems} 个错误[/red]" if problems else ("提醒" if o.diagnostics else "")
        table.add_row(escape(shown(o.source)), escape(shown(o.branch or "")), str(o.count), verdict)
    out.print(table)
    for o in outcomes:
        for d in o.diagnostics:
            where = f"{o.source}：{d.cell}" if d.cell else o.source
            err.print(f"{shown(where)}　{'错误' if d.is_error else '提醒'}：{d.message}", markup=False)
    failed = sum(1 for o in outcomes if o.failed)
    rows = sum(o.count for o in outcomes)
    out.print(f"共 {len(outcomes)} 个文件：导入 {rows} 个问题项的整改情况，{failed} 个文件有错误。", markup=False)
    return 1 if failed else 0


@app.command("report", cls=ChineseCommand)
def report(
    round_name: RoundOption,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹。")] = Path("reports"),
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="统计日期（如 2025-06-30），用于判断逾期；默认为今天。", show_default=False),
    ] = None,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="规则集文件夹（用于显示检查要点内容）；默认使用内置规则集。")
    ] = None,
    history: HistoryOption = None,
) -> int:
    """整改回头看：按支部列出该轮次问题项的自报整改状态和截至统计日期的逾期情况，写出一个工作簿。"""
    day = _day(as_of)
    rule_set = load_rule_set(rules)
    with Store(existing_store(history)) as store:
        recorded = next((r for r in queries.rounds(store) if r.name == round_name), None)
        branches = round_gaps(store, round_name)
    if recorded is not None and recorded.rule_set_id != rule_set.id:
        raise UsageError(
            f"评估轮次“{shown(round_name)}”是按规则集 {recorded.rule_set_id} {recorded.rule_set_version} 评分的，"
            f"现在用的是 {rule_set.id} {rule_set.version}：请用 --rules 指定评分时的规则集，检查要点的内容才对得上"
        )
    if recorded is not None and recorded.fingerprint != rule_set.fingerprint:
        err.print(
            f"提醒：评估轮次“{shown(round_name)}”按规则集 {recorded.rule_set_id} {recorded.rule_set_version} 评分，"
            f"现在的规则集是 {rule_set.version}，有的检查要点内容可能已经变化。",
            markup=False,
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{safe_file_name(f'整改回头看-{round_name}-{day.isoformat()}')}.xlsx"
    write_followup(rule_set, round_name, branches, day, path)
    out.print(f"已写出：{path}（统计日期 {day.isoformat()}）", markup=False)
    return 0


def _day(text: str | None) -> date:
    if text is None:
        return date.today()  # the report prints the date it used: the same date gives the same file
    parts = re.split(r"[-/.年月日]", text.strip().rstrip("日"))
    try:
        return date(*(int(x) for x in parts)) if len(parts) == 3 else date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--as-of 的值“{text}”不是日期，请写成 2025-06-30 的形式") from None
