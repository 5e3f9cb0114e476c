"""``branchcheck demo``: a first look at the whole job on fictional branches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from engine.batch.scoring import default_jobs
from engine.cli.console import out
from engine.cli.progress import progress_reporter
from engine.cli.score_cmd import print_outputs
from engine.demo.branches import DEMO_BRANCHES
from engine.demo.run import INPUTS_FOLDER, PREVIOUS_ROUND, THIS_ROUND, run_demo
from engine.history.location import FILE_NAME
from engine.outnames import ROLLUP_NAME
from engine.rules import load_rule_set


def demo(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹。")] = Path("reports/demo"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度。")] = False,
) -> int:
    """演示：为 12 个虚构支部生成上一年度和本年度已填写的自评表，记录两个评估轮次，评分并写出全部报告。"""
    rules = load_rule_set()
    out.print(f"正在为 {len(DEMO_BRANCHES)} 个虚构支部生成自评表（{out_dir / INPUTS_FOLDER}）……", markup=False)
    with progress_reporter(quiet) as progress:
        outcome = run_demo(rules, out_dir, jobs=default_jobs(), progress=progress)
    planted = sum(1 for b in DEMO_BRANCHES if b.invalid_answer)
    if outcome.rejected == planted:
        why = f"（{planted} 份是故意填错的，用来演示退回说明）" if planted else ""
    else:
        why = f"（本应只有 {planted} 份未通过：演示数据或规则集有问题，请查看退回说明）"
    out.print(
        f"共 {len(outcome.results)} 个文件：已评分 {outcome.scored}，未通过 {outcome.rejected}{why}", markup=False
    )
    print_outputs(outcome, out_dir)
    out.print(
        f"已记录评估轮次“{PREVIOUS_ROUND}”和“{THIS_ROUND}”（历史记录库 {out_dir / FILE_NAME}）："
        "汇总的“变化分析”和各支部问题清单的“整改情况”展示与上一年度的比较。",
        markup=False,
    )
    rollup = out_dir / ROLLUP_NAME
    first = rollup if rollup in outcome.written else outcome.written[0]
    out.print(f"请先打开：{first}", markup=False)
    return 0
