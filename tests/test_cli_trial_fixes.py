"""What a new user's trial of the CLI tripped over: messages in Chinese, a mistyped store path,
export by file extension, answering "no", a report against the wrong rule set, a rule workbook
given to --rules, recording a round twice, dates written with slashes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from clirun import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trial") / "demo"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", "160")
        from engine.cli.app import main

        with pytest.raises(SystemExit) as info:
            main(["demo", "-o", str(out), "--quiet"])
    assert info.value.code == 0
    return out


def test_a_mistyped_command_gets_a_chinese_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    found = run(capsys, "scroe", "x")
    assert found.exit_code == 2
    assert "没有这个命令：scroe，是不是要用 score？" in found.stderr and "Did you mean" not in found.stderr


def test_a_mistyped_store_path_is_an_error_and_no_empty_store_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite3"
    for args in (["history", "list"], ["history", "show", "办公室党支部"], ["rectification", "report", "--round", "x"]):
        found = run(capsys, *args, "--history", str(missing))
        assert found.exit_code == 2 and "历史记录库不存在" in found.stderr
    assert not missing.exists()
    assert "历史记录库应是一个文件" in run(capsys, "history", "list", "--history", str(tmp_path)).stderr


def test_history_export_follows_the_file_extension(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(demo / "history.sqlite3")
    assert run(capsys, "history", "export", "-o", str(tmp_path / "h.xlsx"), "--history", store).exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "h.xlsx")
    assert run(capsys, "history", "export", "-o", str(tmp_path / "h.json"), "--history", store).exit_code == 0
    assert (tmp_path / "h.json").read_text(encoding="utf-8").lstrip().startswith("{")


def test_answering_no_to_remove_keeps_the_round_and_is_not_an_error(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    monkeypatch.setattr(typer, "confirm", lambda *a, **k: False)
    found = run(capsys, "history", "remove", "2017年度", "--history", str(demo / "history.sqlite3"))
    assert (found.exit_code, found.stderr.strip()) == (0, "未删除。")


def test_a_follow_up_report_refuses_another_rule_set(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "rectification",
        "report",
        "--round",
        "2018年度",
        "--history",
        str(demo / "history.sqlite3"),
        "-o",
        str(tmp_path),
    ]
    wrong = run(capsys, *args, "--rules", "rules/example-five-star", "--as-of", "2019-03-31")
    assert wrong.exit_code == 2 and "请用 --rules 指定评分时的规则集" in wrong.stderr
    right = run(capsys, *args, "--as-of", "2019/3/31")  # slashes are a date too
    assert right.exit_code == 0 and (tmp_path / "整改回头看-2018年度-2019-03-31.xlsx").is_file()


def test_a_rule_workbook_given_to_rules_says_to_import_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "规则.xlsx"
    assert run(capsys, "rules", "export", "--format", "xlsx", "-o", str(book)).exit_code == 0
    found = run(capsys, "check", str(book), "--rules", str(book))
    assert found.exit_code == 2 and "请先用 branchcheck rules import 转换为规则集文件夹" in found.stderr


def test_recording_a_round_again_says_what_it_replaced(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    store = tmp_path / "h.sqlite3"
    shutil.copy(demo / "history.sqlite3", store)
    inputs = demo / "demo-inputs-上年度"
    found = run(
        capsys, "score", str(inputs), "-o", str(tmp_path / "o"), "-q", "--history", str(store), "--round", "2017年度"
    )
    assert found.exit_code in (0, 1)
    assert "这替换了原有的同名轮次（原按规则集 gansu-organs-2018" in found.stderr + found.stdout


def test_an_output_folder_that_does_not_exist_yet_is_made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "template", "-o", str(tmp_path / "模板")).exit_code == 0
    assert [p.name for p in (tmp_path / "模板").iterdir()] == ["支部自评表-gansu-organs-2018-1.2.0.xlsx"]
    assert run(capsys, "rules", "export", "-o", str(tmp_path / "规则")).exit_code == 0
    assert [p.name for p in (tmp_path / "规则").iterdir()] == ["规则-gansu-organs-2018-1.2.0.xlsx"]
