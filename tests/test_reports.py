"""Excel reports built from the results dict form: per-branch 问题清单, the roll-up 汇总 and return notices.

Everything is read back from the saved files (openpyxl, and the raw sheet XML where it matters).
"""

from __future__ import annotations

import copy
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from scoringkit import submission

import engine
from engine import diagnostics
from engine.diagnostics import CATALOGUE
from engine.reports import NOTICE_DIR, ROLLUP_NAME, write_reports
from engine.reports.gaplist import FIRST_ROW, HEADERS, VETO_AREA
from engine.reports.rollup import BranchRow, rank_branches
from engine.reports.summary_block import TABLE_HEADER_ROW
from engine.rules import RuleSet
from engine.scoring import score_submission
from engine.scoring.evaluate import rejected
from engine.scoring.model import Result
from engine.scoring.results import result_to_dict
from engine.submission import Submission

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
FORMULA_NAME = '=HYPERLINK("http://example.com","点我")'
FORMULA_ANSWER = "=HYPERLINK(1)"
GAPPY = {"1.1.2": "较好", "1.1.3": Decimal("28.5"), "1.2.1": Decimal(95), "1.2.2": "否", "2.1.1": Decimal(9)}


def scored(
    rules: RuleSet, source: str, answers: dict[str, Any] | None = None, *, warnings: tuple[Any, ...] = (), **kw: Any
) -> Result:
    sub = submission(answers, **kw)
    return score_submission(rules, Submission(source, sub.sha256, sub.profile, sub.items, sub.vetoes, warnings))


def refused(source: str, *extra: diagnostics.Diagnostic) -> Result:
    error = diagnostics.make(
        "invalid-answer", sheet="自评表", row=15, column=7, value=FORMULA_ANSWER,
        title="自评结果", found=FORMULA_ANSWER, allowed="是、否",
    )  # fmt: skip
    return rejected(Submission(source, "1" * 64), [error, *extra])


def batch(rules: RuleSet) -> list[Result]:
    """Results sorted by source, as the pipeline gives them: three scored, two rejected."""
    warning = diagnostics.make("item-unanswered", sheet="自评表", row=16, column=7, item="2.1.4")
    note = diagnostics.make("unknown-id", sheet="自评表", row=30, column=1, found="9.9.9")
    results = [
        scored(rules, "in/a.xlsx", {**GAPPY, "2.1.4": None}, checks={"1.1.1": "否"}, election_date=date(2015, 6, 1)),
        scored(rules, "in/b.xlsx", branch_name="第二党支部", vetoes={"V1": "是"}),
        scored(
            rules,
            "in/c.xlsx",
            GAPPY,
            branch_name="第三党支部",
            parent_org="另一机关党委",
            vetoes={"V1": None},
            warnings=(note,),
        ),
        refused("in/d.xlsx", warning),
        rejected(Submission("in/notes.txt", "2" * 64), [diagnostics.make("unsupported-file", found=".txt")]),
    ]
    return sorted(results, key=lambda r: r.source)


@pytest.fixture(scope="module")
def results(mini_rules: RuleSet) -> list[Result]:
    return batch(mini_rules)


@pytest.fixture(scope="module")
def out(mini_rules: RuleSet, results: list[Result], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_reports(mini_rules, results, folder)
    return folder


def report_of(out: Path, name: str = "测试党支部", parent: str = "测试机关党委") -> Path:
    return out / f"{parent}-{name}-问题清单.xlsx"


def table(ws: Worksheet, header_row: int) -> list[dict[str, Any]]:
    """Rows below ``header_row`` as dicts by header title (rows with nothing in column A dropped)."""
    titles = [c.value for c in ws[header_row]]
    rows = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if values and values[0] is not None:
            rows.append(dict(zip(titles, values, strict=False)))
    return rows


def sheet_cells(path: Path) -> Iterator[tuple[str, str, str | None, list[str], str]]:
    """Every cell of every sheet XML: (sheet file, ref, type, child tags, text)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{MAIN}}}t")) for si in root.iter(f"{{{MAIN}}}si")]
        for name in names:
            if not name.startswith("xl/worksheets/sheet"):
                continue
            for c in ElementTree.fromstring(z.read(name)).iter(f"{{{MAIN}}}c"):
                tags = [child.tag.split("}")[1] for child in c]
                kind = c.get("t")
                if kind == "s":
                    text = shared[int(c.findtext(f"{{{MAIN}}}v") or 0)]
                else:
                    text = "".join(t.text or "" for t in c.iter(f"{{{MAIN}}}t")) or (c.findtext(f"{{{MAIN}}}v") or "")
                yield name, str(c.get("r")), kind, tags, text


# -- what gets written --
def test_reports_are_written_for_every_input_in_input_order(out: Path, results: list[Result]) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "测试机关党委-测试党支部-问题清单.xlsx",
        "测试机关党委-第二党支部-问题清单.xlsx",
        "另一机关党委-第三党支部-问题清单.xlsx",
        ROLLUP_NAME,
        NOTICE_DIR,
    ])  # fmt: skip
    assert sorted(p.name for p in (out / NOTICE_DIR).iterdir()) == ["d-退回说明.xlsx", "notes-退回说明.xlsx"]


def test_written_paths_follow_the_results_and_end_with_the_rollup(mini_rules: RuleSet, tmp_path: Path) -> None:
    written = write_reports(mini_rules, batch(mini_rules), tmp_path)
    assert [p.name for p in written] == [
        "测试机关党委-测试党支部-问题清单.xlsx",
        "测试机关党委-第二党支部-问题清单.xlsx",
        "另一机关党委-第三党支部-问题清单.xlsx",
        "d-退回说明.xlsx",
        "notes-退回说明.xlsx",
        ROLLUP_NAME,
    ]
    assert all(p.is_file() for p in written)


# -- per-branch report --
def test_gap_rows_match_the_json_gaps_one_to_one_in_order(out: Path, results: list[Result]) -> None:
    d = result_to_dict(results[0])
    ws = load_workbook(report_of(out))["问题清单"]
    rows = [r for r in table(ws, FIRST_ROW - 1) if r["方面"] != VETO_AREA]
    assert [(r["编号"], r["可提升分"]) for r in rows] == [(g["id"], g["gain"]) for g in d["gaps"]]
    assert len(d["gaps"]) == 8
    first = rows[0]
    assert first["编号"] == "1.1.1" and first["自评结果"] == "是" and first["核查结果"] == "否"
    assert first["得分/分值"] == "0/10"
    assert first["整改状态"] == "未整改" and first["整改责任人"] is None
    assert first["依据"] == "【党内规定】《中国共产党支部工作条例（试行）》" and first["整改建议"] == "按要求落实"
    by_id = {r["编号"]: r for r in rows}
    assert by_id["2.1.1"]["得分/分值"] == "14/20" and by_id["2.1.1"]["核查结果"] is None
    assert by_id["1.2.1"]["自评结果"] == "95%"
    assert by_id["2.1.4"]["自评结果"] == "未填写"
    assert by_id["2.1.1"]["问题说明"] == "实际 9，要求不少于 12，少 3 扣 6 分，得 14/20 分"


def test_gap_list_has_autofilter_frozen_header_and_rectification_inputs(out: Path) -> None:
    ws = load_workbook(report_of(out))["问题清单"]
    assert [c.value for c in ws[FIRST_ROW - 1]] == list(HEADERS)
    assert ws.auto_filter.ref.startswith(f"A{FIRST_ROW - 1}:")
    assert ws.freeze_panes == f"D{FIRST_ROW}"
    kinds = {v.type: v for v in ws.data_validations.dataValidation}
    assert kinds["list"].formula1 == '"未整改,整改中,已整改"'
    assert "N4" in kinds["list"].sqref and "M4" in kinds["date"].sqref
    assert ws.print_title_rows == f"${FIRST_ROW - 1}:${FIRST_ROW - 1}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    assert "第 &P 页 / 共 &N 页" in ws.oddFooter.right.text and ws.oddFooter.left.text == "测试党支部"


def test_triggered_and_undetermined_vetoes_come_first_and_are_highlighted(out: Path) -> None:
    ws = load_workbook(report_of(out, "第二党支部"))["问题清单"]
    area, item, what = (HEADERS.index(t) + 1 for t in ("方面", "编号", "问题说明"))
    assert (ws.cell(FIRST_ROW, area).value, ws.cell(FIRST_ROW, item).value) == (VETO_AREA, "V1")
    assert ws.cell(FIRST_ROW, what).value.startswith("触发否决项")
    red = ws.cell(FIRST_ROW, 1).fill.start_color.rgb
    ws = load_workbook(report_of(out, "第三党支部", "另一机关党委"))["问题清单"]
    assert ws.cell(FIRST_ROW, what).value.startswith("无法判定")
    orange = ws.cell(FIRST_ROW, 1).fill.start_color.rgb
    assert red != orange and "00000000" not in (red, orange)
    assert ws.cell(FIRST_ROW + 1, area).value != VETO_AREA


def test_overview_shows_the_self_score_beside_the_score_only_when_inspectors_changed_answers(out: Path) -> None:
    changed = load_workbook(report_of(out))["总览"]
    labels = {c.value: c for row in changed.iter_rows() for c in row if isinstance(c.value, str)}
    assert "核定得分" in labels and "自评得分" in labels
    score = changed.cell(labels["核定得分"].row + 1, 1).value
    self_score = changed.cell(labels["自评得分"].row + 1, 2).value
    assert (score, self_score) != (None, None) and score < self_score
    same = load_workbook(report_of(out, "第二党支部"))["总览"]
    texts = {c.value for row in same.iter_rows() for c in row}
    assert "得分" in texts and "自评得分" not in texts and "触发" in texts


def test_overview_has_areas_with_a_colour_scale_a_bar_chart_and_the_provenance(
    out: Path, mini_rules: RuleSet, results: list[Result]
) -> None:
    path = report_of(out)
    ws = load_workbook(path)["总览"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert {"政治建设标准", "组织生活标准", mini_rules.fingerprint, results[0].sha256, "in/a.xlsx"} <= set(flat)
    assert f"branchcheck {engine.__version__}" in flat
    assert any(r.cfRule[0].type == "colorScale" for r in ws.conditional_formatting)
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        assert ElementTree.fromstring(z.read(charts[0])).find(f".//{{{CHART}}}barChart") is not None


def test_overview_shows_not_applicable_for_an_area_without_applicable_items(
    mini_rules: RuleSet, results: list[Result], tmp_path: Path
) -> None:
    d = copy.deepcopy(result_to_dict(results[0]))
    d["areas"][1].update(earned=0, max=0, percent=None)
    write_reports(mini_rules, [d], tmp_path)
    ws = load_workbook(report_of(tmp_path))["总览"]
    row = next(r for r in ws.iter_rows() if r[0].value == "组织生活标准")
    assert [c.value for c in row[2:5]] == [0, 0, "不适用"]
    total = load_workbook(tmp_path / ROLLUP_NAME)["总表"]
    header = [c.value for c in total[3]]
    cell = total.cell(4, header.index("组织生活标准") + 1)
    assert cell.value is None and cell.fill.start_color.rgb not in ("00000000", None)


def test_detail_subtotals_are_values_that_add_up(out: Path, results: list[Result]) -> None:
    d = result_to_dict(results[0])
    ws = load_workbook(report_of(out))["评分明细"]
    rows = table(ws, 3)
    items = [r for r in rows if r["编号"] and r["编号"] in {i["id"] for i in d["items"]}]
    assert [r["编号"] for r in items] == [i["id"] for i in d["items"]]
    assert {r["状态"] for r in items} >= {"达标", "部分达标", "未达标", "未填写"}
    subtotals = {r["编号"]: r for r in rows if str(r["编号"]).startswith(("小计", "合计", "总计"))}
    for standard in d["standards"]:
        row = subtotals[f"小计：{standard['id']} {standard['name']}"]
        mine = [r for r in items if r["编号"].startswith(standard["id"] + ".")]
        assert (row["得分"], row["满分"]) == (standard["earned"], standard["max"])
        assert abs(sum(r["得分"] for r in mine) - standard["earned"]) < 1e-9
    for area in d["areas"]:
        assert subtotals[f"合计：{area['id']} {area['name']}"]["得分"] == area["earned"]
    total = subtotals["总计"]
    assert abs(total["得分"] - sum(a["earned"] for a in d["areas"])) < 1e-9
    assert str(d["score"]) in total["说明"]
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)


def test_data_problems_lists_the_warnings_and_is_left_out_without_any(out: Path) -> None:
    ws = load_workbook(report_of(out, "第三党支部", "另一机关党委"))["数据问题"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["自评表!A30", "提醒", "未知编号", "编号“9.9.9”不在规则集中，该行已忽略"]
    ]
    assert [c.value for c in ws[1]] == ["位置", "级别", "问题", "说明"]
    assert load_workbook(report_of(out)).sheetnames == ["总览", "问题清单", "评分明细", "_meta"]  # _meta: rounds14


def test_overview_lists_the_top_gaps_the_warnings_and_a_labelled_total(out: Path, results: list[Result]) -> None:
    d = result_to_dict(results[0])
    ws = load_workbook(report_of(out))["总览"]
    title = next(c for row in ws.iter_rows() for c in row if c.value == "优先整改（可提升分最高的 5 项）")
    rows = [[c.value for c in ws[n]] for n in range(title.row + 2, title.row + 7)]
    assert [(r[0], r[5]) for r in rows] == [(g["id"], g["gain"]) for g in d["gaps"][:5]]
    assert all(isinstance(r[1], str) and r[1] for r in rows)
    texts = {c.value for row in ws.iter_rows() for c in row}
    assert "合计（适用满分）" in texts and "合计" not in texts
    assert not any(str(t).startswith("数据提醒") for t in texts)
    other = load_workbook(report_of(out, "第三党支部", "另一机关党委"))["总览"]
    warned = {c.value for row in other.iter_rows() for c in row}
    assert "数据提醒 1 条（见“数据问题”）。" in warned


def test_gap_list_header_counts_gaps_and_vetoes_like_the_numbered_rows(out: Path) -> None:
    ws = load_workbook(report_of(out, "第二党支部"))["问题清单"]
    numbered = [r for r in table(ws, FIRST_ROW - 1) if isinstance(r["序号"], int)]
    gaps = [r for r in numbered if r["方面"] != VETO_AREA]
    assert f"共 {len(gaps)} 个问题项、1 个否决项（序号 1～{len(numbered)}" in ws["A2"].value


# -- roll-up --
def test_rollup_has_a_row_per_scored_branch_and_one_per_rejected_file(out: Path, results: list[Result]) -> None:
    wb = load_workbook(out / ROLLUP_NAME)
    assert wb.sheetnames == ["总表", "评级分布", "共性问题", "未通过文件", "分组汇总"]
    rows = table(wb["总表"], TABLE_HEADER_ROW)
    assert sorted(r["支部名称"] for r in rows) == sorted(r.branch_name or "" for r in results if r.scored)
    assert [r["排名"] for r in rows] == [1, 2, 3]
    assert rows[-1]["支部名称"] == "第二党支部" and rows[-1]["否决"] == "是"  # vetoed: last despite 100 points
    link = wb["总表"].cell(TABLE_HEADER_ROW + 1, len(rows[0]))
    assert link.hyperlink is not None and link.hyperlink.target.endswith("-问题清单.xlsx")
    refused_rows = table(wb["未通过文件"], 3)
    assert [r["文件"] for r in refused_rows] == [r.source for r in results if not r.scored]
    assert refused_rows[0]["位置"] == "自评表!G15"
    assert refused_rows[0]["退回说明"] == "d-退回说明.xlsx"


def test_rollup_bands_and_common_problems(out: Path, results: list[Result]) -> None:
    wb = load_workbook(out / ROLLUP_NAME)
    bands = {r["评定等级"]: r["支部数"] for r in table(wb["评级分布"], 3)}
    assert bands["优秀"] + bands["达标"] + bands["基本达标"] + bands["不达标"] == 3
    assert bands["其中：触发否决项"] == 1 and bands["合计"] == 3
    common = table(wb["共性问题"], 3)
    gaps = [g.id for r in results if r.scored for g in r.gaps]
    assert {r["编号"]: r["问题支部数"] for r in common} == {i: gaps.count(i) for i in set(gaps)}
    top = common[0]
    assert top["问题支部数"] == 2 and top["适用支部数"] == 3 and top["占比"] == 2 / 3
    counts = [r["问题支部数"] for r in common]
    assert counts == sorted(counts, reverse=True)


def test_rollup_sheets_are_streamed_with_conditional_formatting(out: Path) -> None:
    with zipfile.ZipFile(out / ROLLUP_NAME) as z:
        sheet1 = z.read("xl/worksheets/sheet1.xml").decode()
        sheet3 = z.read("xl/worksheets/sheet3.xml").decode()
    assert "<colorScale>" in sheet1 and "<dataBar>" in sheet3
    assert "inlineStr" in sheet1  # streamed sheets (XlsxWriter's constant_memory) write inline strings


def test_ranking_is_competition_ranking_with_vetoed_branches_last() -> None:
    def row(name: str, score: str, vetoed: bool = False, parent: str = "P") -> BranchRow:
        return BranchRow(f"{name}.xlsx", name, parent, Decimal(score), None, "x", vetoed, "否", 0, ())

    ranked = rank_branches([
        row("e", "99", vetoed=True), row("d", "70"), row("b", "80", parent="Q"), row("c", "80", parent="P"),
        row("a", "90"), row("f", "99", vetoed=True),
    ])  # fmt: skip
    assert [(rank, r.name) for rank, r in ranked] == [(1, "a"), (2, "c"), (2, "b"), (4, "d"), (5, "e"), (5, "f")]


def test_a_duplicate_submission_is_listed_once_after_the_ranking_and_not_counted(
    mini_rules: RuleSet, tmp_path: Path
) -> None:
    copy_warning = diagnostics.make("duplicate-file", other="in/b.xlsx", kept="")
    first = scored(mini_rules, "in/a.xlsx", GAPPY, warnings=(copy_warning,))
    other = scored(mini_rules, "in/c.xlsx", branch_name="第三党支部")
    again = scored(mini_rules, "in/b.xlsx", GAPPY, branch_name="第二党支部", warnings=(copy_warning,))
    again = replace(again, duplicate_of="in/a.xlsx")
    # The kit gives every submission the same digest: only copies of an original are folded.
    assert first.sha256 == again.sha256 == other.sha256 != ""
    written = write_reports(mini_rules, [first, again, other], tmp_path)
    assert len(written) == 4  # the copy still gets its report
    wb = load_workbook(tmp_path / ROLLUP_NAME)
    rows = table(wb["总表"], TABLE_HEADER_ROW)
    assert [(r["排名"], r["支部名称"]) for r in rows] == [(1, "第三党支部"), (2, "测试党支部"), ("重复", "第二党支部")]
    assert rows[-1]["备注"] == "与 in/a.xlsx 内容相同" and rows[0]["备注"] is None
    assert wb["总表"].cell(TABLE_HEADER_ROW + 3, len(rows[0])).hyperlink.target.endswith("第二党支部-问题清单.xlsx")
    bands = {r["评定等级"]: r["支部数"] for r in table(wb["评级分布"], 3)}
    assert bands["合计"] == 2
    common = table(wb["共性问题"], 3)
    assert all(r["问题支部数"] == 1 and r["适用支部数"] == 2 for r in common if r["编号"] in {"1.1.2", "2.1.1"})


def test_common_problem_shares_are_exact_ratios(mini_rules: RuleSet, tmp_path: Path) -> None:
    from engine.reports.rollup import Rollup

    rollup = Rollup(mini_rules)
    for n in range(11):
        d = result_to_dict(scored(mini_rules, f"in/{n:02}.xlsx", GAPPY if n < 6 else None))
        rollup.add({**d, "sha256": f"{n:064}"})
    rollup.write(tmp_path / ROLLUP_NAME)
    common = {r["编号"]: r for r in table(load_workbook(tmp_path / ROLLUP_NAME)["共性问题"], 3)}
    assert common["2.1.1"]["占比"] == 6 / 11  # shown as 54.5%, not 54.6%


# -- return notices --
def test_return_notice_explains_errors_first_then_warnings(out: Path) -> None:
    ws = load_workbook(out / NOTICE_DIR / "d-退回说明.xlsx")["退回说明"]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "in/d.xlsx" in texts  # the source as given (``score`` gives it relative to the input root)
    assert any("不予受理" in str(t) for t in texts) and any("重新提交" in str(t) for t in texts)
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "序号")
    assert [c.value for c in ws[header]] == ["序号", "位置", "填写的内容", "问题说明", "怎样修改"]
    rows = [r for r in table(ws, header) if isinstance(r["序号"], int)]
    assert [(r["序号"], r["位置"]) for r in rows] == [(1, "自评表!G15"), (2, "自评表!G16")]
    assert rows[0]["填写的内容"] == FORMULA_ANSWER and rows[0]["怎样修改"] == CATALOGUE["invalid-answer"].fix
    assert rows[1]["问题说明"].startswith("检查要点 2.1.4 未填写")


def test_an_internal_error_gets_no_notice_but_is_listed_for_the_inspectors(
    mini_rules: RuleSet, tmp_path: Path
) -> None:
    crash = rejected(Submission("in/x.xlsx", "3" * 64), [diagnostics.make("internal-error", detail="超时")])
    written = write_reports(mini_rules, [crash, refused("in/y.xlsx")], tmp_path)
    assert [p.name for p in written] == ["y-退回说明.xlsx", ROLLUP_NAME]
    rows = table(load_workbook(tmp_path / ROLLUP_NAME)["未通过文件"], 3)
    assert [r["文件"] for r in rows] == ["in/x.xlsx", "in/y.xlsx"]
    assert "检查组处理" in rows[0]["说明"] and rows[0]["退回说明"] == "不发（检查组处理）"
    assert "检查组" not in rows[1]["说明"] and rows[1]["退回说明"] == "y-退回说明.xlsx"


def test_every_diagnostic_code_has_a_description_and_advice_for_the_secretary() -> None:
    for kind in CATALOGUE.values():
        assert kind.about.endswith("。") and kind.fix.endswith("。"), kind.code
        assert kind.severity_word in ("错误", "提醒")


# -- safe and reproducible files --
def test_formula_like_user_text_is_stored_as_string_cells(mini_rules: RuleSet, tmp_path: Path) -> None:
    d = result_to_dict(scored(mini_rules, "in/x.xlsx", GAPPY, branch_name=FORMULA_NAME))
    d = copy.deepcopy(d)
    item = next(i for i in d["items"] if i["id"] == d["gaps"][0]["id"])
    item["self_answer"] = FORMULA_ANSWER
    written = write_reports(mini_rules, [d, result_to_dict(refused("in/=cmd.xlsx"))], tmp_path)
    assert len(written) == 3
    seen: dict[str, set[str | None]] = {}
    for path in written:
        for sheet, ref, kind, tags, text in sheet_cells(path):
            assert "f" not in tags, f"{path.name} {sheet} {ref} holds a formula"
            if text.startswith(("=HYPERLINK", "=cmd")):
                seen.setdefault(path.name, set()).add(kind)
    assert set(seen) == {p.name for p in written}  # every workbook shows some of that text
    assert all(kinds <= {"s", "inlineStr"} for kinds in seen.values())
    ws = load_workbook(written[0])["问题清单"]
    answer = HEADERS.index("自评结果") + 1
    assert ws.cell(FIRST_ROW, answer).value == FORMULA_ANSWER and ws.cell(FIRST_ROW, answer).data_type == "s"


def test_text_that_looks_like_rich_text_markup_is_stored_as_typed(mini_rules: RuleSet, tmp_path: Path) -> None:
    markup = "<r>a&b</r>"  # XlsxWriter would copy it into the file as markup: the file would not open
    d = copy.deepcopy(result_to_dict(scored(mini_rules, "in/x.xlsx", GAPPY, branch_name=markup, parent_org=markup)))
    written = write_reports(mini_rules, [d, result_to_dict(refused(f"in/{markup}.xlsx"))], tmp_path)
    for path in written:
        texts = {c.value for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row}
        assert any(isinstance(t, str) and markup in t for t in texts), path.name


def test_long_user_text_is_shortened_in_every_report_cell(mini_rules: RuleSet, tmp_path: Path) -> None:
    name, parent, typed = "第一党支部" * 200, "机关党委" * 100, "是" + "x" * 99_999
    long_named = scored(mini_rules, "in/a.xlsx", GAPPY, branch_name=name, parent_org=parent)
    error = diagnostics.make(
        "invalid-answer", sheet="自评表", row=6, column=7, value=typed, title="自评结果", found=typed, allowed="是、否"
    )
    written = write_reports(mini_rules, [long_named, rejected(Submission("in/b.xlsx", "1" * 64), [error])], tmp_path)
    texts = [text for path in written for _, _, _, _, text in sheet_cells(path)]
    for whole in (name, parent, typed):
        assert not any(whole[:201] in text for text in texts)
        assert any(f"{whole[:200]}…（共 {len(whole)} 字）" in text for text in texts), whole[:10]
    notice = load_workbook(written[1])["退回说明"]
    assert f"{typed[:200]}…（共 100000 字）" in [c.value for row in notice.iter_rows() for c in row]


def test_two_runs_give_byte_identical_files(mini_rules: RuleSet, results: list[Result], tmp_path: Path) -> None:
    first = write_reports(mini_rules, results, tmp_path / "one")
    # From dicts (as read back from results.json) and in two worker processes: the same bytes.
    second = write_reports(mini_rules, [result_to_dict(r) for r in results], tmp_path / "two", jobs=2)
    assert [p.relative_to(tmp_path / "one") for p in first] == [p.relative_to(tmp_path / "two") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_links_to_reports_and_notices_are_relative_with_forward_slashes(out: Path) -> None:
    with zipfile.ZipFile(out / ROLLUP_NAME) as z:
        targets = [
            r.get("Target")
            for name in z.namelist()
            if name.startswith("xl/worksheets/_rels/")
            for r in ElementTree.fromstring(z.read(name))
            if r.get("Type", "").endswith("/hyperlink")
        ]
    assert sorted(targets) == sorted([
        "测试机关党委-测试党支部-问题清单.xlsx",
        "测试机关党委-第二党支部-问题清单.xlsx",
        "另一机关党委-第三党支部-问题清单.xlsx",
        f"{NOTICE_DIR}/d-退回说明.xlsx",
        f"{NOTICE_DIR}/notes-退回说明.xlsx",
    ])  # fmt: skip


def test_a_name_with_ampersands_and_image_codes_keeps_its_footer(mini_rules: RuleSet, tmp_path: Path) -> None:
    name = "A&B&G&[Picture]&1支部"
    written = write_reports(mini_rules, [scored(mini_rules, "in/a.xlsx", branch_name=name)], tmp_path)
    with zipfile.ZipFile(written[0]) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        footers = [ElementTree.fromstring(z.read(n)).findtext(f".//{{{MAIN}}}oddFooter") for n in sheets]
    assert len(footers) == 4 and footers[-1] is None  # 总览, 问题清单, 评分明细 (no 数据问题); _meta never printed
    assert set(footers[:3]) == {"&L&10 A&&B＆G＆[Picture]&&1支部&R&10 第 &P 页 / 共 &N 页"}  # && is a literal &


def test_a_branch_named_like_a_path_is_written_inside_the_folder(mini_rules: RuleSet, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    evil = scored(mini_rules, "in/e.xlsx", branch_name="../../evil", parent_org="../..")
    written = write_reports(mini_rules, [evil, refused("../../../etc/passwd")], out)
    for path in written:
        assert out.resolve() in path.resolve().parents
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(p.name for p in written)
    assert written[0].name == "__-____evil-问题清单.xlsx"


def test_same_names_ignoring_case_get_numbered_in_input_order(mini_rules: RuleSet, tmp_path: Path) -> None:
    results = [
        scored(mini_rules, "1.xlsx", branch_name="Branch"),
        scored(mini_rules, "2.xlsx", branch_name="branch"),
        refused("x/Same.xlsx"),
        refused("y/same.xls"),
    ]
    names = [p.name for p in write_reports(mini_rules, results, tmp_path)]
    assert names == [
        "测试机关党委-Branch-问题清单.xlsx",
        "测试机关党委-branch-2-问题清单.xlsx",
        "Same-退回说明.xlsx",
        "same-2-退回说明.xlsx",
        ROLLUP_NAME,
    ]


def test_long_names_stay_within_150_bytes(mini_rules: RuleSet, tmp_path: Path) -> None:
    results = [scored(mini_rules, f"{n}.xlsx", branch_name="很长的党支部名称" * 40) for n in range(3)]
    written = write_reports(mini_rules, results, tmp_path)
    assert len({p.name for p in written}) == 4
    assert all(len(p.name.encode()) <= 150 for p in written)


# -- the score command writes them --
def test_score_to_folder_writes_the_reports_next_to_results_json(
    mini_rules: RuleSet, fill: Any, tmp_path: Path
) -> None:
    from engine.batch.run import score_to_folder

    inputs = tmp_path / "in"
    inputs.mkdir()
    fill(name="in/one.xlsx")
    (inputs / "notes.xlsx").write_text("x", encoding="utf-8")
    (inputs / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # evidence: listed, not read
    outcome = score_to_folder(mini_rules, [inputs], tmp_path / "out")
    names = [p.name for p in outcome.written]
    assert names == [
        "results.json", "notes-退回说明.xlsx", "测试机关党委-测试党支部-问题清单.xlsx", ROLLUP_NAME, "manifest.json"
    ]
    assert outcome.others == ["photo.png"]
    assert all(p.is_file() for p in outcome.written)


# -- LibreOffice opens them --
@pytest.mark.libreoffice
def test_libreoffice_converts_a_branch_report_and_the_rollup_to_pdf(soffice: str, out: Path, tmp_path: Path) -> None:
    for n, source in enumerate([report_of(out), out / ROLLUP_NAME]):
        target = tmp_path / f"pdf-{n}"
        done = subprocess.run(
            [soffice, f"-env:UserInstallation={(tmp_path / f'profile-{n}').as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(target), str(source)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        pdf = target / f"{source.stem}.pdf"
        assert pdf.is_file(), f"no PDF (exit {done.returncode}): {done.stdout} {done.stderr}"
        assert pdf.read_bytes().startswith(b"%PDF")
