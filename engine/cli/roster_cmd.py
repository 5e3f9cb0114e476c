"""``branchcheck roster``: the roster (名册) of branches expected to submit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from engine.cli.chinese import ChineseCommand, new_app
from engine.cli.console import err, out
from engine.errors import MissingInputError, UsageError
from engine.roster import load_roster
from engine.roster.template import write_roster_template

app = new_app("名册：应参加评估的党支部名单（评分时 --roster 使用，也可按名册成批生成自评表）。")

XLSX = ".xlsx"


@app.command("template", cls=ChineseCommand)
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（.xlsx）。")] = Path("名册.xlsx"),
) -> None:
    """生成空白名册（Excel，含填写说明和数据验证）。"""
    if output.suffix.lower() != XLSX:
        raise UsageError(f"输出文件名应以 {XLSX} 结尾：{output}")
    if not output.parent.is_dir():
        raise MissingInputError(f"输出文件夹不存在：{output.parent}")
    if output.exists():
        raise UsageError(f"文件 {output} 已存在，不覆盖；请换一个文件名或先移走它")
    try:
        write_roster_template(output)
    except OSError as exc:
        raise UsageError(f"无法写入文件 {output}：{exc.strerror or exc}") from exc
    out.print(f"已生成名册：{output}", markup=False)
    out.print(f"下一步：每个支部填一行，然后 branchcheck score 文件夹 --roster {output.name}。", markup=False)


@app.command("check", cls=ChineseCommand)
def check(
    roster: Annotated[Path, typer.Argument(metavar="名册", help="名册文件（.xlsx）。", show_default=False)],
) -> None:
    """检查名册：读取全部行，列出问题（重复的支部、缺少的信息）。

    退出码：0 名册可用；2 名册有问题或文件不存在。
    """
    found = load_roster(roster)
    for d in found.warnings:
        err.print(f"提醒：{d.cell or '整个文件'}：{d.message}", markup=False)
    parents = len({r.parent for r in found.rows})
    groups = len({r.group for r in found.rows if r.group})
    extra = f"，{groups} 个分组" if groups else ""
    out.print(f"名册可用：{len(found.rows)} 个支部，{parents} 个上级党组织{extra}。", markup=False)
