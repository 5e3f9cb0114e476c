"""Round trips through LibreOffice: a filled template saved as .xlsx, .xls and .ods reads back
the same. Skipped without ``soffice``, except under CI=true where that is a failure."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import Fill

from engine.intake import read_submission
from engine.rules.model import RuleSet
from engine.submission import Submission

pytestmark = pytest.mark.libreoffice

FORMATS = ("xlsx", "xls", "ods")
TIMEOUT = 120


def convert(soffice: str, source: Path, fmt: str, work: Path, n: int) -> Path:
    """``source`` converted to ``fmt`` by LibreOffice with a profile of its own."""
    outdir = work / f"out-{n}-{fmt}"
    profile = (work / f"profile-{n}").as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    out = outdir / f"{source.stem}.{fmt}"
    # LibreOffice exits 0 without writing anything when its profile is busy: check the file.
    assert out.is_file(), f"LibreOffice wrote no {fmt} (exit {done.returncode}): {done.stdout} {done.stderr}"
    return out


def comparable(submission: Submission) -> tuple[Any, ...]:
    """Everything read except where the bytes came from (source, sha256)."""
    items = {k: dataclasses.replace(e) for k, e in submission.items.items()}
    return (
        dict(submission.profile),
        items,
        dict(submission.vetoes),
        [(d.code, d.cell, d.message) for d in submission.diagnostics],
    )


@pytest.fixture(scope="module")
def converted(
    soffice: str, mini_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Path]]:
    """One filled workbook and its LibreOffice conversions, made one at a time."""
    from engine.template import fill_workbook

    work = tmp_path_factory.mktemp("libreoffice")
    filled = fill_workbook(
        mini_template,
        work / "filled.xlsx",
        profile={
            "branch_name": "测试党支部",
            "parent_org": "测试机关党委",
            "full_members": "9人",
            "has_committee": "是",
            "election_date": date(2017, 6, 1),
            "reference_date": "2018年11月30日",
        },
        answers={
            "1.1.1": " √ ",
            "1.1.2": "较好",
            "1.1.3": 31.5,
            "1.2.1": 0.95,
            "1.2.2": "不适用",
            "2.1.1": "１２次",
            "2.1.4": date(2018, 10, 1),
        },
        checks={"1.1.1": "否", "1.2.1": "90%"},
        vetoes={"V1": "否"},
        evidence={"1.1.1": "2018年学习计划（见附件1）", "2.1.1": "=支委会记录"},
    )
    outputs = {fmt: convert(soffice, filled, fmt, work, n) for n, fmt in enumerate(FORMATS)}
    return filled, outputs


def test_the_original_reads_as_expected(converted: tuple[Path, dict[str, Path]], mini_rules: RuleSet) -> None:
    submission = read_submission(converted[0], mini_rules)
    assert [d.code for d in submission.diagnostics] == ["item-unanswered"]  # 2.1.2
    assert submission.profile["reference_date"] == date(2018, 11, 30)
    assert submission.items["1.1.1"].check_value == "否"
    assert submission.items["2.1.1"].evidence == "=支委会记录"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_libreoffice_copy_reads_the_same(
    converted: tuple[Path, dict[str, Path]], mini_rules: RuleSet, fmt: str
) -> None:
    original, outputs = converted
    expected = read_submission(original, mini_rules)
    submission = read_submission(outputs[fmt], mini_rules)
    assert comparable(submission) == comparable(expected)
    assert submission.sha256 != expected.sha256


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_misnamed_copy_is_read_by_its_content(
    converted: tuple[Path, dict[str, Path]], mini_rules: RuleSet, fmt: str, tmp_path: Path
) -> None:
    original, outputs = converted
    misnamed = tmp_path / "自评表.xlsx"
    shutil.copyfile(outputs[fmt], misnamed)
    assert comparable(read_submission(misnamed, mini_rules)) == comparable(read_submission(original, mini_rules))


def test_fill_fixture_and_libreoffice_agree_on_a_clean_workbook(
    soffice: str, fill: Fill, mini_rules: RuleSet, tmp_path: Path
) -> None:
    path = fill()
    copy = convert(soffice, path, "ods", tmp_path, 9)
    assert read_submission(copy, mini_rules).diagnostics == ()
