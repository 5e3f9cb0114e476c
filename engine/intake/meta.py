"""Check the hidden _meta sheet: is this workbook a template of the rule set in use?"""

from __future__ import annotations

from engine.contract import (
    META_FINGERPRINT,
    META_FORMAT,
    META_RULE_SET_ID,
    META_RULE_SET_VERSION,
    SHEET_META,
    TEMPLATE_FORMAT,
)
from engine.diagnostics import Diagnostic, make
from engine.intake.cells import Grid, at, display
from engine.rules.model import RuleSet
from engine.textsafe import printable


def check_meta(table: Grid | None, rules: RuleSet) -> list[Diagnostic]:
    """meta-missing without _meta (or its fingerprint); template-mismatch when it names another template
    of this rule set, template-other-rules when it names another rule set."""
    if table is None:
        return [make("meta-missing", sheet=SHEET_META)]
    keys: dict[str, tuple[str, int]] = {}
    for r in range(len(table)):
        key = at(table, r, 0)
        if isinstance(key, str) and key not in keys:
            keys[key] = (display(at(table, r, 1)), r + 1)
    fmt, fmt_row = keys.get(META_FORMAT, ("", 0))
    if fmt and fmt != TEMPLATE_FORMAT:
        detail = (
            f"本表的模板格式为“{printable(fmt)}”，本工具只能读取“{TEMPLATE_FORMAT}”格式，"
            "请使用本工具生成的自评表模板填写"
        )
        return [make("template-mismatch", sheet=SHEET_META, row=fmt_row, column=2, value=fmt, detail=detail)]
    fingerprint, row = keys.get(META_FINGERPRINT, ("", 0))
    if not fingerprint:
        return [make("meta-missing", sheet=SHEET_META)]
    if fingerprint == rules.fingerprint:
        return []
    file_id = keys.get(META_RULE_SET_ID, ("", 0))[0]
    file_version = keys.get(META_RULE_SET_VERSION, ("", 0))[0]
    wanted = f"{rules.id} {rules.version}"
    made = f"{printable(file_id, limit=60)} {printable(file_version, limit=60) or '（版本未知）'}"
    if file_id and file_id != rules.id:  # another rule set, not another version of this one
        id_row = keys[META_RULE_SET_ID][1]
        return [
            make(
                "template-other-rules", sheet=SHEET_META, row=id_row, column=2, value=file_id, made=made, wanted=wanted
            )
        ]
    if (file_id, file_version) == (rules.id, rules.version) or not file_id:
        detail = (
            f"本表的模板标识与当前规则集 {wanted} 不一致（规则内容已有变化），"
            f"请使用规则集 {wanted} 生成的自评表模板重新填写"
        )
    else:
        detail = (
            f"本表是按规则集 {made} 生成的，"
            f"当前检查使用的是规则集 {wanted}，请使用规则集 {wanted} 的自评表模板重新填写"
        )
    return [make("template-mismatch", sheet=SHEET_META, row=row, column=2, value=fingerprint, detail=detail)]


def made_for_other_rules(found: list[Diagnostic]) -> bool:
    """Whether _meta says the workbook was made for another rule set (not another version of this
    one): its sheets then follow other rules, and reading them would only bury that one error."""
    return any(d.code == "template-other-rules" for d in found)
