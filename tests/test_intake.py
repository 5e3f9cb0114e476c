"""Intake: template → filled by header names → read back; layout changes; the check command."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import MINI_PROFILE, Fill, Rows
from scoringkit import FULL_PROFILE

from engine.contract import COL_CHECK_NOTE, COL_EVIDENCE, COL_SELF, SHEET_ITEMS, SHEET_META, SHEET_PROFILE
from engine.intake import read_submission
from engine.rules.model import NA, RuleSet
from engine.submission import ItemEntry, Submission
from engine.template import fill_workbook, write_template

Edit = Callable[..., Path]

EXPECTED_PROFILE = FULL_PROFILE  # what the mini workbook of conftest.fill reads back as
EXPECTED_ITEMS = {
    "1.1.1": ("是", 6),
    "1.1.2": ("较好", 7),
    "1.1.3": (Decimal("31.5"), 8),
    "1.2.1": (Decimal(95), 10),
    "1.2.2": (NA, 11),
    "2.1.1": (Decimal(12), 14),
    "2.1.2": (Decimal(1), 15),
    "2.1.3": (date(2017, 6, 1), None),
    "2.1.4": (date(2018, 10, 1), 16),
}


def values(submission: Submission) -> tuple[Any, ...]:
    """What must not change when columns or rows move: profile, answers and texts (not rows)."""
    strip = {k: dataclasses.replace(e, row=None) for k, e in submission.items.items()}
    vetoes = {k: dataclasses.replace(e, row=None) for k, e in submission.vetoes.items()}
    codes = sorted(d.code for d in submission.diagnostics)
    return dict(submission.profile), strip, vetoes, codes


# ---------------------------------------------------------------- round trip


def test_a_filled_template_reads_back_as_the_expected_submission(fill: Fill, mini_rules: RuleSet) -> None:
    path = fill()
    submission = read_submission(path, mini_rules)
    assert submission.diagnostics == ()
    assert submission.valid
    assert submission.source == str(path)
    assert submission.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert dict(submission.profile) == EXPECTED_PROFILE
    assert {k: (e.self_value, e.row) for k, e in submission.items.items()} == EXPECTED_ITEMS
    assert list(submission.items) == [i.id for i in mini_rules.items]
    assert submission.vetoes == {"V1": ItemEntry("V1", self_value="否", row=18)}


def test_inspector_columns_and_texts_are_read(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    path = fill(checks={"1.1.1": "否", "2.1.2": "2次"}, evidence={"1.1.1": "2018年学习计划"})

    def notes(rows: Rows) -> Rows:
        header = rows[2]
        rows[5][header.index("备注")] = "已上传"
        rows[5][header.index(COL_CHECK_NOTE)] = "计划未经支委会讨论"
        return rows

    submission = read_submission(edit(path, SHEET_ITEMS, notes), mini_rules)
    assert submission.items["1.1.1"] == ItemEntry(
        "1.1.1", "是", "否", evidence="2018年学习计划", note="已上传", check_note="计划未经支委会讨论", row=6
    )
    assert submission.items["2.1.2"].check_value == Decimal(2)


def test_typed_text_is_normalised(fill: Fill, mini_rules: RuleSet) -> None:
    path = fill(
        profile={"full_members": "９人", "has_committee": " √ ", "election_date": "2017年6月1日"},
        answers={
            "1.1.1": "Y",
            "1.1.3": "31.5学时",
            "1.2.1": "95%",
            "1.2.2": "n/a",
            "2.1.1": "１２次",
            "2.1.4": "2018.10.1",
        },
    )
    submission = read_submission(path, mini_rules)
    assert submission.diagnostics == ()
    assert dict(submission.profile) == EXPECTED_PROFILE
    assert {k: (e.self_value, e.row) for k, e in submission.items.items()} == EXPECTED_ITEMS


def test_profile_labels_are_matched_after_trimming_spaces(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def pad(rows: Rows) -> Rows:
        return [rows[0], *([f"\u3000{r[0]} ", *r[1:]] for r in rows[1:])]

    submission = read_submission(
        edit(fill(profile={"branch_name": " 测试党支部\u3000"}), SHEET_PROFILE, pad), mini_rules
    )
    assert dict(submission.profile) == EXPECTED_PROFILE
    assert submission.diagnostics == ()


def test_the_value_from_item_takes_the_profile_date(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(profile={"election_date": date(2016, 1, 2)}), mini_rules)
    assert submission.items["2.1.3"] == ItemEntry("2.1.3", self_value=date(2016, 1, 2), row=None)


def test_the_input_file_is_never_written(fill: Fill, mini_rules: RuleSet) -> None:
    path = fill(answers={"1.1.1": "可能"})
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_submission(path, mini_rules)
    read_submission(path, mini_rules)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# ---------------------------------------------------------------- layout changes


def test_moved_and_extra_columns_read_identically(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    path = fill(checks={"1.1.2": "一般"}, evidence={"1.1.1": "学习计划"})
    original = read_submission(path, mini_rules)

    def move(rows: Rows) -> Rows:
        header = rows[2]
        a, b = header.index(COL_SELF), header.index(COL_EVIDENCE)
        for row in rows:
            row[a], row[b] = row[b], row[a]
        return [["额外列", *row] for row in rows]

    moved = edit(path, SHEET_ITEMS, move, name="moved.xlsx")
    moved = edit(moved, SHEET_PROFILE, lambda rows: [["序号", *row] for row in rows], name="moved2.xlsx")
    submission = read_submission(moved, mini_rules)
    assert values(submission) == values(original)
    assert [e.row for e in submission.items.values()] == [e.row for e in original.items.values()]


def test_resorted_rows_blank_rows_and_section_text_read_identically(
    fill: Fill, mini_rules: RuleSet, edit: Edit
) -> None:
    path = fill(checks={"1.1.2": "一般"})
    original = read_submission(path, mini_rules)

    def resort(rows: Rows) -> Rows:
        head, body = rows[:3], rows[3:]
        body = [r for r in reversed(body)]
        blank: list[Any] = [None] * len(rows[2])
        section = ["一、政治建设标准"] + [None] * (len(rows[2]) - 1)
        return [*head, blank, section, *body[:4], blank, blank, *body[4:]]

    def profile_resort(rows: Rows) -> Rows:
        return [rows[0], [None, None, None], *reversed(rows[1:])]

    resorted = edit(edit(path, SHEET_ITEMS, resort), SHEET_PROFILE, profile_resort, name="resorted.xlsx")
    submission = read_submission(resorted, mini_rules)
    assert values(submission) == values(original)
    assert submission.items["1.1.1"].row != original.items["1.1.1"].row


def test_a_merely_hidden_meta_sheet_is_fine(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def hide(wb: Any) -> None:
        wb[SHEET_META].sheet_state = "hidden"

    assert read_submission(edit(fill(), None, hide), mini_rules).diagnostics == ()


def test_the_bundled_rule_set_round_trips_quickly(bundled_rules: RuleSet, tmp_path: Path) -> None:
    template = write_template(bundled_rules, tmp_path / "bundled.xlsx")
    profile: dict[str, Any] = {
        "branch_name": "办公室党支部",
        "parent_org": "机关党委",
        "members_total": 10,
        "full_members": 8,
        "probationary_members": 2,
        "has_committee": "是",
        "committee_size": 5,
        "group_count": 2,
        "election_date": date(2017, 6, 1),
        "secretary_name": "张三",
        "assessment_year": 2018,
    }
    answers: dict[str, Any] = {}
    for item in bundled_rules.items:
        if not item.asked:
            continue
        if item.type == "yes_no":
            answers[item.id] = "是"
        elif item.type == "level":
            answers[item.id] = item.options[0].label
        elif item.type == "count":
            answers[item.id] = float(item.target or 0)
        elif item.type == "percent":
            answers[item.id] = 1.0
        else:
            answers[item.id] = date(2018, 6, 1)
    vetoes = {v.id: "否" for v in bundled_rules.question_vetoes}
    path = fill_workbook(template, tmp_path / "filled.xlsx", profile=profile, answers=answers, vetoes=vetoes)
    submission = read_submission(path, bundled_rules)
    assert submission.diagnostics == ()
    assert submission.profile["members_total"] == 10
    assert len(submission.items) == len(bundled_rules.items)
    for item in bundled_rules.items:
        entry = submission.items[item.id]
        if item.asked:
            assert entry.self_value is not None and entry.row is not None, item.id
    assert all(e.self_value == "否" for e in submission.vetoes.values())


# ---------------------------------------------------------------- the check command


def test_check_exits_0_on_a_clean_workbook(fill: Fill, mini_rules: RuleSet, capsys: pytest.CaptureFixture[str]) -> None:
    assert mini_rules.path is not None
    path = fill()
    result = run(capsys, "check", str(path), "--rules", str(mini_rules.path))
    assert result.exit_code == 0, result.stderr
    assert f"✔ {path.name}：可以提交（0 个提醒）" in result.stdout  # relative to the input root


def test_check_exits_1_on_an_invalid_answer(
    fill: Fill, mini_rules: RuleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mini_rules.path is not None
    path = fill(answers={"2.1.2": "两次"}, vetoes={"V1": None})
    result = run(capsys, "check", str(path), "--rules", str(mini_rules.path))
    assert result.exit_code == 1
    for text in ("位置", "自评表!G15", "错误", "填写内容无效", "自评表!G18", "提醒", "否决项未填写"):
        assert text in result.stdout
    assert f"✘ {path.name}：有 1 个错误，需修改后重新提交" in result.stdout


def test_check_json_shape(fill: Fill, mini_rules: RuleSet, capsys: pytest.CaptureFixture[str]) -> None:
    assert mini_rules.path is not None
    bad, good = fill("bad.xlsx", answers={"1.1.1": "可能"}), fill("good.xlsx")
    result = run(capsys, "check", str(good), str(bad), "--rules", str(mini_rules.path), "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["format"] == "branchcheck.check/1"
    assert [f["source"] for f in document["files"]] == [str(bad), str(good)]  # by path, as score lists them
    second, first = document["files"]
    assert set(first) == {"source", "sha256", "valid", "diagnostics"}
    assert first["valid"] is True and first["diagnostics"] == []
    assert first["sha256"] == hashlib.sha256(good.read_bytes()).hexdigest()
    assert second["valid"] is False
    assert second["diagnostics"] == [
        {
            "code": "invalid-answer",
            "severity": "error",
            "sheet": "自评表",
            "row": 6,
            "column": "G",
            "cell": "自评表!G6",
            "value": "可能",
            "message": "检查要点 1.1.1 的自评结果填写的“可能”无效，允许填写：是、否",
        }
    ]


def test_check_finds_inputs_as_score_does(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mini_rules.path is not None
    folder = tmp_path / "returned" / "sub"
    folder.mkdir(parents=True)
    fill().rename(folder / "a.xlsx")
    (folder / "~$a.xlsx").write_bytes(b"lock")
    (folder / "._a.xlsx").write_bytes(b"mac")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / "notes.xlsx").write_text("x", encoding="utf-8")
    result = run(capsys, "check", str(tmp_path / "returned"), "--rules", str(mini_rules.path), "--json", "-q")
    assert result.exit_code == 1  # every file is accounted for: the text named as a workbook is rejected
    document = json.loads(result.stdout)
    files = document["files"]
    expected = [(str(folder / "a.xlsx"), True), (str(folder / "notes.xlsx"), False)]
    assert [(f["source"], f["valid"]) for f in files] == expected
    assert files[1]["diagnostics"][0]["code"] == "not-a-workbook"
    assert document["other_files"] == [str(folder / "notes.txt")]  # evidence: listed, not read


def test_check_a_missing_path_or_no_workbook_exits_2(
    mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mini_rules.path is not None
    missing = tmp_path / "没有这个文件.xlsx"
    result = run(capsys, "check", str(missing), "--rules", str(mini_rules.path))
    assert result.exit_code == 2
    assert str(missing) in result.stderr and "找不到" in result.stderr
    (tmp_path / "empty").mkdir()
    result = run(capsys, "check", str(tmp_path / "empty"), "--rules", str(mini_rules.path))
    assert result.exit_code == 2
    assert "没有找到" in result.stderr


def test_check_reports_a_file_that_is_not_a_workbook(
    mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mini_rules.path is not None
    fake = tmp_path / "自评表.xlsx"
    fake.write_text("支部名称,测试\n", encoding="utf-8")
    result = run(capsys, "check", str(fake), "--rules", str(mini_rules.path))
    assert result.exit_code == 1
    assert "不是 Excel" in result.stdout


def test_mini_profile_fixture_is_complete(mini_rules: RuleSet) -> None:
    required = {f.id for f in mini_rules.profile if f.required}
    assert required <= set(MINI_PROFILE)


def test_check_warns_of_an_undetermined_veto_and_applies_strict(
    fill: Fill, mini_rules: RuleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    """check tells the secretary what score will say: a veto it cannot judge, and --strict's verdict."""
    assert mini_rules.path is not None
    path = fill("v.xlsx", answers={"2.1.2": None})  # V3 reads 2.1.2
    plain = run(capsys, "check", str(path), "--rules", str(mini_rules.path), "--json", "-q")
    found = json.loads(plain.stdout)["files"][0]["diagnostics"]
    assert plain.exit_code == 0
    assert [d["code"] for d in found] == ["item-unanswered", "veto-undetermined"]
    assert "V3" in found[1]["message"]
    strict = run(capsys, "check", str(path), "--rules", str(mini_rules.path), "--strict", "-q")
    assert strict.exit_code == 1
    lines = strict.stdout.splitlines()
    assert lines[0].startswith("✘") and "需修改后重新提交" in lines[0]  # the verdict comes first
    assert lines[-1] == "共 1 个文件：可以提交 0，需修改后重新提交 1"
