"""The 说明 sheet of the rule workbook: how to edit it, every sheet's columns (from the layout
table), which parameters each answer type takes (from the schema), the condition syntax."""

from __future__ import annotations

from engine.book import Book
from engine.rulebook import layout, typeparams
from engine.rulebook.layout import GUIDE_SHEET, RULEBOOK_FORMAT
from engine.rules.model import RuleSet

WIDTHS = (22, 100)

STEPS = (
    "1. 在各工作表中修改文字、分值、目标等；增加检查要点时插入一行并填写全部必填列。",
    "2. 保存为 .xlsx（或 .ods），然后导入：branchcheck rules import 本文件.xlsx -o rules/新规则集/",
    "3. 导入时逐格检查，发现问题会按“工作表!单元格”列出全部问题（如“检查要点!F57：类型“计数”需要填写“目标””），"
    "改正后重新导入即可；没有问题才写出规则集文件夹，并用与 rules validate 相同的检查核对一遍。",
    "4. 修改了检查要点、分值、目标、条件、否决项或评定等级的，请在“规则集”表中提高版本号，再用新规则集生成自评表"
    "（branchcheck template --rules rules/新规则集/）：用旧模板填写的表会被识别为过期。",
)
CAREFUL = (
    "不要改动：工作表名称、第一行的列标题、“规则集”表的“项目”列；编号类的列（标为“编号，慎改”）改动后，"
    "已回收的自评表和历史记录将对不上。隐藏的 _meta 工作表由程序使用，不要删除。",
    "单元格中的内容一律按文字读取，不执行任何公式；不需要的参数列留空。",
)
CONDITIONS = (
    "写法：字段名称 运算符 值，多个条件用“且”“或”连接，“非”表示否定，括号分组；关键字前后留空格。",
    "运算符：=（等于）、≠（不等于，也可写 != 或 <>）、<、<=、>、>=、属于（取值之一）、"
    "距基准日超过（日期早于评估基准日若干个月以上）。",
    "左边：支部信息字段的名称（与“支部信息字段”表一致），几个整数字段相加写“正式党员人数 + 预备党员人数”；"
    "检查要点的结果写“要点 3.6.1”（只用于否决项和信息核对）。",
    "右边：数字、文字（如 是、否；与字段名称相同或含空格、符号的文字加引号“…”），或另一个字段的名称。",
    "一组只有一个条件的写“全部 (条件)”或“任一 (条件)”（导出时才会出现，一般不需要）。",
    "例：正式党员人数 >= 7 且 是否设立支部委员会 = 是",
    "例：是否设立支部委员会 = 是 或 正式党员人数 >= 7",
    "例：(本届支部委员会选举日期 距基准日超过 36 个月 且 任期届满延期换届是否经上级党组织批准 ≠ 是) "
    "或 本届支部委员会选举日期 距基准日超过 48 个月",
    "例：正式党员人数 + 预备党员人数 = 党员总数；要点 3.6.1 < 1；要点 1.1.2 属于 [好、较好]；非 党小组数量 = 0",
)
SCHEME = (
    "加分项、减分项：在“方面与标准”表的“加分减分”列填“加分项”或“减分项”，并填“封顶分”；该方面的检查要点"
    "照常写在“检查要点”表中（按“是”即发生的方式表述），其分值不计入 100 分，合计最多加（扣）封顶分。",
    "总分公式：不填时，总分 = 检查得分 + 加分 − 减分（0～100）。"
    "需要综合得分时（如 检查得分 × 70% + 群众评议得分 × 30%），"
    "在“总分公式”表中每部分写一行，并可在“规则集”表中填写总分上下限。",
    "否决项的“否决效果”：留空即评为最低等级；填“封顶”并写“封顶等级”的，评定等级不高于该等级。",
    "评定等级的“名额比例”：该等级最多占参评支部的比例（如 0.3），超出名额的改评下一等级，"
    "与名额外第一名总分相同的一并改评（名额不会被超过）；“名额分组”写支部信息字段名称时按该字段分组计算。",
)
VARIANTS = (
    "支部类型（变体）：需要按支部类型区别评分时，“支部信息字段”表中须有一个角色为“支部类型”的字段；"
    "“支部类型”表列出可选的类型，有自己规则的类型填写“变体文件”（导入时写出该文件）。",
    "“变体调整”表每行一个检查要点：不适用（只填理由、依据、依据类型）、修改（再填要改的列，如目标、分值，"
    "不改的留空）或增设（填写新检查要点的各列）。每种类型调整后，全部检查要点分值合计仍须为 100。",
    "导入时“修改”“增设”行中填写的各列按规则文件的键序写出（分值、等级选项、目标……），与列的先后无关。",
)
FINGERPRINT = (
    "规则集指纹（自评表据此判断是否过期）随编号、文字、类型、分值、目标等参数、等级选项、条件、支部信息字段、"
    "评定等级（含名额）、否决项（含否决效果）、加分减分、总分公式和支部类型的调整变化；只改依据、依据类型、"
    "佐证材料、整改建议、填写提示、评定等级说明、等级的显示名称、调整的理由和依据、变体说明或规则集名称的，"
    "指纹不变，已回收的自评表仍然有效。",
)


def _type_lines() -> list[tuple[str, str]]:
    items = layout.ITEMS
    titles = {c.key: c.title for c in items.columns}
    words = dict(layout.ANSWER_TYPES)
    lines = []
    for name, params in typeparams.by_type().items():
        need = [titles.get(k, k) for k in params.required]
        optional = [
            c.title for c in layout.PARAMETERS if c.key not in params.forbidden and c.key not in params.required
        ]
        text = "需要：" + ("、".join(need) if need else "无")
        text += "；可填：" + ("、".join(optional) if optional else "无") + "；其他参数列留空"
        lines.append((words.get(name, name), text))
    return lines


def write(book: Book, rules: RuleSet, skeleton: bool) -> None:
    sheet = book.sheet(GUIDE_SHEET, WIDTHS)
    r = 1

    def line(label: str | None, text: str, style: str = "rb-plain") -> None:
        nonlocal r
        sheet.fit(r, ((label, WIDTHS[0]), (text, WIDTHS[1])))
        sheet.text(r, 1, label, "rb-heading" if label and style == "rb-plain" else style)
        sheet.text(r, 2, text, style)
        r += 1

    what = "骨架（只有方面和标准，没有检查要点）" if skeleton else "全部内容"
    line(None, f"规则工作簿：{rules.title}（{rules.id} {rules.version}），{what}", "rb-title")
    line(None, f"格式 {RULEBOOK_FORMAT}。用 Excel、WPS 或 LibreOffice 编辑后导入，即得到规则集文件夹。")
    r += 1
    for n, text in enumerate(STEPS):
        line("怎样修改" if n == 0 else None, text)
    for n, text in enumerate(CAREFUL):
        line("注意" if n == 0 else None, text)
    r += 1
    for spec in layout.SHEETS:
        line(spec.name, spec.about, "rb-heading")
        for column in spec.columns:
            mark = "（编号，慎改）" if column.careful else ""
            line(f"  {column.title}", f"{column.about}{mark}")
        r += 1
    for n, (name, text) in enumerate(_type_lines()):
        line("各类型的参数" if n == 0 else None, f"{name}：{text}")
    r += 1
    for n, text in enumerate(CONDITIONS):
        line("条件写法" if n == 0 else None, text)
    r += 1
    for n, text in enumerate(SCHEME):
        line("评分方案" if n == 0 else None, text)
    r += 1
    for n, text in enumerate(VARIANTS):
        line("支部类型" if n == 0 else None, text)
    r += 1
    line("规则集指纹", FINGERPRINT[0])
