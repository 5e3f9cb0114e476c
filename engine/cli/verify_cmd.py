"""``branchcheck verify``: has anything in a scored folder, or its inputs, changed since?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from engine.batch.manifest import verify as verify_folder
from engine.cli.console import out


def verify(
    out_dir: Annotated[
        Path, typer.Argument(metavar="输出文件夹", help="branchcheck score 的输出文件夹（含 manifest.json）。")
    ],
) -> int:
    """核验：按审计清单重新计算输入和输出文件的 sha256，列出被改动或缺失的文件。

    退出码：0 全部未变；1 有改动或缺失；2 找不到审计清单。
    """
    changes = verify_folder(out_dir)
    for change in changes:
        what = "输入" if change.kind == "input" else "输出"
        out.print(f"{change.problem}（{what}）：{change.path}", markup=False)
    if changes:
        out.print(f"共 {len(changes)} 个文件被改动或缺失。", markup=False)
        return 1
    out.print("核验通过：所有输入和输出文件与审计清单一致。", markup=False)
    return 0
