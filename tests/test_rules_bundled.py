"""The bundled Gansu rule set: the handbook's shape and the regulation's numbers."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.rules import RuleSet, load_rule_set
from engine.rules.model import Leaf


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rule_set()


def test_it_has_the_handbooks_6_areas_and_27_standards(rules: RuleSet) -> None:
    assert rules.id == "gansu-organs-2018"
    assert [a.name for a in rules.areas] == [
        "政治建设标准",
        "组织建设标准",
        "组织生活标准",
        "党支部队伍建设标准",
        "基础保障标准",
        "考核评价标准",
    ]
    assert len(rules.standards) == 27
    assert len(rules.items) == 173
    assert rules.total_points == 100


def test_every_standard_has_4_to_9_check_points_adding_up(rules: RuleSet) -> None:
    for standard in rules.standards:
        assert 4 <= len(standard.items) <= 9, standard.id
        assert standard.points == sum(i.points for i in standard.items)


def test_all_five_answer_types_are_used(rules: RuleSet) -> None:
    counts = Counter(i.type for i in rules.items)
    assert set(counts) == {"yes_no", "level", "count", "percent", "date"}
    assert counts["yes_no"] < len(rules.items) * 0.75


def test_meeting_frequencies_follow_the_regulation(rules: RuleSet) -> None:
    assert (rules.item("3.1.1").target, rules.item("3.1.1").per) == (4, "year")  # 党员大会 quarterly
    assert rules.item("3.2.1").target == 12  # 支委会 monthly
    assert rules.item("3.5.1").target == 12  # 主题党日 monthly
    assert rules.item("3.2.1").applies_if == Leaf(op="eq", field="has_committee", value="是")
    assert rules.item("2.3.1").value_from == "election_date"


def test_required_profile_labels_are_present(rules: RuleSet) -> None:
    labels = [f.label for f in rules.profile]
    for label in (
        "支部名称",
        "上级党组织",
        "党员总数",
        "正式党员人数",
        "预备党员人数",
        "是否设立支部委员会",
        "支部委员会委员人数",
        "党小组数量",
        "本届支部委员会选举日期",
        "支部书记姓名",
        "评估年度",
        "评估基准日",
        "支部成立日期",
    ):
        assert label in labels


def test_every_check_point_says_where_it_comes_from_and_how_to_fix_it(rules: RuleSet) -> None:
    for item in rules.items:
        assert item.basis and item.evidence and item.advice, item.id


def test_source_says_the_official_text_was_not_available(rules: RuleSet) -> None:
    assert "未能取得" in rules.source.note
