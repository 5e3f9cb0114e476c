"""Values of the rule workbook's cells, both ways, by column kind (see engine.rulebook.layout)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from engine.book import CellValue
from engine.rulebook.layout import Column, code, word
from engine.rules.model import NO, YES, LevelOption, format_number

OPTION_SEP = "；"
_OPTION_SEPS = re.compile("[；;]")
_EQUALS = re.compile("[=＝]")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
FLAG_WORDS = {YES: True, NO: False, "true": True, "false": False}


class CellProblem(ValueError):
    """A cell whose content does not fit its column; the message is Chinese, without position."""


def options_text(options: Sequence[LevelOption]) -> str:
    """``好=1；较好=0.8；一般=0.5；差=0``."""
    return OPTION_SEP.join(f"{o.label}={format_number(o.credit)}" for o in options)


def number(text: str) -> int | float | None:
    """A number as the rule files hold it (int when whole as written), or None."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    return float(text) if "." in text else int(text)


def read_options(text: str) -> list[dict[str, object]] | str:
    """Options ``好=1；较好=0.8`` as rule-file data, or a scale's name (text without ``=``)."""
    if not _EQUALS.search(text):
        return text
    found: list[dict[str, object]] = []
    for part in _OPTION_SEPS.split(text):
        part = part.strip()
        if not part:
            continue
        pieces = _EQUALS.split(part)
        credit = number(pieces[-1]) if len(pieces) == 2 else None
        if credit is None or not pieces[0].strip():
            raise CellProblem(f"等级选项“{part}”应写成“名称=得分系数”，如“较好=0.8”，各项之间用“；”分隔")
        found.append({"label": pieces[0].strip(), "credit": credit})
    return found


def write_value(column: Column, value: object) -> CellValue:
    """What the export puts in a cell of ``column`` for ``value`` (conditions and fields are
    turned into text by the caller, who knows the profile's names)."""
    if value is None:
        return None
    if column.kind == "flag":
        return YES if value else NO
    if column.kind == "choice":
        return word(column, str(value))
    if column.kind in ("number", "integer"):
        assert isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
        return value
    if column.kind == "options" and not isinstance(value, str):
        return options_text(value)  # type: ignore[arg-type]
    return str(value)


def read_value(column: Column, raw: object) -> object:
    """The rule-file value of a non-blank cell (a condition's or field's text stays text)."""
    text = raw if isinstance(raw, str) else _plain(raw)
    kind = column.kind
    if kind in ("number", "integer"):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            value: int | float | None = raw
        else:
            value = number(text)
        if value is None:
            raise CellProblem(f"“{column.title}”应为数字，填写的是“{text}”")
        if kind == "integer":
            if value != int(value):
                raise CellProblem(f"“{column.title}”应为整数，填写的是“{text}”")
            value = int(value)
        return value
    if kind == "flag":
        if text not in FLAG_WORDS:
            raise CellProblem(f"“{column.title}”应填“{YES}”或“{NO}”，填写的是“{text}”")
        return FLAG_WORDS[text]
    if kind == "choice":
        found = code(column, text)
        if found is None:
            allowed = "、".join(chinese for _, chinese in column.vocabulary)
            raise CellProblem(f"“{column.title}”填写的“{text}”无效，允许：{allowed}")
        return found
    if kind == "options":
        return read_options(text)
    return text


def _plain(raw: object) -> str:
    """A non-text cell as text (a number typed where text belongs: 2 → "2", 2.5 → "2.5")."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw == int(raw):
        return str(int(raw))
    if hasattr(raw, "isoformat"):
        return raw.isoformat()  # type: ignore[no-any-return, attr-defined]
    return str(raw)
