"""The rule workbook's one-line condition syntax: written and read back exactly, clear errors."""

from __future__ import annotations

from typing import Any

import pytest

from engine.rulebook.syntax import ConditionSyntaxError, Fields, parse, write
from engine.rules.build import condition

FIELDS = Fields([
    ("full_members", "正式党员人数"), ("probationary_members", "预备党员人数"), ("members_total", "党员总数"),
    ("has_committee", "是否设立支部委员会"), ("group_count", "党小组数量"),
    ("election_date", "本届支部委员会（不设委员会的为支部书记）选举日期"), ("note", "备注 说明"),
])  # fmt: skip

def leaf(field: str, op: str, value: object) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


ROUND_TRIPS: list[tuple[str, dict[str, Any]]] = [
    ("正式党员人数 >= 7 且 是否设立支部委员会 = 是",
     {"all": [leaf("full_members", "ge", 7), leaf("has_committee", "eq", "是")]}),
    ("是否设立支部委员会 = 是 或 正式党员人数 >= 7",
     {"any": [leaf("has_committee", "eq", "是"), leaf("full_members", "ge", 7)]}),
    ("正式党员人数 + 预备党员人数 = 党员总数",
     {"sum_of": ["full_members", "probationary_members"], "op": "eq", "value_field": "members_total"}),
    ("本届支部委员会（不设委员会的为支部书记）选举日期 距基准日超过 36 个月",
     {"field": "election_date", "op": "older_than_months", "value": 36}),
    ("要点 3.6.1 < 1", {"item": "3.6.1", "op": "lt", "value": 1}),
    ("要点 1.1.2 属于 [好、较好]", {"item": "1.1.2", "op": "in", "value": ["好", "较好"]}),
    ("非 党小组数量 = 0", {"not": {"field": "group_count", "op": "eq", "value": 0}}),
    ("非 (党小组数量 = 0 或 党小组数量 > 9)",
     {"not": {"any": [leaf("group_count", "eq", 0), leaf("group_count", "gt", 9)]}}),
    ("(正式党员人数 >= 7 且 党小组数量 > 0) 且 是否设立支部委员会 ≠ 否",
     {"all": [{"all": [leaf("full_members", "ge", 7), leaf("group_count", "gt", 0)]},
              {"field": "has_committee", "op": "ne", "value": "否"}]}),
    ("备注 说明 = “正式党员人数”", {"field": "note", "op": "eq", "value": "正式党员人数"}),
    ("备注 说明 = “a b”", {"field": "note", "op": "eq", "value": "a b"}),
    ("备注 说明 = “7”", {"field": "note", "op": "eq", "value": "7"}),
    ("全部 (正式党员人数 >= 7)", {"all": [leaf("full_members", "ge", 7)]}),
    ("任一 (非 党小组数量 = 0) 且 全部 (党小组数量 > 1 或 党小组数量 < 9)",
     {"all": [{"any": [{"not": leaf("group_count", "eq", 0)}]},
              {"all": [{"any": [leaf("group_count", "gt", 1), leaf("group_count", "lt", 9)]}]}]}),
    ("正式党员人数 > 2.5", {"field": "full_members", "op": "gt", "value": 2.5}),
    ("正式党员人数 > -1", {"field": "full_members", "op": "gt", "value": -1}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "data"), ROUND_TRIPS, ids=[t for t, _ in ROUND_TRIPS])
def test_a_condition_is_written_and_read_back_exactly(text: str, data: dict[str, Any]) -> None:
    built = condition(data)
    assert built is not None
    assert write(built, FIELDS) == text
    assert parse(text, FIELDS) == data


def test_other_spellings_of_operators_and_names_are_read() -> None:
    with pytest.raises(ConditionSyntaxError, match="多余的内容"):  # 且 glued to its neighbours is not a keyword
        parse("full_members≥7且has_committee=是", FIELDS)
    assert parse("full_members ≥ 7 且 has_committee == 是", FIELDS) == {
        "all": [
            {"field": "full_members", "op": "ge", "value": 7},
            {"field": "has_committee", "op": "eq", "value": "是"},
        ]
    }
    assert parse("(正式党员人数 != 7)", FIELDS) == {"field": "full_members", "op": "ne", "value": 7}
    assert parse("（正式党员人数 <> 7）", FIELDS) == {"field": "full_members", "op": "ne", "value": 7}
    assert parse('检查要点 1.1.2 属于 【好，"较好"】', FIELDS)["value"] == ["好", "较好"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("正式党员数 >= 7", "第 1 个字符处（“正式党员数”）：未知的支部信息字段“正式党员数”"),
        ("正式党员人数 => 7", "第 8 个字符处：未知的运算符“=>”（可用：= ≠ < <= > >= 属于 距基准日超过）"),
        ("正式党员人数 >= 7 且", "第 13 个字符处（“且”）：“且”之后缺少条件"),
        ("正式党员人数 >= 7 且 或 党小组数量 > 0", "第 13 个字符处（“且”）：“且”之后缺少条件"),
        ("或 正式党员人数 >= 7", "第 1 个字符处（“或”）：“或”之前缺少条件"),
        ("(正式党员人数 >= 7", "条件在末尾不完整：第 1 个字符处的括号没有配对的右括号"),
        ("正式党员人数 >= 7)", "第 12 个字符处（“)”）：多余的右括号"),
        ("正式党员人数 >= 7 党小组数量 > 0", "多余的内容：两个条件之间应以“且”或“或”连接"),
        ("正式党员人数 7", "应为比较运算符"),
        ("正式党员人数 >=", "条件在末尾不完整：比较运算符之后应为数值、文字或支部信息字段名称"),
        ("要点 3.6 < 1", "“要点”之后应为检查要点编号"),
        ("正式党员人数 属于 好", "“属于”之后应为方括号中的取值"),
        ("本届支部委员会（不设委员会的为支部书记）选举日期 距基准日超过 三 个月", "之后应为整数月数"),
        ("备注 说明 = “未完", "引号 “ 没有配对的 ”"),
        ("", "条件为空"),
        ("全部 正式党员人数 >= 7", "“全部”之后应为括号中的条件"),
        ("非 " * 30 + "正式党员人数 >= 7", "嵌套超过 20 层"),
    ],
)
def test_a_bad_condition_says_where_and_why(text: str, message: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text, FIELDS)
    assert message in info.value.message


def test_a_long_condition_is_read_in_one_pass() -> None:
    """Hundreds of terms parse (one token pass, no backtracking); past the cap it is refused."""
    text = " 或 ".join(["正式党员人数 >= 7"] * 110)
    assert len(parse(text, FIELDS)["any"]) == 110
    with pytest.raises(ConditionSyntaxError, match="条件过长"):
        parse(" 或 ".join(["正式党员人数 >= 7"] * 200), FIELDS)
