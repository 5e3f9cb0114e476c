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
    ("12-离退休干部党支部.xlsx", 88.65, 88.65, "达标", False),
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
