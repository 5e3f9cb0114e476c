"""The ``branchcheck`` command: subcommands and the one error handler."""

from __future__ import annotations

import signal
import sys
import traceback
from types import FrameType
from typing import Annotated

import typer

import engine
from engine.cli.chinese import click_exceptions as cx
from engine.cli.chinese import new_app, usage_message
from engine.cli.console import err, out
from engine.errors import BranchcheckError

app = new_app(
    "党支部建设标准化对标自查工具：生成自评表、检查和评分回收的自评表、输出问题清单。\n\n"
    "退出码：0 成功；1 输入文件有问题；2 用法错误、规则集错误或没有输入；3 程序内部错误；"
    "130 被中断（Ctrl-C 或 SIGTERM）。"
)

EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 3


def _show_version(value: bool) -> None:
    if value:
        out.print(f"branchcheck {engine.__version__}", markup=False)
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", help="显示版本号并退出。", callback=_show_version, is_eager=True)
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="内部错误时显示调用栈（供维护人员排查）。")] = False,
) -> None:
    """The options every command shares (``--debug`` is taken out by :func:`main` before parsing)."""


def _register() -> None:
    # Imported here so that each command module stays a plain module of functions.
    from engine.cli import (
        check_cmd,
        demo_cmd,
        history_cmd,
        rectification_cmd,
        roster_cmd,
        rules_cmd,
        score_cmd,
        template_cmd,
        verify_cmd,
    )
    from engine.cli.chinese import ChineseCommand

    # In the order a user meets them: a first look, the secretary's, the inspector's, the maintainer's.
    app.command("demo", cls=ChineseCommand)(demo_cmd.demo)
    app.command("template", cls=ChineseCommand)(template_cmd.template)
    app.command("check", cls=ChineseCommand)(check_cmd.check)
    app.command("score", cls=ChineseCommand)(score_cmd.score)
    app.command("verify", cls=ChineseCommand)(verify_cmd.verify)
    app.add_typer(history_cmd.app, name="history")
    app.add_typer(rectification_cmd.app, name="rectification")
    app.add_typer(roster_cmd.app, name="roster")
    app.add_typer(rules_cmd.app, name="rules")


_register()


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops the job like Ctrl-C: the same clean stop, message and exit code 130."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn every failure into a message and an exit code."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        code = _run(sys.argv[1:] if argv is None else argv)
    finally:
        # The command's own process (argv None) only exits from here on: its outputs are complete
        # or left as they were, so a SIGTERM now has nothing to stop and must not turn a finished
        # run into a killed one. A caller's own handler comes back for a caller that goes on.
        signal.signal(signal.SIGTERM, signal.SIG_IGN if argv is None else previous)
    sys.exit(code)


def _run(args: list[str]) -> int:
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        result = app(args=args, prog_name="branchcheck", standalone_mode=False)
        code: int = result if isinstance(result, int) else 0
        if code == EXIT_INTERRUPTED:  # typer turns a Ctrl-C it catches into exit code 130
            err.print("已中断。")
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err.print("已中断。")
        code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        err.print("已中断。")
        code = EXIT_INTERRUPTED
    except cx.NoArgsIsHelpError as exc:
        err.print(exc.ctx.get_help() if exc.ctx else "", markup=False)
        code = 2
    except cx.UsageError as exc:
        hint = f"\n运行 '{exc.ctx.command_path} --help' 查看帮助。" if exc.ctx else ""
        err.print(f"错误：{usage_message(exc)}{hint}", markup=False, highlight=False)
        code = 2
    except BranchcheckError as exc:
        if debug:
            traceback.print_exc()
        prefix = "" if exc.exit_code == EXIT_INTERRUPTED else "错误："
        err.print(f"{prefix}{exc}", markup=False, highlight=False)
        code = exc.exit_code
    except Exception:
        if debug:
            traceback.print_exc()
        else:
            err.print("内部错误：branchcheck 自身出现故障。请加 --debug 重新运行并把输出提供给维护人员。")
        code = EXIT_INTERNAL
    return code
