"""``branchcheck rules``: validate and show a rule set; export it to a workbook and import it back."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.tree import Tree

from engine.cli.chinese import ChineseCommand, new_app
from engine.cli.console import out
from engine.conditions import describe
from engine.errors import MissingInputError, UsageError
from engine.rules import load_rule_set, ratingtexts, to_dict
from engine.rules.model import format_number
from engine.rules.tailor import counts_text
from engine.textsafe import json_text

app = new_app("规则集：检查、查看、导出为 Excel 工作簿和从工作簿导入对标自查规则（方面、标准、检查要点、分值）。")

PathArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="规则集文件夹",
        help="规则集文件夹（含 ruleset.yaml）；不填则使用内置的甘肃省机关规则集。",
        show_default=False,
    ),
]


class ShowFormat(StrEnum):
    tree = "tree"
    json = "json"


@app.command("validate", cls=ChineseCommand)
def validate(path: PathArg = None) -> None:
    """检查规则集：通过时打印一行摘要，否则列出全部问题（退出码 2）。"""
    rules = load_rule_set(path)
    out.print(rules.summary, markup=False)
    out.print(rules.basis_summary, markup=False)
    if rules.variants is not None:
        shown = "；".join(f"{v.name}（{counts_text(v)}）" for v in rules.variants.overlays)
        out.print(f"支部类型变体：{shown}", markup=False)


@app.command("show", cls=ChineseCommand)
def show(
    path: PathArg = None,
    format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="输出格式：tree（树形）或 json。")
    ] = ShowFormat.tree,
) -> None:
    """显示规则集：树形概览，或规范化的 JSON（公开格式，见 README）。"""
    rules = load_rule_set(path)
    if format is ShowFormat.json:
        print(json_text(json.dumps(to_dict(rules), ensure_ascii=False, indent=2)))
        return
    tree = Tree(f"{rules.title}（{rules.id} {rules.version}，满分 {format_number(rules.total_points)}）")
    if not rules.total.plain or rules.blocks:
        tree.add(ratingtexts.total_text(rules))
    for area in rules.areas:
        a = tree.add(ratingtexts.area_heading(area))
        for standard in area.standards:
            s = a.add(f"{standard.id} {standard.name}（{format_number(standard.points)} 分）")
            for item in standard.items:
                extra = f"；适用条件：{describe(item.applies_if, rules)}" if item.applies_if else ""
                s.add(f"{item.id} {item.text}（{format_number(item.points)} 分，{item.type}{extra}）")
    vetoes = tree.add("否决项")
    for veto in rules.vetoes:
        effect = f"（{ratingtexts.veto_effect(rules, veto)}）" if veto.effect != "lowest" else ""
        vetoes.add(f"{veto.id} {veto.text}{effect}")
    bands = tree.add("评定等级")
    for band in rules.bands:
        bands.add(ratingtexts.band_text(band, rules))
    if rules.variants is not None:
        label = rules.field(rules.variants.field).label
        variants = tree.add(f"支部类型（{label}：{'、'.join(rules.variants.options)}；未列出的类型按基础规则）")
        for variant in rules.variants.overlays:
            v = variants.add(f"{variant.name}（{variant.file}：{counts_text(variant)}）")
            for item in variant.changes:
                v.add(f"{item.id} {item.tailoring.summary if item.tailoring else ''}")
    out.print(tree, markup=False)


class ExportFormat(StrEnum):
    xlsx = "xlsx"


@app.command("export", cls=ChineseCommand)
def export(
    path: PathArg = None,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="导出格式：xlsx（可编辑的规则工作簿）。")] = (
        ExportFormat.xlsx
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="输出文件（.xlsx）；默认为 规则-<编号>-<版本>.xlsx", show_default=False),
    ] = None,
    skeleton: Annotated[
        bool,
        typer.Option("--skeleton", help="只导出方面和标准（及支部信息、等级、否决项），不含检查要点，供填写官方原文。"),
    ] = False,
) -> None:
    """导出规则集为可编辑的 Excel 规则工作簿（每类内容一个工作表），修改后用 rules import 导入。"""
    from engine.rulebook import export_rulebook

    rules = load_rule_set(path)
    default = f"规则-{rules.id}-{rules.version}{'-骨架' if skeleton else ''}.xlsx"
    target = output if output is not None else Path(default)
    if target.is_dir() or (output is not None and not target.suffix):  # a folder: the default name in it
        target.mkdir(parents=True, exist_ok=True)
        target = target / default
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件名应以 .xlsx 结尾：{target}")
    if not target.parent.is_dir():
        raise MissingInputError(f"输出文件夹不存在：{target.parent}")
    try:
        export_rulebook(rules, target, skeleton=skeleton)
    except OSError as exc:
        raise UsageError(f"无法写入文件 {target}：{exc.strerror or exc}（文件是否正被 Excel 打开？）") from exc
    what = "骨架（方面和标准，不含检查要点）" if skeleton else f"{len(rules.items)} 个检查要点"
    out.print(f"已导出规则工作簿：{target}（{rules.id} {rules.version}，{what}）", markup=False)
    out.print(f"下一步：修改后导入：branchcheck rules import {target.name} -o rules/新规则集/", markup=False)


@app.command("import", cls=ChineseCommand)
def import_(
    workbook: Annotated[
        Path, typer.Argument(metavar="规则工作簿", help="由 rules export 导出并修改过的规则工作簿（.xlsx 或 .ods）。")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="写出规则集的文件夹（应为空文件夹或不存在）。")],
    force: Annotated[
        bool, typer.Option("--force", help="文件夹不是空的也写入（覆盖其中的规则集文件，其他文件保留）。")
    ] = False,
) -> None:
    """从规则工作簿导入规则集：逐格检查，全部通过才写出规则集文件夹（ruleset.yaml 和各方面文件）。"""
    from engine.rulebook import exported_as, import_rulebook

    if not workbook.is_file():
        raise MissingInputError(f"找不到规则工作簿：{workbook}")
    rules = import_rulebook(workbook, output, force=force)
    out.print(f"已导入规则集：{output}", markup=False)
    out.print(rules.summary, markup=False)
    was = exported_as(workbook)
    if was.get("fingerprint") == rules.fingerprint:
        out.print("评分内容与导出时相同（指纹未变）：已回收的自评表仍然有效。", markup=False)
    elif was.get("rule_set_version") == rules.version and was.get("rule_set_id") == rules.id:
        out.print(
            f"提醒：评分内容已改变（指纹不同），版本号仍为 {rules.version}；请在“规则集”表中提高版本号后重新导入，"
            "以便区分新旧模板（旧模板填写的表会被识别为过期）。",
            markup=False,
        )
    out.print(f"下一步：branchcheck template --rules {output} 生成自评表", markup=False)
