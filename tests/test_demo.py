"""``branchcheck demo``: the whole job on fictional branches, reproducibly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run

from engine.demo.branches import DEMO_BRANCHES


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.cli.app import main

    out = tmp_path_factory.mktemp("demo")
    with pytest.raises(SystemExit) as info:
        main(["demo", "-o", str(out), "--quiet"])
    assert info.value.code == 0
    return out


def submissions(folder: Path) -> list[dict[str, object]]:
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    subs: list[dict[str, object]] = data["submissions"]
    return subs


def test_demo_covers_every_situation_an_inspector_meets(demo_dir: Path) -> None:
    subs = {Path(str(s["source"])).name: s for s in submissions(demo_dir)}
    assert len(subs) == len(DEMO_BRANCHES) == 12
    by_name = {s["branch"]["name"]: s for s in subs.values() if s["status"] == "scored"}  # type: ignore[index]
    assert by_name["办公室党支部"]["score"] == 100 and by_name["办公室党支部"]["rating"] == "优秀"
    assert by_name["规划财务处党支部"]["vetoed"] is True  # V1 answered 是
    assert by_name["后勤保障部党支部"]["vetoed"] is True  # election overdue: derived veto
    small = {i["id"]: i for i in by_name["审查业务处党支部"]["items"]}  # type: ignore[attr-defined]
    assert small["3.2.1"]["status"] == small["2.2.7"]["status"] == "not_applicable"  # 5 full members
    assert small["2.3.1"]["status"] == "met"  # its secretary's election is checked all the same
    missing = by_name["基础研究处党支部"]  # 8 full members and no committee: the committee gap
    items = {i["id"]: i for i in missing["items"]}  # type: ignore[attr-defined]
    assert items["2.2.7"]["status"] == "unmet" and items["2.2.7"]["reason"].startswith("按支部信息判定")
    assert items["3.2.1"]["status"] in ("partial", "unmet")  # asked, not excused
    assert "2.2.7" in [g["id"] for g in missing["gaps"]]  # type: ignore[attr-defined]
    assert any(d["code"] == "profile-check" for d in missing["diagnostics"])  # type: ignore[attr-defined]
    founded = {i["id"]: i for i in by_name["信息服务党支部"]["items"]}  # type: ignore[attr-defined]
    assert "成立，按" in founded["3.1.1"]["reason"]
    inspected = by_name["计算服务部党支部"]
    assert inspected["score"] != inspected["self_score"]
    typed = by_name["综合管理党支部"]
    assert typed["status"] == "scored" and not [
        d for d in typed["diagnostics"] if d["severity"] == "error"  # type: ignore[attr-defined]
    ]
    rejected = [s for s in subs.values() if s["status"] == "rejected"]
    assert len(rejected) == 1 and rejected[0]["diagnostics"][0]["code"] == "invalid-answer"  # type: ignore[index]


def test_demo_writes_the_reports_and_says_which_to_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "demo", "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 0
    assert f"请先打开：{tmp_path / '汇总.xlsx'}" in result.stdout
    assert (tmp_path / "汇总.xlsx").is_file()
    assert len(list(tmp_path.glob("*-问题清单.xlsx"))) == 11
    assert len(list((tmp_path / "退回").glob("*-退回说明.xlsx"))) == 1


def test_demo_reruns_are_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def snapshot() -> dict[Path, bytes]:
        return {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}

    assert run(capsys, "demo", "-o", str(tmp_path), "--quiet").exit_code == 0
    first = snapshot()
    assert run(capsys, "demo", "-o", str(tmp_path), "--quiet").exit_code == 0
    second = snapshot()
    assert list(first) == list(second)
    for rel, content in first.items():
        assert second[rel] == content, rel


# The bundled rule set's demo scores before rating schemes existed (issue 16): a rule set that
# does not opt in to bonus/penalty blocks, a total formula, capping vetoes or quotas scores
# exactly as before. (file, score, self_score, rating, vetoed)
PINNED_DEMO_SCORES = [
    ("01-办公室党支部.xlsx", 100, 100, "优秀", False),
    ("02-政策法规处党支部.xlsx", 92.01, 92.01, "优秀", False),
    ("03-基础研究处党支部.xlsx", 75.57, 75.57, "基本达标", False),
    ("04-农村科技处党支部.xlsx", 64.02, 64.02, "基本达标", False),
    ("05-规划财务处党支部.xlsx", 85.18, 85.18, "不达标", True),
    ("06-审查业务处党支部.xlsx", 87.34, 87.34, "达标", False),
    ("07-信息服务党支部.xlsx", 88.57, 88.57, "达标", False),
    ("08-综合管理党支部.xlsx", 82.49, 82.49, "达标", False),
    ("09-计算服务部党支部.xlsx", 86.07, 88.62, "达标", False),
    ("10-研发部党支部.xlsx", None, None, None, None),
    ("11-后勤保障部党支部.xlsx", 87.63, 87.63, "不达标", True),
    ("12-离退休干部党支部.xlsx", 86.68, 86.68, "达标", False),  # by its overlay since rule set 1.2.0
]


def test_demo_scores_are_pinned(demo_dir: Path) -> None:
    found = [
        (Path(str(s["source"])).name, s["score"], s["self_score"], s["rating"], s["vetoed"])
        for s in submissions(demo_dir)
    ]
    assert found == PINNED_DEMO_SCORES
    scored = [s for s in submissions(demo_dir) if s["status"] == "scored"]
    assert all(s["rating_before_quota"] == s["rating"] and s["blocks"] == [] for s in scored)
    assert all(s["base_score"] == s["score"] for s in scored)


# Scores of the demo's in-service branches under rule set 1.1.0, before branch-type variants:
# the bundled rule set's 离退休干部党支部 overlay (1.2.0) must leave them exactly as they were.
IN_SERVICE_SCORES = {
    "办公室党支部": (100, 100, "优秀"),
    "政策法规处党支部": (92.01, 92.01, "优秀"),
    "基础研究处党支部": (75.57, 75.57, "基本达标"),
    "农村科技处党支部": (64.02, 64.02, "基本达标"),
    "规划财务处党支部": (85.18, 85.18, "不达标"),
    "审查业务处党支部": (87.34, 87.34, "达标"),
    "信息服务党支部": (88.57, 88.57, "达标"),
    "综合管理党支部": (82.49, 82.49, "达标"),
    "计算服务部党支部": (86.07, 88.62, "达标"),
    "后勤保障部党支部": (87.63, 87.63, "不达标"),
}


def test_in_service_branches_score_as_before_variants_and_the_retired_branch_uses_its_overlay(demo_dir: Path) -> None:
    scored = {s["branch"]["name"]: s for s in submissions(demo_dir) if s["status"] == "scored"}  # type: ignore[index]
    found = {
        name: (s["score"], s["self_score"], s["rating"]) for name, s in scored.items() if name in IN_SERVICE_SCORES
    }
    assert found == IN_SERVICE_SCORES
    assert all(scored[name]["variant"] is None for name in IN_SERVICE_SCORES)
    retired = scored["离退休干部党支部"]
    assert retired["variant"] == "离退休干部党支部"
    assert [d["code"] for d in retired["diagnostics"]] == ["branch-type-applied"]  # type: ignore[index]
    items = {i["id"]: i for i in retired["items"]}  # type: ignore[attr-defined]
    assert items["4.3.2"]["status"] == "not_applicable"
    assert items["4.3.2"]["reason"].startswith(
        "离退休干部党支部不适用（依据《中国共产党党员教育管理工作条例》（2019年）第二十三条）"
    )
    assert items["4.5.3"]["reason"].startswith("离退休干部党支部目标为 2（依据")
    assert retired["score"] == 86.68


def test_demo_records_two_rounds_and_shows_the_follow_up(demo_dir: Path) -> None:
    from openpyxl import load_workbook

    from engine.history import queries
    from engine.history.store import Store

    with Store(demo_dir / "history.sqlite3") as store:
        assert [r.name for r in queries.rounds(store)] == ["2017年度", "2018年度"]
    compared = [s["comparison"] for s in submissions(demo_dir) if s["status"] == "scored"]
    found = [c for c in compared if c is not None]
    assert len(found) == 10 and compared.count(None) == 1  # 信息服务党支部 was founded in 2018
    classes = {g["class"] for c in found for g in c["gaps"]}  # type: ignore[index]
    assert {"已整改", "部分整改", "未整改", "整改不实", "逾期未整改"} <= classes
    changes = [c["change"] for c in found]  # type: ignore[index]
    assert any(c > 0 for c in changes) and any(c < 0 for c in changes)
    rollup = load_workbook(demo_dir / "汇总.xlsx")
    assert rollup.sheetnames[-1] == "变化分析"
    report = load_workbook(demo_dir / "示范厅机关党委-政策法规处党支部-问题清单.xlsx")
    assert "整改情况" in report.sheetnames
    assert "整改不实" in [r[5] for r in report["整改情况"].iter_rows(min_row=4, values_only=True)]


def test_history_show_gives_each_round_and_the_same_rectification_rate_as_the_comparison(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    weak = next(s for s in submissions(demo_dir) if (s.get("branch") or {}).get("name") == "基础研究处党支部")  # type: ignore[union-attr]
    rate = weak["comparison"]["rectification_rate"]  # type: ignore[index]
    shown = run(capsys, "history", "show", "基础研究处党支部", "--history", str(demo_dir / "history.sqlite3"))
    assert shown.exit_code == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if "年度" in line]
    assert len(rows) == 2 and "整改率" in shown.stdout
    assert f"{rate * 100:.1f}%" in rows[1] and "%" not in rows[0].split("│")[6]  # the first round has none


def test_a_branch_matched_through_a_former_name_can_import_its_returned_report(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setenv("COLUMNS", "160")
    from openpyxl import load_workbook

    store = tmp_path / "h.sqlite3"
    shutil.copy(demo_dir / "history.sqlite3", store)
    # 政策法规处党支部 is on the demo roster under a new name, with the old one as 曾用名: the round
    # records it under the roster row, and its report's _meta names that identity.
    wb = load_workbook(demo_dir / "示范厅机关党委-政策法规处党支部-问题清单.xlsx")
    ws = wb["问题清单"]
    state = [c.value for c in ws[3]].index("整改状态") + 1
    ws.cell(4, state).value = "已完成"
    wb.save(tmp_path / "back.xlsx")
    found = run(capsys, "rectification", "import", str(tmp_path / "back.xlsx"), "--round", "2018年度",
                "--history", str(store))  # fmt: skip
    assert found.exit_code == 0, found.stdout + found.stderr
    assert "导入 14 个问题项的整改情况" in found.stdout
    shown = run(capsys, "history", "show", "政策法规与改革处党支部", "--history", str(store))
    assert shown.exit_code == 0 and "2018年度" in shown.stdout  # found by the identity it was recorded under
