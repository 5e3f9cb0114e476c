"""``branchcheck history``: the recorded assessment rounds."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from engine.cli.chinese import ChineseCommand, new_app
from engine.cli.console import err, out, shown
from engine.files import atomic_text
from engine.history import queries
from engine.history.export_xlsx import write_history_workbook
from engine.history.location import ENV_VAR, FILE_NAME, data_folder, existing_store
from engine.history.store import Store

app = new_app("历史记录：查看、导出和删除已记录的评估轮次（score --round 记录）。")

HISTORY_HELP = (
    f"历史记录库文件；不填时用环境变量 {ENV_VAR}，再不填则用 {data_folder() / FILE_NAME}。"
)
HistoryOption = Annotated[Path | None, typer.Option("--history", help=HISTORY_HELP, show_default=False)]


class ExportFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"


def _rate(value: object) -> str:
    return "" if value is None else f"{float(str(value)) * 100:.1f}%"


@app.command("list", cls=ChineseCommand)
def list_rounds(history: HistoryOption = None) -> None:
    """列出已记录的评估轮次：名称、规则集、支部数、评估基准日。"""
    with Store(existing_store(history)) as store:
        found = queries.rounds(store)
    if not found:
        out.print("历史记录库中还没有评估轮次（用 branchcheck score … --round 名称 记录）。", markup=False)
        return
    table = Table(show_lines=False)
    for title in ("轮次", "规则集", "已评分", "未通过", "评估基准日"):
        table.add_column(title, overflow="fold")
    for r in found:
        same = r.first_reference == r.last_reference
        dates = (r.first_reference if same else f"{r.first_reference}～{r.last_reference}") or ""
        rule_set = f"{r.rule_set_id} {r.rule_set_version}"
        table.add_row(shown(r.name), rule_set, str(r.scored), str(r.rejected), dates)
    out.print(table)


@app.command("show", cls=ChineseCommand)
def show(
    branch: Annotated[str, typer.Argument(metavar="支部", help="支部名称、“上级党组织/支部名称”或支部编码。")],
    history: HistoryOption = None,
) -> int:
    """查看一个支部在各轮次的得分、等级、问题数、整改率（上一轮次的问题项中本轮已整改的比例）和各方面得分率。"""
    with Store(existing_store(history)) as store:
        rows = queries.branch_history(store, branch)
    if not rows:
        err.print(f"历史记录库中没有支部“{shown(branch)}”的评分记录。", markup=False)
        return 1
    areas = [ident for ident, _ in rows[-1].areas]
    table = Table(show_lines=False)
    for title in ("轮次", "得分", "等级", "否决", "问题数", "整改率", *(f"方面{a}" for a in areas)):
        table.add_column(title, overflow="fold")
    for r in rows:
        rates = dict(r.areas)
        score = "" if r.score is None else f"{r.score:.2f}"
        flag = "是" if r.vetoed else "否"
        fixed = _rate(r.rectification_rate)
        cells = (shown(r.round), score, r.rating or "", flag, str(r.gaps), fixed)
        table.add_row(*cells, *(_rate(rates.get(a)) for a in areas))
    out.print(f"{shown(rows[-1].parent or '')} {shown(rows[-1].name or '')}", markup=False)
    out.print(table)
    return 0


@app.command("export", cls=ChineseCommand)
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="导出到此文件。", show_default=False)],
    round_name: Annotated[
        str | None, typer.Option("--round", help="只导出这一轮次；不填则导出全部。", show_default=False)
    ] = None,
    export_format: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="json（全部明细）或 xlsx（每个支部一行）；不填时按输出文件的扩展名。"),
    ] = None,
    history: HistoryOption = None,
) -> None:
    """导出历史记录：JSON 含每个检查要点的结果，Excel 每轮次每个支部一行。"""
    if export_format is None:
        export_format = ExportFormat.xlsx if output.suffix.lower() == ".xlsx" else ExportFormat.json
    with Store(existing_store(history)) as store:
        data = queries.export(store, round_name)
    if export_format is ExportFormat.json:
        with atomic_text(output) as stream:
            json.dump(data, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
    else:
        write_history_workbook(data, output)
    out.print(f"已写出：{output}", markup=False)


@app.command("remove", cls=ChineseCommand)
def remove(
    round_name: Annotated[str, typer.Argument(metavar="轮次", help="要删除的评估轮次名称。")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接删除。")] = False,
    history: HistoryOption = None,
) -> int:
    """删除一个评估轮次（不可恢复；删除前会询问）。"""
    path = existing_store(history)
    if not yes and not typer.confirm(f"确定从 {path} 删除评估轮次“{round_name}”吗？", default=False):
        err.print("未删除。", markup=False)
        return 0  # the user's choice, not a problem in the inputs
    with Store(path) as store:
        count = queries.remove(store, round_name)
    out.print(f"已删除评估轮次“{shown(round_name)}”（{count} 份提交）。", markup=False)
    return 0
