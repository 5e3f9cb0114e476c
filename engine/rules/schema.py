"""JSON Schema validation of the rule files, with problems in Chinese."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from engine.rules.problems import Problems
from engine.rules.yamlsource import YamlDoc

_TYPE_WORDS = {
    "string": "文本",
    "number": "数字",
    "integer": "整数",
    "boolean": "true/false",
    "object": "键值映射",
    "array": "列表",
}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files("engine.rules").joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=4)
def _validator(definition: str) -> Draft202012Validator:
    root = dict(schema())
    root["$ref"] = f"#/$defs/{definition}"
    return Draft202012Validator(root)


def validate(doc: YamlDoc, definition: str, problems: Problems) -> bool:
    """Validate ``doc`` against ``#/$defs/<definition>``; add every error. True when valid."""
    errors = sorted(_validator(definition).iter_errors(doc.data), key=lambda e: list(e.absolute_path))
    for error in errors:
        if error.context:
            error = best_match(error.context)
        problems.add(doc, tuple(error.absolute_path), _message(error, _parent(doc.data, error)))
    return not errors


def _parent(data: Any, error: ValidationError) -> Any:
    """The object holding the value the error is about (for a forbidden type parameter: the item)."""
    for key in list(error.absolute_path)[:-1]:
        data = data[key]
    return data


def _message(error: ValidationError, parent: Any) -> str:
    kind = error.validator
    value: Any = error.validator_value
    inst: Any = error.instance
    in_type_rule = "then" in error.absolute_schema_path  # an answer type's parameters (item allOf)
    if kind == "required" and in_type_rule and isinstance(inst, dict):
        missing = [k for k in value if k not in inst]
        return f"类型为 {inst.get('type')} 的检查要点缺少参数" + "、".join(f"“{k}”" for k in missing)
    if kind == "not" and in_type_rule and isinstance(parent, dict):
        return f"类型为 {parent.get('type')} 的检查要点不能有参数“{error.absolute_path[-1]}”"
    if kind == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        return "缺少必填键：" + "、".join(f"“{k}”" for k in missing)
    if kind == "additionalProperties":
        schema_part: Any = error.schema
        allowed = sorted(schema_part.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed) if isinstance(inst, dict) else []
        return (
            "不允许的键：" + "、".join(f"“{k}”" for k in extra) + "（允许的键：" + "、".join(allowed) + "）"
        )
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        words = "或".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        return f"值 {inst!r} 的类型不对，应为{words}"
    if kind == "enum":
        return f"值 {inst!r} 不在允许范围内，允许：" + "、".join(str(v) for v in value)
    if kind == "pattern":
        return f"值 {inst!r} 的格式不对（应符合 {value}）"
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        signs = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}
        return f"值 {inst!r} 超出范围，应 {signs[str(kind)]} {value}"
    if kind == "minItems":
        return f"列表至少需要 {value} 项"
    if kind == "minLength":
        return "不能为空"
    if kind == "oneOf":
        return "条件必须且只能有 field、item、sum_of 之一作为比较对象"
    return f"不符合规则文件格式：{error.message}"
