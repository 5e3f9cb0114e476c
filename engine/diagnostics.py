"""Diagnostics: problems found in a submission, collected (never raised).

A small catalogue of kinds, each with a stable kebab-case code, a default
severity, a Chinese title and a message template. An instance carries its
position as fields (sheet, row, column, cell such as ``自评表!G15``) and the
offending value. The README's list of codes is generated from ``CATALOGUE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from engine.textsafe import printable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Kind:
    code: str
    severity: str
    title: str
    template: str


_KINDS = (
    # The file as a whole
    Kind("file-unreadable", ERROR, "文件无法读取", "无法读取文件：{reason}"),
    Kind(
        "sheet-missing",
        ERROR,
        "缺少工作表",
        "找不到工作表“{sheet_name}”，请使用下发的自评表模板填写（本文件中的工作表：{present}）",
    ),
    Kind(
        "header-missing",
        ERROR,
        "缺少表头",
        "工作表“{sheet_name}”前 10 行中找不到同时包含“{first}”和“{second}”的表头行（{present}）",
    ),
    Kind(
        "name-variant",
        WARNING,
        "名称写法不一致",
        "{what}“{found}”与模板中的“{expected}”只有不可见字符或全角/半角等写法上的差别，已按“{expected}”读取",
    ),
    Kind("template-mismatch", ERROR, "模板版本不符", "{detail}"),
    Kind(
        "meta-missing",
        WARNING,
        "缺少模板标识",
        "未找到隐藏的 _meta 工作表：本表可能是手工重建的，已按表头读取，但无法核对模板版本",
    ),
    # 支部信息
    Kind("profile-missing", ERROR, "必填信息未填", "“{label}”未填写：{why}"),
    Kind("profile-invalid", ERROR, "信息格式不对", "“{label}”填写的“{found}”不是有效的{expected}"),
    Kind("no-reference-date", ERROR, "缺少评估日期", "“{reference}”和“{year}”至少填写一项，否则无法确定评估基准日"),
    Kind("profile-check", WARNING, "信息前后不一致", "{message}"),
    # 自评表
    Kind("invalid-answer", ERROR, "填写内容无效", "{title}填写的“{found}”无效，允许填写：{allowed}"),
    Kind("na-not-allowed", ERROR, "不能填不适用", "{item} 不能填写“不适用”，允许填写：{allowed}"),
    Kind("invalid-count", ERROR, "次数/数量无效", "{title}填写的“{found}”无效：{why}"),
    Kind("number-too-long", ERROR, "数字位数过多", "{title}填写的“{found}”数字位数过多，不是有效的数字"),
    Kind("percent-out-of-range", ERROR, "百分比超出范围", "{title}填写的“{found}”超出 0%～100% 的范围"),
    Kind("date-out-of-range", ERROR, "日期超出范围", "{title}填写的日期 {found} {why}"),
    Kind("duplicate-id", ERROR, "编号重复", "编号 {item} 出现了两次（另一处在第 {other_row} 行），请删除重复的行"),
    Kind("item-unanswered", WARNING, "未填写", "检查要点 {item} 未填写自评结果，按未达标计 0 分"),
    Kind("item-missing", WARNING, "缺少检查要点", "自评表中缺少检查要点 {item}（{text}），按未填写处理"),
    Kind("unknown-id", WARNING, "未知编号", "编号“{found}”不在规则集中，该行已忽略"),
    Kind(
        "answer-not-applicable", WARNING, "不适用项填写了结果", "检查要点 {item} 不适用（{why}），填写的“{found}”已忽略"
    ),
    Kind("veto-unanswered", WARNING, "否决项未填写", "否决项 {veto} 未填写“是”或“否”，无法判定"),
    Kind("too-many-diagnostics", WARNING, "问题过多", "本文件问题过多，只列出前 {shown} 个，另有 {omitted} 个未列出"),
    # Scoring
    Kind("nothing-applicable", ERROR, "没有适用的检查要点", "按所填支部信息，没有任何检查要点适用，无法评分"),
    Kind("veto-undetermined", WARNING, "否决项无法判定", "否决项 {veto}（{text}）无法判定：{why}"),
    Kind("strict-incomplete", ERROR, "严格模式：未填完整", "严格模式下不予评分：{what}"),
    # Batch
    Kind("unsupported-file", ERROR, "不支持的文件类型", "不支持的文件类型（{found}），请另存为 .xlsx 后重新提交"),
    # Pre-checks before any parser reads the file (engine/guards/)
    Kind("file-empty", ERROR, "文件为空", "文件是空的（0 字节），请重新提交填写好的自评表"),
    Kind(
        "file-too-large",
        ERROR,
        "文件过大",
        "文件大小 {size} MiB，超过 {limit} MiB 的上限，请删除多余的内容或图片后重新提交",
    ),
    Kind("file-encrypted", ERROR, "文件已加密", "文件已加密，请去除密码后重新提交"),
    Kind(
        "not-a-workbook", ERROR, "不是 Excel 文件", "不是 Excel 文件，而是{what}，请提交用自评表模板填写的 .xlsx 文件"
    ),
    Kind(
        "zip-unsafe",
        ERROR,
        "文件内部结构异常",
        "文件内部结构异常（{reason}），为安全起见未予读取，请用 Excel 或 WPS 打开后重新另存为 .xlsx",
    ),
    Kind(
        "xml-unsafe",
        ERROR,
        "文件含有异常内容",
        "文件中的 {part} 含有正常 Excel 文件不会有的内容（{what}），为安全起见未予读取，"
        "请用下发的模板重新填写后另存为 .xlsx",
    ),
    Kind(
        "sheet-too-large",
        ERROR,
        "工作表过大",
        "工作表“{name}”过大（{found}），超出自评表的合理范围（最多 {rows} 行、{columns} 列），"
        "请删除多余的行和列后重新提交",
    ),
    Kind("internal-error", ERROR, "内部错误", "读取本文件时程序内部出错，详情见 branchcheck.log：{detail}"),
    Kind("duplicate-file", WARNING, "重复提交", "与 {other} 内容完全相同（重复提交）"),
    Kind("duplicate-branch", WARNING, "同一支部多份", "{parent}“{name}”还提交了 {other}，请确认以哪一份为准"),
)
CATALOGUE: dict[str, Kind] = {k.code: k for k in _KINDS}

# Template fields that carry text from the submission (a cell's content, a file or branch name):
# the message shows them shortened and with control characters visible; ``value`` keeps the whole.
USER_TEXT_FIELDS = frozenset({"found", "name", "parent", "other"})


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None

    @property
    def cell(self) -> str | None:
        if self.sheet is None:
            return None
        if self.row is None:
            return self.sheet
        return f"{self.sheet}!{self.column or ''}{self.row}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": _json_value(self.value),
            "message": self.message,
        }


def _shown(field: str, value: Any) -> Any:
    return printable(value, keep_newlines=True) if field in USER_TEXT_FIELDS and isinstance(value, str) else value


def make(
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: int | str | None = None,
    value: Any = None,
    severity: str | None = None,
    **params: Any,
) -> Diagnostic:
    """A diagnostic of kind ``code``; ``params`` fill the kind's Chinese template (those in
    USER_TEXT_FIELDS shortened and made printable, see :func:`engine.textsafe.printable`)."""
    kind = CATALOGUE[code]
    letter = column_letter(column) if isinstance(column, int) else column
    shown = {k: _shown(k, v) for k, v in params.items()}
    return Diagnostic(
        code=code,
        severity=severity or kind.severity,
        message=kind.template.format(**shown),
        sheet=sheet,
        row=row,
        column=letter,
        value=value,
    )
