"""Return notices (退回说明): for each rejected file, what was wrong cell by cell and how to fix it.

One sheet, ready for the inspector to send back: a header block (which file, that
it was not accepted, what to do), then 序号 | 位置 | 填写的内容 | 问题说明 | 怎样修改,
errors first, then warnings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import engine
from engine.book import Book, CellValue
from engine.outnames import NOTICE_DIR, NOTICE_SUFFIX
from engine.reports import styles as st
from engine.reports.texts import ResultDict, file_name, file_stem
from engine.rules.model import RuleSet

SHEET_NOTICE = "退回说明"
HEADERS = ("序号", "位置", "填写的内容", "问题说明", "怎样修改")
WIDTHS = (6, 18, 22, 52, 48)
WHOLE_FILE = "整个文件"
DEFAULT_FIX = "请按问题说明修改。"
RESULT_TEXT = "未通过检查，本次不予受理（未评分）。"
INTERNAL_ERROR = "internal-error"

# How to fix each kind of problem, in words a branch secretary understands.
FIXES: Mapping[str, str] = {
    "file-unreadable": "用 Excel 或 WPS 打开，确认能打开、没有设密码；已损坏的，请用下发的模板重新填写。",
    "sheet-missing": "请使用下发的自评表模板填写，不要删除或重命名其中的工作表。",
    "header-missing": "请恢复模板原有的表头行，不要删除或改动表头文字。",
    "name-variant": "不影响受理；今后请使用下发的模板，不要改动工作表名称、表头和项目名称。",
    "template-mismatch": "请使用本次下发的模板重新填写（可把已填内容复制到新模板的对应位置）。",
    "meta-missing": "如是自行制作的表格，请改用下发的模板；如确用模板填写，可不处理。",
    "profile-missing": "在“支部信息”表的“填写内容”列补填此项。",
    "profile-invalid": "按“支部信息”表“说明”列的要求改正：日期写成 2018-03-05，人数只填数字。",
    "no-reference-date": "在“支部信息”表中填写“评估基准日”或“评估年度”（至少一项）。",
    "profile-check": "核对支部信息是否填写正确；情况属实的，在备注中说明原因即可。",
    "invalid-answer": "点击该单元格，从下拉列表中选择，或按“问题说明”中列出的允许值填写。",
    "na-not-allowed": "本检查要点不能填“不适用”，请按实际情况填写。",
    "invalid-count": "只填写数字（如 12），文字说明请写在“备注”列。",
    "number-too-long": "只填写实际的数字（如 12），不要填写过长的数字或文字；需要说明的写在“备注”列。",
    "percent-out-of-range": "填写 0%～100% 之间的百分比，如 95%。",
    "date-out-of-range": "核对日期的年、月是否写错，按 2018-03-05 的格式填写。",
    "duplicate-id": "删除重复的行，每个编号只保留一行。",
    "item-unanswered": "补填该检查要点的自评结果；没有开展的填“否”或实际次数 0。",
    "item-missing": "不要删除模板中的行；请在下发的模板中补填该检查要点。",
    "unknown-id": "不要改动“编号”列；自行添加的行请删除。",
    "answer-not-applicable": "按所填支部信息，本检查要点不适用，无需填写；如支部信息填错了，请改正支部信息。",
    "veto-unanswered": "在该否决项的“自评结果”中填写“是”或“否”。",
    "too-many-diagnostics": "先改正已列出的问题，再重新自查（其余问题会在下次检查时列出）。",
    "nothing-applicable": "核对“支部信息”是否填写正确（如是否设立支部委员会、成立日期、评估年度）。",
    "veto-undetermined": "补填该否决项涉及的支部信息或检查要点，使其可以判定。",
    "strict-incomplete": "补填全部未填写的检查要点和否决项后重新提交。",
    "unsupported-file": "用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再提交。",
    "file-empty": "文件是空的，请重新保存填写好的自评表后再提交。",
    "file-too-large": "删除表中多余的图片、附件和空白行列，文件变小后再提交；佐证材料另行报送。",
    "file-encrypted": "在 Excel 或 WPS 中去掉文件密码（文件 → 信息 → 保护工作簿）后重新保存提交。",
    "not-a-workbook": "提交用自评表模板填写的 Excel 文件（.xlsx），不要提交 PDF、Word 或图片。",
    "zip-unsafe": "用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再提交。",
    "xml-unsafe": "用下发的模板重新填写（可复制粘贴已填的文字），另存为 .xlsx 后提交。",
    "sheet-too-large": "删除表格下方和右侧多余的行、列（全选后删除，而不只是清除内容），保存后重新提交。",
    "internal-error": "这不是填写错误，是检查程序出了问题；请联系检查组处理，无需修改。",
    "duplicate-file": "同一份文件提交了多次，请确认后只保留一份。",
    "duplicate-branch": "同一支部提交了多份自评表，请确认以哪一份为准，撤回其余各份。",
}


def fix_for(code: str) -> str:
    return FIXES.get(code, DEFAULT_FIX)


def internal_only(d: ResultDict) -> bool:
    """True when every error of ``d`` is an internal error: the program's fault, not the branch's."""
    errors = [x for x in d.get("diagnostics", ()) if x.get("severity") == "error"]
    return bool(errors) and all(x.get("code") == INTERNAL_ERROR for x in errors)


def needs_notice(d: ResultDict) -> bool:
    """A rejected submission gets a 退回说明 unless only internal errors stopped it (inspectors handle those)."""
    return not internal_only(d)


def notice_stem(d: ResultDict) -> str:
    """The input's file name without extension, before sanitising."""
    return file_stem(str(d.get("source") or ""))


def write_notice(rules: RuleSet, d: ResultDict, path: Path) -> Path:
    """Build and save the return notice of one rejected submission."""
    return build_notice(rules, d).save(path)


def _value_text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def build_notice(rules: RuleSet, d: ResultDict) -> Book:
    book = st.new_book()
    ws = book.sheet(SHEET_NOTICE, WIDTHS)
    source = str(d.get("source") or "")
    name = file_name(source)
    diagnostics = list(d.get("diagnostics", ()))
    errors = [x for x in diagnostics if x.get("severity") == "error"]
    warnings = [x for x in diagnostics if x.get("severity") != "error"]
    ws.put(1, 1, "自评表退回说明", "bc-title")
    block = (
        ("文件", name),
        ("提交的文件", source),
        ("处理结果", RESULT_TEXT),
        ("需要怎样做", "请按下表“怎样修改”逐项改正（“必须修改”的全部改正后才能受理），修改后重新提交。"),
        ("问题数", f"必须修改 {len(errors)} 处，提醒 {len(warnings)} 处"),
        ("检查依据", f"{rules.title}（规则集 {rules.id} {rules.version}）"),
        ("文件校验码", f"SHA-256 {d.get('sha256') or ''}"),
        ("检查工具", f"branchcheck {engine.__version__}"),
    )
    row = 3
    for label, value in block:
        ws.line(row, [(label, "bc-label", 2), (value, "bc-value", len(HEADERS) - 2)])
        if value == RESULT_TEXT:  # the merged value's first cell again, in red
            ws.put(row, 3, value, "bc-value", st.RED_BOLD)
        row += 1
    header = row + 1
    for column, title in enumerate(HEADERS, start=1):
        ws.put(header, column, title, "bc-header")
    row, n = header + 1, 0
    sections = (
        (f"一、必须修改的问题（共 {len(errors)} 处）", errors),
        (f"二、提醒（请核实，不影响受理；共 {len(warnings)} 处）", warnings),
    )
    for title, group in sections:
        if not group:
            continue
        ws.line(row, [(title, "bc-section", len(HEADERS))])
        row += 1
        for diag in group:
            n += 1
            values: list[CellValue] = [
                n,
                diag.get("cell") or WHOLE_FILE,
                _value_text(diag.get("value")),
                diag.get("message"),
                fix_for(str(diag.get("code"))),
            ]
            ws.line(row, [(v, "bc-center" if c == 0 else "bc-text", 1) for c, v in enumerate(values)])
            row += 1
    ws.freeze(f"A{header + 1}")
    st.page_setup(ws.ws, landscape=True, title_row=header, footer=name)
    return book
