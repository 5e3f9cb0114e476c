"""Rule set → workbook → rule set is loss-free; import is deterministic and a fixed point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import MINI_ANSWERS, MINI_PROFILE, MINI_VETOES
from python_calamine import CalamineWorkbook
from rulebookkit import BUILT, CASES, rule_set_folder

from engine.rulebook import export_rulebook, import_rulebook
from engine.rules import RuleSet, bundled_rules_dir, load_rule_set
from engine.template import fill_workbook


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(params=["bundled", *CASES, *BUILT])
def original(request: pytest.FixtureRequest, tmp_path: Path) -> RuleSet:
    if request.param == "bundled":
        return load_rule_set(bundled_rules_dir())
    return load_rule_set(rule_set_folder(request.param, tmp_path / "source"))


def test_export_then_import_gives_the_same_model_and_fingerprint(original: RuleSet, tmp_path: Path) -> None:
    book = export_rulebook(original, tmp_path / "规则.xlsx")
    imported = import_rulebook(book, tmp_path / "imported")
    assert imported.fingerprint == original.fingerprint
    assert imported == original  # every field of the model, display texts and parameters as written included


def test_import_is_byte_identical_on_rerun_and_a_fixed_point(original: RuleSet, tmp_path: Path) -> None:
    book = export_rulebook(original, tmp_path / "a.xlsx")
    first = _files(import_rulebook(book, tmp_path / "one").path)  # type: ignore[arg-type]
    assert _files(import_rulebook(book, tmp_path / "two").path) == first  # type: ignore[arg-type]
    again = export_rulebook(load_rule_set(tmp_path / "one"), tmp_path / "b.xlsx")
    assert again.read_bytes() == export_rulebook(load_rule_set(tmp_path / "one"), tmp_path / "c.xlsx").read_bytes()
    assert _files(import_rulebook(again, tmp_path / "three").path) == first  # type: ignore[arg-type]


def test_the_imported_folder_has_the_bundled_layout(tmp_path: Path) -> None:
    bundled = load_rule_set()
    folder = import_rulebook(export_rulebook(bundled, tmp_path / "a.xlsx"), tmp_path / "out").path
    assert folder is not None
    assert sorted(p.name for p in folder.iterdir()) == [
        *(f"area-{n}.yaml" for n in range(1, 7)), "ruleset.yaml", "variant-retired.yaml"
    ]
    root = (folder / "ruleset.yaml").read_text(encoding="utf-8")
    assert root.startswith(f"# Rule set gansu-organs-2018 {bundled.version}: written by `branchcheck rules import`")
    assert "\nid: gansu-organs-2018\ntitle: 甘肃省党和国家机关" in root  # Chinese unescaped, key order
    assert "\nscales:\n  四档:\n    - {label: 好, credit: 1}\n" in root
    assert '    condition: {item: "3.6.1", op: lt, value: 1}\n' in root
    area = (folder / "area-2.yaml").read_text(encoding="utf-8")
    assert area.startswith('# Area 2 of gansu-organs-2018: 5 standards, 29 check points, 18 points.\nid: "2"\n')
    assert '      - id: "2.2.7"\n        text: 正式党员7人以上的党支部设立支部委员会\n        type: yes_no\n' in area
    assert "        derived_from: {field: has_committee, op: eq, value: 是}\n" in area
    assert "        options: 四档\n" in (folder / "area-1.yaml").read_text(encoding="utf-8")
    assert root.endswith(
        "\n\nvariants:\n  options: [在职党支部, 离退休干部党支部, 联合党支部]\n"
        "  overlays:\n    - variant-retired.yaml\n"
    )
    overlay = (folder / "variant-retired.yaml").read_text(encoding="utf-8")
    assert overlay.startswith("# Variant 离退休干部党支部 of gansu-organs-2018: 11 changes, written by")
    assert "\nvariant: 离退休干部党支部\nnote: 离退休干部党支部的党员已离开工作岗位" in overlay
    assert (
        '\nchanges:\n  - item: "2.4.7"\n    action: not_applicable\n    reason: 离退休干部党支部一般不承担发展党员任务'
    ) in overlay
    assert '  - item: "3.5.4"\n    action: change\n    set: {target: 70}\n    reason: 年老体弱' in overlay


def test_the_imported_example_scheme_has_its_layout(tmp_path: Path) -> None:
    example = load_rule_set(rule_set_folder("example-five-star", tmp_path))
    folder = import_rulebook(export_rulebook(example, tmp_path / "a.xlsx"), tmp_path / "out").path
    assert folder is not None
    root = (folder / "ruleset.yaml").read_text(encoding="utf-8")
    assert (
        "\n\ntotal:\n  min: 0\n  max: 100\n  components:\n    - {source: checklist, weight: 0.7}\n"
        "    - {source: field, field: appraisal_score, weight: 0.3}\n\nbands:\n"
        "  - {name: 五星, min: 90, label: ★★★★★ 五星, max_share: 0.3}\n"
    ) in root
    veto = "  - id: V2\n    text: 被上级党组织确定为软弱涣散党支部\n    kind: question\n    effect: cap\n"
    assert veto + "    cap: 二星\n" in root
    assert "\nid: \"3\"\nname: 加分项\nkind: bonus\ncap: 5\nstandards:\n" in (folder / "bonus.yaml").read_text(
        encoding="utf-8"
    )

def test_text_with_line_breaks_is_a_literal_block_and_formulas_stay_text(tmp_path: Path) -> None:
    rules = load_rule_set(rule_set_folder("everything", tmp_path / "src"))
    book = export_rulebook(rules, tmp_path / "a.xlsx")
    with CalamineWorkbook.from_path(str(book)) as wb:
        record = wb.get_sheet_by_name("规则集").to_python()
    assert record[4][:2] == ["手册", "=1+1 测试手册"]  # a text cell, not a formula
    root = (import_rulebook(book, tmp_path / "out").path / "ruleset.yaml").read_text(encoding="utf-8")  # type: ignore[operator]
    assert "bands_note: |-\n  第一行\n  第二行：等级系重构\n" in root
    assert "handbook: =1+1 测试手册\n" in root


def test_the_skeleton_has_the_areas_and_standards_and_no_check_points(tmp_path: Path) -> None:
    book = export_rulebook(load_rule_set(), tmp_path / "骨架.xlsx", skeleton=True)
    with CalamineWorkbook.from_path(str(book)) as wb:
        standards = wb.get_sheet_by_name("方面与标准").to_python()
        items = wb.get_sheet_by_name("检查要点").to_python()
        names = wb.sheet_names
    assert len({row[0] for row in standards[1:]}) == 6 and len(standards) == 1 + 27
    assert items[0][:4] == ["编号", "检查要点", "类型", "分值"] and len(items) == 1
    assert names[:5] == ["说明", "规则集", "支部信息字段", "方面与标准", "检查要点"] and names[-1] == "_meta"


def test_an_imported_rule_set_is_used_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = rule_set_folder("mini", tmp_path / "src")
    assert (
        run(capsys, "rules", "export", str(source), "--format", "xlsx", "-o", str(tmp_path / "规则.xlsx")).exit_code
        == 0
    )
    result = run(capsys, "rules", "import", str(tmp_path / "规则.xlsx"), "-o", str(tmp_path / "新规则集"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"已导入规则集：{tmp_path / '新规则集'}\n规则集 mini 1.0.0：")
    assert "评分内容与导出时相同（指纹未变）：已回收的自评表仍然有效。\n" in result.stdout
    template = tmp_path / "t.xlsx"
    assert run(capsys, "template", "--rules", str(tmp_path / "新规则集"), "-o", str(template)).exit_code == 0
    filled = fill_workbook(template, tmp_path / "in" / "a.xlsx", profile=MINI_PROFILE, answers=MINI_ANSWERS,
                           vetoes=MINI_VETOES)  # fmt: skip
    scored = run(capsys, "score", str(filled), "--rules", str(tmp_path / "新规则集"), "-o", str(tmp_path / "reports"))
    assert scored.exit_code == 0, scored.stderr
    assert (tmp_path / "reports" / "results.json").is_file()


def test_import_refuses_a_non_empty_folder_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = export_rulebook(load_rule_set(rule_set_folder("mini", tmp_path / "src")), tmp_path / "a.xlsx")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "CHANGES.md").write_text("变更记录", encoding="utf-8")
    refused = run(capsys, "rules", "import", str(book), "-o", str(folder))
    assert refused.exit_code == 2
    assert refused.stderr == f"错误：文件夹 {folder} 不是空的；确认要覆盖其中的规则集文件时加 --force\n"
    assert sorted(p.name for p in folder.iterdir()) == ["CHANGES.md"]
    forced = run(capsys, "rules", "import", str(book), "-o", str(folder), "--force")
    assert forced.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["CHANGES.md", "a1.yaml", "a2.yaml", "ruleset.yaml"]
    assert (folder / "CHANGES.md").read_text(encoding="utf-8") == "变更记录"  # what a person wrote is kept


def test_import_reminds_to_bump_the_version_when_scoring_changed(
    edit: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = export_rulebook(load_rule_set(rule_set_folder("mini", tmp_path / "src")), tmp_path / "a.xlsx")

    def targets(wb: Any) -> None:
        wb["检查要点"]["E7"] = 10  # 2.1.1: 10 支委会 a year instead of 12

    changed = edit(book, None, targets)
    result = run(capsys, "rules", "import", str(changed), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "提醒：评分内容已改变（指纹不同），版本号仍为 1.0.0；请在“规则集”表中提高版本号后重新导入" in result.stdout

    def bumped(wb: Any) -> None:
        targets(wb)
        wb["规则集"]["B4"] = "1.1.0"

    result = run(capsys, "rules", "import", str(edit(book, None, bumped, name="b.xlsx")), "-o", str(tmp_path / "o2"))
    assert result.exit_code == 0 and "提醒" not in result.stdout and "规则集 mini 1.1.0：" in result.stdout
    assert load_rule_set(tmp_path / "o2").item("2.1.1").target == 10
