"""Check points answered from 支部信息 (derived_from), all-or-nothing percentages (exceed),
the kind of basis (basis_kind) and the bands' note: format, template, intake, scoring, export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from minirules import write_rules
from openpyxl import load_workbook

from engine import contract as c
from engine.errors import RuleSetError
from engine.intake import read_submission
from engine.rules import RuleSet, load_rule_set, to_dict
from engine.rules.checks import FIELDS_ONLY
from engine.rules.model import Leaf
from engine.scoring import score_submission
from engine.submission import ItemEntry
from engine.template import fill_workbook, write_template

COMMITTEE_SET = {
    "id": "2.1.5",
    "text": "正式党员7人以上的党支部设立支部委员会",
    "type": "yes_no",
    "points": 10,
    "derived_from": {"field": "has_committee", "op": "eq", "value": "是"},
    "applies_if": {"field": "full_members", "op": "ge", "value": 7},
    "basis": "《中国共产党支部工作条例（试行）》第六章",
    "basis_kind": "regulation",
    "evidence": "支部委员会选举批复",
    "advice": "按规定设立支部委员会",
}


def with_derived(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
    a2["standards"][0]["items"][0]["points"] = 10  # 2.1.1 gives its 10 points to the new item
    a2["standards"][0]["items"].append(dict(COMMITTEE_SET))
    r["bands_note"] = "以上等级划分为重构，不是官方手册原文。"
    a1["standards"][1]["items"][0].update(exceed=True, target=80)  # 1.2.1: must exceed 80 %


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_rule_set(write_rules(tmp_path_factory.mktemp("derived"), with_derived))


@pytest.fixture(scope="module")
def template(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(rules, tmp_path_factory.mktemp("t") / "t.xlsx")


PROFILE: dict[str, Any] = {
    "branch_name": "测试党支部",
    "parent_org": "测试机关党委",
    "full_members": 9,
    "has_committee": "否",
    "election_date": date(2017, 6, 1),
    "assessment_year": 2018,
}
ANSWERS: dict[str, Any] = {"1.1.1": "是", "1.1.2": "好", "1.1.3": 32, "1.2.1": 0.9, "1.2.2": "是", "2.1.1": 0,
                           "2.1.2": 1, "2.1.4": date(2018, 10, 1)}  # fmt: skip


def problems_of(edit: Any, tmp_path: Path) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        load_rule_set(write_rules(tmp_path, edit))
    return [str(p) for p in info.value.problems]


# ------------------------------------------------------------------ rule format


def test_the_model_holds_the_condition_and_the_item_is_not_asked(rules: RuleSet) -> None:
    item = rules.item("2.1.5")
    assert item.derived_from == Leaf(op="eq", field="has_committee", value="是")
    assert not item.asked and item.derived_fields() == ("has_committee",)
    assert rules.item("2.1.3").derived_fields() == ("election_date",)  # value_from alike
    assert rules.item("1.1.1").basis_label == "【党内规定】《中国共产党支部工作条例（试行）》"


def test_derived_from_is_a_yes_no_parameter_only(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][1]["derived_from"] = {"field": "has_committee", "op": "eq", "value": "是"}

    [problem] = problems_of(edit, tmp_path)
    assert "[standards[0].items[1].derived_from]" in problem


def test_derived_from_reads_profile_fields_only_and_cannot_be_not_applicable(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        with_derived(r, a1, a2)
        on_item = {"item": "1.1.1", "op": "eq", "value": "是"}
        a2["standards"][0]["items"][-1].update(na_allowed=True, derived_from=on_item)

    found = problems_of(edit, tmp_path)
    assert any(p.endswith("derived_from.item]：" + FIELDS_ONLY) for p in found)
    assert any("不能允许填写“不适用”" in p for p in found)


def test_derived_from_may_read_fields_that_are_not_required(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        with_derived(r, a1, a2)
        founded = {"field": "founded_date", "op": "older_than_months", "value": 12}
        a2["standards"][0]["items"][-1]["derived_from"] = founded

    assert load_rule_set(write_rules(tmp_path, edit)).item("2.1.5").derived_from is not None


def test_a_regulation_basis_names_its_document_and_basis_kind_is_required(tmp_path: Path) -> None:
    def unnamed(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["basis"] = "各地通行做法"

    def missing(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        del a1["standards"][0]["items"][1]["basis_kind"]

    [problem] = problems_of(unnamed, tmp_path / "a")
    assert "[standards[0].items[0].basis]：依据类型为 regulation（党内规定）的检查要点，依据应写明文件名称" in problem
    [problem] = problems_of(missing, tmp_path / "b")
    assert "[standards[0].items[1]]" in problem and "basis_kind" in problem


def test_exceed_needs_a_target_below_100(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][1]["items"][0]["exceed"] = True

    [problem] = problems_of(edit, tmp_path)
    assert "exceed" in problem and "目标为 100 时无法达到" in problem


def test_the_export_carries_the_new_keys(rules: RuleSet) -> None:
    data = to_dict(rules)
    items = {i["id"]: i for a in data["areas"] for s in a["standards"] for i in s["items"]}
    assert items["2.1.5"]["derived_from"] == {"field": "has_committee", "op": "eq", "value": "是"}
    assert items["1.1.1"]["derived_from"] is None and items["1.1.1"]["basis_kind"] == "regulation"
    assert items["1.2.1"]["exceed"] is True
    assert data["bands_note"] == "以上等级划分为重构，不是官方手册原文。"


def test_the_fingerprint_covers_derived_from_and_exceed_but_not_basis_kind_or_the_bands_note(tmp_path: Path) -> None:
    def fp(n: str, extra: Any = None) -> str:
        def edit(r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
            with_derived(r, a1, a2)
            if extra is not None:
                extra(r, a1, a2)

        return load_rule_set(write_rules(tmp_path / n, edit)).fingerprint

    base = fp("base")
    other_condition = fp("cond", lambda _r, _a1, a2: a2["standards"][0]["items"][-1].update(
        derived_from={"field": "full_members", "op": "ge", "value": 3}))  # fmt: skip
    no_exceed = fp("exceed", lambda _r, a1, _a2: a1["standards"][1]["items"][0].pop("exceed"))
    practice = {"basis_kind": "practice", "basis": "通行做法"}
    kind = fp("kind", lambda _r, a1, _a2: a1["standards"][0]["items"][0].update(practice))
    note = fp("note", lambda r, _a1, _a2: r.update(bands_note="另一种说明"))
    assert len({base, other_condition, no_exceed}) == 3
    assert kind == note == base


# ------------------------------------------------------------------ template


def test_the_template_does_not_ask_it_and_says_where_it_comes_from(template: Path) -> None:
    wb = load_workbook(template)
    ids = [r[0] for r in wb[c.SHEET_ITEMS].iter_rows(values_only=True)]
    assert "2.1.5" not in ids and "2.1.3" not in ids and "2.1.1" in ids
    profile = {r[0]: r[2] for r in wb[c.SHEET_PROFILE].iter_rows(values_only=True)}
    assert "据此自动评定检查要点 2.1.5 正式党员7人以上的党支部设立支部委员会（自评表中不再单独填写）" in profile[
        "是否设立支部委员会"
    ]
    guide = "\n".join(str(v) for (v,) in wb[c.SHEET_GUIDE].iter_rows(values_only=True))
    assert "由系统根据“支部信息”所填内容自动评定（计入得分）：2.1.3 按期换届；2.1.5 正式党员7人以上" in guide
    assert "以上等级划分为重构，不是官方手册原文。" in guide
    assert "【通行做法】为各地党支部标准化建设的通行做法" in guide


def test_each_guide_cell_ends_with_the_basis_and_its_kind(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    guides = {r[0]: r[4] for r in ws.iter_rows(values_only=True) if r[0]}
    assert guides["1.1.1"].endswith("依据：【党内规定】《中国共产党支部工作条例（试行）》")


def test_the_exceed_guide_says_exactly_the_target_is_not_enough(template: Path) -> None:
    ws = load_workbook(template)[c.SHEET_ITEMS]
    guides = {r[0]: r[4] for r in ws.iter_rows(values_only=True) if r[0]}
    assert "须超过 80%（恰好 80% 的不符合要求）；超过的得满分，否则不得分" in guides["1.2.1"]


# ------------------------------------------------------------------ intake and scoring


def fill(template: Path, tmp_path: Path, name: str = "f.xlsx", **profile: Any) -> Path:
    return fill_workbook(
        template, tmp_path / name, profile={**PROFILE, **profile}, answers=ANSWERS, checks={}, vetoes={"V1": "否"}
    )


def test_intake_derives_the_answer_from_the_profile(template: Path, rules: RuleSet, tmp_path: Path) -> None:
    without = read_submission(fill(template, tmp_path, "a.xlsx"), rules)
    assert without.items["2.1.5"] == ItemEntry("2.1.5", self_value="否")
    with_committee = read_submission(fill(template, tmp_path, "b.xlsx", has_committee="是"), rules)
    assert with_committee.items["2.1.5"] == ItemEntry("2.1.5", self_value="是")


def test_a_missing_committee_is_a_scored_gap_that_says_why(template: Path, rules: RuleSet, tmp_path: Path) -> None:
    result = score_submission(rules, read_submission(fill(template, tmp_path), rules))
    item = next(i for i in result.items if i.id == "2.1.5")
    assert (item.status, item.earned, item.max) == ("unmet", 0, 10)
    assert item.reason == "按支部信息判定（是否设立支部委员会为“是”）：不符合，得 0/10 分"
    assert "2.1.5" in [g.id for g in result.gaps]


def test_a_small_branch_without_committee_is_not_judged(template: Path, rules: RuleSet, tmp_path: Path) -> None:
    result = score_submission(rules, read_submission(fill(template, tmp_path, full_members=5), rules))
    item = next(i for i in result.items if i.id == "2.1.5")
    assert item.status == "not_applicable"


def test_an_undetermined_condition_leaves_the_item_unanswered(rules: RuleSet) -> None:
    from engine.applicability import derived_answer

    item = rules.item("2.1.5")
    assert derived_answer(item, {"has_committee": None}, date(2018, 12, 31)) is None
    assert derived_answer(item, {"has_committee": "是"}, date(2018, 12, 31)) == "是"


@pytest.mark.parametrize(("typed", "status"), [(0.8, "unmet"), (0.81, "met"), (0.5, "unmet"), (1, "met")])
def test_an_exceed_percent_is_met_only_above_the_target(
    template: Path, rules: RuleSet, tmp_path: Path, typed: float, status: str
) -> None:
    path = fill_workbook(template, tmp_path / "p.xlsx", profile=PROFILE, answers={**ANSWERS, "1.2.1": typed},
                         checks={}, vetoes={"V1": "否"})  # fmt: skip
    result = score_submission(rules, read_submission(path, rules))
    item = next(i for i in result.items if i.id == "1.2.1")
    assert item.status == status
    assert item.earned == (Decimal(10) if status == "met" else 0)
    assert "须超过 80%" in item.reason


# ------------------------------------------------------------------ reports


def test_the_gap_list_shows_the_basis_with_its_kind(template: Path, rules: RuleSet, tmp_path: Path) -> None:
    from engine.reports import as_dict
    from engine.reports.branch import write_branch_report
    from engine.reports.texts import basis_text

    assert basis_text(None) is None
    result = score_submission(rules, read_submission(fill(template, tmp_path), rules))
    path = write_branch_report(rules, as_dict(result), tmp_path / "report.xlsx")
    rows = [list(r) for r in load_workbook(path)["问题清单"].iter_rows(values_only=True)]
    header = next(r for r in rows if "依据" in r)
    gap = next(r for r in rows if r[header.index("编号")] == "2.1.5")
    assert gap[header.index("依据")] == "【党内规定】《中国共产党支部工作条例（试行）》第六章"
