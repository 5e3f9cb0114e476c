"""The Chinese texts of the template, derived from the rule set. Pure functions, no openpyxl."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine import contract as c
from engine.conditions import Env, describe, evaluate
from engine.rules.model import NA, NO, YES, Item, ProfileField, RuleSet, Standard, format_number, leaves

# Answer types whose validation cannot also accept 不适用: with na_allowed they get a prompt only.
NUMERIC_TYPES = ("count", "percent", "date")

# Units recognised after a count target in the item text (longest first).
_UNITS = ("人次", "学时", "课时", "小时", "次", "人", "名", "篇", "天", "个", "项", "份", "期", "场", "批")

EXAMPLE_DATE = "2018-03-05"

# The other spellings of 是/否 the reader accepts: in 填表说明 and in the warning of 是/否 cells.
SYNONYMS = f"也接受常见写法：√、Y、有、符合 视为“{YES}”；×、N、无、不符合 视为“{NO}”。"
# Title of the warning shown when a typed value is not the usual form (the value may be kept).
WARNING_TITLE = "请核对填写内容"


def item_guide(item: Item, rules: RuleSet) -> str:
    """The 填写说明 cell of a check point: what to enter, the target, when it applies, evidence."""
    lines = [answer_line(item, rules)]
    if item.applies_if is not None:
        lines.append(f"仅当{describe(item.applies_if, rules)}时适用，否则不适用，无需填写。")
    if item.na_allowed:
        if not (item.hint and NA in item.hint):  # the item's own hint already says when
            lines.append(f"无此项工作的填“{NA}”。")
        if item.type in NUMERIC_TYPES:
            lines.append(f"（本格可填“{NA}”，因此不设输入限制，请按上述要求填写。）")
    if item.hint:
        lines.append(item.hint)
    lines.append(f"佐证材料：{item.evidence}")
    return "\n".join(lines)


def answer_line(item: Item, rules: RuleSet) -> str:
    """What to enter for ``item`` and the target to reach."""
    if item.type == "yes_no":
        return f"填写“{YES}”或“{NO}”：达到要求的填“{YES}”。"
    if item.type == "level":
        return f"填写 {'/'.join(o.label for o in item.options)}（可从下拉列表选择）。"
    if item.type == "count":
        return _count_line(item, rules)
    if item.type == "percent":
        target = format_number(item.target) if item.target is not None else "100"
        return f"填写百分比，目标 {target}%（如 95%）。"
    if item.type == "date":
        return f"填写日期（如 {EXAMPLE_DATE}），须在评估基准日前 {item.within_months} 个月内。"
    raise ValueError(f"unknown item type {item.type}")


def count_unit(item: Item) -> str:
    """The unit written after the target in the item text (次, 学时, ...), or ''."""
    if item.target is None:
        return ""
    number = re.escape(format_number(item.target))
    found = re.search(rf"(?<![\d.]){number}\s*({'|'.join(_UNITS)})", item.text)
    return found.group(1) if found else ""


def _count_line(item: Item, rules: RuleSet) -> str:
    unit = count_unit(item)
    period = "全年" if item.per == "year" else ""
    noun = f"实际{unit}数" if unit else "实际数值"
    target = format_number(item.target) if item.target is not None else "0"
    text = f"填写{period}{noun}，要求不少于 {target}{' ' + unit if unit else ''}"
    if item.deduction_per_unit is not None:
        text += f"（每少 1{' ' + unit if unit else ''}扣 {format_number(item.deduction_per_unit)} 分）"
    text += "。"
    text += f"可保留 {item.decimals} 位小数。" if item.decimals > 0 else "填写整数。"
    if item.per == "year" and rules.field_with_role("founded_date") is not None:
        text += "年内新成立的支部按成立月数折算要求。"
    return text


VETO_GUIDE = f"评估期内发生该情形的填“{YES}”（一票否决），未发生的填“{NO}”。"


# -- 支部信息 column C --

_FIELD_FORMATS = {
    "text": "",
    "integer": "填写不小于 0 的整数",
    "year": "填写四位年份，如 2018",
    "date": f"填写日期，如 {EXAMPLE_DATE}",
    "yes_no": f"填写“{YES}”或“{NO}”",
}


def field_hint(field: ProfileField, rules: RuleSet) -> str:
    """The 说明 cell of a profile field: required or not, format, what it switches, own hint."""
    if field.required:
        need = "必填"
    elif field.required_if is not None:
        need = f"当{describe(field.required_if, rules)}时必填"
    else:
        need = "选填"
    form = _FIELD_FORMATS[field.type]
    lines = [f"{need}；{form}。" if form else f"{need}。"]
    lines.extend(switch_lines(field, rules))
    if field.hint:
        lines.append(field.hint)
    return "\n".join(lines)


def switch_lines(field: ProfileField, rules: RuleSet) -> list[str]:
    """Which check points and vetoes this field switches on or off, or feeds."""
    readers = [i for i in rules.items if any(field.id in leaf.fields_read() for leaf in leaves(i.applies_if))]
    lines: list[str] = []
    undecided = list(readers)
    if field.type == "yes_no":
        for value in (YES, NO):
            off = [i for i in readers if i.applies_if is not None and _off_when(i, field.id, value)]
            if off:
                lines.append(f"填“{value}”时，{_summary(off, rules)}不适用。")
            undecided = [i for i in undecided if i not in off]
    if undecided:
        lines.append(f"影响 {_summary(undecided, rules)}是否适用。")
    for item in rules.items:
        if item.value_from == field.id:
            lines.append(f"据此自动评定检查要点 {item.id} {item.text}（自评表中不再单独填写）。")
    for veto in rules.vetoes:
        if veto.condition is not None and any(field.id in leaf.fields_read() for leaf in leaves(veto.condition)):
            lines.append(f"用于判定否决项 {veto.id} {veto.text}。")
    return lines


def _off_when(item: Item, field_id: str, value: str) -> bool:
    """Whether ``item`` certainly does not apply when ``field_id`` is ``value`` (others unknown)."""
    assert item.applies_if is not None
    env = Env(field=lambda f: value if f == field_id else None, item=lambda _i: None, reference_date=None)
    return evaluate(item.applies_if, env) is False


def _summary(items: Sequence[Item], rules: RuleSet) -> str:
    """``3.2 支部委员会会议、2.1.1 等 5 个检查要点``: whole standards by name, the rest by id."""
    chosen = {i.id for i in items}
    names: list[str] = []
    for standard in rules.standards:
        inside = [i for i in standard.items if i.id in chosen]
        if not inside:
            continue
        if len(inside) == len(standard.items) and len(inside) > 1:
            names.append(_standard_name(standard))
        else:
            names.extend(i.id for i in inside)
    lead = "、".join(names)
    if len(items) == 1:
        return f"检查要点 {lead}"
    return f"{lead}共 {len(items)} 个检查要点"


def _standard_name(standard: Standard) -> str:
    return f"{standard.id} {standard.name}"


# -- 填表说明 --


@dataclass(frozen=True)
class Line:
    """One row of the 填表说明 sheet."""

    text: str
    style: str = "text"  # "title" | "heading" | "text"


def guide_lines(rules: RuleSet) -> list[Line]:
    """The whole 填表说明 sheet, top to bottom."""
    asked = [i for i in rules.items if i.asked]
    lines = [Line(f"{rules.title}——支部自评表填表说明", "title")]
    lines.append(Line(f"规则集：{rules.id}　版本：{rules.version}"))
    lines.append(Line(f"指纹：{rules.fingerprint}"))  # a line of its own: the long hash wraps as a whole
    lines.append(Line("一、谁填写什么", "heading"))
    lines.extend(Line(t) for t in _who_lines(len(asked) + len(rules.question_vetoes)))
    lines.append(Line(f"二、“{c.COL_SELF}”怎样填写", "heading"))
    lines.extend(Line(t) for t in _type_lines(rules, asked))
    lines.append(Line("三、评分与等级", "heading"))
    lines.extend(Line(t) for t in _band_lines(rules))
    if rules.vetoes:
        lines.append(Line("四、否决项（一票否决）", "heading"))
        lines.extend(Line(t) for t in _veto_lines(rules))
    lines.append(Line(f"{'五' if rules.vetoes else '四'}、规则集", "heading"))
    lines.extend(
        Line(t)
        for t in (
            f"名称：{rules.title}",
            f"编号：{rules.id}",
            f"版本：{rules.version}",
            f"指纹：{rules.fingerprint}",
            f"依据：{rules.source.handbook}",
            "回收的自评表按本规则集评分，请使用与本表配套的规则集版本。",
        )
    )
    return lines


def _who_lines(asked: int) -> list[str]:
    fixed = "、".join(f"“{t}”" for t in (c.COL_ID, c.COL_AREA, c.COL_STANDARD, c.COL_TEXT, c.COL_GUIDE, c.COL_POINTS))
    return [
        f"支部书记：填写“{c.SHEET_PROFILE}”工作表的“{c.PROFILE_HEADERS[1]}”列；在“{c.SHEET_ITEMS}”工作表中逐项填写"
        f"“{c.COL_SELF}”，在“{c.COL_EVIDENCE}”列写明可供查阅的材料名称和存放位置，需要说明的情况写在“{c.COL_NOTE}”列。",
        f"检查组：核查时在“{c.SHEET_ITEMS}”中填写“{c.COL_CHECK}”和“{c.COL_CHECK_NOTE}”。",
        f"{fixed}各列由规则集生成，已锁定（工作表保护未设密码），请勿修改；"
        "请勿改动工作表名称、表头和编号，也不要删除行。",
        f"“{c.SHEET_ITEMS}”顶部显示已填写的项数（共 {asked} 项；按“{c.SHEET_PROFILE}”判定为不适用的检查要点可不填）；"
        f"未填写“{c.COL_SELF}”的单元格以浅黄色标出，适用但未填写的检查要点按未达标计 0 分。",
    ]


def _type_lines(rules: RuleSet, asked: Sequence[Item]) -> list[str]:
    types = {i.type for i in asked}
    lines: list[str] = []
    if "yes_no" in types or rules.question_vetoes:
        lines.append(f"是/否：填写“{YES}”或“{NO}”，“{YES}”表示达到检查要点的要求（否决项中“{YES}”表示发生了该情形）。")
    if "level" in types:
        label_sets = list(dict.fromkeys(tuple(o.label for o in i.options) for i in asked if i.type == "level"))
        choices = "；".join("/".join(s) for s in label_sets)
        lines.append(f"等级：按该检查要点的等级填写其中之一（{choices}），可从下拉列表选择。")
    if "count" in types:
        lines.append("次数/数量：填写不小于 0 的数字；除填写说明注明可保留小数的以外，须为整数。")
    if "percent" in types:
        lines.append(
            "百分比：填写 0%～100% 之间的百分比，如 95%（单元格已设为百分比格式，直接输入 95% 即可）。"
            "不带 % 的数，不大于 1 的按小数理解（0.95 即 95%，1 即 100%），大于 1 的按百分数理解（95 即 95%），"
            "无论输入的是数字还是文字。"
        )
    if "date" in types:
        lines.append(f"日期：按“年-月-日”填写，如 {EXAMPLE_DATE}。")
    lines.append(SYNONYMS + _variants(types))
    lines.append(
        f"“{NA}”：只有填写说明中注明“无此项工作的填‘{NA}’”的检查要点可以填写“{NA}”，其他检查要点填写“{NA}”视为无效。"
    )
    lines.append(
        f"填写说明中写明“仅当……时适用”的检查要点，由系统根据“{c.SHEET_PROFILE}”自动判定是否适用；不适用时无需填写。"
    )
    return lines


def _variants(types: set[str]) -> str:
    """Other accepted forms of numbers and dates, and what the workbook does with them."""
    forms = []
    if "count" in types:
        forms.append("次数可带单位，如“12次”")
    if "date" in types:
        forms.append("日期也可写作“2018年3月5日”")
    lead = "；".join(forms) + "。" if forms else ""
    strict = "（等级除外）" if "level" in types else ""
    return f"{lead}填写内容与常规写法不同时，表格会弹出“{WARNING_TITLE}”提示{strict}，确认无误的可以保留。"


def _band_lines(rules: RuleSet) -> list[str]:
    parts: list[str] = []
    bands = rules.bands
    for n, band in enumerate(bands):
        if n == len(bands) - 1 and n > 0 and band.min == 0:
            parts.append(f"{band.name}：低于 {format_number(bands[n - 1].min)} 分")
        else:
            parts.append(f"{band.name}：≥ {format_number(band.min)} 分")
    return [f"满分 {format_number(rules.total_points)} 分。按得分评定等级：" + "；".join(parts) + "。"]


def _veto_lines(rules: RuleSet) -> list[str]:
    lines = ["出现下列任一情形即一票否决："]
    for veto in rules.vetoes:
        if veto.kind == "question":
            how = f"在“{c.SHEET_ITEMS}”末尾“{c.VETO_SECTION}”部分填写：发生填“{YES}”，未发生填“{NO}”。"
        else:
            how = f"由系统根据“{c.SHEET_PROFILE}”和自评结果自动判定，无需填写。"
        lines.append(f"{veto.id} {veto.text}——{how}")
    return lines
