"""The Chinese texts of the template, derived from the rule set. Pure functions, no openpyxl."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine import answers
from engine import contract as c
from engine.conditions import Env, describe, evaluate
from engine.rules import ratingtexts
from engine.rules.model import (
    BASIS_KINDS,
    NA,
    NO,
    YES,
    Item,
    ProfileField,
    RuleSet,
    Standard,
    Veto,
    format_number,
    leaves,
)
from engine.rules.rating import BONUS, LOWEST, PENALTY
from engine.template.validation import EXAMPLE_DATE, SYNONYMS, WARNING_TITLE


def item_guide(item: Item, rules: RuleSet) -> str:
    """The 填写说明 cell of a check point: what to enter, the target, when it applies, evidence."""
    lines = [answer_line(item, rules)]
    if item.applies_if is not None:
        lines.append(f"仅当{describe(item.applies_if, rules)}时适用，否则不适用，无需填写。")
    if item.na_allowed:
        if not (item.hint and NA in item.hint):  # the item's own hint already says when
            lines.append(f"无此项工作的填“{NA}”。")
        if answers.answer_type(item.type).typed_cell:
            lines.append(f"（本格可填“{NA}”，因此不设输入限制，请按上述要求填写。）")
    if item.hint:
        lines.append(item.hint)
    lines.append(f"佐证材料：{item.evidence}")
    lines.append(f"依据：{item.basis_label}")
    return "\n".join(lines)


def answer_line(item: Item, rules: RuleSet) -> str:
    """What to enter for ``item`` and the target to reach."""
    kind = rules.area_kind(item.area_id)
    if item.type == "yes_no" and kind in BLOCK_ANSWER_LINES:  # 加分项, 减分项: 是 adds or subtracts
        return BLOCK_ANSWER_LINES[kind]
    return answers.answer_type(item.type).answer_line(item, rules)


BLOCK_ANSWER_LINES = {
    BONUS: f"填写“{YES}”或“{NO}”：符合的填“{YES}”（加分）。",
    PENALTY: f"填写“{YES}”或“{NO}”：发生该情形的填“{YES}”（扣分），未发生的填“{NO}”；未填写的按发生计。",
}


VETO_GUIDE = f"评估期内发生该情形的填“{YES}”（一票否决），未发生的填“{NO}”。"


def capping_veto_guide(veto: Veto) -> str:
    """A veto that caps the rating (effect: cap) rather than giving the lowest band."""
    return f"评估期内发生该情形的填“{YES}”（等级不高于“{veto.cap}”），未发生的填“{NO}”。"


# -- 支部信息 column C --

_FIELD_FORMATS = {
    "text": "",
    "integer": "填写不小于 0 的整数",
    "number": "填写不小于 0 的数，最多 2 位小数",
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
        if not item.asked and field.id in item.derived_fields():
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
    lines: list[str] = []
    notes: list[str] = []
    strict = False
    for name, kind in answers.TYPES.items():
        of_type = [i for i in asked if i.type == name]
        line = kind.guide_line(of_type, rules)
        if line is not None:
            lines.append(line)
        if of_type:
            notes.extend(n for n in [kind.variant_note()] if n)
            strict = strict or kind.refuses_other_input
    lines.append(SYNONYMS + _variants(notes, strict))
    lines.append(
        f"“{NA}”：只有填写说明中注明“无此项工作的填‘{NA}’”的检查要点可以填写“{NA}”，其他检查要点填写“{NA}”视为无效。"
    )
    lines.append(
        f"填写说明中写明“仅当……时适用”的检查要点，由系统根据“{c.SHEET_PROFILE}”自动判定是否适用；不适用时无需填写。"
    )
    derived = [i for i in rules.items if not i.asked]
    if derived:
        listed = "；".join(f"{i.id} {i.text}" for i in derived)
        lines.append(
            f"下列检查要点不在“{c.SHEET_ITEMS}”中填写，由系统根据“{c.SHEET_PROFILE}”所填内容自动评定（计入得分）：{listed}。"
        )
    kinds = "，".join(f"【{BASIS_KINDS[k]}】{what}" for k, what in _BASIS_KIND_MEANINGS.items())
    lines.append(f"每个检查要点的填写说明末尾注明依据及其类型：{kinds}。")
    return lines


_BASIS_KIND_MEANINGS = {
    "regulation": "为党内法规或中央文件的明文要求",
    "practice": "为各地党支部标准化建设的通行做法，不是党内法规的明文规定",
    "official": "为官方手册原文",
}


def _variants(notes: list[str], strict: bool) -> str:
    """Other accepted forms of numbers and dates, and what the workbook does with them."""
    lead = "；".join(notes) + "。" if notes else ""
    exception = "（等级除外）" if strict else ""
    return f"{lead}填写内容与常规写法不同时，表格会弹出“{WARNING_TITLE}”提示{exception}，确认无误的可以保留。"


def _band_lines(rules: RuleSet) -> list[str]:
    parts: list[str] = []
    bands = rules.bands
    for n, band in enumerate(bands):
        if n == len(bands) - 1 and n > 0 and band.min == 0:
            parts.append(f"{band.display}：低于 {format_number(bands[n - 1].min)} 分")
        else:
            parts.append(f"{band.display}：≥ {format_number(band.min)} 分{ratingtexts.quota_text(band, rules)}")
    lines = [f"满分 {format_number(rules.total_points)} 分。按得分评定等级：" + "；".join(parts) + "。"]
    if rules.bands_note:
        lines.append(rules.bands_note)
    return lines + ratingtexts.scheme_lines(rules)


def _veto_lines(rules: RuleSet) -> list[str]:
    lines = ["出现下列任一情形即一票否决："]
    for veto in rules.vetoes:
        if veto.kind == "question":
            how = f"在“{c.SHEET_ITEMS}”末尾“{c.VETO_SECTION}”部分填写：发生填“{YES}”，未发生填“{NO}”。"
        else:
            how = f"由系统根据“{c.SHEET_PROFILE}”和自评结果自动判定，无需填写。"
        effect = f"（{ratingtexts.veto_effect(rules, veto)}）" if veto.effect != LOWEST else ""
        lines.append(f"{veto.id} {veto.text}{effect}——{how}")
    return lines
