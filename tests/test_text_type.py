"""The free-text answer type end to end: rules → template → fill → check → score → reports.
Never scored, optionally required, carried whole into results.json, shown in 评分明细."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import MINI_ANSWERS, MINI_PROFILE, MINI_VETOES
from minirules import COMMON, write_rules
from openpyxl import load_workbook

from engine.rules import load_rule_set, to_dict
from engine.template import fill_workbook, write_template

LONG = "本支部结合业务工作开展“党建+”活动。" * 300  # 5,700 characters


def _with_text(required: bool) -> Any:
    def edit(ruleset: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        item = {"id": "1.1.4", "text": "本支部特色做法", "type": "text", **COMMON}
        if required:
            item["required"] = True
        a1["standards"][0]["items"].append(item)

    return edit


@pytest.fixture(params=[False, True], ids=["optional", "required"])
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, bool]:
    rules_dir = write_rules(tmp_path / "rules", _with_text(request.param))
    template = write_template(load_rule_set(rules_dir), tmp_path / "t.xlsx")
    return rules_dir, template, request.param


def _fill(template: Path, out: Path, text: object) -> Path:
    answers = {**MINI_ANSWERS, "1.1.4": text}
    return fill_workbook(template, out, profile=MINI_PROFILE, answers=answers, vetoes=MINI_VETOES)


def test_the_rule_set_exports_the_type_and_its_parameter(case: tuple[Path, Path, bool]) -> None:
    rules_dir, _, required = case
    exported = to_dict(load_rule_set(rules_dir))
    [item] = [i for a in exported["areas"] for s in a["standards"] for i in s["items"] if i["id"] == "1.1.4"]
    assert (item["type"], item["points"], item["required"]) == ("text", 0, required)
    assert exported["total_points"] == 100


def test_the_template_asks_for_text_without_points(case: tuple[Path, Path, bool]) -> None:
    _, template, required = case
    ws = load_workbook(template)["自评表"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "1.1.4")
    assert "不计分" in row[4] and ("必填" in row[4]) == required
    guide = " ".join(str(c) for r in load_workbook(template)["填表说明"].iter_rows(values_only=True) for c in r if c)
    assert "文字说明：" in guide


def test_a_text_answer_is_carried_whole_and_never_scored(
    case: tuple[Path, Path, bool], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules_dir, template, _ = case
    with_text = _fill(template, tmp_path / "with.xlsx", LONG)
    without = _fill(template, tmp_path / "blank.xlsx", None)
    out = tmp_path / "out"
    run(capsys, "score", str(with_text), str(without), "--rules", str(rules_dir), "-o", str(out), "-q")
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    blank, filled = data["submissions"]  # sorted by path: blank.xlsx, with.xlsx
    item = next(i for i in filled["items"] if i["id"] == "1.1.4")
    assert (item["answer"], item["status"], item["earned"], item["max"]) == (LONG, "unscored", 0, 0)
    assert filled["score"] == blank["score"] == 97.04  # the mini rule set's score, text or not
    assert "1.1.4" not in [g["id"] for g in filled["gaps"] + blank["gaps"]]
    report = next(out.glob("*问题清单.xlsx"))
    shown = [r for r in load_workbook(report)["评分明细"].iter_rows(values_only=True) if r and r[0] == "1.1.4"]
    assert shown and any(isinstance(c, str) and c.startswith(LONG[:200]) for c in shown[0])


def test_a_required_text_left_blank_warns_and_fails_strict(
    case: tuple[Path, Path, bool], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules_dir, template, required = case
    blank = _fill(template, tmp_path / "blank.xlsx", None)
    checked = run(capsys, "check", str(blank), "--rules", str(rules_dir), "--json", "-q")
    found = json.loads(checked.stdout)["files"][0]["diagnostics"]
    assert any(d["code"] == "item-unanswered" and "1.1.4" in d["message"] for d in found) == required
    strict = run(capsys, "score", str(blank), "--rules", str(rules_dir), "-o", str(tmp_path / "o"), "-q", "--strict")
    assert strict.exit_code == (1 if required else 0)


def test_words_that_mean_not_applicable_elsewhere_are_text_here(
    case: tuple[Path, Path, bool], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules_dir, template, _ = case
    path = _fill(template, tmp_path / "na.xlsx", "无此项")
    out = tmp_path / "out"
    assert run(capsys, "score", str(path), "--rules", str(rules_dir), "-o", str(out), "-q").exit_code == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert next(i for i in data["submissions"][0]["items"] if i["id"] == "1.1.4")["answer"] == "无此项"
