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

from dataclasses import dataclass, replace

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
    optional: bool = False  # a workbook without this sheet has no such rows (added after the first release)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# -- Closed vocabularies ------------------------------------------------------------------------
ANSWER_TYPES = (
    ("yes_no", "是否"), ("level", "等级"), ("count", "计数"), ("percent", "百分比"), ("date", "日期"), ("text", "文字"),
)  # fmt: skip
FIELD_TYPES = (
    ("text", "文字"), ("integer", "整数"), ("number", "数字"), ("year", "年份"), ("date", "日期"), ("yes_no", "是否"),
)  # fmt: skip
ROLES = (
    ("branch_name", "支部名称"), ("parent_org", "上级党组织"), ("assessment_year", "评估年度"),
    ("reference_date", "评估基准日"), ("founded_date", "成立日期"), ("branch_code", "支部编码"),
    ("branch_type", "支部类型"),
)  # fmt: skip
SEVERITIES = (("warning", "提醒"), ("error", "错误"))
VETO_KINDS = (("question", "问答"), ("derived", "推导"))
PERIODS = (("year", "按年"),)
AREA_KINDS = (("checklist", "检查项目"), ("bonus", "加分项"), ("penalty", "减分项"))
VETO_EFFECTS = (("lowest", "最低等级"), ("cap", "封顶"))
SOURCES = (("checklist", "检查得分"), ("field", "支部信息字段"))
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
        Column(
            "total.min", "总分下限", "总分的最低值（可不填，默认 0）；见“总分公式”表", kind="number",
            header_required=False,
        ),
        Column(
            "total.max", "总分上限", "总分的最高值（可不填，默认 100）；见“总分公式”表", kind="number",
            header_required=False,
        ),
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
        Column(
            "kind",
            "加分减分",
            "留空（或“检查项目”）：计入 100 分的检查项目；“加分项”“减分项”：该方面的得分加到总分上或从总分中扣除，"
            "不计入 100 分，须填写“封顶分”",
            kind="choice",
            vocabulary=AREA_KINDS,
            width=9,
            header_required=False,
        ),
        Column(
            "cap", "封顶分", "加分项、减分项：该方面合计最多加（扣）的分数；检查项目留空", kind="number", width=7,
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
    "发生即评定为最低等级（或不高于“封顶等级”）的情形。问答式由支部填写“是/否”；推导式按条件自动判定。",
    (
        Column("id", "编号", "编号 V1、V2……", width=6, careful=True),
        Column("text", "内容", "否决情形的文字", width=50),
        Column("kind", "方式", "问答或推导", kind="choice", vocabulary=VETO_KINDS, width=6),
        Column("condition", "条件", "推导式否决项的条件（问答式不填；条件写法见下）", kind="condition", width=40),
        Column(
            "effect",
            "否决效果",
            "留空或“最低等级”：评定为最低等级；“封顶”：评定等级不高于“封顶等级”",
            kind="choice",
            vocabulary=VETO_EFFECTS,
            width=8,
            header_required=False,
        ),
        Column(
            "cap", "封顶等级", "否决效果为“封顶”时：最高可评的等级名称（“评定等级”表中的等级）", width=9,
            header_required=False,
        ),
    ),
)

BANDS = Sheet(
    "评定等级",
    "未被否决时，取最低分不高于总分的最高等级；必须有一个等级的最低分为 0。",
    (
        Column("name", "等级", "等级名称，如 优秀", width=12),
        Column("min", "最低分", "该等级的最低总分（0～100）", kind="number", width=8),
        Column(
            "label", "显示名称", "显示在自评表和报告中的名称（可不填，即显示等级名称），如 ★★★★★ 五星", width=14,
            header_required=False,
        ),
        Column(
            "max_share",
            "名额比例",
            "名额限制（可不填）：该等级最多占参评支部的比例，填 0～1 之间的小数，如 0.3 表示不超过 30%；"
            "超出的按总分从低到高改评下一等级",
            kind="number",
            width=8,
            header_required=False,
        ),
        Column(
            "quota_per",
            "名额分组",
            "有名额比例时：按哪个支部信息字段分组计算名额（写字段名称，如 上级党组织）；不填即全部参评支部合计",
            kind="field",
            width=12,
            header_required=False,
        ),
    ),
)

TOTAL = Sheet(
    "总分公式",
    "总分由哪几部分加权组成（可不填：总分即检查得分，加上加分、减去减分）。每部分一行，权重合计应为 1；"
    "总分的上下限在“规则集”表中填写。",
    (
        Column(
            "source",
            "来源",
            "“检查得分”：检查项目得分加上加分、减去减分（必须有且只有一行）；"
            "“支部信息字段”：支部填写的数值，如 群众评议得分",
            kind="choice",
            vocabulary=SOURCES,
            width=12,
        ),
        Column(
            "field", "字段", "来源为“支部信息字段”时：字段名称（须为必填的数字或整数字段，0～100 分）", kind="field",
            width=16,
        ),
        Column("weight", "权重", "该部分所占比例，0～1 之间的小数，如 0.7", kind="number", width=8),
    ),
    optional=True,
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

ACTIONS = (("not_applicable", "不适用"), ("change", "修改"), ("add", "增设"))

VARIANTS = Sheet(
    "支部类型",
    "“支部信息”中“支部类型”（角色为支部类型的字段）可选的值，每种一行，按下拉列表的顺序排列。"
    "有自己规则的类型填写“变体文件”，其调整逐条写在“变体调整”表中；其他类型按基本规则评分。",
    (
        Column("option", "支部类型", "支部类型的名称，如 离退休干部党支部", width=18, careful=True),
        Column(
            "file",
            "变体文件",
            "导入时写出的变体文件名（可不填，有调整的类型默认 variant-<行序>.yaml）；没有调整的类型留空",
            width=20,
            header_required=False,
        ),
        Column("note", "变体说明", "该类型为什么、依据什么调整规则（可不填）", width=50, header_required=False),
    ),
    optional=True,
)

# The keys of a change's ``set`` in their columns' order: what a change usually sets first, then
# what only an added check point has (engine.rules.variants.CHANGEABLE says what a change may set).
SET_KEYS = (
    "points", "target", "deduction_per_unit", "decimals", "per", "exceed", "within_months", "options", "na_allowed",
    "hint", "text", "type", "applies_if", "evidence", "advice", "value_from", "derived_from", "required",
)  # fmt: skip

CHANGES = Sheet(
    "变体调整",
    "某种支部类型与基本规则不同的检查要点，每个一行：“不适用”只填理由和依据；“修改”再填要改的参数（分值、目标、"
    "等级选项等，不改的留空）；“增设”填写新检查要点的各列（编号须在已有标准之下且不与已有编号重复）。"
    "同一类型的调整合计后，全部检查要点分值仍应为 100。",
    (
        Column("variant", "支部类型", "“支部类型”表中有变体文件的类型", width=16),
        Column("item", "检查要点编号", "被调整（或增设）的检查要点编号，如 4.3.2", width=9, careful=True),
        Column("action", "调整方式", "不适用、修改或增设", kind="choice", vocabulary=ACTIONS, width=8),
        Column("reason", "理由", "为什么对该类型支部作此调整", width=40),
        Column("basis", "依据", "依据的文件和条款；依据类型为党内规定的须写明《文件名称》", width=30),
        Column("basis_kind", "依据类型", "党内规定、通行做法或官方手册", kind="choice", vocabulary=BASIS, width=9),
        *(
            replace(ITEMS.column(k), header_required=False, about="修改、增设时填写：" + ITEMS.column(k).about)
            for k in SET_KEYS
        ),
    ),
    optional=True,
)

VARIANT_SHEETS = (VARIANTS, CHANGES)

# The sheets in the workbook's order (after 说明). New rule-format elements: add a Sheet here and
# its row functions in export.SHEET_ROWS and import_.ASSEMBLE.
SHEETS: tuple[Sheet, ...] = (RULESET, PROFILE, AREAS, ITEMS, SCALES, VETOES, BANDS, CHECKS, TOTAL, *VARIANT_SHEETS)


def word(column: Column, code: str) -> str:
    """The Chinese word of ``code`` in a choice column (the code itself when it has none)."""
    return dict(column.vocabulary).get(code, code)


def code(column: Column, text: str) -> str | None:
    """The rule files' code of a choice cell: its Chinese word or the code itself; None if neither."""
    for known, chinese in column.vocabulary:
        if text in (known, chinese):
            return known
    return None
