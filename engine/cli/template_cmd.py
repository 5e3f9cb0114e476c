"""``branchcheck template``: generate the self-assessment workbook (支部自评表)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from engine.cli.console import out
from engine.errors import MissingInputError, UsageError
from engine.rules import load_rule_set
from engine.rules.model import RuleSet
from engine.template import asked_items, default_template_name, write_template

XLSX = ".xlsx"


def template(
    rules_path: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="规则集文件夹（含 ruleset.yaml）；不填则使用内置的甘肃省机关规则集。",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件（.xlsx）或文件夹；默认文件名为 支部自评表-<编号>-<版本>.xlsx",
            show_default=False,
        ),
    ] = None,
    branch: Annotated[
        str | None,
        typer.Option("--branch", help="预先填入“支部名称”，如“××厅办公室党支部”。", show_default=False),
    ] = None,
) -> None:
    """生成支部自评表（Excel），下发给支部书记填写。"""
    rules = load_rule_set(rules_path)
    target = output_path(rules, output, branch)
    try:
        write_template(rules, target, branch=branch)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"无法写入文件 {target}：{reason}（文件是否正被 Excel 打开？）") from exc
    items = len(asked_items(rules))
    vetoes = len(rules.question_vetoes)
    out.print(f"已生成自评表：{target}（{items} 个检查要点，{vetoes} 个否决项）", markup=False)
    out.print(f"下一步：下发给支部书记填写；填写后可用 branchcheck check {target.name} 自查。", markup=False)


def output_path(rules: RuleSet, output: Path | None, branch: str | None = None) -> Path:
    """Where to write: ``output`` itself, the default name inside a folder, or in the current folder."""
    if output is None:
        return Path(default_template_name(rules, branch))
    if output.is_dir():
        return output / default_template_name(rules, branch)
    if output.suffix.lower() != XLSX:
        raise UsageError(f"输出文件名应以 {XLSX} 结尾：{output}")
    if not output.parent.is_dir():
        raise MissingInputError(f"输出文件夹不存在：{output.parent}")
    return output

