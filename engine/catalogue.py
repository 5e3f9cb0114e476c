"""The catalogue of diagnostic kinds: for each, its stable code, severity, Chinese title,
message template, a one-line description of when it occurs, and the fix a branch secretary
reads in a 退回说明 (怎样修改). The README's table of codes is generated from it
(``python -m engine.docs``); a test keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_WORDS = {ERROR: "错误", WARNING: "提醒"}  # the one place these words live


@dataclass(frozen=True)
class Kind:
    code: str
    severity: str
    title: str
    template: str
    about: str  # when it occurs, in one line
    fix: str  # what to do about it (怎样修改)

    @property
    def severity_word(self) -> str:
        return SEVERITY_WORDS[self.severity]


_KINDS = (
    Kind(
        "file-unreadable",
        ERROR,
        "文件无法读取",
        "无法读取文件：{reason}",
        about="文件打不开、已损坏，或读取程序无法解析。",
        fix="用 Excel 或 WPS 打开，确认能打开、没有设密码；已损坏的，请用下发的模板重新填写。",
    ),
    Kind(
        "sheet-missing",
        ERROR,
        "缺少工作表",
        "找不到工作表“{sheet_name}”，请使用下发的自评表模板填写（本文件中的工作表：{present}）",
        about="缺少“支部信息”或“自评表”工作表（按名称查找，忽略不可见字符和全角/半角差别）。",
        fix="请使用下发的自评表模板填写，不要删除或重命名其中的工作表。",
    ),
    Kind(
        "header-missing",
        ERROR,
        "缺少表头",
        "工作表“{sheet_name}”前 10 行中找不到同时包含“{first}”和“{second}”的表头行（{present}）",
        about="“自评表”或“支部信息”的表头行被删除或改动，找不到需要的列。",
        fix="请恢复模板原有的表头行，不要删除或改动表头文字。",
    ),
    Kind(
        "name-variant",
        WARNING,
        "名称写法不一致",
        "{what}“{found}”与模板中的“{expected}”只有不可见字符或全角/半角等写法上的差别，已按“{expected}”读取",
        about="工作表名、表头或项目名称与模板只差不可见字符或全角/半角，已照常读取。",
        fix="不影响受理；今后请使用下发的模板，不要改动工作表名称、表头和项目名称。",
    ),
    Kind(
        "template-mismatch",
        ERROR,
        "模板版本不符",
        "{detail}",
        about="文件来自别的规则集或旧版本的模板，检查要点可能已经变化。",
        fix="请使用本次下发的模板重新填写（可把已填内容复制到新模板的对应位置）。",
    ),
    Kind(
        "meta-missing",
        WARNING,
        "缺少模板标识",
        "未找到隐藏的 _meta 工作表：本表可能是手工重建的，已按表头读取，但无法核对模板版本",
        about="隐藏的 _meta 工作表不在：表格可能是手工重建的，无法核对模板版本。",
        fix="如是自行制作的表格，请改用下发的模板；如确用模板填写，可不处理。",
    ),
    Kind(
        "profile-missing",
        ERROR,
        "必填信息未填",
        "“{label}”未填写：{why}",
        about="“支部信息”中的必填项（或按其他项必须填写的项）空着。",
        fix="在“支部信息”表的“填写内容”列补填此项。",
    ),
    Kind(
        "profile-invalid",
        ERROR,
        "信息格式不对",
        "“{label}”填写的“{found}”不是有效的{expected}",
        about="“支部信息”中的人数、年份、日期或是/否写法无法识别。",
        fix="按“支部信息”表“说明”列的要求改正：日期写成 2018-03-05，人数只填数字。",
    ),
    Kind(
        "no-reference-date",
        ERROR,
        "缺少评估日期",
        "“{reference}”和“{year}”至少填写一项，否则无法确定评估基准日",
        about="“评估基准日”和“评估年度”都没填，无法确定按哪一天评估。",
        fix="在“支部信息”表中填写“评估基准日”或“评估年度”（至少一项）。",
    ),
    Kind(
        "profile-check",
        WARNING,
        "信息前后不一致",
        "{message}",
        about="“支部信息”各项之间不一致（如 7 名以上正式党员却未设支部委员会）。",
        fix="核对支部信息是否填写正确；情况属实的，在备注中说明原因即可。",
    ),
    Kind(
        "branch-type-applied",
        WARNING,
        "按支部类型评分",
        "“{label}”填写“{found}”，按{variant}的规则评分（{what}），请检查组核实支部类型",
        about="支部信息选择了有专门规则的支部类型（如离退休干部党支部），部分检查要点按该类型不适用或要求不同；列出供检查组核实。",
        fix="确属该类型的，无需修改；不属于该类型的，请改正“支部信息”中的支部类型。",
    ),
    Kind(
        "branch-type-unknown",
        WARNING,
        "支部类型不在可选范围",
        "“{label}”填写的“{found}”不是可选的支部类型（可选：{allowed}），按基础规则评分",
        about="支部类型不是下拉列表中的选项，按基础规则（不按任何支部类型的专门规则）评分。",
        fix="从“支部信息”的下拉列表中选择支部类型；拿不准的请留空，按基础规则评分。",
    ),
    Kind(
        "invalid-answer",
        ERROR,
        "填写内容无效",
        "{title}填写的“{found}”无效，允许填写：{allowed}",
        about="自评结果或核查结果不是该检查要点允许的值。",
        fix="点击该单元格，从下拉列表中选择，或按“问题说明”中列出的允许值填写。",
    ),
    Kind(
        "na-not-allowed",
        ERROR,
        "不能填不适用",
        "{item} 不能填写“不适用”，允许填写：{allowed}",
        about="对不允许“不适用”的检查要点填写了“不适用”。",
        fix="本检查要点不能填“不适用”，请按实际情况填写。",
    ),
    Kind(
        "invalid-count",
        ERROR,
        "次数/数量无效",
        "{title}填写的“{found}”无效：{why}",
        about="次数或数量是负数、带小数（要求整数时）或小数位过多。",
        fix="只填写数字（如 12），文字说明请写在“备注”列。",
    ),
    Kind(
        "number-too-long",
        ERROR,
        "数字位数过多",
        "{title}填写的“{found}”数字位数过多，不是有效的数字",
        about="数字字段超过 100 个字符或整数部分超过 15 位，不予解析。",
        fix="只填写实际的数字（如 12），不要填写过长的数字或文字；需要说明的写在“备注”列。",
    ),
    Kind(
        "percent-out-of-range",
        ERROR,
        "百分比超出范围",
        "{title}填写的“{found}”超出 0%～100% 的范围",
        about="百分比小于 0% 或大于 100%。",
        fix="填写 0%～100% 之间的百分比，如 95%。",
    ),
    Kind(
        "date-out-of-range",
        ERROR,
        "日期超出范围",
        "{title}填写的日期 {found} {why}",
        about="日期早于建党日、晚于评估基准日，或是负数等无效日期。",
        fix="核对日期的年、月是否写错，按 2018-03-05 的格式填写。",
    ),
    Kind(
        "duplicate-id",
        ERROR,
        "编号重复",
        "编号 {item} 出现了两次（另一处在第 {other_row} 行），请删除重复的行",
        about="“自评表”中同一编号出现在两行。",
        fix="删除重复的行，每个编号只保留一行。",
    ),
    Kind(
        "item-unanswered",
        WARNING,
        "未填写",
        "检查要点 {item} 未填写自评结果，按未达标计 0 分",
        about="适用的检查要点没有填写自评结果，按未达标计 0 分。",
        fix="补填该检查要点的自评结果；没有开展的填“否”或实际次数 0。",
    ),
    Kind(
        "penalty-unanswered",
        WARNING,
        "减分项未填写",
        "减分项 {item} 未填写自评结果，按发生计，扣 {points} 分",
        about="减分项的检查要点没有填写，按发生了该情形计，扣该项分值（缺少的答案不会让得分变高）。",
        fix="在该减分项的“自评结果”中填写“是”（发生）或“否”（未发生）。",
    ),
    Kind(
        "item-missing",
        WARNING,
        "缺少检查要点",
        "自评表中缺少检查要点 {item}（{text}），按未填写处理",
        about="“自评表”中找不到某个检查要点的行。",
        fix="不要删除模板中的行；请在下发的模板中补填该检查要点。",
    ),
    Kind(
        "unknown-id",
        WARNING,
        "未知编号",
        "编号“{found}”不在规则集中，该行已忽略",
        about="“自评表”中有规则集里没有的编号，该行不读。",
        fix="不要改动“编号”列；自行添加的行请删除。",
    ),
    Kind(
        "answer-not-applicable",
        WARNING,
        "不适用项填写了结果",
        "检查要点 {item} 不适用（{why}），填写的“{found}”已忽略",
        about="按支部信息不适用的检查要点填写了结果，结果不计。",
        fix="按所填支部信息，本检查要点不适用，无需填写；如支部信息填错了，请改正支部信息。",
    ),
    Kind(
        "veto-unanswered",
        WARNING,
        "否决项未填写",
        "否决项 {veto} 未填写“是”或“否”，无法判定，评级时按触发处理",
        about="否决项没有填写“是”或“否”；评定等级时按触发处理（分数照常计算）。",
        fix="在该否决项的“自评结果”中填写“是”或“否”。",
    ),
    Kind(
        "too-many-diagnostics",
        WARNING,
        "问题过多",
        "本文件问题过多，只列出前 {shown} 个，另有 {omitted} 个未列出",
        about="一个文件的问题过多，只列出前面的部分。",
        fix="先改正已列出的问题，再重新自查（其余问题会在下次检查时列出）。",
    ),
    Kind(
        "nothing-applicable",
        ERROR,
        "没有适用的检查要点",
        "按所填支部信息，没有任何检查要点适用，无法评分",
        about="按所填支部信息，没有任何检查要点适用，无法评分。",
        fix="核对“支部信息”是否填写正确（如是否设立支部委员会、成立日期、评估年度）。",
    ),
    Kind(
        "veto-undetermined",
        WARNING,
        "否决项无法判定",
        "否决项 {veto}（{text}）无法判定，评级时按触发处理：{why}",
        about="推导式否决项用到的信息空着，无法判定是否触发；评定等级时按触发处理（分数照常计算）。",
        fix="补填该否决项涉及的支部信息或检查要点，使其可以判定。",
    ),
    Kind(
        "strict-incomplete",
        ERROR,
        "严格模式：未填完整",
        "严格模式下不予评分：{what}",
        about="严格模式（--strict）下，有未填写的检查要点或无法判定的否决项。",
        fix="补填全部未填写的检查要点和否决项后重新提交。",
    ),
    Kind(
        "unsupported-file",
        ERROR,
        "不支持的文件类型",
        "不支持的文件类型（{found}），请另存为 .xlsx 后重新提交",
        about=(
            "表格文件的格式无法读取（如 WPS 的 .et、Excel 二进制 .xlsb），或命令行直接指定的文件"
            "不是 .xlsx、.xlsm、.xls、.ods（文件夹中的非表格文件不读取，只在汇总中列出）。"
        ),
        fix="用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再提交。",
    ),
    Kind(
        "file-empty",
        ERROR,
        "文件为空",
        "文件是空的（0 字节），请重新提交填写好的自评表",
        about="文件大小为 0 字节。",
        fix="文件是空的，请重新保存填写好的自评表后再提交。",
    ),
    Kind(
        "file-too-large",
        ERROR,
        "文件过大",
        "文件大小 {size} MiB，超过 {limit} MiB 的上限，请删除多余的内容或图片后重新提交",
        about="文件超过大小上限（默认 20 MiB，--max-file-size）。",
        fix="删除表中多余的图片、附件和空白行列，文件变小后再提交；佐证材料另行报送。",
    ),
    Kind(
        "file-encrypted",
        ERROR,
        "文件已加密",
        "文件已加密，请去除密码后重新提交",
        about="文件设有打开密码，无法读取。",
        fix="在 Excel 或 WPS 中去掉文件密码（文件 → 信息 → 保护工作簿）后重新保存提交。",
    ),
    Kind(
        "not-a-workbook",
        ERROR,
        "不是 Excel 文件",
        "不是 Excel 文件，而是{what}，请提交用自评表模板填写的 .xlsx 文件",
        about="按内容判断不是 Excel 文件（如 PDF、图片、改了扩展名的 CSV）。",
        fix="提交用自评表模板填写的 Excel 文件（.xlsx），不要提交 PDF、Word 或图片。",
    ),
    Kind(
        "zip-unsafe",
        ERROR,
        "文件内部结构异常",
        "文件内部结构异常（{reason}），为安全起见未予读取，请用 Excel 或 WPS 打开后重新另存为 .xlsx",
        about="压缩结构异常（解压后过大、压缩率过高、条目过多或重名），为安全起见不读。",
        fix="用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）再提交。",
    ),
    Kind(
        "xml-unsafe",
        ERROR,
        "文件含有异常内容",
        "文件中的 {part} 含有正常 Excel 文件不会有的内容（{what}），为安全起见未予读取，"
        "请用下发的模板重新填写后另存为 .xlsx",
        about="文件内含 DTD 或实体声明等正常 Excel 文件不会有的内容，为安全起见不读。",
        fix="用下发的模板重新填写（可复制粘贴已填的文字），另存为 .xlsx 后提交。",
    ),
    Kind(
        "sheet-too-large",
        ERROR,
        "工作表过大",
        "工作表“{name}”过大（{found}），超出自评表的合理范围（最多 {rows} 行、{columns} 列），"
        "请删除多余的行和列后重新提交",
        about="工作表的行列范围远超自评表（防止小文件让读取程序耗尽内存）。",
        fix="删除表格下方和右侧多余的行、列（全选后删除，而不只是清除内容），保存后重新提交。",
    ),
    Kind(
        "internal-error",
        ERROR,
        "内部错误",
        "读取本文件时程序内部出错，详情见 branchcheck.log：{detail}",
        about="读取或评分本文件时程序自身出错、崩溃或超时；只影响本文件。",
        fix="这不是填写错误，是检查程序出了问题；请联系检查组处理，无需修改。",
    ),
    Kind(
        "duplicate-file",
        WARNING,
        "重复提交",
        "与 {other} 内容完全相同（重复提交）{kept}",
        about=(
            "两份输入的内容完全相同；名称不像副本的一份（不带“(1)”“ - 副本”“copy”等）"
            "作为原件计入汇总，其余不重复计入。"
        ),
        fix="同一份文件提交了多次，请确认后只保留一份。",
    ),
    Kind(
        "duplicate-branch",
        WARNING,
        "同一支部多份",
        "同一支部（{parent}“{name}”）提交了 {count} 份内容不同的自评表，另见 {other}；各份均已评分，请确认以哪一份为准",
        about=(
            "同一支部（支部编码相同，或上级党组织和支部名称相同，忽略空格和全角/半角差别）提交了内容不同的多份"
            "自评表；各份照常评分和排名，总表“备注”中注明。"
        ),
        fix="同一支部提交了多份自评表，请确认以哪一份为准，撤回其余各份。",
    ),
    # -- Returned 问题清单 workbooks (branchcheck rectification import) --
    Kind(
        "report-unrecognised",
        ERROR,
        "不是问题清单",
        "本文件不是本工具写出的支部问题清单（{detail}），无法导入整改情况",
        about="交回的文件中没有问题清单的隐藏标识（_meta 工作表，format 为 branchcheck.report/1）或“问题清单”工作表。",
        fix="请交回本工具写出的问题清单文件本身（可以另存，但不要把内容复制到新的工作簿）。",
    ),
    Kind(
        "report-other-round",
        ERROR,
        "轮次不符",
        "本问题清单属于评估轮次“{found}”，不是要导入的评估轮次“{expected}”",
        about="交回的问题清单是另一个评估轮次评分时写出的。",
        fix="请确认 --round 写的轮次，或交回该轮次的问题清单。",
    ),
    Kind(
        "report-other-rules",
        ERROR,
        "规则集不符",
        "本问题清单按规则集 {found} 写出，评估轮次“{expected}”使用的是规则集 {wanted}",
        about="交回的问题清单与要导入的评估轮次使用的规则集不同（检查要点可能已经变化）。",
        fix="请交回该轮次评分时写出的问题清单。",
    ),
    Kind(
        "report-branch-unknown",
        ERROR,
        "支部不在该轮次",
        "评估轮次“{expected}”中没有支部“{name}”的评分记录",
        about="问题清单所属的支部在要导入的评估轮次中没有评分记录。",
        fix="请确认 --round 写的轮次；支部名称或支部编码改过的，请交回该轮次写出的问题清单。",
    ),
    Kind(
        "report-header-missing",
        ERROR,
        "缺少整改表头",
        "工作表“{sheet_name}”前 10 行中找不到同时包含“{first}”和“{second}”的表头行",
        about="问题清单的表头行被删除或改动，找不到编号或整改状态列。",
        fix="请恢复问题清单原有的表头行（编号、整改责任人、整改时限、整改状态）。",
    ),
    Kind(
        "rectify-state-invalid",
        ERROR,
        "整改状态无法识别",
        "整改状态“{found}”无法识别，可填写：{allowed}",
        about="问题清单的整改状态一栏填写的不是可以识别的状态。",
        fix="请从下拉列表中选择整改状态（未整改、整改中、已整改），或写“已完成”。",
    ),
    Kind(
        "rectify-due-invalid",
        ERROR,
        "整改时限不是日期",
        "整改时限“{found}”不是日期，请填写如 2025-06-30 的日期",
        about="问题清单的整改时限一栏填写的不是日期。",
        fix="请填写日期，如 2025-06-30、2025年6月30日。",
    ),
    Kind(
        "rectify-item-unknown",
        WARNING,
        "不是该支部的问题项",
        "编号“{found}”不是该支部在评估轮次“{expected}”中的问题项，已跳过这一行",
        about="问题清单中某行的编号不是该支部在该轮次中的问题项（行被改动或从别处复制）。",
        fix="不影响其他行的导入；请核对这一行的编号。",
    ),
    Kind(
        "rectify-duplicate",
        WARNING,
        "编号重复",
        "编号“{found}”在第 {first} 行已出现，只导入第一次出现的一行",
        about="问题清单中同一编号出现了不止一行。",
        fix="请删除重复的行，或把整改情况合并到一行。",
    ),
)
# Problems in a roster (名册, ``score --roster``): the roster must be right before anything is matched.
_ROSTER_KINDS = (
    Kind(
        "roster-sheet-missing",
        ERROR,
        "名册缺少工作表",
        "名册中找不到工作表“名册”（本文件中的工作表：{present}）",
        about="名册文件中没有名为“名册”的工作表（忽略不可见字符和全角/半角差别）。",
        fix="把列有各支部的工作表命名为“名册”，或用 branchcheck roster template 生成的名册填写。",
    ),
    Kind(
        "roster-header-missing",
        ERROR,
        "名册缺少表头",
        "工作表“名册”前 10 行中找不到同时包含“上级党组织”和“支部名称”的表头行（{present}）",
        about="名册的表头行缺少“上级党组织”或“支部名称”列。",
        fix="在名册第一行写上列标题“上级党组织”“支部名称”（其余列可选），每个支部一行。",
    ),
    Kind(
        "roster-value-missing",
        ERROR,
        "名册信息未填",
        "本行的“{label}”未填写",
        about="名册中某行填了内容，但“上级党组织”或“支部名称”空着。",
        fix="补填该行的上级党组织和支部名称；不需要的行请整行删除。",
    ),
    Kind(
        "roster-duplicate",
        ERROR,
        "名册重复",
        "与第 {other_row} 行是同一个支部（{why}）",
        about="名册中两行的支部编码相同，或上级党组织相同且支部名称（含曾用名）相同。",
        fix="每个支部只保留一行；改过名的支部，把旧名称写在“曾用名”列，不要另起一行。",
    ),
)
# Inputs that are not what they seem: a template of another rule set, a roster among the submissions.
_INPUT_KINDS = (
    Kind(
        "template-other-rules",
        ERROR,
        "模板属于其他规则集",
        "本表是按规则集 {made} 生成的，当前检查使用的是规则集 {wanted}，表中内容未逐项检查；"
        "如本表应按该规则集检查，请用 --rules 指定该规则集的文件夹，否则请使用规则集 {wanted} 的自评表模板重新填写",
        about="隐藏的 _meta 工作表表明文件是按另一个规则集（不是同一规则集的其他版本）生成的，只报告这一个问题。",
        fix="请使用本次下发的模板重新填写；如是检查时选错了规则集，请改用正确的 --rules 重新检查。",
    ),
    Kind(
        "roster-file",
        WARNING,
        "名册文件",
        "本文件是名册（有“名册”工作表，没有“自评表”“支部信息”），不是自评表，已列为其他文件",
        about="输入文件夹中的名册不是支部提交的自评表，不评分，列入“其他文件”。",
        fix="无需处理；如要按名册统计提交情况，请用 --roster 指定该文件。",
    ),
)
CATALOGUE: dict[str, Kind] = {k.code: k for k in (*_KINDS, *_ROSTER_KINDS, *_INPUT_KINDS)}
DEFAULT_FIX = "请按问题说明修改。"


def fix_for(code: str) -> str:
    kind = CATALOGUE.get(code)
    return kind.fix if kind is not None else DEFAULT_FIX
