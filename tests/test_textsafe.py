"""engine.textsafe: user text shortened, made printable and valid UTF-8; the safe consoles."""

from __future__ import annotations

import io
import json
import os

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from engine.cli.console import SafeConsole
from engine.textsafe import escape_surrogates, is_printable, json_text, printable, reveal, shorten

ESC = "\x1b"
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


def test_short_text_is_unchanged_and_long_text_is_cut_with_its_length() -> None:
    assert shorten("支部") == "支部"
    assert shorten("x" * 200) == "x" * 200
    assert shorten("x" * 201) == "x" * 200 + "…（共 201 字）"
    assert shorten("第一党支部" * 1000, 10) == "第一党支部第一党支部…（共 5000 字）"


def test_undecodable_file_name_bytes_become_visible_escapes() -> None:
    name = os.fsdecode(b"\xb5\xb3\xff.xlsx")  # not UTF-8: read with surrogateescape
    shown = escape_surrogates(name)
    assert shown == "\\xb5\\xb3\\xff.xlsx"
    shown.encode("utf-8")  # valid UTF-8
    assert escape_surrogates("\ud800x") == "\\ud800x"
    assert escape_surrogates("支部.xlsx") == "支部.xlsx"


def test_every_control_character_is_shown_as_its_escape() -> None:
    for ch in CONTROLS:
        shown = printable(f"a{ch}b")
        assert ch not in shown and shown.startswith("a\\") and shown.endswith("b"), repr(ch)
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("\x9b31m") == "\\x9b31m"
    assert printable("\u202egnp.exe") == "\\u202egnp.exe"
    assert printable("第一\n第二") == "第一\\x0a第二"
    assert printable("第一\n第二", keep_newlines=True) == "第一\n第二"
    assert printable("第一\r\n第二", keep_newlines=True) == "第一\\x0d\n第二"


def test_printable_shortens_unless_told_not_to() -> None:
    assert printable(ESC * 300) == "\\x1b" * 200 + "…（共 300 字）"
    assert printable("x" * 300, limit=None) == "x" * 300
    assert printable("支部名称", limit=2) == "支部…（共 4 字）"


@given(st.text())
def test_printable_text_has_no_controls_and_is_valid_utf8(text: str) -> None:
    shown = printable(text, limit=None)
    assert is_printable(shown)
    assert not any(ch in shown for ch in CONTROLS)
    shown.encode("utf-8")
    assert printable(shown, limit=None) == shown  # idempotent


def test_invisible_characters_are_revealed() -> None:
    assert reveal("自评表\u200d") == "自评表\\u200d"
    assert reveal("\ufeff编号") == "\\ufeff编号"
    assert reveal("自评表") == "自评表"
    assert reveal("编 号\u3000") == "编 号\\u3000"


@given(st.recursive(st.text() | st.integers(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_text_decodes_to_the_same_values_and_is_valid_utf8(value: object) -> None:
    text = json_text(json.dumps(value, ensure_ascii=False))
    assert json.loads(text) == value
    text.encode("utf-8")
    assert is_printable(text, keep_newlines=True)


def render(console_output: io.StringIO) -> str:
    return console_output.getvalue()


def test_the_safe_console_never_writes_a_control_character_it_was_given() -> None:
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, width=100, force_terminal=True, color_system="standard", highlight=False)
    table = Table()
    table.add_column("文件")
    table.add_column("说明")
    table.add_row(f"a{ESC}]0;title\x07.xlsx", Text(f"red{ESC}[8mhidden", style="red"))
    table.add_row("[bold]x[/bold]", "\x9b2J")
    console.print(table)
    console.print(f"已写出：{ESC}[2J")
    console.print(Text(f"verdict{ESC}c"), markup=False)
    tree = Tree(f"root{ESC}[5m")
    tree.add(Text(f"leaf{ESC}[0m"))
    console.print(tree)
    output = render(buffer)
    # The console's own colours are escape sequences; none of the text's remain.
    user_sequences = ("\x1b]0;", "\x1b[8m", "\x1b[2J", "\x1bc", "\x1b[5m", "\x07", "\x9b")
    assert not any(seq in output for seq in user_sequences), output
    assert "\\x1b]0;title\\x07.xlsx" in output
    assert "\\x9b2J" in output and "已写出：\\x1b[2J" in output and "verdict\\x1bc" in output
    assert "root\\x1b[5m" in output and "leaf\\x1b[0m" in output
    # A Text object in a table is measured by rich before the console sees it: shown, if narrower.
    assert "red\\x1b" in output


def test_the_safe_console_keeps_ordinary_output_byte_for_byte() -> None:
    table = Table()
    table.add_column("文件", overflow="fold")
    table.add_row("[red]未通过[/red]：第一党支部\n第二行")
    outputs = []
    for cls in (Console, SafeConsole):
        buffer = io.StringIO()
        cls(file=buffer, width=40, force_terminal=True, color_system="standard").print(table)
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
