"""Chinese help and usage errors for typer/click, in one place."""

from __future__ import annotations

import re
from typing import Any

import typer
from rich.text import Text
from typer import rich_utils
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

try:  # recent typer vendors click as typer._click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_exceptions  # type: ignore[no-redef, import-not-found, unused-ignore]

__all__ = ["ChineseCommand", "ChineseGroup", "click_exceptions", "new_app", "usage_message"]

HELP_TEXT = "显示本帮助并退出。"

rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
rich_utils.OPTIONS_PANEL_TITLE = "选项"
rich_utils.COMMANDS_PANEL_TITLE = "命令"
rich_utils.ERRORS_PANEL_TITLE = "错误"
rich_utils.DEFAULT_STRING = "[默认：{}]"
rich_utils.REQUIRED_LONG_STRING = "[必填]"
rich_utils.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"


_TYPE_WORDS = {"bool": "", "path": "路径", "int": "整数", "int range": "整数", "text": "文本", "str": "文本",
               "float": "数字", "list[Path]": "路径"}
rich_utils.RANGE_STRING = ""  # "[x>=1]" is said in words in the option's help


def _display_type(original: Any) -> Any:
    def translated(self: Any, ctx: Any) -> str | None:
        shown = original(self, ctx)
        if shown is None or not (shown.startswith("<") and ">" in shown):
            return shown  # type: ignore[no-any-return]
        label, rest = shown[1:].split(">", 1)
        word = _TYPE_WORDS.get(label, label)
        return f"<{word}>{rest}" if word else ""

    return translated


def _folding(original: Any) -> Any:
    """Help texts fold at the width: a Chinese sentence has no spaces to wrap at, and was cut with “…”."""

    def made(**kwargs: Any) -> Any:
        text = original(**kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    return made


rich_utils._make_rich_text = _folding(rich_utils._make_rich_text)
TyperOption.display_type_rich = _display_type(TyperOption.display_type_rich)  # type: ignore[method-assign]
TyperArgument.display_type_rich = _display_type(TyperArgument.display_type_rich)  # type: ignore[method-assign]


class _Chinese:
    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_usage(self, ctx: Any) -> str:
        usage = str(super().get_usage(ctx))  # type: ignore[misc]
        usage = usage.replace("Usage:", "用法：", 1).replace("[OPTIONS]", "[选项]")
        return re.sub(r"\{([^{}]+)\}", r"\1", usage.replace("COMMAND [ARGS]...", "命令 [参数]..."))


class ChineseGroup(_Chinese, TyperGroup):
    pass


class ChineseCommand(_Chinese, TyperCommand):
    pass


def new_app(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=ChineseGroup,
        help=help_text,
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    if getattr(param, "metavar", None):
        return str(param.metavar)
    opts = getattr(param, "opts", None) or []
    if opts and str(opts[0]).startswith("-"):
        return "/".join(str(o) for o in opts)
    return str(getattr(param, "name", "") or "").upper()


def usage_message(exc: Any) -> str:
    """A click usage error in Chinese; click's English text is never shown as such."""
    name = type(exc).__name__
    text = str(getattr(exc, "message", "") or "")
    if name == "NoSuchOption":
        return f"没有这个选项：{exc.option_name}"
    if name == "MissingParameter":
        return f"缺少参数：{_param_name(exc.param)}"
    if name == "BadParameter":
        label = exc.param_hint or _param_name(exc.param)
        low = re.search(r"greater than or equal to (\S+)$", text)
        if low:
            return f"参数 {label} 的值无效，须为不小于 {low.group(1)} 的整数"
        choice = re.search(r"'([^']*)' is not one of (.*?)\.?$", text)
        if choice:
            allowed = "、".join(re.findall(r"'([^']*)'", choice.group(2)))
            return f"参数 {label} 的值“{choice.group(1)}”无效，可选：{allowed}"
        return f"参数 {label} 的值无效"
    if name == "BadOptionUsage":
        return f"选项 {exc.option_name} 用法不对"
    extra = re.match(r"Got unexpected extra argument\S* \((.*)\)", text)
    if extra:
        return f"多余的参数：{extra.group(1)}"
    command = re.match(r"No such command '([^']*)'(?:\.\s*Did you mean '([^']*)'\??)?", text)
    if command:
        hint = f"，是不是要用 {command.group(2)}？" if command.group(2) else ""
        return f"没有这个命令：{command.group(1)}{hint}"
    return "命令用法不对"
