"""``branchcheck rules``: validate and show a rule set."""

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
from engine.rules import load_rule_set, ratingtexts, to_dict
from engine.rules.model import format_number
from engine.textsafe import json_text

app = new_app("规则集：检查和查看对标自查规则（方面、标准、检查要点、分值）。")

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
    out.print(tree, markup=False)
