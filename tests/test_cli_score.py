"""``branchcheck score``: template → filled → scored, the table, results.json and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import Fill
from hostile import raw_texts
from minirules import write_rules


@pytest.fixture
def rules_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_rules(tmp_path_factory.mktemp("rules"))


def score(
    capsys: pytest.CaptureFixture[str], rules_dir: Path, out: Path, *inputs: Path | str, extra: tuple[str, ...] = ()
) -> tuple[int, str, dict[str, Any]]:
    result = run(capsys, "score", *map(str, inputs), "--rules", str(rules_dir), "-o", str(out), "--jobs", "2", *extra)
    data = json.loads((out / "results.json").read_text(encoding="utf-8")) if (out / "results.json").exists() else {}
    return result.exit_code, result.stdout + result.stderr, data


def test_a_filled_workbook_scores_to_the_cent(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fill("a.xlsx")
    code, output, data = score(capsys, rules_dir, tmp_path / "out", path)
    assert code == 0
    [sub] = data["submissions"]
    assert (sub["status"], sub["score"], sub["self_score"], sub["rating"], sub["vetoed"]) == (
        "scored",
        97.04,
        97.04,
        "优秀",
        False,
    )
    assert sub["branch"]["name"] == "测试党支部" and sub["branch"]["parent"] == "测试机关党委"
    assert sub["reference_date"] == "2018-12-31"
    items = {i["id"]: i for i in sub["items"]}
    assert items["1.1.3"] == {
        "id": "1.1.3",
        "standard": "1.1",
        "answer": 31.5,
        "self_answer": 31.5,
        "status": "partial",
        "credit": 0.9844,
        "earned": 9.84,
        "points": 10,
        "max": 10,
        "reason": "实际 31.5，要求不少于 32，得 9.84/10 分",
        "evidence": "",
        "note": "",
        "inspector_note": "",
    }
    assert (items["1.2.1"]["answer"], items["1.2.1"]["earned"]) == (95, 9.5)
    assert (items["1.2.2"]["status"], items["1.2.2"]["max"], items["1.2.2"]["points"]) == ("not_applicable", 0, 10)
    assert items["2.1.3"]["answer"] == "2017-06-01"
    assert [g["id"] for g in sub["gaps"]] == ["1.1.2", "1.2.1", "1.1.3"]
    assert data["format"] == "branchcheck.results/1" and data["rule_set"]["id"] == "mini"
    assert "共 1 个文件：已评分 1，未通过 0" in output


def test_changing_one_yes_to_no_lowers_the_score_by_its_gain(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, worse = fill("a.xlsx"), fill("b.xlsx", answers={"1.1.1": "否"})
    _, _, data = score(capsys, rules_dir, tmp_path / "out", good, worse)
    a, b = data["submissions"]
    [gap] = [g for g in b["gaps"] if g["id"] == "1.1.1"]
    assert gap == {"id": "1.1.1", "status": "unmet", "lost": 10, "gain": 11.11}
    assert round(a["score"] - b["score"], 2) == gap["gain"]


def test_every_input_once_sorted_with_rejections_and_helper_files_skipped(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    fill("b.xlsx").rename(folder / "b.xlsx")
    fill("a.xlsx", answers={"1.1.1": "也许"}).rename(folder / "a.xlsx")
    (folder / "~$b.xlsx").write_bytes(b"lock")
    (folder / "说明.xlsx").write_text("请查收", encoding="utf-8")  # named as a workbook: a submission
    code, output, data = score(capsys, rules_dir, tmp_path / "out", folder)
    assert code == 1
    assert [Path(s["source"]).name for s in data["submissions"]] == ["a.xlsx", "b.xlsx", "说明.xlsx"]
    rejected = data["submissions"][0]
    assert rejected["status"] == "rejected"
    assert (rejected["score"], rejected["branch"], rejected["items"], rejected["gaps"]) == (None, None, [], [])
    assert rejected["diagnostics"][0]["cell"].startswith("自评表!G")
    assert data["submissions"][2]["diagnostics"][0]["code"] == "not-a-workbook"
    assert "共 3 个文件：已评分 1，未通过 2" in output


def test_no_input_at_all_exits_2(rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    code, output, _ = score(capsys, rules_dir, tmp_path / "out", tmp_path / "empty")
    assert code == 2
    assert "没有找到任何输入文件" in output


def test_a_missing_input_path_exits_2_naming_it(
    rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output, _ = score(capsys, rules_dir, tmp_path / "out", tmp_path / "nope.xlsx")
    assert code == 2
    assert f"找不到输入文件或文件夹：{tmp_path / 'nope.xlsx'}" in output


def test_json_writes_an_extra_copy(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.json"
    score(capsys, rules_dir, tmp_path / "out", fill(), extra=("--json", str(copy)))
    assert copy.read_bytes() == (tmp_path / "out" / "results.json").read_bytes()


def test_strict_rejects_unanswered_check_points(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fill(answers={"2.1.4": None})
    code, _, data = score(capsys, rules_dir, tmp_path / "out", path, extra=("--strict",))
    assert code == 1
    [error] = [d for d in data["submissions"][0]["diagnostics"] if d["code"] == "strict-incomplete"]
    assert error["message"] == "严格模式下不予评分：1 个检查要点未填写（2.1.4）"


def test_the_inspectors_answer_is_scored_and_self_score_kept(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fill(checks={"1.1.1": "否"})
    _, _, data = score(capsys, rules_dir, tmp_path / "out", path)
    sub = data["submissions"][0]
    assert (sub["score"], sub["self_score"]) == (85.93, 97.04)


def test_an_output_path_that_is_a_file_is_a_usage_error_before_any_work(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "afile"
    target.write_text("x", encoding="utf-8")
    result = run(capsys, "score", str(fill()), "--rules", str(rules_dir), "-o", str(target), "-q")
    assert result.exit_code == 2
    assert f"输出位置 {target} 是一个文件，不是文件夹" in result.stderr
    assert target.read_text(encoding="utf-8") == "x"


def test_a_duplicate_submission_is_flagged_on_both_copies(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = fill("a.xlsx")
    copy = tmp_path / "a - 副本.xlsx"
    copy.write_bytes(one.read_bytes())
    _, _, data = score(capsys, rules_dir, tmp_path / "out", one, copy)
    messages = [[d["message"] for d in s["diagnostics"] if d["code"] == "duplicate-file"] for s in data["submissions"]]
    assert messages == [
        ["与 a.xlsx 内容完全相同（重复提交），以 a.xlsx 为准，本份作为重复提交不再计入"],  # named like a copy
        ["与 a - 副本.xlsx 内容完全相同（重复提交），以本份为准"],
    ]


# ---------------------------------------------------------------- hostile text


CONTROL_BYTES = ("\x1b", "\x07", "\x9b", "\x00", "\u202e")


def hostile_files(fill: Fill, tmp_path: Path) -> tuple[Path, Path]:
    """A folder with a valid workbook whose name and cells carry terminal controls and a
    1,000-character 支部名称, and one rejected for an invalid answer holding controls."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = "第一党支部\x1b]0;pwned\x07" + "支" * 1000
    scored = raw_texts(fill("a.xlsx"), folder / "a\x1b[2J\x9b.xlsx", "支部信息", {(2, 2): name})
    rejected = raw_texts(fill("b.xlsx"), folder / "b\u202e.xlsx", "自评表", {(6, 7): "是_x001B_[8m\x1bc"})
    return scored, rejected


def test_no_control_character_from_a_cell_or_a_file_name_reaches_the_terminal(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scored, rejected = hostile_files(fill, tmp_path)
    code, output, data = score(capsys, rules_dir, tmp_path / "out", scored.parent)
    assert code == 1
    assert not any(ch in output for ch in CONTROL_BYTES), output
    assert "a\\x1b[2J\\x9b.xlsx" in output and "b\\u202e.xlsx" in output
    assert "第一党支部\\x1b]0;pwned" in output and output.count("支") < 300  # shortened in the table
    by_name = {Path(s["source"]).name: s for s in data["submissions"]}
    assert by_name[scored.name]["branch"]["name"].startswith("第一党支部\x1b]0;pwned\x07")  # exact in JSON
    [error] = by_name[rejected.name]["diagnostics"]
    assert error["value"] == "是\x1b[8m\x1bc"

    check = run(capsys, "check", str(scored.parent), "--rules", str(rules_dir))
    assert check.exit_code == 1
    assert not any(ch in check.stdout + check.stderr for ch in CONTROL_BYTES), check.stdout
    assert "是\\x1b[8m\\x1bc" in check.stdout and "b\\u202e.xlsx" in check.stdout


def test_check_json_is_exact_valid_utf8_and_safe_on_a_terminal(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scored, rejected = hostile_files(fill, tmp_path)
    check = run(capsys, "check", str(scored.parent), "--rules", str(rules_dir), "--json")
    assert not any(ch in check.stdout for ch in CONTROL_BYTES)
    files = {Path(f["source"]).name: f for f in json.loads(check.stdout)["files"]}
    assert sorted(files) == sorted([scored.name, rejected.name])
    assert files[rejected.name]["diagnostics"][0]["value"] == "是\x1b[8m\x1bc"


def test_a_count_of_4301_digits_is_a_positioned_error_not_a_crash(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = raw_texts(fill("a.xlsx"), tmp_path / "huge.xlsx", "自评表", {(14, 7): "9" * 4301})
    code, output, data = score(capsys, rules_dir, tmp_path / "out", path)
    assert code == 1, output
    [sub] = data["submissions"]
    [error] = [d for d in sub["diagnostics"] if d["severity"] == "error"]
    assert (error["code"], error["cell"], error["value"]) == ("number-too-long", "自评表!G14", "9" * 4301)
    assert "数字位数过多" in error["message"] and "数字位数过多" in output


def test_quiet_prints_only_the_summary_line(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "score", str(fill()), "--rules", str(rules_dir), "-o", str(tmp_path / "out"), "-q")
    assert result.stdout.splitlines() == ["共 1 个文件：已评分 1，未通过 0"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import engine

    result = run(capsys, "--version")
    assert (result.exit_code, result.stdout.strip()) == (0, f"branchcheck {engine.__version__}")


def test_what_people_wrote_beside_the_answers_is_kept(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    path = fill("a.xlsx", evidence={"1.1.3": "2018年学习记录第3页"})
    wb = load_workbook(path)
    ws = wb["自评表"]
    header = next(r for r in range(1, 11) if ws.cell(r, 1).value == "编号")
    columns = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    row = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "1.1.3")
    ws.cell(row, columns["备注"], "下半年集中补学")
    ws.cell(row, columns["核查意见"], "学时记录齐全，但有 2 人未达标")
    wb.save(path)
    _, _, data = score(capsys, rules_dir, tmp_path / "out", path)
    item = next(i for i in data["submissions"][0]["items"] if i["id"] == "1.1.3")
    assert (item["evidence"], item["note"], item["inspector_note"]) == (
        "2018年学习记录第3页",
        "下半年集中补学",
        "学时记录齐全，但有 2 人未达标",
    )


def test_mixed_reference_dates_are_pointed_out(
    fill: Fill, rules_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    old = fill("a.xlsx")
    new = fill("b.xlsx", profile={"assessment_year": 2019}, answers={"2.1.4": date(2019, 10, 1)})
    result = run(capsys, "score", str(old), str(new), "--rules", str(rules_dir), "-o", str(tmp_path / "out"), "-q")
    assert "评估基准日不一致（2018-12-31：1 份，2019-12-31：1 份）" in result.stderr
