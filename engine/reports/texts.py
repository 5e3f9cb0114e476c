"""Chinese labels and display forms of values read from the results dict."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath, PureWindowsPath
from typing import Any

from engine import answers
from engine.diagnostics import CATALOGUE, ERROR, SEVERITY_WORDS, WARNING
from engine.rules.model import Item, RuleSet, format_number
from engine.scoring.model import (
    CLEAR,
    MET,
    NOT_APPLICABLE,
    PARTIAL,
    SCORED,
    TRIGGERED,
    UNANSWERED,
    UNDETERMINED,
    UNMET,
    UNSCORED,
)
from engine.textsafe import DEFAULT_LIMIT, shorten

ResultDict = Mapping[str, Any]

STATUS = {
    MET: "达标",
    PARTIAL: "部分达标",
    UNMET: "未达标",
    UNANSWERED: "未填写",
    NOT_APPLICABLE: "不适用",
    UNSCORED: "不计分",
}
VETO_STATUS = {TRIGGERED: "触发", CLEAR: "未触发", UNDETERMINED: "无法判定"}
UNANSWERED_TEXT = "未填写"
NOT_APPLICABLE_TEXT = "不适用"
NONE_TEXT = "无"
OTHER_PROBLEM = "其他问题"


def number(value: Any) -> Decimal | None:
    """A JSON number as Decimal (exact for the 2- and 4-place values of the results)."""
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


def num_text(value: Any) -> str:
    d = number(value)
    return "" if d is None else format_number(d)


def answer_text(value: Any, item: Item | None) -> str:
    """An answer as shown to people: 是/否/option/12/95%/2018-10-01; blank as 未填写."""
    if value is None:
        return UNANSWERED_TEXT
    if isinstance(value, str) or item is None:
        return value if isinstance(value, str) else num_text(value)
    return answers.answer_type(item.type).show(value, item)


def checked_text(item_dict: ResultDict, item: Item | None) -> str | None:
    """核查结果: the answer used when it differs from the secretary's, else nothing."""
    if item_dict.get("answer") == item_dict.get("self_answer"):
        return None
    return answer_text(item_dict.get("answer"), item)


def score_of(earned: Any, maximum: Any) -> str:
    """``1.5/2``."""
    return f"{num_text(earned)}/{num_text(maximum)}"


def item_of(rules: RuleSet, item_id: str) -> Item | None:
    return rules.item(item_id) if rules.has_item(item_id) else None


def basis_text(item: Item | None) -> str | None:
    """依据 with the kind of requirement it states: ``【党内规定】《…》第十二条``, ``【通行做法】…``."""
    return item.basis_label if item is not None else None


# A backslash that starts the \xNN escape of an undecodable file-name byte is not a separator.
_WINDOWS_SEPARATOR = re.compile(r"\\(?!x[0-9a-f]{2})")


def file_name(source: str) -> str:
    """The last component of a path as given (``/`` separated, else ``\\`` as on Windows)."""
    if "/" in source:
        return source.rsplit("/", 1)[-1]
    parts = _WINDOWS_SEPARATOR.split(source.split(":", 1)[-1] if PureWindowsPath(source).drive else source)
    return parts[-1]


def file_stem(source: str) -> str:
    name = file_name(source)
    stem = PurePath(name).stem
    return stem or name


def for_display(d: ResultDict) -> ResultDict:
    """``d`` with the text users typed shortened for report cells (:func:`engine.textsafe.shorten`):
    the branch name, 上级党组织 and every text in the profile, each diagnostic's value, and
    each item's free-text answers, 佐证材料, 备注 and 核查意见.
    Messages already show such text shortened; results.json keeps it whole. Apply once."""
    shown = dict(d)
    branch = d.get("branch")
    if branch:
        profile = {k: shorten(v) if isinstance(v, str) else v for k, v in (branch.get("profile") or {}).items()}
        shown["branch"] = {
            **branch,
            "name": _short(branch.get("name")),
            "parent": _short(branch.get("parent")),
            "profile": profile,
        }
    shown["diagnostics"] = [{**x, "value": _short(x.get("value"))} for x in d.get("diagnostics", ())]
    if _any_long_item_text(d.get("items", ())):
        shown["items"] = [{**i, **{key: _short(i.get(key)) for key in _ITEM_TEXTS}} for i in d.get("items", ())]
    return shown


# The texts of an item typed by people: free-text answers, 佐证材料, 备注 and 核查意见.
_ITEM_TEXTS = ("answer", "self_answer", "evidence", "note", "inspector_note")


def _any_long_item_text(items: Iterable[Mapping[str, Any]]) -> bool:
    # A plain loop: ~875 texts per submission, checked in the parent process for every one.
    for item in items:
        for key in _ITEM_TEXTS:
            value = item.get(key)
            if isinstance(value, str) and len(value) > DEFAULT_LIMIT:
                return True
    return False


def _short(value: Any) -> Any:
    return shorten(value) if isinstance(value, str) else value


def veto_flag(d: ResultDict) -> str:
    """否决: 是 / 无法判定 / 否."""
    if d.get("vetoed"):
        return "是"
    if any(v.get("status") == UNDETERMINED for v in d.get("vetoes", ())):
        return "无法判定"
    return "否"


@dataclass(frozen=True)
class SummaryRow:
    """One file's line in a console summary, from the same dict form as the workbooks."""

    file: str
    scored: bool
    branch: str = ""
    score: str = ""
    rating: str = ""
    veto: str = ""
    gaps: int = 0
    problem: str = ""  # rejected: the first error, with its cell
    duplicate_of: str = ""  # a copy: the original's source
    undetermined: str = ""  # why a veto could not be decided (short), e.g. "V6：3.6.1 未填写"


def summary_row(d: ResultDict) -> SummaryRow:
    """The console line of one submission; its file as the dict's source (as people read it)."""
    name = str(d.get("source") or "")
    copied = str(d.get("duplicate_of") or "")
    if d.get("status") == SCORED:
        score = number(d.get("score"))
        return SummaryRow(
            name,
            True,
            branch=str((d.get("branch") or {}).get("name") or ""),
            score="" if score is None else f"{score:.2f}",
            rating=str(d.get("rating") or ""),
            veto=veto_flag(d),
            gaps=len(d.get("gaps", ())),
            duplicate_of=copied,
            undetermined=undetermined_text(d),
        )
    first = next((x for x in d.get("diagnostics", ()) if x.get("severity") == ERROR), None)
    if first is None:
        return SummaryRow(name, False, problem="未通过", duplicate_of=copied)
    where = f"{first['cell']}：" if first.get("cell") else ""
    return SummaryRow(name, False, problem=where + str(first.get("message", "")), duplicate_of=copied)


def undetermined_text(d: ResultDict) -> str:
    """The undetermined vetoes with their short reasons (``V6：检查要点 3.6.1 未填写``), "" when none."""
    parts = [
        f"{v.get('id')}：{short_veto_reason(str(v.get('reason') or ''))}"
        for v in d.get("vetoes", ())
        if v.get("status") == UNDETERMINED
    ]
    return "；".join(parts)


# An undetermined derived veto's reason ends with what it read: "…所需的信息未填写（检查要点 3.6.1 未填写）".
_READ = re.compile(r"所需的信息未填写（(.+)）$")


def short_veto_reason(reason: str, limit: int = 60) -> str:
    """The short form of an undetermined veto's reason, for a console line: what was missing."""
    found = _READ.search(reason)
    return shorten(found.group(1) if found else reason, limit)


# The messages of veto-undetermined ("否决项 V6（…）无法判定：…") and veto-unanswered ("否决项 V1 未填写…").
_UNDETERMINED = re.compile(r"^否决项 (\S+?)（.*）无法判定(?:，评级时按触发处理)?：(.*)$", re.DOTALL)
_UNANSWERED = re.compile(r"^否决项 (\S+) (未填写“是”或“否”)")


def undetermined_veto(diagnostic: ResultDict) -> str | None:
    """``V6：检查要点 3.6.1 未填写`` for a diagnostic saying a veto cannot be decided, else None."""
    message = str(diagnostic.get("message") or "")
    if diagnostic.get("code") == "veto-undetermined" and (found := _UNDETERMINED.match(message)):
        return f"{found.group(1)}：{short_veto_reason(found.group(2))}"
    if diagnostic.get("code") == "veto-unanswered" and (found := _UNANSWERED.match(message)):
        return f"{found.group(1)}：{found.group(2)}"
    return None


def by_id(d: ResultDict, key: str) -> dict[str, ResultDict]:
    """The entries of list ``key`` (items, standards, areas) by id."""
    return {str(e["id"]): e for e in d.get(key, ())}


def area_of_items(d: ResultDict) -> dict[str, str]:
    """Check-point id → area id, through the standards of the dict."""
    area_of_standard = {str(s["id"]): str(s.get("area")) for s in d.get("standards", ())}
    return {str(i["id"]): area_of_standard.get(str(i.get("standard")), "") for i in d.get("items", ())}


def total_gain(d: ResultDict) -> Decimal:
    """What full rectification adds to the total: every applicable check point met brings the
    checklist score (``base_score``) to 100, which moves the total by the checklist component's
    weight × (100 − base score), but never past 100 (vetoes change the rating, never the score).
    With the default total formula this is exactly 100 − score. The gaps' own gains are rounded
    one by one, so their sum may differ from this by a few hundredths."""
    score = number(d.get("score"))
    if score is None:
        return sum((number(g.get("gain")) or Decimal(0) for g in d.get("gaps", ())), Decimal(0))
    base = number(d.get("base_score"))
    if base is None:
        return Decimal(100) - score
    weights = [number(c.get("weight")) for c in d.get("components", ()) if c.get("source") == "checklist"]
    weight = weights[0] if weights and weights[0] is not None else Decimal(1)
    gain = (weight * (Decimal(100) - base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return max(Decimal(0), min(gain, Decimal(100) - score))


def reaches_full_marks(d: ResultDict) -> bool:
    """Whether full rectification brings the total to 100 (not so when bonus, penalty or other
    components take part in the total)."""
    score = number(d.get("score"))
    return score is not None and score + total_gain(d) == Decimal(100)


GAIN_ROUNDING_NOTE = "各问题项的可提升分分别四舍五入到 0.01 分，相加可能与合计略有出入"


def rating_legend(rules: RuleSet) -> str:
    """One line saying what the ratings mean: the bands and the veto rule."""
    bands = rules.bands
    parts: list[str] = []
    for n, band in enumerate(bands):
        if n == len(bands) - 1 and n > 0 and band.min == 0:
            parts.append(f"{band.name} 低于 {format_number(bands[n - 1].min)} 分")
        else:
            parts.append(f"{band.name} ≥ {format_number(band.min)} 分")
    text = "评定等级：" + "，".join(parts) + "。"
    if rules.vetoes:
        text += f"触发任一否决项的，评定为“{rules.lowest_band.name}”（得分照常计算）。"
    return text


def severity_text(diagnostic: ResultDict) -> str:
    """级别 of a diagnostic in words: 错误 or 提醒."""
    return SEVERITY_WORDS[ERROR if diagnostic.get("severity") == ERROR else WARNING]


def problem_title(diagnostic: ResultDict) -> str:
    """The Chinese title of a diagnostic's code (``填写内容无效``), never the code itself."""
    kind = CATALOGUE.get(str(diagnostic.get("code")))
    return kind.title if kind is not None else OTHER_PROBLEM
