"""One test per intake diagnostic: its cell, severity, message and value."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from conftest import Fill, Rows
from hostile import raw_texts
from minirules import write_rules

from engine.contract import COL_SELF, SHEET_ITEMS, SHEET_META, SHEET_PROFILE
from engine.diagnostics import CATALOGUE, Diagnostic
from engine.intake import read_submission
from engine.intake.reader import MAX_DIAGNOSTICS, cap
from engine.rules import load_rule_set
from engine.rules.model import RuleSet
from engine.submission import Submission

Edit = Callable[..., Path]


def only(submission: Submission, code: str) -> Diagnostic:
    found = [d for d in submission.diagnostics if d.code == code]
    assert len(found) == 1, submission.diagnostics
    return found[0]


def codes(submission: Submission) -> list[str]:
    return [d.code for d in submission.diagnostics]


# ---------------------------------------------------------------- the file


def test_a_file_that_is_not_a_workbook_is_rejected_before_any_parser(mini_rules: RuleSet, tmp_path: Path) -> None:
    for name, data, code, message in (
        (
            "text.xlsx",
            "支部名称,测试\n".encode(),
            "not-a-workbook",
            "不是 Excel 文件，而是文本或 CSV 文件，请提交用自评表模板填写的 .xlsx 文件",
        ),
        ("empty.xlsx", b"", "file-empty", "文件是空的（0 字节），请重新提交填写好的自评表"),
        ("word.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), None, None),
        ("writer.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), None, None),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        submission = read_submission(path, mini_rules)
        [d] = submission.diagnostics
        assert (d.severity, d.cell) == ("error", None), name
        if code is not None:
            assert (d.code, d.message) == (code, message), name
        assert not submission.valid and submission.items == {}


def test_file_unreadable_when_it_cannot_be_opened(mini_rules: RuleSet, tmp_path: Path) -> None:
    submission = read_submission(tmp_path / "gone.xlsx", mini_rules)
    assert only(submission, "file-unreadable").message == "无法读取文件：文件已不存在（可能在读取前被移走或删除）"


def test_the_format_comes_from_the_content_not_the_name(fill: Fill, mini_rules: RuleSet, tmp_path: Path) -> None:
    renamed = tmp_path / "自评表.ods"
    renamed.write_bytes(fill().read_bytes())
    assert read_submission(renamed, mini_rules).diagnostics == ()


def test_sheet_missing(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def drop(name: str) -> Callable[[Any], None]:
        return lambda wb: wb.remove(wb[name])

    submission = read_submission(edit(fill(), None, drop(SHEET_ITEMS), name="a.xlsx"), mini_rules)
    d = only(submission, "sheet-missing")
    assert (d.severity, d.cell) == ("error", "自评表")
    assert d.message == "找不到工作表“自评表”，请使用下发的自评表模板填写（本文件中的工作表：“填表说明”、“支部信息”）"
    assert submission.profile["full_members"] == 9  # the rest is still read
    submission = read_submission(edit(fill(), None, drop(SHEET_PROFILE), name="b.xlsx"), mini_rules)
    assert codes(submission) == ["sheet-missing"]
    assert only(submission, "sheet-missing").cell == "支部信息"


def test_header_missing(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def rename(rows: Rows) -> Rows:
        rows[2] = ["自评" if v == COL_SELF else v for v in rows[2]]
        return rows

    submission = read_submission(edit(fill(), SHEET_ITEMS, rename), mini_rules)
    d = only(submission, "header-missing")
    assert (d.severity, d.cell) == ("error", "自评表")
    assert d.message == (
        "工作表“自评表”前 10 行中找不到同时包含“编号”和“自评结果”的表头行（第 3 行为：“编号”、“方面”、“标准”、"
        "“检查要点”、“填写说明”、“分值”、“自评”、“佐证材料”、“备注”、“核查结果”、“核查意见”）"
    )
    assert codes(submission) == ["header-missing"]  # no flood of item-missing


def test_sheets_and_headers_that_differ_only_in_invisible_or_full_width_characters_are_read_with_a_warning(
    fill: Fill, mini_rules: RuleSet, edit: Edit
) -> None:
    def rename(wb: Any) -> None:
        wb[SHEET_ITEMS].title = "自评表\u200d"
        wb[SHEET_PROFILE].title = "\ufeff支部信息"
        items = wb["自评表\u200d"]
        items["A3"] = "编\u200b号"
        items["G3"] = "自　评 结 果"  # an ideographic space and spaces inside
        items["J3"] = "核查结果\ufeff"
        wb["\ufeff支部信息"]["A4"] = "正式党员人数\u2060"

    submission = read_submission(edit(fill(checks={"1.1.1": "否"}), None, rename), mini_rules)
    assert submission.valid
    assert (submission.items["1.1.1"].self_value, submission.items["1.1.1"].check_value) == ("是", "否")
    assert submission.profile["full_members"] == 9
    found = {d.value: (d.code, d.severity, d.cell, d.message) for d in submission.diagnostics}
    tail = "只有不可见字符或全角/半角等写法上的差别，已按"
    assert found == {
        "自评表\u200d": (
            "name-variant", "warning", "自评表", f"工作表“自评表\\u200d”与模板中的“自评表”{tail}“自评表”读取"
        ),
        "\ufeff支部信息": (
            "name-variant", "warning", "支部信息", f"工作表“\\ufeff支部信息”与模板中的“支部信息”{tail}“支部信息”读取"
        ),
        "编\u200b号": ("name-variant", "warning", "自评表!A3", f"表头“编\\u200b号”与模板中的“编号”{tail}“编号”读取"),
        "自　评 结 果": (
            "name-variant", "warning", "自评表!G3", f"表头“自\\u3000评 结 果”与模板中的“自评结果”{tail}“自评结果”读取"
        ),
        "核查结果\ufeff": (
            "name-variant", "warning", "自评表!J3", f"表头“核查结果\\ufeff”与模板中的“核查结果”{tail}“核查结果”读取"
        ),
        "正式党员人数\u2060": (
            "name-variant", "warning", "支部信息!A4",
            f"项目“正式党员人数\\u2060”与模板中的“正式党员人数”{tail}“正式党员人数”读取",
        ),
    }  # fmt: skip


def test_sheet_names_match_ignoring_full_width_and_case(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def rename(wb: Any) -> None:
        wb[SHEET_META].title = "＿ＭＥＴＡ"

    submission = read_submission(edit(fill(), None, rename), mini_rules)
    assert [(d.code, d.value) for d in submission.diagnostics] == [("name-variant", "＿ＭＥＴＡ")]


def test_template_mismatch_names_the_template_needed(fill: Fill, mini_rules: RuleSet, tmp_path: Path) -> None:
    def bump(ruleset: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        ruleset["version"] = "1.1.0"
        a2["standards"][0]["items"][1]["target"] = 2

    newer = load_rule_set(write_rules(tmp_path / "newer", bump))
    d = only(read_submission(fill(), newer), "template-mismatch")
    assert (d.severity, d.cell, d.value) == ("error", "_meta!B4", mini_rules.fingerprint)
    assert d.message == (
        "本表是按规则集 mini 1.0.0 生成的，当前检查使用的是规则集 mini 1.1.0，"
        "请使用规则集 mini 1.1.0 的自评表模板重新填写"
    )


def test_a_new_version_that_does_not_change_answering_or_scoring_is_accepted(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    def bump(ruleset: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        ruleset["version"] = "1.0.1"
        a1["standards"][0]["items"][0]["advice"] = "每年初制定学习计划"

    patched = load_rule_set(write_rules(tmp_path / "patched", bump))
    assert patched.fingerprint == mini_rules.fingerprint
    assert read_submission(fill(), patched).diagnostics == ()


def test_template_mismatch_when_the_rules_changed_but_not_the_version(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    def edit_points(_r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["text"] = "有年度学习计划并按计划落实"

    changed = load_rule_set(write_rules(tmp_path / "changed", edit_points))
    d = only(read_submission(fill(), changed), "template-mismatch")
    assert "当前规则集 mini 1.0.0 不一致" in d.message


def test_meta_missing_is_a_warning_and_the_sheet_is_read_anyway(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    submission = read_submission(edit(fill(), None, lambda wb: wb.remove(wb[SHEET_META])), mini_rules)
    d = only(submission, "meta-missing")
    assert (d.severity, d.cell) == ("warning", "_meta")
    assert d.message.startswith("未找到隐藏的 _meta 工作表")
    assert submission.valid and submission.items["1.1.1"].self_value == "是"


# ---------------------------------------------------------------- 支部信息


def test_profile_missing_when_required(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(profile={"branch_name": None}), mini_rules)
    d = only(submission, "profile-missing")
    assert (d.severity, d.cell, d.value) == ("error", "支部信息!B2", None)
    assert d.message == "“支部名称”未填写：此项为必填项"


def test_profile_missing_when_required_by_a_condition(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(profile={"election_date": None}), mini_rules)
    d = only(submission, "profile-missing")
    assert d.cell == "支部信息!B6"
    assert d.message == "“本届支部委员会选举日期”未填写：是否设立支部委员会为“是”时，此项必填"
    not_required = read_submission(
        fill(profile={"election_date": None, "has_committee": "否", "full_members": 5}), mini_rules
    )
    assert "profile-missing" not in codes(not_required)


def test_profile_invalid_names_the_expected_kind(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(
        fill(
            profile={
                "full_members": "十二",
                "has_committee": "可能",
                "election_date": "上个月",
                "assessment_year": 1900,
            },
        ),
        mini_rules,
    )
    found = {d.cell: (d.severity, d.message, d.value) for d in submission.diagnostics if d.code == "profile-invalid"}
    assert found == {
        "支部信息!B4": ("error", "“正式党员人数”填写的“十二”不是有效的整数", "十二"),
        "支部信息!B5": ("error", "“是否设立支部委员会”填写的“可能”不是有效的“是”或“否”", "可能"),
        "支部信息!B6": ("error", "“本届支部委员会选举日期”填写的“上个月”不是有效的日期", "上个月"),
        "支部信息!B7": ("error", "“评估年度”填写的“1900”不是有效的年份", "1900"),
    }
    assert submission.profile["full_members"] is None


def test_no_reference_date(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(profile={"assessment_year": None}), mini_rules)
    d = only(submission, "no-reference-date")
    assert (d.severity, d.cell) == ("error", "支部信息!B8")
    assert d.message == "“评估基准日”和“评估年度”至少填写一项，否则无法确定评估基准日"
    with_date = read_submission(
        fill(profile={"assessment_year": None, "reference_date": date(2018, 11, 30)}), mini_rules
    )
    assert with_date.valid


def test_profile_check_uses_the_checks_severity_and_message(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(profile={"has_committee": "否"}, answers={"2.1.1": None}), mini_rules)
    d = only(submission, "profile-check")
    assert (d.severity, d.cell, d.value) == ("warning", "支部信息!B4", 9)
    assert d.message == "正式党员7人以上的党支部应当设立支部委员会（所填：正式党员人数 9，是否设立支部委员会 否）"


# ---------------------------------------------------------------- 自评表 answers


def test_invalid_answer_lists_the_allowed_values(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(answers={"1.1.1": "可能"}, checks={"1.1.2": "很好"}), mini_rules)
    found = {d.cell: (d.severity, d.message, d.value) for d in submission.diagnostics}
    assert found == {
        "自评表!G6": ("error", "检查要点 1.1.1 的自评结果填写的“可能”无效，允许填写：是、否", "可能"),
        "自评表!J7": ("error", "检查要点 1.1.2 的核查结果填写的“很好”无效，允许填写：好、较好、一般、差", "很好"),
    }
    assert submission.items["1.1.1"].self_value is None


def test_na_not_allowed(fill: Fill, mini_rules: RuleSet) -> None:
    d = only(read_submission(fill(answers={"1.1.1": "不适用"}), mini_rules), "na-not-allowed")
    assert (d.severity, d.cell, d.value) == ("error", "自评表!G6", "不适用")
    assert d.message == "检查要点 1.1.1 不能填写“不适用”，允许填写：是、否"


def test_invalid_count(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(answers={"2.1.2": -1, "2.1.1": 1.5, "1.1.3": "31.55"}), mini_rules)
    found = {d.cell: (d.code, d.message) for d in submission.diagnostics}
    assert found == {
        "自评表!G15": ("invalid-count", "检查要点 2.1.2 的自评结果填写的“-1”无效：不能为负数"),
        "自评表!G14": ("invalid-count", "检查要点 2.1.1 的自评结果填写的“1.5”无效：应填写整数"),
        "自评表!G8": ("invalid-count", "检查要点 1.1.3 的自评结果填写的“31.55”无效：最多保留 1 位小数"),
    }


def test_percent_out_of_range(fill: Fill, mini_rules: RuleSet) -> None:
    d = only(read_submission(fill(answers={"1.2.1": "120%"}), mini_rules), "percent-out-of-range")
    assert (d.severity, d.cell, d.value) == ("error", "自评表!G10", "120%")
    assert d.message == "检查要点 1.2.1 的自评结果填写的“120%”超出 0%～100% 的范围"


def test_date_out_of_range(fill: Fill, mini_rules: RuleSet) -> None:
    late = only(read_submission(fill(answers={"2.1.4": date(2019, 1, 5)}), mini_rules), "date-out-of-range")
    assert (late.severity, late.cell, late.value) == ("error", "自评表!G16", "2019-01-05")
    assert late.message == "检查要点 2.1.4 的自评结果填写的日期 2019-01-05 晚于评估基准日 2018-12-31"
    early = only(read_submission(fill(checks={"2.1.4": "1920年1月1日"}), mini_rules), "date-out-of-range")
    assert early.cell == "自评表!J16"
    assert early.message == "检查要点 2.1.4 的核查结果填写的日期 1920-01-01 早于 1921-07-01（建党日）"


def test_duplicate_id_names_the_other_row(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    submission = read_submission(edit(fill(), SHEET_ITEMS, lambda rows: [*rows, list(rows[5])]), mini_rules)
    d = only(submission, "duplicate-id")
    assert (d.severity, d.cell, d.value) == ("error", "自评表!A19", "1.1.1")
    assert d.message == "编号 1.1.1 出现了两次（另一处在第 6 行），请删除重复的行"
    assert submission.items["1.1.1"].row == 6


def test_item_unanswered(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(answers={"2.1.2": None}), mini_rules)
    d = only(submission, "item-unanswered")
    assert (d.severity, d.cell) == ("warning", "自评表!G15")
    assert d.message == "检查要点 2.1.2 未填写自评结果，按未达标计 0 分"
    assert submission.valid
    inspected = read_submission(fill(answers={"2.1.2": None}, checks={"2.1.2": 3}), mini_rules)
    assert "item-unanswered" not in codes(inspected)


def test_item_missing(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    submission = read_submission(edit(fill(), SHEET_ITEMS, lambda rows: rows[:5] + rows[6:]), mini_rules)
    d = only(submission, "item-missing")
    assert (d.severity, d.cell) == ("warning", "自评表")
    assert d.message == "自评表中缺少检查要点 1.1.1（有年度学习计划），按未填写处理"
    assert submission.items["1.1.1"].self_value is None


def test_unknown_id(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def extra(rows: Rows) -> Rows:
        row: list[Any] = [None] * len(rows[2])
        row[0], row[6] = "9.9.9", "是"
        return [*rows, row]

    d = only(read_submission(edit(fill(), SHEET_ITEMS, extra), mini_rules), "unknown-id")
    assert (d.severity, d.cell, d.value) == ("warning", "自评表!A19", "9.9.9")
    assert d.message == "编号“9.9.9”不在规则集中，该行已忽略"


def test_answer_not_applicable_is_ignored(fill: Fill, mini_rules: RuleSet) -> None:
    profile = {"has_committee": "否", "full_members": 5, "election_date": None}
    submission = read_submission(fill(profile=profile, answers={"2.1.1": 12}), mini_rules)
    d = only(submission, "answer-not-applicable")
    assert (d.severity, d.cell, d.value) == ("warning", "自评表!G14", "12")
    assert d.message == "检查要点 2.1.1 不适用（适用条件“是否设立支部委员会为“是””不满足），填写的“12”已忽略"
    assert submission.items["2.1.1"].self_value is None
    quiet = read_submission(fill("b.xlsx", profile=profile, answers={"2.1.1": "不适用"}), mini_rules)
    assert quiet.diagnostics == ()


def test_veto_unanswered(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(vetoes={"V1": None}), mini_rules)
    d = only(submission, "veto-unanswered")
    assert (d.severity, d.cell) == ("warning", "自评表!G18")
    assert d.message == "否决项 V1 未填写“是”或“否”，无法判定，评级时按触发处理"
    assert submission.vetoes["V1"].self_value is None
    invalid = read_submission(fill(vetoes={"V1": "不适用"}), mini_rules)
    assert only(invalid, "na-not-allowed").message == "否决项 V1 不能填写“不适用”，允许填写：是、否"


def test_veto_answers_use_synonyms_and_the_inspector_column(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(vetoes={"V1": " × "}, checks={"V1": "√"}), mini_rules)
    assert (submission.vetoes["V1"].self_value, submission.vetoes["V1"].check_value) == ("否", "是")


# ---------------------------------------------------------------- hostile values


def test_long_user_text_is_shortened_in_the_message_and_kept_whole_as_the_value(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    typed = "是" + "x" * 999_999
    path = raw_texts(fill(), tmp_path / "long.xlsx", SHEET_ITEMS, {(6, 7): typed})
    d = only(read_submission(path, mini_rules), "invalid-answer")
    assert (d.cell, d.value) == ("自评表!G6", typed)
    shown = "是" + "x" * 199 + "…（共 1000000 字）"
    assert d.message == f"检查要点 1.1.1 的自评结果填写的“{shown}”无效，允许填写：是、否"


def test_a_long_unknown_id_is_shortened_in_the_message(fill: Fill, mini_rules: RuleSet, tmp_path: Path) -> None:
    typed = "9." * 500_000
    path = raw_texts(fill(), tmp_path / "id.xlsx", SHEET_ITEMS, {(6, 1): typed})
    d = only(read_submission(path, mini_rules), "unknown-id")
    assert (d.cell, d.value) == ("自评表!A6", typed)
    assert d.message == f"编号“{typed[:200]}…（共 1000000 字）”不在规则集中，该行已忽略"


def test_a_number_with_too_many_digits_is_an_error_at_its_cell(fill: Fill, mini_rules: RuleSet, tmp_path: Path) -> None:
    path = raw_texts(fill(), tmp_path / "huge.xlsx", SHEET_ITEMS, {(14, 7): "9" * 4301})
    submission = read_submission(path, mini_rules)
    d = only(submission, "number-too-long")
    assert (d.severity, d.cell, d.value) == ("error", "自评表!G14", "9" * 4301)
    assert d.message == f"检查要点 2.1.1 的自评结果填写的“{'9' * 200}…（共 4301 字）”数字位数过多，不是有效的数字"
    assert CATALOGUE["number-too-long"].title == "数字位数过多"
    assert submission.items["2.1.1"].self_value is None


def test_an_absurdly_long_number_in_the_profile_is_an_error_at_its_cell(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    typed = ("111," * 225_000)[:-2] + " 1"
    path = raw_texts(fill(), tmp_path / "members.xlsx", SHEET_PROFILE, {(4, 2): typed})
    submission = read_submission(path, mini_rules)
    d = only(submission, "number-too-long")
    assert (d.severity, d.cell, d.value) == ("error", "支部信息!B4", typed)
    assert d.message == f"“正式党员人数”填写的“{typed[:200]}…（共 {len(typed)} 字）”数字位数过多，不是有效的数字"
    assert submission.profile["full_members"] is None
    year = read_submission(raw_texts(fill(), tmp_path / "year.xlsx", SHEET_PROFILE, {(7, 2): "2" * 20}), mini_rules)
    assert only(year, "number-too-long").cell == "支部信息!B7"


def test_control_characters_in_cells_are_visible_in_messages_and_exact_in_the_value(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    path = raw_texts(fill(), tmp_path / "esc.xlsx", SHEET_ITEMS, {(6, 7): "是\x1b[2J", (7, 7): "_x001B_]0;x\x07"})
    submission = read_submission(path, mini_rules)
    found = {d.cell: (d.message, d.value) for d in submission.diagnostics}
    assert found["自评表!G6"] == ("检查要点 1.1.1 的自评结果填写的“是\\x1b[2J”无效，允许填写：是、否", "是\x1b[2J")
    message, value = found["自评表!G7"]
    assert value == "\x1b]0;x\x07" and "“\\x1b]0;x\\x07”" in message


def test_a_long_template_format_in_meta_is_shortened_in_the_message(
    fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    typed = "\x1b[2J" + "f" * 5000
    path = raw_texts(fill(), tmp_path / "meta.xlsx", SHEET_META, {(1, 2): typed})
    d = only(read_submission(path, mini_rules), "template-mismatch")
    assert (d.cell, d.value) == ("_meta!B1", typed)
    assert d.message.startswith(f"本表的模板格式为“\\x1b[2J{'f' * 196}…（共 5004 字）”，本工具只能读取")


def test_a_negative_date_serial_is_an_invalid_date_showing_the_number_typed(fill: Fill, mini_rules: RuleSet) -> None:
    # The cells are date-formatted: calamine reads a negative serial as a time of day (00:00:00).
    submission = read_submission(fill(answers={"2.1.4": -5}, profile={"election_date": -3.5}), mini_rules)
    found = {d.cell: (d.code, d.value, d.message) for d in submission.diagnostics}
    assert found == {
        "支部信息!B6": ("profile-invalid", "-3.5", "“本届支部委员会选举日期”填写的“-3.5”不是有效的日期"),
        "自评表!G16": (
            "invalid-answer", "-5", "检查要点 2.1.4 的自评结果填写的“-5”无效，允许填写：日期，如 2018-03-05"
        ),
    }
    time_of_day = read_submission(fill(answers={"2.1.4": 0.5}), mini_rules)  # a time typed: shown as a time
    assert [(d.cell, d.value) for d in time_of_day.diagnostics] == [("自评表!G16", "12:00:00")]


# ---------------------------------------------------------------- the cap


def test_too_many_diagnostics_keeps_the_first_200_and_every_error(fill: Fill, mini_rules: RuleSet, edit: Edit) -> None:
    def flood(rows: Rows) -> Rows:
        width = len(rows[2])
        extra = [[f"9.9.{n}"] + [None] * (width - 1) for n in range(250)]
        return [*rows, *extra]

    submission = read_submission(edit(fill(answers={"2.1.4": "明天"}), SHEET_ITEMS, flood), mini_rules)
    assert len(submission.diagnostics) == MAX_DIAGNOSTICS + 1
    last = submission.diagnostics[-1]
    assert (last.code, last.severity) == ("too-many-diagnostics", "warning")
    assert last.message == "本文件问题过多，只列出前 200 个，另有 51 个未列出"
    assert not submission.valid  # the error comes before the flood and is kept


def test_the_cap_never_drops_errors() -> None:
    warnings = [Diagnostic("unknown-id", "warning", "w") for _ in range(300)]
    error = Diagnostic("invalid-answer", "error", "e")
    kept = cap([*warnings, error])
    assert len(kept) == MAX_DIAGNOSTICS + 1 and error in kept
    assert kept[-2] == error and kept[-1].code == "too-many-diagnostics"


def test_every_intake_code_is_in_the_catalogue() -> None:
    intake = {
        "file-unreadable", "sheet-missing", "header-missing", "template-mismatch", "meta-missing",
        "profile-missing", "profile-invalid", "no-reference-date", "profile-check", "invalid-answer",
        "na-not-allowed", "invalid-count", "percent-out-of-range", "date-out-of-range", "duplicate-id",
        "item-unanswered", "item-missing", "unknown-id", "answer-not-applicable", "veto-unanswered",
        "too-many-diagnostics", "number-too-long",
    }  # fmt: skip
    assert intake <= set(CATALOGUE)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_profile_date_after_the_reference_date_is_an_error(fill: Fill, mini_rules: RuleSet) -> None:
    submission = read_submission(fill(profile={"election_date": date(2019, 3, 5)}), mini_rules)
    d = only(submission, "date-out-of-range")
    assert (d.severity, d.cell) == ("error", "支部信息!B6")
    assert d.message == "本届支部委员会选举日期填写的日期 2019-03-05 晚于评估基准日 2018-12-31，请核对"
