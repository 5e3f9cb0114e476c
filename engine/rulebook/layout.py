"""The rule workbook's sheets and columns, as data (``branchcheck.rulebook/1``).

One :class:`Sheet` per kind of thing in a rule set, one :class:`Column` per value. The export
(:mod:`engine.rulebook.export`) writes a sheet's rows from dicts keyed by ``Column.key``, the
import (:mod:`engine.rulebook.import_`) reads them back into such dicts, and the 说明 sheet is
written from the ``about`` texts here, so a new element of the rule format is a new row in a
table below (and, for a new sheet, one function on each side that makes or takes its row dicts).

Column kinds (how a value is written to a cell and read back):
``text``, ``number``, ``integer``, ``flag`` (是/否 ↔ true/false), ``choice`` (a closed vocabulary:
the Chinese word is written, the word or the rule files' code is read; a dropdown in the sheet),
``condition`` (the one-line syntax of :mod:`engine.rulebook.syntax`), ``options`` (level options
``好=1；较好=0.8`` or a scale's name), ``field`` (a profile field, by 名称 or 编号).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.rules.model import BASIS_KINDS

RULEBOOK_FORMAT = "branchcheck.rulebook/1"
META_SHEET = "_meta"
GUIDE_SHEET = "说明"
HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str  # the rule files' key (dotted for a nested one: source.note)
    title: str
    about: str
    kind: str = "text"
    width: float = 12
    vocabulary: tuple[tuple[str, str], ...] = ()  # (code, Chinese word) for kind "choice"
    header_required: bool = True  # the import refuses a sheet without this column
    careful: bool = False  # an identifier: 说明 warns against changing it casually
    repeated: bool = False  # record sheets: one row per list element (source.regulations)


@dataclass(frozen=True)
class Sheet:
    name: str
    about: str
    columns: tuple[Column, ...]
    record: bool = False  # 项目 | 内容 rows (one per column) instead of a table

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# -- Closed vocabularies ------------------------------------------------------------------------
ANSWER_TYPES = (
    ("yes_no", "是否"), ("level", "等级"), ("count", "计数"), ("percent", "百分比"), ("date", "日期"), ("text", "文字"),
)  # fmt: skip
FIELD_TYPES = (("text", "文字"), ("integer", "整数"), ("year", "年份"), ("date", "日期"), ("yes_no", "是否"))
ROLES = (
    ("branch_name", "支部名称"), ("parent_org", "上级党组织"), ("assessment_year", "评估年度"),
    ("reference_date", "评估基准日"), ("founded_date", "成立日期"), ("branch_code", "支部编码"),
)  # fmt: skip
SEVERITIES = (("warning", "提醒"), ("error", "错误"))
VETO_KINDS = (("question", "问答"), ("derived", "推导"))
PERIODS = (("year", "按年"),)
BASIS = tuple(BASIS_KINDS.items())

# -- Sheets -------------------------------------------------------------------------------------
RULESET = Sheet(
    "规则集",
    "规则集的编号、名称、版本和来源。每行一项，“项目”列不要改动；“依据法规”每部法规一行，可增删。",
    (
        Column("id", "编号", "规则集编号（小写字母、数字和连字符），如 gansu-organs-2018", careful=True),
        Column("title", "名称", "规则集名称，显示在自评表和报告中"),
        Column("version", "版本", "版本号，如 1.2.0；修改检查要点、分值等之后应提高版本，旧模板填写的表会被识别为过期"),
        Column("source.handbook", "手册", "规则依据的手册名称"),
        Column("source.note", "来源说明", "规则集从何而来、如何重构的说明"),
        Column("source.regulations", "依据法规", "依据的党内法规，每部一行", repeated=True, header_required=False),
        Column("bands_note", "评定等级说明", "评定等级划分的来历（可不填），显示在填表说明中", header_required=False),
    ),
    record=True,
)

PROFILE = Sheet(
    "支部信息字段",
    "自评表“支部信息”表中的项目，按此顺序排列。条件中用“名称”指代字段。",
    (
        Column("id", "编号", "字段编号（小写字母开头，字母、数字和下划线），程序内部使用", width=20, careful=True),
        Column("label", "名称", "“支部信息”表中显示的名称；条件中按此名称引用", width=30),
        Column("type", "类型", "填写内容的类型", kind="choice", vocabulary=FIELD_TYPES, width=8),
        Column("required", "必填", "是：必须填写；否：可不填", kind="flag", width=6),
        Column("required_if", "何时必填", "非必填字段在什么条件下必须填写（条件写法见下）", kind="condition", width=36),
        Column(
            "role",
            "角色",
            "字段在程序中的用途（支部名称、评估年度等，每种只能有一个）",
            kind="choice",
            vocabulary=ROLES,
            width=12,
        ),
        Column("hint", "说明", "“支部信息”表“说明”列的文字", width=40),
    ),
)

AREAS = Sheet(
    "方面与标准",
    "每项标准一行，按手册顺序排列；同一方面的各行“方面编号”“方面名称”相同。",
    (
        Column("area_id", "方面编号", "方面编号（数字），如 3", width=9, careful=True),
        Column("area_name", "方面名称", "方面名称，如 组织生活标准", width=18),
        Column("id", "标准编号", "标准编号：方面编号.序号，如 3.1", width=9, careful=True),
        Column("name", "标准名称", "标准名称，如 党员大会", width=24),
        Column(
            "file",
            "方面文件",
            "导入时写出的方面文件名（可不填，默认 area-<方面编号>.yaml）",
            width=14,
            header_required=False,
        ),
    ),
)

SCALES = Sheet(
    "等级量表",
    "等级类检查要点可共用的选项（如“四档”），在“检查要点”表的“等级选项”列写量表名称即可引用。",
    (
        Column("name", "量表名称", "量表名称，如 四档", width=12, careful=True),
        Column("options", "等级选项", "选项及得分系数，如 好=1；较好=0.8；一般=0.5；差=0", kind="options", width=40),
    ),
)

# A check point's type parameters, one column each (the rule files' keys; engine/rules/schema.json
# says which types take which). Keep every parameter of the schema here (tests/test_rulebook_layout.py).
PARAMETERS = (
    Column("target", "目标", "计数：要求达到的次数或数量；百分比：目标百分比（0～100）", kind="number", width=7),
    Column(
        "deduction_per_unit",
        "每少一次扣分",
        "计数：每少一次（一个单位）扣的分数（可不填：按比例得分）",
        kind="number",
        width=8,
    ),
    Column("decimals", "小数位数", "计数：允许填写的小数位数（0～2，可不填即整数）", kind="integer", width=7),
    Column(
        "per",
        "目标周期",
        "计数：填“按年”的，年内新成立的支部按成立月数折算目标",
        kind="choice",
        vocabulary=PERIODS,
        width=8,
    ),
    Column("exceed", "须超过目标", "百分比：是＝须超过目标才得分（恰好等于不得分）", kind="flag", width=8),
    Column("within_months", "期限（月）", "日期：日期须在评估基准日前多少个月内", kind="integer", width=8),
    Column(
        "value_from",
        "取自支部信息",
        "日期：不在自评表中填写，取支部信息中的该日期字段（写字段名称）",
        kind="field",
        width=16,
    ),
    Column(
        "derived_from",
        "按支部信息判定",
        "是否：不在自评表中填写，条件成立为“是”（条件写法见下）",
        kind="condition",
        width=30,
    ),
    Column(
        "options",
        "等级选项",
        "等级：选项及得分系数，如 好=1；较好=0.8；一般=0.5；差=0，或“等级量表”中的量表名称",
        kind="options",
        width=30,
    ),
    Column("required", "必须填写", "文字：是＝必须填写（空着给出提醒）", kind="flag", width=8),
)

ITEMS = Sheet(
    "检查要点",
    "每个检查要点一行；编号为 标准编号.序号（如 3.1.2），同一标准的检查要点按行的先后排列。"
    "各类型需要填写的参数见下表，不需要的参数列留空。",
    (
        Column("id", "编号", "检查要点编号，如 3.1.2；其所属标准由编号决定", width=8, careful=True),
        Column("text", "检查要点", "检查要点的文字，按“做到了即为‘是’”的方式表述", width=50),
        Column("type", "类型", "答案类型", kind="choice", vocabulary=ANSWER_TYPES, width=8),
        Column(
            "points", "分值", "分值（最多 2 位小数）；全部检查要点合计应为 100；文字类型不填", kind="number", width=6
        ),
        *PARAMETERS,
        Column("na_allowed", "可填不适用", "是：支部可以填写“不适用”", kind="flag", width=8),
        Column(
            "applies_if",
            "适用条件",
            "条件不成立时本检查要点不适用（只能引用必填字段；条件写法见下）",
            kind="condition",
            width=30,
        ),
        Column("basis", "依据", "依据的文件和条款，如《中国共产党支部工作条例（试行）》第十一条", width=30),
        Column("basis_kind", "依据类型", "党内规定、通行做法或官方手册", kind="choice", vocabulary=BASIS, width=9),
        Column("evidence", "佐证材料", "应提供的佐证材料", width=20),
        Column("advice", "整改建议", "未达标时的整改建议", width=30),
        Column("hint", "填写提示", "填写说明中的补充提示（可不填），如何时填“不适用”", width=24, header_required=False),
    ),
)

VETOES = Sheet(
    "否决项",
    "发生即评定为最低等级的情形。问答式由支部填写“是/否”；推导式按条件自动判定。",
    (
        Column("id", "编号", "编号 V1、V2……", width=6, careful=True),
        Column("text", "内容", "否决情形的文字", width=50),
        Column("kind", "方式", "问答或推导", kind="choice", vocabulary=VETO_KINDS, width=6),
        Column("condition", "条件", "推导式否决项的条件（问答式不填；条件写法见下）", kind="condition", width=40),
    ),
)

BANDS = Sheet(
    "评定等级",
    "未被否决时，取最低分不高于总分的最高等级；必须有一个等级的最低分为 0。",
    (
        Column("name", "等级", "等级名称，如 优秀", width=12),
        Column("min", "最低分", "该等级的最低总分（0～100）", kind="number", width=8),
    ),
)

CHECKS = Sheet(
    "信息核对",
    "“支部信息”各项之间应当成立的关系；不成立时按级别给出提醒或错误。",
    (
        Column("id", "编号", "核对项编号（小写字母开头，字母、数字和连字符）", width=18, careful=True),
        Column("condition", "条件", "应当成立的条件（条件写法见下）", kind="condition", width=44),
        Column("message", "提示", "条件不成立时给支部的提示", width=50),
        Column("severity", "级别", "提醒或错误", kind="choice", vocabulary=SEVERITIES, width=6),
    ),
)

# The sheets in the workbook's order (after 说明). New rule-format elements: add a Sheet here and
# its row functions in export.SHEET_ROWS and import_.ASSEMBLE.
SHEETS: tuple[Sheet, ...] = (RULESET, PROFILE, AREAS, ITEMS, SCALES, VETOES, BANDS, CHECKS)


def word(column: Column, code: str) -> str:
    """The Chinese word of ``code`` in a choice column (the code itself when it has none)."""
    return dict(column.vocabulary).get(code, code)


def code(column: Column, text: str) -> str | None:
    """The rule files' code of a choice cell: its Chinese word or the code itself; None if neither."""
    for known, chinese in column.vocabulary:
        if text in (known, chinese):
            return known
    return None
