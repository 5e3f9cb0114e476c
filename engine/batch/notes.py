"""Console notes about the batch as a whole that no single file's diagnostics make obvious."""

from __future__ import annotations

from engine.rules.model import RuleSet
from engine.scoring.model import Result
from engine.textsafe import printable


def other_rules_note(rules: RuleSet, results: list[Result]) -> list[str]:
    """When every rejected file was made from the template of one other rule set, the likely cause
    is the ``--rules`` given, not the files: say so once."""
    rejected = [r for r in results if not r.scored]
    ids = set()
    for r in rejected:
        found = [d.value for d in r.diagnostics if d.code == "template-other-rules"]
        if not found:
            return []
        ids.add(str(found[0]))
    if len(ids) != 1:
        return []
    other = printable(ids.pop(), limit=60)
    every = "全部" if len(rejected) == len(results) else "未通过的"
    return [
        f"注意：{every} {len(rejected)} 个文件都是按规则集 {other} 的模板填写的，"
        f"当前使用的是规则集 {rules.id} {rules.version}，请检查 --rules 是否指定了正确的规则集。"
    ]


def repeated_branches_note(results: list[Result]) -> list[str]:
    """How many branches sent several workbooks of different content (each file carries the details)."""
    flagged = [r for r in results if any(d.code == "duplicate-branch" for d in r.diagnostics)]
    if not flagged:
        return []
    return [
        f"注意：有 {len(flagged)} 份自评表与同一支部的另一份内容不同（同一支部提交了多份），均已评分；"
        "请确认以哪一份为准（见 results.json 和汇总.xlsx 总表“备注”）。"
    ]
