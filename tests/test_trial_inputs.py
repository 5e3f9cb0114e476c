"""Inputs a first trial run met: a workbook made for another rule set, two different workbooks
from one branch, a roster kept among the submissions (each checked through the CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clirun import CliResult, run
from conftest import MINI_PROFILE, Fill
from minirules import write_rules
from openpyxl import load_workbook

from engine.roster import contract as c
from engine.roster.template import write_roster_template
from engine.rules import RuleSet, load_rule_set
from engine.template import fill_workbook, write_template


def score(capsys: pytest.CaptureFixture[str], rules: Path, out: Path, *inputs: Path) -> CliResult:
    return run(capsys, "score", *map(str, inputs), "--rules", str(rules), "-o", str(out), "-j", "1")


def results(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.cli import console

    monkeypatch.setattr(console.out, "_width", 400)
    monkeypatch.setattr(console.err, "_width", 400)


@pytest.fixture(scope="module")
def other_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini rule set under another id: a different rule set, not another version."""

    def rename(ruleset: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        ruleset["id"] = "other-set"
        a2["standards"][0]["items"][1]["target"] = 2  # other check points: another fingerprint

    return write_rules(tmp_path_factory.mktemp("other"), rename)


# 1. A workbook made for another rule set
def test_a_workbook_of_another_rule_set_gets_only_that_error_and_names_the_rule_set(
    fill: Fill, other_rules: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill("a.xlsx").rename(inbox / "a.xlsx")
    fill("b.xlsx", answers={"1.1.1": "否", "1.1.2": "差"}).rename(inbox / "b.xlsx")
    (inbox / "c.xlsx").write_bytes(b"")  # empty file: a file-level problem of its own
    result = score(capsys, other_rules, tmp_path / "out", inbox)
    assert result.exit_code == 1
    found = {Path(s["source"]).name: s["diagnostics"] for s in results(tmp_path / "out")["submissions"]}
    for name in ("a.xlsx", "b.xlsx"):
        [only] = found[name]
        assert (only["code"], only["cell"], only["value"]) == ("template-other-rules", "_meta!B2", "mini")
        assert "本表是按规则集 mini 1.0.0 生成的，当前检查使用的是规则集 other-set 1.0.0" in only["message"]
        assert "请用 --rules 指定该规则集的文件夹" in only["message"]
    assert [d["code"] for d in found["c.xlsx"]] != ["template-other-rules"]
    assert "请检查 --rules" not in result.stderr  # c.xlsx is rejected for another reason
    (inbox / "c.xlsx").unlink()
    again = score(capsys, other_rules, tmp_path / "out2", inbox)
    assert again.exit_code == 1
    assert "注意：全部 2 个文件都是按规则集 mini 的模板填写的，当前使用的是规则集 other-set 1.0.0，请检查 --rules" in (
        again.stderr
    )


def test_check_reports_one_error_for_a_workbook_of_another_rule_set(
    fill: Fill, other_rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "check", str(fill("a.xlsx", profile={"branch_name": None})), "--rules", str(other_rules))
    assert result.exit_code == 1
    assert "有 1 个错误" in result.stdout
    assert "模板属于其他规则集" in result.stdout and "必填信息未填" not in result.stdout


# 2. Two different workbooks from one branch
def test_two_different_workbooks_of_one_branch_are_both_scored_and_both_flagged(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill("a.xlsx").rename(inbox / "01-测试党支部.xlsx")
    # The same branch, typed with a full-width space and a trailing space, other answers.
    edited = fill("b.xlsx", profile={"branch_name": "测试　党支部 "}, answers={"1.1.1": "否"})
    edited.rename(inbox / "x(1).xlsx")
    fill("c.xlsx", profile={"branch_name": "另一党支部"}).rename(inbox / "02-另一党支部.xlsx")
    assert mini_rules.path is not None
    result = score(capsys, mini_rules.path, tmp_path / "out", inbox)
    assert result.exit_code == 0
    found = {s["source"]: s for s in results(tmp_path / "out")["submissions"]}
    first, copy, other = (found[str(inbox / n)] for n in ("01-测试党支部.xlsx", "x(1).xlsx", "02-另一党支部.xlsx"))
    assert first["status"] == copy["status"] == "scored" and copy["duplicate_of"] is None
    [warned] = [d for d in first["diagnostics"] if d["code"] == "duplicate-branch"]
    assert warned["message"].startswith(
        "同一支部（测试机关党委“测试党支部”）提交了 2 份内容不同的自评表，另见 x(1).xlsx"
    )
    assert [d["message"] for d in copy["diagnostics"] if d["code"] == "duplicate-branch"] == [
        warned["message"].replace("x(1).xlsx", "01-测试党支部.xlsx").replace("“测试党支部”", "“测试　党支部”")
    ]
    assert not other["diagnostics"]
    assert "有 2 份自评表与同一支部的另一份内容不同" in result.stderr
    table = load_workbook(tmp_path / "out" / "汇总.xlsx")["总表"]
    cells = [str(v) for row in table.iter_rows(values_only=True) for v in row if v]
    remarks = [v for v in cells if "提交了 2 份内容不同" in v]
    assert len(remarks) == 2


def test_one_branch_code_joins_workbooks_whose_names_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def coded(_r: dict[str, Any], _a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        code = {"id": "code", "label": "支部编码", "type": "text", "required": False, "role": "branch_code"}
        _r["profile"].append(code)

    folder = write_rules(tmp_path / "rules", coded)
    rules = load_rule_set(folder)
    template = write_template(rules, tmp_path / "t.xlsx")
    from conftest import MINI_ANSWERS, MINI_VETOES

    inbox = tmp_path / "回收"
    inbox.mkdir()
    for name, branch, first in (("a.xlsx", "测试党支部", "是"), ("b.xlsx", "测试党支部（改名后）", "否")):
        profile = {**MINI_PROFILE, "branch_name": branch, "code": "0012"}
        fill_workbook(template, inbox / name, profile=profile, answers={**MINI_ANSWERS, "1.1.1": first},
                      vetoes=MINI_VETOES)  # fmt: skip
    result = score(capsys, folder, tmp_path / "out", inbox)
    assert result.exit_code == 0
    codes = [[d["code"] for d in s["diagnostics"]] for s in results(tmp_path / "out")["submissions"]]
    assert codes == [["duplicate-branch"], ["duplicate-branch"]]


# 3. A roster kept among the submissions
def test_a_roster_in_the_input_folder_is_listed_as_another_file_not_rejected(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill("a.xlsx").rename(inbox / "a.xlsx")
    write_roster_template(inbox / "名册.xlsx", [{c.COL_PARENT: "测试机关党委", c.COL_NAME: "测试党支部"}])
    assert mini_rules.path is not None
    result = score(capsys, mini_rules.path, tmp_path / "out", inbox)
    assert result.exit_code == 0
    data = results(tmp_path / "out")
    assert [Path(s["source"]).name for s in data["submissions"]] == ["a.xlsx"]
    assert data["other_files"] == [str(inbox / "名册.xlsx")]
    assert "已评分 1，未通过 0；另有 1 个其他文件不是自评表" in result.stdout
    assert not (tmp_path / "out" / "退回").exists()
    others = load_workbook(tmp_path / "out" / "汇总.xlsx")["其他文件"]
    assert any("名册.xlsx" in str(v) for row in others.iter_rows(values_only=True) for v in row if v)
    checked = run(capsys, "check", str(inbox), "--rules", str(mini_rules.path), "-j", "1")
    assert checked.exit_code == 0
    assert "可以提交 1，需修改后重新提交 0；另有 1 个其他文件不是自评表" in checked.stdout
