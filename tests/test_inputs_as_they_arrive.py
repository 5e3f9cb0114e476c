"""Inputs as a first collection round really brings them (issue 13, items 1-4): folders of
evidence beside the workbook, a folder per branch, copies of a file, rounds mixed in one batch."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from clirun import CliResult, run
from conftest import Fill
from hostile import biff8, ole2, pdf, png, zip_bytes
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from engine.batch.copies import looks_like_copy, original
from engine.batch.discovery import scan
from engine.guards.sniff import is_spreadsheet
from engine.outnames import NOTICE_DIR, ROLLUP_NAME, is_output_name
from engine.reports.summary_block import TABLE_HEADER_ROW
from engine.rules import RuleSet

DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def score(capsys: pytest.CaptureFixture[str], rules: RuleSet, out: Path, *inputs: Path) -> CliResult:
    assert rules.path is not None
    return run(capsys, "score", *map(str, inputs), "--rules", str(rules.path), "-o", str(out), "-j", "1")


def check(capsys: pytest.CaptureFixture[str], rules: RuleSet, *args: str) -> CliResult:
    assert rules.path is not None
    return run(capsys, "check", *args, "--rules", str(rules.path), "-j", "1")


def results(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data


def values(path: Path, sheet: str) -> list[list[Any]]:
    return [[c for c in row if c is not None] for row in load_workbook(path)[sheet].iter_rows(values_only=True)]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console wide enough that no table cell wraps."""
    from engine.cli import console

    monkeypatch.setattr(console.out, "_width", 240)


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# 1. Evidence files in submission folders
@pytest.fixture
def evidence_inbox(fill: Fill, tmp_path: Path) -> Path:
    inbox = tmp_path / "回收"
    fill("a.xlsx").rename(put(inbox / "第02党支部" / "自评表.xlsx", b""))
    put(inbox / "第02党支部" / "佐证材料" / "会议记录.pdf", pdf())
    put(inbox / "第02党支部" / "佐证材料" / "照片.png", png())
    put(inbox / "第02党支部" / "说明.docx", DOCX)
    return inbox


def test_evidence_files_are_listed_once_not_read_and_do_not_change_the_exit_code(
    evidence_inbox: Path, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    result = score(capsys, mini_rules, out, evidence_inbox)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "共 1 个文件：已评分 1，未通过 0；另有 3 个其他文件不是自评表，未作为自评表读取" in result.stdout
    data = results(out)
    assert [Path(s["source"]).name for s in data["submissions"]] == ["自评表.xlsx"]
    assert data["other_files"] == [
        str(evidence_inbox / "第02党支部" / p) for p in ("佐证材料/会议记录.pdf", "佐证材料/照片.png", "说明.docx")
    ]
    assert not (out / NOTICE_DIR).exists()  # no 退回说明 for evidence
    rows = values(out / ROLLUP_NAME, "其他文件")
    assert rows[0][0].startswith("其他文件（未作为自评表读取）") and rows[1][0].startswith("共 3 个文件")
    assert rows[3:] == [
        [1, "第02党支部/佐证材料/会议记录.pdf", ".pdf"],
        [2, "第02党支部/佐证材料/照片.png", ".png"],
        [3, "第02党支部/说明.docx", ".docx"],
    ]
    checked = check(capsys, mini_rules, str(evidence_inbox), "-q")
    assert checked.exit_code == 0
    assert "共 1 个文件：可以提交 1，需修改后重新提交 0；另有 3 个其他文件不是自评表" in checked.stdout
    document = json.loads(check(capsys, mini_rules, str(evidence_inbox), "--json", "-q").stdout)
    assert document["other_files"] == data["other_files"] and len(document["files"]) == 1


def test_a_workbook_named_otherwise_is_read_and_a_spreadsheet_name_with_other_content_stays_rejected(
    evidence_inbox: Path, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(evidence_inbox / "第02党支部" / "自评表.xlsx", evidence_inbox / "第02党支部" / "微信下载的文件")
    put(evidence_inbox / "第03党支部" / "自评表.xlsx", pdf())  # a PDF saved under a workbook's name
    out = tmp_path / "out"
    result = score(capsys, mini_rules, out, evidence_inbox)
    assert result.exit_code == 1
    by_name = {Path(s["source"]).name: s for s in results(out)["submissions"]}
    assert set(by_name) == {"自评表.xlsx", "微信下载的文件"} and len(results(out)["submissions"]) == 3
    assert by_name["微信下载的文件"]["status"] == "scored"
    rejected = next(s for s in results(out)["submissions"] if s["status"] == "rejected")
    assert rejected["diagnostics"][0]["code"] == "not-a-workbook"
    assert len(results(out)["other_files"]) == 3


def test_spreadsheets_are_recognised_by_name_or_content_cheaply(fill: Fill, tmp_path: Path) -> None:
    workbook = fill("a.xlsx").read_bytes()
    ods = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    cases = {
        "renamed.dat": (workbook, True),
        "表格.ods.bak": (ods, True),
        "old": (ole2({"Workbook": biff8("Sheet1", {(0, 0): 1})}), True),
        "wps.et": (b"anything", True),  # named as a spreadsheet: a submission, rejected if unreadable
        "说明.docx": (DOCX, False),
        "word.doc": (ole2({"WordDocument": b"\x00" * 10}), False),
        "photo.jpg": (png(), False),
        "empty.bin": (b"", False),
        "broken.zip": (b"PK\x03\x04" + b"\x00" * 100, False),
    }
    for name, (data, expected) in cases.items():
        assert is_spreadsheet(str(put(tmp_path / name, data))) is expected, name
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")  # never opened for reading: it would block
        assert is_spreadsheet(str(tmp_path / "pipe")) is False


def test_only_evidence_gives_the_one_no_inputs_message_in_check_and_score(
    mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "只有材料"
    put(folder / "会议记录.pdf", pdf())
    expected = f"错误：没有找到任何输入文件：{folder}（只有 1 个其他文件，不是自评表，未作为自评表读取）"
    for result in (check(capsys, mini_rules, str(folder)), score(capsys, mini_rules, tmp_path / "out", folder)):
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines()[-1] == expected


# 2. Folder-per-branch layouts
def test_folder_per_branch_sources_are_relative_and_notices_are_named_after_the_branch(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "各支部"
    fill("a.xlsx").rename(put(inbox / "办公室" / "自评表.xlsx", b""))
    finance = {"branch_name": "财务处党支部"}
    fill("b.xlsx", profile=finance, answers={"2.1.2": "两次"}).rename(put(inbox / "财务处" / "自评表.xlsx", b""))
    fill("c.xlsx", profile=finance, answers={"2.1.1": "很多"}).rename(
        put(inbox / "财务处" / "第二份" / "自评表.xlsx", b"")
    )
    put(inbox / "后勤" / "自评表.xlsx", "不是表格".encode())
    out = tmp_path / "out"
    result = score(capsys, mini_rules, out, inbox)
    assert result.exit_code == 1
    for shown in ("办公室/自评表.xlsx", "财务处/自评表.xlsx", "财务处/第二份/自评表.xlsx", "后勤/自评表.xlsx"):
        assert f"│ {shown} " in result.stdout
    notices = sorted(p.name for p in (out / NOTICE_DIR).iterdir())
    assert notices == [
        "后勤-自评表-退回说明.xlsx",  # nothing could be read: named after its path
        "测试机关党委-财务处党支部-2-退回说明.xlsx",  # the same branch twice: numbered in path order
        "测试机关党委-财务处党支部-退回说明.xlsx",
    ]
    assert all(is_output_name(name) for name in notices)
    header = values(out / NOTICE_DIR / "测试机关党委-财务处党支部-2-退回说明.xlsx", "退回说明")[:5]
    assert header[2:5] == [["文件", "财务处/自评表.xlsx"], ["支部名称", "财务处党支部"], ["上级党组织", "测试机关党委"]]
    first = values(out / NOTICE_DIR / "测试机关党委-财务处党支部-退回说明.xlsx", "退回说明")[2]
    assert first == ["文件", "财务处/第二份/自评表.xlsx"]  # 第 sorts before 自
    assert values(out / NOTICE_DIR / "后勤-自评表-退回说明.xlsx", "退回说明")[2:4] == [
        ["文件", "后勤/自评表.xlsx"],
        ["处理结果", "未通过检查，本次不予受理（未评分）。"],
    ]
    rejected = [row[0] for row in values(out / ROLLUP_NAME, "未通过文件")[3:]]
    assert rejected == ["后勤/自评表.xlsx", "财务处/第二份/自评表.xlsx", "财务处/自评表.xlsx"]
    assert [Path(s["source"]).is_absolute() for s in results(out)["submissions"]] == [True] * 4  # as given
    # Scored again into the input folder: the notices are outputs, never read back.
    again = score(capsys, mini_rules, inbox, inbox)
    assert again.exit_code == 1 and "共 4 个文件" in again.stdout
    assert len(scan([inbox]).files) == 4


# 3. Copies
def test_of_identical_files_the_one_not_named_like_a_copy_is_the_original(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill("a.xlsx").rename(inbox / "05-第05党支部(1).xlsx")
    shutil.copy(inbox / "05-第05党支部(1).xlsx", inbox / "05-第05党支部.xlsx")
    fill("b.xlsx", profile={"branch_name": "第六党支部"}).rename(inbox / "06.xlsx")
    out = tmp_path / "out"
    result = score(capsys, mini_rules, out, inbox)
    assert result.exit_code == 0
    assert "（重复，以 05-第05党支部.xlsx 为准）" in result.stdout
    assert "共 3 个文件：已评分 3，未通过 0；其中重复提交 1 份（与另一份内容相同，不重复计入汇总）" in result.stdout
    copy, first, _ = results(out)["submissions"]
    assert copy["duplicate_of"] == first["source"] == str(inbox / "05-第05党支部.xlsx")
    assert first["duplicate_of"] is None
    assert [d["message"] for d in copy["diagnostics"]] == [
        "与 05-第05党支部.xlsx 内容完全相同（重复提交），以 05-第05党支部.xlsx 为准，本份作为重复提交不再计入"
    ]
    table = values(out / ROLLUP_NAME, "总表")
    assert [row[0] for row in table[TABLE_HEADER_ROW:]] == [1, 1, "重复"]  # the header below the statistics
    assert "与 05-第05党支部.xlsx 内容相同" in table[-1]


def test_copy_names() -> None:
    copies = ["a(1).xlsx", "a（2）.xlsx", "a (12).xls", "a - 副本.xlsx", "副本 a.xlsx", "a 拷贝.xlsx",
              "a - Copy.xlsx", "Copy of a.xlsx", "a copy 2.xlsx"]  # fmt: skip
    originals = ["a.xlsx", "第05党支部.xlsx", "copyright.xlsx", "(1)a.xlsx", "2018(1)班.xlsx"]
    assert [n for n in copies if not looks_like_copy(n)] == []
    assert [n for n in originals if looks_like_copy(n)] == []
    assert original(["a(1).xlsx", "a(2).xlsx", "a.xlsx"]) == 2
    assert original(["办公室 - 副本/自评表.xlsx", "办公室/自评表.xlsx"]) == 1  # a copied folder
    assert original(["a(1).xlsx", "a(2).xlsx"]) == 0  # all copies: the first in path order
    assert original(["a(1).xlsx", "a.xlsx"], [True, False]) == 0  # a scored copy before a rejected original


# 4. Mixed rounds, and an undetermined veto's reason in the console
def test_mixed_assessment_years_are_warned_in_the_console_and_in_the_rollup(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill("a.xlsx").rename(inbox / "a.xlsx")
    fill("b.xlsx", profile={"branch_name": "第二党支部"}).rename(inbox / "b.xlsx")
    fill("c.xlsx", profile={"branch_name": "第三党支部", "assessment_year": 2024}).rename(inbox / "c.xlsx")
    out = tmp_path / "out"
    result = score(capsys, mini_rules, out, inbox)
    warning = (
        "注意：本批评分的提交评估年度不一致（2018 年：2 份，2024 年：1 份），评估基准日不一致"
        "（2018-12-31：2 份，2024-12-31：1 份），汇总中会一并排名，请确认是否属于同一轮评估。"
    )
    assert warning in result.stderr
    table = values(out / ROLLUP_NAME, "总表")
    assert table[1][0].endswith(warning)
    header = table[TABLE_HEADER_ROW - 1]  # below the statistics block
    years = {row[1]: row[header.index("评估年度")] for row in table[TABLE_HEADER_ROW:]}
    assert years == {"测试党支部": 2018, "第二党支部": 2018, "第三党支部": 2024}
    same = score(capsys, mini_rules, tmp_path / "out2", inbox / "a.xlsx", inbox / "b.xlsx")
    assert "注意" not in same.stderr and not values(tmp_path / "out2" / ROLLUP_NAME, "总表")[1][0].endswith(warning)
    column = get_column_letter(header.index("评估年度") + 1)
    assert not load_workbook(out / ROLLUP_NAME)["总表"].column_dimensions[column].hidden  # mixed: shown
    assert load_workbook(tmp_path / "out2" / ROLLUP_NAME)["总表"].column_dimensions[column].hidden  # all 2018


def test_an_undetermined_veto_shows_its_short_reason_in_score_and_check(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fill("a.xlsx", answers={"2.1.2": None})
    scored = score(capsys, mini_rules, tmp_path / "out", path)
    assert "│ 无法判定（V3：检查要点 2.1.2 未填写） │" in scored.stdout
    checked = check(capsys, mini_rules, str(path), "-q")
    assert "✔ a.xlsx：可以提交（2 个提醒；否决项无法判定（V3：检查要点 2.1.2 未填写））" in checked.stdout
