"""``branchcheck template``: generate the self-assessment workbook (支部自评表)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from engine.batch.scoring import default_jobs
from engine.cli.console import out
from engine.errors import MissingInputError, UsageError
from engine.roster import load_roster
from engine.roster.templates import KEPT, SAME, WRITTEN, write_roster_templates
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
    roster_path: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="名册（.xlsx）：为名册中的每个支部各生成一份自评表，预填并锁定支部名称、上级党组织和支部编码；"
            "此时 -o 为输出文件夹。",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="并行进程数（与 --roster 一起用）；默认为 CPU 核数。")
    ] = None,
) -> None:
    """生成支部自评表（Excel），下发给支部书记填写；加 --roster 时为名册中的每个支部各生成一份。"""
    rules = load_rule_set(rules_path)
    if roster_path is not None:
        if branch is not None:
            raise UsageError("--branch 与 --roster 不能同时使用（按名册生成时支部名称取自名册）")
        roster_templates(rules, roster_path, output, jobs)
        return
    target = output_path(rules, output, branch)
    try:
        write_template(rules, target, branch=branch)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"无法写入文件 {target}：{reason}（文件是否正被 Excel 打开？）") from exc
    items = len(asked_items(rules))
    vetoes = len(rules.question_vetoes)
    # The same counts as the workbook's progress line (共 N 项) and rules validate (all check points).
    derived = len(rules.items) - items
    read = f"；另有 {derived} 个检查要点由支部信息得出，不用填" if derived else ""
    whole = f"，共 {items + vetoes} 项" if vetoes else ""
    out.print(f"已生成自评表：{target}（{items} 个检查要点，{vetoes} 个否决项{whole}{read}）", markup=False)
    out.print(f"下一步：下发给支部书记填写；填写后可用 branchcheck check {target.name} 自查。", markup=False)


def roster_templates(rules: RuleSet, roster_path: Path, output: Path | None, jobs: int | None) -> None:
    """``template --roster``: one template per roster row into the folder ``output``, each listed."""
    if output is None:
        raise UsageError("按名册生成自评表时请用 -o 指定输出文件夹")
    if (output.exists() and not output.is_dir()) or output.suffix.lower() == XLSX:
        raise UsageError(f"按名册生成自评表时 -o 应为文件夹：{output}")
    if rules.field_with_role("branch_name") is None or rules.field_with_role("parent_org") is None:
        raise UsageError("规则集没有“支部名称”或“上级党组织”字段（role: branch_name / parent_org），不能按名册预填")
    roster = load_roster(roster_path)
    try:
        done = write_roster_templates(rules, roster, output, jobs=jobs or default_jobs())
    except OSError as exc:
        raise UsageError(f"无法写入文件夹 {output}：{exc.strerror or exc}") from exc
    for planned, state in done:
        note = {WRITTEN: "", SAME: "（已存在，内容相同）", KEPT: "（已存在且内容不同，未覆盖）"}[state]
        out.print(f"{planned.path}{note}", markup=False)
    written = sum(1 for _, s in done if s == WRITTEN)
    kept = sum(1 for _, s in done if s == KEPT)
    tail = f"；{kept} 份已存在且内容不同，未覆盖（如需重新生成请先移走）" if kept else ""
    out.print(f"已按名册生成自评表：{written} 份新写出，共 {len(done)} 个支部（{output}）{tail}", markup=False)
    out.print("下一步：把每份自评表发给对应支部填写；支部名称、上级党组织和支部编码已锁定，不能改动。", markup=False)


def output_path(rules: RuleSet, output: Path | None, branch: str | None = None) -> Path:
    """Where to write: ``output`` itself, the default name inside a folder, or in the current folder."""
    if output is None:
        return Path(default_template_name(rules, branch))
    if output.is_dir():
        return output / default_template_name(rules, branch)
    if not output.suffix:  # a folder that does not exist yet (the help says 文件或文件夹)
        output.mkdir(parents=True)
        return output / default_template_name(rules, branch)
    if output.suffix.lower() != XLSX:
        raise UsageError(f"输出文件名应以 {XLSX} 结尾：{output}")
    if not output.parent.is_dir():
        raise MissingInputError(f"输出文件夹不存在：{output.parent}")
    return output

