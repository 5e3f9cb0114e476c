"""``branchcheck rules validate`` and ``rules show``: summary line, JSON contract, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from minirules import write_rules

from engine.rules import load_rule_set


def test_validate_prints_the_summary_and_the_kinds_of_basis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0].update(basis="各地通行做法", basis_kind="practice")

    folder = write_rules(tmp_path, edit)
    result = run(capsys, "rules", "validate", str(folder))
    fp = load_rule_set(folder).fingerprint
    assert result.exit_code == 0
    assert result.stdout == (
        "规则集 mini 1.0.0：2 个方面，3 项标准，9 个检查要点（其中 1 个由支部信息得出，自评表中不填），"
        f"满分 100（{fp}）\n"
        "依据类型：党内规定 8 个，通行做法 1 个，官方手册 0 个\n"
    )


def test_validate_exits_2_listing_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][1]["id"] = "1.1.1"
        r["bands"][-1]["min"] = 5

    result = run(capsys, "rules", "validate", str(write_rules(tmp_path, edit)))
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：规则集有 2 个问题：\n")
    assert "a1.yaml:" in result.stderr and "检查要点编号“1.1.1”重复" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_json_has_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "show", str(write_rules(tmp_path)), "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert {
        "id",
        "title",
        "version",
        "fingerprint",
        "total_points",
        "profile",
        "areas",
        "vetoes",
        "bands",
        "profile_checks",
    } <= data.keys()
    assert data["total_points"] == 100
    area = data["areas"][1]
    assert (area["id"], area["name"], area["points"]) == ("2", "组织生活标准", 50)
    standard = area["standards"][0]
    assert (standard["id"], standard["points"]) == ("2.1", 50)
    count = standard["items"][0]
    assert count == {
        "id": "2.1.1",
        "text": "全年召开支委会不少于12次",
        "type": "count",
        "points": 20,
        "basis": "《中国共产党支部工作条例（试行）》",
        "basis_kind": "regulation",
        "evidence": "会议记录",
        "advice": "按要求落实",
        "hint": None,
        "na_allowed": False,
        "applies_if": {"field": "has_committee", "op": "eq", "value": "是"},
        "target": 12,
        "deduction_per_unit": 2,
        "decimals": 0,
        "per": "year",
    }
    date_item = standard["items"][2]
    assert (date_item["within_months"], date_item["value_from"]) == (36, "election_date")
    assert data["areas"][0]["standards"][0]["items"][1]["options"][1] == {"label": "较好", "credit": 0.8}
    assert data["profile"][0] == {
        "id": "branch_name",
        "label": "支部名称",
        "type": "text",
        "required": True,
        "required_if": None,
        "role": "branch_name",
        "hint": None,
    }
    assert data["bands"][0] == {"name": "优秀", "min": 90, "label": None, "max_share": None, "quota_per": None}
    assert data["vetoes"][0] == {
        "id": "V1",
        "text": "支委会成员受到党纪重处分",
        "kind": "question",
        "condition": None,
        "effect": "lowest",
        "cap": None,
    }
    assert (area["kind"], area["cap"]) == ("checklist", None)
    assert data["total"] == {"min": 0, "max": 100, "components": [{"source": "checklist", "field": None, "weight": 1}]}


def test_show_tree_lists_areas_and_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "show", str(write_rules(tmp_path)))
    assert result.exit_code == 0
    assert "2 组织生活标准（50 分）" in result.stdout
    assert "2.1.1 全年召开支委会不少于12次" in result.stdout


def test_an_unknown_option_is_a_chinese_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "validate", "--bogus")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：没有这个选项：--bogus")


def test_a_bad_format_choice_lists_the_allowed_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "rules", "show", str(tmp_path), "--format", "xml")
    assert result.exit_code == 2
    assert "“xml”无效，可选：tree、json" in result.stderr


def _command_paths() -> list[list[str]]:
    """Every command and subcommand of the app, found by walking the click tree (none is forgotten)."""
    import typer.main

    from engine.cli.app import app

    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:  # typer may vendor click: duck-typed
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_every_command_has_chinese_help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # a plain terminal: nothing may be cut off
    paths = _command_paths()
    assert {"demo", "template", "check", "score", "verify"} <= {p[0] for p in paths if p}
    assert ["rules", "show"] in paths
    for path in paths:
        result = run(capsys, *path, "--help")
        assert result.exit_code == 0, path
        assert "用法：" in result.stdout and "显示本帮助并退出。" in result.stdout, path
        for english in ("Usage:", "Options", "Arguments", "Show this message"):
            assert english not in result.stdout, (path, english)
        assert "…" not in result.stdout, path
