"""The readable one-line condition syntax of the rule workbook, both ways.

``正式党员人数 >= 7 且 是否设立支部委员会 = 是`` is ``{all: [{field: full_members, op: ge,
value: 7}, {field: has_committee, op: eq, value: 是}]}``. Grammar (``非`` binds tightest, then
``且``, then ``或``; brackets group and keep a nested group nested)::

    expr    := and ("或" and)*
    and     := unary ("且" unary)*
    unary   := "非" unary | "(" expr ")" | ("全部" | "任一") "(" expr ")" | leaf
    leaf    := left op right
    left    := 字段名称 ("+" 字段名称)* | "要点" 检查要点编号
    op      := = ≠ < <= > >= 属于 距基准日超过
    right   := 字段名称 | 数字 | 文字 | “带引号的文字” | [值、值…] (属于) | 数字 个月 (距基准日超过)

A field is named by its 名称 (label) as in the 支部信息字段 sheet (or its 编号); an unquoted
word that is a field's name on the right is that field (``value_field``); quote it to compare
with the text itself. Keywords (且 或 非 属于 …) stand apart, separated by spaces or brackets.

Parsing is one left-to-right pass over the text (field names are matched longest first, by
their first character), so it takes time linear in the text's length; nesting is capped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.rules.model import AllOf, AnyOf, Condition, Leaf, Not

AND, OR, NOT = "且", "或", "非"
GROUPS = {"全部": "all", "任一": "any"}  # a group of one condition: 全部 (…) is {all: [...]}
IN, OLDER, MONTHS, ITEM = "属于", "距基准日超过", "个月", "要点"
ITEM_WORDS = (ITEM, "检查要点")
MAX_NESTING = 20
MAX_CHARS = 2000
# Written form of each operator (export) and every accepted spelling (import).
OP_TEXT = {"eq": "=", "ne": "≠", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": IN, "older_than_months": OLDER}
_SYMBOLS = {
    "=": "eq", "==": "eq", "＝": "eq", "≠": "ne", "!=": "ne", "<>": "ne", "<": "lt", "＜": "lt",
    "<=": "le", "≤": "le", ">": "gt", "＞": "gt", ">=": "ge", "≥": "ge",
}  # fmt: skip
_OPS_ALLOWED = "= ≠ < <= > >= 属于 距基准日超过"
_OP_CHARS = frozenset("=<>!≠≤≥＝＜＞")
_OPEN, _CLOSE = frozenset("(（"), frozenset(")）")
_LIST_OPEN, _LIST_CLOSE, _LIST_SEP = frozenset("[【"), frozenset("]】"), frozenset("、,，")
_QUOTES = {"“": "”", '"': '"'}
_PLUS = frozenset("+＋")
_SPACE = frozenset(" \t\u3000\u00a0")
_BREAK = _SPACE | _OP_CHARS | _OPEN | _CLOSE | _LIST_OPEN | _LIST_CLOSE | _LIST_SEP | _PLUS | set(_QUOTES)
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_ITEM_ID = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")
_KEYWORDS = frozenset({AND, OR, NOT, IN, OLDER, MONTHS, *ITEM_WORDS, *GROUPS})


class ConditionSyntaxError(ValueError):
    """A condition cell that does not parse; ``message`` says where and why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Token:
    kind: str  # field, word, quoted, op, open, close, lopen, lclose, sep, plus
    text: str
    at: int  # 0-based character offset
    value: str = ""  # a field's id; a quoted text's content; an operator's code


class Fields:
    """The profile fields a condition may name: by 名称 (label) or 编号 (id)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:  # (id, label)
        self.ids: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for ident, label in pairs:
            self.ids.setdefault(ident, label)
            self.labels.setdefault(label, ident)
        self._by_first: dict[str, list[str]] = {}
        for label in sorted(self.labels, key=len, reverse=True):
            self._by_first.setdefault(label[0], []).append(label)

    def match(self, text: str, at: int) -> str | None:
        """The longest field name starting at ``at`` that is not glued to a following word."""
        for label in self._by_first.get(text[at], ()):
            end = at + len(label)
            if text.startswith(label, at) and (end == len(text) or text[end] in _BREAK):
                return label
        return None

    def resolve(self, word: str) -> str | None:
        return self.labels.get(word) or (word if word in self.ids else None)


def _where(at: int) -> str:
    return f"第 {at + 1} 个字符处"


def tokens(text: str, fields: Fields) -> list[Token]:
    out: list[Token] = []
    n, i = len(text), 0
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
            continue
        label = fields.match(text, i)
        if label is not None:
            out.append(Token("field", label, i, fields.labels[label]))
            i += len(label)
        elif ch in _QUOTES:
            end = text.find(_QUOTES[ch], i + 1)
            if end < 0:
                raise ConditionSyntaxError(f"{_where(i)}：引号 {ch} 没有配对的 {_QUOTES[ch]}")
            out.append(Token("quoted", text[i : end + 1], i, text[i + 1 : end]))
            i = end + 1
        elif ch in _OP_CHARS:
            j = i
            while j < n and text[j] in _OP_CHARS:
                j += 1
            symbol = text[i:j]
            if symbol not in _SYMBOLS:
                raise ConditionSyntaxError(f"{_where(i)}：未知的运算符“{symbol}”（可用：{_OPS_ALLOWED}）")
            out.append(Token("op", symbol, i, _SYMBOLS[symbol]))
            i = j
        else:
            kind = next((k for k, s in _SINGLE if ch in s), None)
            j = i + 1
            if kind is None:
                kind = "word"
                while j < n and text[j] not in _BREAK:
                    j += 1
            out.append(Token(kind, text[i:j], i))
            i = j
    return out


_SINGLE = (("open", _OPEN), ("close", _CLOSE), ("lopen", _LIST_OPEN), ("lclose", _LIST_CLOSE),
           ("sep", _LIST_SEP), ("plus", _PLUS))  # fmt: skip


class _Parser:
    def __init__(self, text: str, fields: Fields) -> None:
        self.text = text
        self.fields = fields
        self.toks = tokens(text, fields)
        self.pos = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> Token | None:
        tok = self.peek()
        self.pos += tok is not None
        return tok

    def is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text == word

    def fail(self, tok: Token | None, what: str) -> ConditionSyntaxError:
        if tok is None:
            return ConditionSyntaxError(f"条件在末尾不完整：{what}")
        return ConditionSyntaxError(f"{_where(tok.at)}（“{tok.text}”）：{what}")

    def expr(self) -> dict[str, Any]:
        return self.chain(OR, "any", self.and_expr)

    def and_expr(self) -> dict[str, Any]:
        return self.chain(AND, "all", self.unary)

    def chain(self, word: str, key: str, part: Any) -> dict[str, Any]:
        terms = [part()]
        while self.is_word(word):
            joiner = self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind == "close" or (nxt.kind == "word" and nxt.text in (AND, OR)):
                raise self.fail(joiner, f"“{word}”之后缺少条件")
            terms.append(part())
        return terms[0] if len(terms) == 1 else {key: terms}

    def unary(self) -> dict[str, Any]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(self.peek(), f"括号或“非”嵌套超过 {MAX_NESTING} 层")
        try:
            tok = self.peek()
            if tok is not None and tok.kind == "word" and tok.text == NOT:
                self.take()
                return {"not": self.unary()}
            if tok is not None and tok.kind == "word" and tok.text in GROUPS:
                self.take()
                if (nxt := self.peek()) is None or nxt.kind != "open":
                    raise self.fail(nxt, f"“{tok.text}”之后应为括号中的条件")
                return {GROUPS[tok.text]: [self.unary()]}
            if tok is not None and tok.kind == "open":
                self.take()
                inner = self.expr()
                close = self.take()
                if close is None or close.kind != "close":
                    raise self.fail(close, f"第 {tok.at + 1} 个字符处的括号没有配对的右括号")
                return inner
            return self.leaf()
        finally:
            self.depth -= 1

    def leaf(self) -> dict[str, Any]:
        out = self.left()
        tok = self.take()
        op = tok.value if tok is not None and tok.kind == "op" else None
        if tok is not None and tok.kind == "word" and tok.text in (IN, OLDER):
            op = "in" if tok.text == IN else "older_than_months"
        if op is None:
            raise self.fail(tok, f"应为比较运算符（可用：{_OPS_ALLOWED}）")
        out["op"] = op
        if op == "in":
            out["value"] = self.values()
        elif op == "older_than_months":
            months = self.take()
            if months is None or months.kind != "word" or not months.text.isdigit():
                raise self.fail(months, "“距基准日超过”之后应为整数月数，如“距基准日超过 36 个月”")
            if not self.is_word(MONTHS):
                raise self.fail(self.peek(), "月数之后应写“个月”")
            self.take()
            out["value"] = int(months.text)
        else:
            self.right(out)
        return out

    def left(self) -> dict[str, Any]:
        tok = self.take()
        if tok is not None and tok.kind == "word" and tok.text in ITEM_WORDS:
            ident = self.take()
            if ident is None or not _ITEM_ID.fullmatch(ident.text):
                raise self.fail(ident, "“要点”之后应为检查要点编号，如“要点 3.6.1”")
            return {"item": ident.text}
        names = [self.field(tok)]
        while (nxt := self.peek()) is not None and nxt.kind == "plus":
            self.take()
            names.append(self.field(self.take()))
        return {"field": names[0]} if len(names) == 1 else {"sum_of": names}

    def field(self, tok: Token | None) -> str:
        if tok is not None and tok.kind == "field":
            return tok.value
        if tok is not None and tok.kind == "word" and tok.text in (AND, OR):
            raise self.fail(tok, f"“{tok.text}”之前缺少条件")
        if tok is not None and tok.kind == "word" and tok.text not in _KEYWORDS:
            found = self.fields.resolve(tok.text)
            if found is not None:
                return found
            raise self.fail(tok, f"未知的支部信息字段“{tok.text}”（字段名称须与“支部信息字段”表中的名称一致）")
        raise self.fail(tok, "应为支部信息字段名称或“要点 编号”")

    def right(self, out: dict[str, Any]) -> None:
        tok = self.take()
        if tok is not None and tok.kind == "field":
            out["value_field"] = tok.value
        elif tok is not None and tok.kind in ("word", "quoted"):
            out["value"] = self.scalar(tok)
        else:
            raise self.fail(tok, "比较运算符之后应为数值、文字或支部信息字段名称")

    def scalar(self, tok: Token) -> object:
        if tok.kind == "quoted":
            return tok.value
        if tok.text in _KEYWORDS:
            raise self.fail(tok, "此处应为数值或文字，而不是关键字（作为文字时请加引号）")
        if _NUMBER.fullmatch(tok.text):
            return float(tok.text) if "." in tok.text else int(tok.text)
        return {"true": True, "false": False}.get(tok.text, tok.text)

    def values(self) -> list[object]:
        start = self.take()
        if start is None or start.kind != "lopen":
            raise self.fail(start, "“属于”之后应为方括号中的取值，如“属于 [好、较好]”")
        found: list[object] = []
        while True:
            tok = self.take()
            if tok is None or tok.kind not in ("word", "quoted"):
                raise self.fail(tok, "方括号中应为取值，以“、”分隔")
            found.append(self.scalar(tok))
            end = self.take()
            if end is not None and end.kind == "lclose":
                return found
            if end is None or end.kind != "sep":
                raise self.fail(end, "取值之间用“、”分隔，最后以“]”结束")


def parse(text: str, fields: Fields) -> dict[str, Any]:
    """The condition written in ``text`` as rule-file data (keys in the rule files' order)."""
    if len(text) > MAX_CHARS:
        raise ConditionSyntaxError(f"条件过长（{len(text)} 个字符，最多 {MAX_CHARS} 个）")
    parser = _Parser(text, fields)
    if not parser.toks:
        raise ConditionSyntaxError("条件为空")
    found = parser.expr()
    rest = parser.peek()
    if rest is not None:
        if rest.kind == "close":
            raise parser.fail(rest, "多余的右括号")
        raise parser.fail(rest, "多余的内容：两个条件之间应以“且”或“或”连接")
    return found


# -- writing ----------------------------------------------------------------------------------


def _word_ok(text: str, fields: Fields) -> bool:
    """Whether ``text`` can be written without quotes and read back as the same text."""
    return (
        bool(text)
        and not any(ch in _BREAK for ch in text)
        and text not in _KEYWORDS
        and text not in ("true", "false")
        and not _NUMBER.fullmatch(text)
        and fields.resolve(text) is None
        and fields.match(text, 0) is None
    )


def value_text(value: object, fields: Fields) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # 0.00001, never 1e-05
    text = str(value)
    if _word_ok(text, fields):
        return text
    for open_, close in _QUOTES.items():
        if close not in text:
            return f"{open_}{text}{close}"
    raise ValueError(f"text {text!r} holds both kinds of closing quote")  # pragma: no cover


def write(condition: Condition, fields: Fields) -> str:
    """``condition`` in the readable syntax; :func:`parse` gives back its rule-file data."""
    if isinstance(condition, Not):
        return f"{NOT} {_group(condition.term, fields, always=False)}"
    if isinstance(condition, (AllOf, AnyOf)) and len(condition.terms) == 1:
        word = next(w for w, key in GROUPS.items() if key == ("all" if isinstance(condition, AllOf) else "any"))
        return f"{word} ({write(condition.terms[0], fields)})"
    if isinstance(condition, (AllOf, AnyOf)):
        joiner = f" {AND} " if isinstance(condition, AllOf) else f" {OR} "
        return joiner.join(_group(t, fields, always=True) for t in condition.terms)
    return _leaf(condition, fields)


def _group(condition: Condition, fields: Fields, always: bool) -> str:
    text = write(condition, fields)
    single = isinstance(condition, (AllOf, AnyOf)) and len(condition.terms) == 1  # 全部 (…) is one term
    return text if isinstance(condition, Leaf) or single or (not always and isinstance(condition, Not)) else f"({text})"


def _leaf(leaf: Leaf, fields: Fields) -> str:
    if leaf.item is not None:
        left = f"{ITEM} {leaf.item}"
    else:
        left = " + ".join(fields.ids.get(f, f) for f in ((leaf.field,) if leaf.field else leaf.sum_of))
    if leaf.op == "older_than_months":
        return f"{left} {OLDER} {leaf.value} {MONTHS}"
    if leaf.value_field is not None:
        right = fields.ids.get(leaf.value_field, leaf.value_field)
    elif leaf.op == "in":
        values = leaf.value if isinstance(leaf.value, (list, tuple)) else (leaf.value,)
        right = "[" + "、".join(value_text(v, fields) for v in values) + "]"
    else:
        right = value_text(leaf.value, fields)
    return f"{left} {OP_TEXT[leaf.op]} {right}"


def fields_of(pairs: Mapping[str, str]) -> Fields:
    """Fields from an id → label mapping."""
    return Fields(pairs.items())
