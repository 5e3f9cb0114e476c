"""The bundled Gansu rule set: the handbook's shape and the regulation's numbers."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.rules import RuleSet, load_rule_set
from engine.rules.model import AnyOf, Leaf, leaves

COMMITTEE_APPLIES = AnyOf(
    (Leaf(op="eq", field="has_committee", value="是"), Leaf(op="ge", field="full_members", value=7))
)


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
    assert 165 <= len(rules.items) <= 180  # the handbook's "about 173"
    assert rules.total_points == 100
    assert rules.version == "1.2.0"


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
    assert rules.item("3.2.1").applies_if == COMMITTEE_APPLIES
    assert rules.item("3.2.1").deduction_per_unit is None  # proportionate: each missing month costs 1/12
    assert rules.item("2.3.1").value_from == "election_date"
    assert rules.item("2.3.1").applies_if is None  # the secretary of a branch without committee is elected too


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
        "本届支部委员会（不设委员会的为支部书记）选举日期",
        "任期届满延期换届是否经上级党组织批准",
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


def test_no_item_becomes_not_applicable_because_the_branch_lacks_a_committee(rules: RuleSet) -> None:
    """Whether a committee exists is the branch's own doing at 7+ full members: every item that
    reads has_committee also applies when the branch must have a committee."""
    for item in rules.items:
        read = [leaf for leaf in leaves(item.applies_if) if leaf.field == "has_committee"]
        if read:
            assert "full_members" in {leaf.field for leaf in leaves(item.applies_if)}, item.id
    missing = rules.item("2.2.7")
    assert not missing.asked and missing.derived_from == Leaf(op="eq", field="has_committee", value="是")
    assert missing.applies_if == Leaf(op="ge", field="full_members", value=7)


def test_every_item_states_the_kind_of_its_basis_and_regulations_cite_the_current_texts(rules: RuleSet) -> None:
    counts = rules.basis_kind_counts()
    assert sum(counts.values()) == len(rules.items) and counts["official"] == 0
    for item in rules.items:
        if item.basis_kind == "regulation":
            assert "《" in item.basis and "通行做法" not in item.basis.split("（")[0], item.id
        assert "暂行条例" not in item.basis and "关于党的基层组织任期的意见" not in item.basis, item.id
    assert all("暂行" not in r and "任期的意见" not in r for r in rules.source.regulations)


def test_monthly_national_activities_weigh_at_least_as_much_as_documentation(rules: RuleSet) -> None:
    for monthly in ("3.3.1", "3.5.1"):  # 党小组会, 主题党日
        for paperwork in ("6.2.1", "5.1.1"):  # 自评报告, 活动室
            assert rules.item(monthly).points >= rules.item(paperwork).points


def test_the_reviewed_rules_read_as_the_regulations_say(rules: RuleSet) -> None:
    turnout = rules.item("2.3.4")
    assert (turnout.type, turnout.target, turnout.param("exceed")) == ("percent", 80, True)
    assert rules.item("2.4.4").type == "yes_no"
    assert rules.item("4.3.2").type == "percent" and "32学时" in rules.item("4.3.2").text
    assert rules.item("4.5.5").na_allowed
    assert "第一身份是党的书记、第一职责是管党治党、第一政绩是抓好党建" in rules.item("4.1.3").text
    assert "习近平总书记最新重要讲话和重要指示批示精神" in rules.item("1.1.1").text
    assert "集中学习、过组织生活、进行民主议事和志愿服务" in rules.item("3.5.3").text
    assert rules.vetoes[0].text.startswith("评估期内支部班子成员（含不设委员会的书记、副书记）")
    assert "按现行党内法规重构" in rules.title
    assert rules.bands_note is not None and "重构" in rules.bands_note
    assert any(c.id == "branch-too-large" for c in rules.profile_checks)
