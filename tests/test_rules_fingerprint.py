"""The fingerprint changes with what affects answering and scoring, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minirules import write_rules

from engine.rules import load_rule_set


def fingerprint(folder: Path) -> str:
    return load_rule_set(folder).fingerprint


def test_fingerprint_is_a_sha256(tmp_path: Path) -> None:
    value = fingerprint(write_rules(tmp_path))
    assert value.startswith("sha256:") and len(value) == len("sha256:") + 64


def test_reformatting_and_comments_do_not_change_it(tmp_path: Path) -> None:
    folder = write_rules(tmp_path / "a")
    before = fingerprint(folder)
    for name in ("ruleset.yaml", "a1.yaml", "a2.yaml"):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text("# reviewed 2018-11\n\n" + text.replace("\n", "\n\n") + "\n# end\n", encoding="utf-8")
    assert fingerprint(folder) == before


def test_advice_basis_and_evidence_edits_do_not_change_it(tmp_path: Path) -> None:
    def edit(r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        item = a1["standards"][0]["items"][0]
        item["advice"] = "改正了错别字的整改建议"
        item["basis"] = "《中国共产党支部工作条例（试行）》第十五条"
        item["evidence"] = "学习计划文本"
        r["title"] = "新的标题"

    assert fingerprint(write_rules(tmp_path / "a")) == fingerprint(write_rules(tmp_path / "b", edit))


def test_a_point_value_change_changes_it(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["points"] = 9
        a2["standards"][0]["items"][1]["points"] = 11

    assert fingerprint(write_rules(tmp_path / "a")) != fingerprint(write_rules(tmp_path / "b", edit))


def test_a_question_text_change_changes_it(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], a1: dict[str, Any], _a2: dict[str, Any]) -> None:
        a1["standards"][0]["items"][0]["text"] = "有年度学习计划并经支委会讨论"

    assert fingerprint(write_rules(tmp_path / "a")) != fingerprint(write_rules(tmp_path / "b", edit))


def test_a_target_change_changes_it(tmp_path: Path) -> None:
    def edit(_r: dict[str, Any], _a1: dict[str, Any], a2: dict[str, Any]) -> None:
        a2["standards"][0]["items"][0]["target"] = 10

    assert fingerprint(write_rules(tmp_path / "a")) != fingerprint(write_rules(tmp_path / "b", edit))
