"""The roster (名册): reading messy workbooks, duplicates, 曾用名, matching, hints, the empty template."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from openpyxl import Workbook, load_workbook

from engine.roster import RosterError, load_roster
from engine.roster.hints import closest, edit_distance, hint_text
from engine.roster.matching import BY_CODE, BY_FORMER, BY_NAME, MISSING_ROW, REJECTED_ROW, SCORED_ROW, match_roster
from engine.roster.reader import read_roster, split_former
from engine.roster.template import write_roster_template
from engine.rules import RuleSet
from engine.scoring.model import REJECTED, SCORED, Result

HEADERS = ["上级党组织", "支部名称", "支部编码", "分组", "联系人", "联系电话", "曾用名"]


def roster_file(tmp_path: Path, rows: list[list[Any]], *, sheet: str = "名册", name: str = "名册.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_messy_roster_is_read_by_header_title(tmp_path: Path) -> None:
    rows = [
        ["2025 年度党支部名册"],
        [],
        ["备注", "支部 名称", "ＵＰ", "上级党组织 ", "曾用名", "联系电话", "联系人"],
        ["甲", "办公室党支部", "x", "××厅机关党委", "综合处党支部；办公室支部;  ", 13800000000, "张三"],
        [None, None, None, None, None, None, None],
        [None, "人事处党支部", None, "××厅机关党委", None, None, None],
    ]
    roster = read_roster(roster_file(tmp_path, rows, sheet="名 册"))
    assert not roster.errors
    assert [(r.row, r.parent, r.name) for r in roster.rows] == [
        (4, "××厅机关党委", "办公室党支部"),
        (6, "××厅机关党委", "人事处党支部"),
    ]
    first = roster.rows[0]
    assert first.former == ("综合处党支部", "办公室支部")
    assert (first.contact, first.phone, first.code, first.group) == ("张三", "13800000000", None, None)
    variants = [(d.code, d.cell, d.value) for d in roster.warnings]  # trailing spaces are trimmed, not variants
    assert variants == [("name-variant", "名 册", "名 册"), ("name-variant", "名 册!B3", "支部 名称")]


def test_former_names_split_on_either_semicolon() -> None:
    assert split_former("甲；乙;丙 ； ；甲") == ("甲", "乙", "丙")
    assert split_former("") == ()


def test_duplicates_are_errors_naming_both_rows(tmp_path: Path) -> None:
    rows = [
        HEADERS,
        ["机关党委", "办公室党支部", "A1", None, None, None, "综合处党支部"],
        ["机关党委", "人事处党支部", "A1", None, None, None, None],
        ["机关党委", "办公室 党支部", None, None, None, None, None],
        ["机关党委", "新党支部", None, None, None, None, "综合处党支部"],
        ["另一党委", "办公室党支部", None, None, None, None, None],
    ]
    roster = read_roster(roster_file(tmp_path, rows))
    found = [(d.code, d.cell, d.message) for d in roster.errors]
    assert found == [
        ("roster-duplicate", "名册!C3", "与第 2 行是同一个支部（支部编码都是“A1”）"),
        ("roster-duplicate", "名册!B4",
         "与第 2 行是同一个支部（上级党组织都是“机关党委”，名称“办公室 党支部”与该行的“办公室党支部”相同）"),
        ("roster-duplicate", "名册!B5",
         "与第 2 行是同一个支部（上级党组织都是“机关党委”，名称“综合处党支部”与该行的“综合处党支部”相同）"),
    ]  # fmt: skip
    with pytest.raises(RosterError, match="有 3 个问题") as info:
        load_roster(roster_file(tmp_path, rows, name="dup.xlsx"))
    assert info.value.exit_code == 2


def test_missing_sheet_header_and_values_are_positioned(tmp_path: Path) -> None:
    no_sheet = read_roster(roster_file(tmp_path, [HEADERS], sheet="Sheet1", name="a.xlsx"))
    assert [(d.code, d.message) for d in no_sheet.errors] == [
        ("roster-sheet-missing", "名册中找不到工作表“名册”（本文件中的工作表：“Sheet1”）")
    ]
    no_header = read_roster(roster_file(tmp_path, [["支部", "单位"], ["a", "b"]], name="b.xlsx"))
    assert [d.code for d in no_header.errors] == ["roster-header-missing"]
    assert "“支部”" in no_header.errors[0].message
    blank = read_roster(roster_file(tmp_path, [HEADERS, [None, "甲党支部"], ["乙党委", None, "B2"]], name="c.xlsx"))
    assert [(d.cell, d.message) for d in blank.errors] == [
        ("名册!A2", "本行的“上级党组织”未填写"),
        ("名册!B3", "本行的“支部名称”未填写"),
    ]


def test_a_file_that_is_not_a_workbook_is_a_file_level_error(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_text("上级党组织,支部名称\n", encoding="utf-8")
    roster = read_roster(path)
    assert [d.code for d in roster.errors] == ["not-a-workbook"]


def test_the_empty_roster_template_reads_back_and_is_deterministic(tmp_path: Path) -> None:
    first = write_roster_template(tmp_path / "a.xlsx")
    second = write_roster_template(tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    wb = load_workbook(first)
    assert wb.sheetnames == ["名册", "填写说明"]
    assert [c.value for c in wb["名册"][1]] == HEADERS
    assert wb["名册"].data_validations.dataValidation
    ws = wb["名册"]
    ws.append(["机关党委", "办公室党支部", "A1", "机关", "张三", "123", "旧名"])
    wb.save(tmp_path / "filled.xlsx")
    roster = load_roster(tmp_path / "filled.xlsx")
    assert [(r.name, r.former) for r in roster.rows] == [("办公室党支部", ("旧名",))]


def test_cli_roster_template_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "名册.xlsx"
    done = run(capsys, "roster", "template", "-o", str(target))
    assert done.exit_code == 0 and target.is_file()
    assert run(capsys, "roster", "template", "-o", str(target)).exit_code == 2  # never overwrites
    empty = run(capsys, "roster", "check", str(target))
    assert empty.exit_code == 2 and "没有任何支部" in empty.stderr
    good = roster_file(tmp_path, [HEADERS, ["党委", "甲党支部", None, "片区一"]], name="good.xlsx")
    checked = run(capsys, "roster", "check", str(good))
    assert checked.exit_code == 0 and "名册可用：1 个支部，1 个上级党组织，1 个分组。" in checked.stdout


# -- matching --


def result(
    source: str, name: str | None, parent: str | None, code: str | None = None, *, scored: bool = True
) -> Result:
    profile: dict[str, Any] = {"branch_code": code} if code else {}
    return Result(source, "", SCORED if scored else REJECTED, (), name, parent, profile)


def test_matching_by_code_then_by_name_and_former_name(tmp_path: Path, bundled_rules: RuleSet) -> None:
    rows = [
        HEADERS,
        ["机关党委", "办公室党支部", "A1", None, "张三", "1", "综合处党支部"],
        ["机关党委", "人事处党支部", None, None, "李四", "2", None],
        ["机关党委", "财务处党支部", None, None, None, None, None],
        ["机关党委", "后勤党支部", "A4", None, None, None, None],
    ]
    roster = load_roster(roster_file(tmp_path, rows))
    results = [
        result("a.xlsx", "写错的名字", "别的党委", "Ａ1"),  # code wins over the name (full-width folded)
        result("b.xlsx", "人事处 党支部", "机关 党委"),  # normalised name
        result("c.xlsx", "综合处党支部", "机关党委", scored=False),  # former name, rejected
        result("d.xlsx", "后勤党支部", "机关党委", "B9"),  # both have codes and they differ: not this row
        result("e.xlsx", "办公司党支部", "机关党委"),
        result("f.xlsx", None, None, scored=False),
    ]
    found = match_roster(roster, bundled_rules, results)
    assert {s: (r.name, found.how[s]) for s, r in found.row_of.items()} == {
        "a.xlsx": ("办公室党支部", BY_CODE),
        "b.xlsx": ("人事处党支部", BY_NAME),
        "c.xlsx": ("办公室党支部", BY_FORMER),
    }
    states = {r.name: found.state(r) for r in roster.rows}
    assert states == {"办公室党支部": SCORED_ROW, "人事处党支部": SCORED_ROW, "财务处党支部": MISSING_ROW,
                      "后勤党支部": MISSING_ROW}  # fmt: skip
    assert [(o.source, o.hint) for o in found.off_roster] == [
        ("d.xlsx", "是否为“后勤党支部”？"),
        ("e.xlsx", "是否为“办公室党支部”？"),
    ]
    assert found.unnamed == ["f.xlsx"]
    assert found.history_keys()["c.xlsx"] == ("code:A1", "name:机关党委/办公室党支部", "name:机关党委/综合处党支部")


def test_a_row_whose_only_submission_was_rejected_is_not_missing(tmp_path: Path, bundled_rules: RuleSet) -> None:
    roster = load_roster(roster_file(tmp_path, [HEADERS, ["党委", "甲党支部"], ["党委", "乙党支部"]]))
    found = match_roster(roster, bundled_rules, [result("x", "甲党支部", "党委", scored=False)])
    assert [found.state(r) for r in roster.rows] == [REJECTED_ROW, MISSING_ROW]
    assert [r.name for r in found.missing] == ["乙党支部"]


def test_hints_are_the_closest_names_and_bounded() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert closest("办公司党支部", ["人事处党支部", "办公室党支部", "办公室"]) == ["办公室党支部"]
    assert closest("二党支部", ["一党支部", "三党支部", "十党支部x"]) == ["一党支部", "三党支部"]
    assert closest("完全不同的名字", ["办公室党支部"]) == []
    assert hint_text(["甲", "乙"]) == "是否为“甲”或“乙”？" and hint_text([]) == ""
    long = "党" * 1_000_000  # cut to a few dozen characters before any quadratic work
    assert closest(long, ["党" * 40, "办公室党支部"]) == ["党" * 40]


# -- one template per roster row --


def test_template_per_roster_row_round_trip(
    mini_rules: RuleSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from minirules import write_rules

    from engine.batch.scoring import score_file
    from engine.template import fill_workbook

    rules_dir = write_rules(tmp_path / "rules")
    rows = [
        HEADERS,
        ["一党委", "甲党支部"],
        ["一党委", "乙/党支部"],
        ["二党委", "甲党支部", None, None, None, None, "旧名"],
    ]
    names = roster_file(tmp_path, rows)
    out = tmp_path / "模板"
    done = run(capsys, "template", "--rules", str(rules_dir), "--roster", str(names), "-o", str(out), "-j", "2")
    assert done.exit_code == 0, done.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["一党委-乙_党支部-自评表.xlsx", "一党委-甲党支部-自评表.xlsx", "二党委-甲党支部-自评表.xlsx"]
    assert all(str(out / f) in done.stdout for f in files)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    again = run(capsys, "template", "--rules", str(rules_dir), "--roster", str(names), "-o", str(out), "-j", "1")
    assert again.exit_code == 0 and "0 份新写出，共 3 个支部" in again.stdout
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first  # byte-identical, jobs or not
    ws = load_workbook(out / "一党委-甲党支部-自评表.xlsx")["支部信息"]
    cell = next(r[1] for r in ws.iter_rows(min_row=2) if r[0].value == "支部名称")
    assert cell.value == "甲党支部" and cell.protection.locked and ws.protection.sheet
    # every template, filled in, is matched to its own roster row
    from conftest import MINI_ANSWERS, MINI_VETOES

    roster = load_roster(names)
    results = []
    for n, path in enumerate(sorted(out.iterdir())):
        filled = fill_workbook(path, tmp_path / f"filled{n}.xlsx", profile={"full_members": 9, "has_committee": "是",
                               "election_date": date(2017, 6, 1), "assessment_year": 2018},
                               answers=MINI_ANSWERS, vetoes=MINI_VETOES)  # fmt: skip
        results.append((path, score_file(mini_rules, str(filled))))
    found = match_roster(roster, mini_rules, [r for _, r in results])
    assert all(r.scored for _, r in results)
    assert {path.name: (found.row_of[r.source].parent, found.row_of[r.source].name) for path, r in results} == {
        "一党委-甲党支部-自评表.xlsx": ("一党委", "甲党支部"),
        "一党委-乙_党支部-自评表.xlsx": ("一党委", "乙/党支部"),
        "二党委-甲党支部-自评表.xlsx": ("二党委", "甲党支部"),
    }
    kept = out / "一党委-甲党支部-自评表.xlsx"
    kept.write_bytes(b"someone's work")
    third = run(capsys, "template", "--rules", str(rules_dir), "--roster", str(names), "-o", str(out))
    assert "已存在且内容不同，未覆盖" in third.stdout and kept.read_bytes() == b"someone's work"
