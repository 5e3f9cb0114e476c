"""File names from user text: safe on every system, bounded in bytes, unique ignoring case, inside the folder."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as s

from engine.names import EMPTY_NAME, UniqueNames, UnsafePathError, inside, safe_file_name

FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CON", "_CON"),
        ("con", "_con"),
        ("Aux.xlsx", "_Aux.xlsx"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("COM1", "_COM1"),
        ("lpt9.txt", "_lpt9.txt"),
        ("PRN ", "_PRN"),
        ("CONSOLE", "CONSOLE"),
        ("COM10", "COM10"),
        ("一支部CON", "一支部CON"),
    ],
)
def test_windows_reserved_device_names_get_a_prefix(text: str, expected: str) -> None:
    assert safe_file_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../../evil", "___evil"),
        ("a/b\\c", "a_b_c"),
        ('机关<党委>:"一"|支部?*', "机关_党委___一__支部__"),
        ("name...", "name"),
        ("  .hidden. ", "hidden"),
        ("a..b", "a_b"),
        ("第一\n党支部\t", "第一 党支部"),
        ("bell\x07\x00here", "bellhere"),
        ("rtl\u202eexe.xlsx", "rtlexe.xlsx"),
    ],
)
def test_separators_dots_and_control_characters_are_neutralised(text: str, expected: str) -> None:
    assert safe_file_name(text) == expected


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "Cafe\u0301"
    assert safe_file_name(decomposed) == "Café"
    assert unicodedata.is_normalized("NFC", safe_file_name(decomposed))


@pytest.mark.parametrize("text", ["", "   ", "...", None, "\x00\x01"])
def test_empty_names_become_untitled(text: str | None) -> None:
    assert safe_file_name(text) == EMPTY_NAME


@pytest.mark.parametrize("text", ["支" * 300, "a" + "支" * 300, "部" * 49 + "é" * 300, "x" * 300])
def test_300_character_names_are_cut_to_150_bytes_on_a_character_boundary(text: str) -> None:
    name = safe_file_name(text)
    data = name.encode("utf-8")
    assert len(data) <= 150
    assert len(data) > 146  # only the partial last character is dropped
    assert data.decode("utf-8") == name
    assert text.startswith(name)


def assign_unique(names: list[str]) -> list[str]:
    taken = UniqueNames()
    return [taken.add(name) for name in names]


def test_a_smaller_byte_limit_is_respected() -> None:
    assert len(safe_file_name("党" * 100, max_bytes=30).encode()) == 30


def test_uniqueness_ignores_case_and_keeps_the_given_order() -> None:
    assert assign_unique(["Branch", "branch", "BRANCH", "other"]) == ["Branch", "branch-2", "BRANCH-3", "other"]


def test_a_suffix_never_collides_with_a_later_or_earlier_name() -> None:
    assert assign_unique(["a", "a-2", "a", "A-2"]) == ["a", "a-2", "a-3", "A-2-2"]


def test_suffixed_names_stay_within_the_byte_limit() -> None:
    long = safe_file_name("党" * 300)
    names = assign_unique([long] * 12)
    assert len({n.casefold() for n in names}) == 12
    assert all(len(n.encode()) <= 150 for n in names)
    assert names[11].endswith("-12")
    assert names[1].encode().decode() == names[1]


def test_inside_refuses_anything_that_leaves_the_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, "report.xlsx") == tmp_path / "report.xlsx"
    for bad in ("../x.xlsx", "sub/x.xlsx", "/etc/passwd", ".."):
        with pytest.raises(UnsafePathError):
            inside(tmp_path, bad)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_inside_refuses_a_symbolic_link_planted_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "trap.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")
    with pytest.raises(UnsafePathError):
        inside(folder, "trap.xlsx")


@given(s.text(max_size=400))
def test_any_text_gives_a_safe_bounded_stable_name(text: str) -> None:
    name = safe_file_name(text)
    assert name
    assert len(name.encode("utf-8")) <= 150
    assert not FORBIDDEN.search(name)
    assert ".." not in name
    assert name == name.strip(" .")
    assert name.split(".")[0].upper().rstrip() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert safe_file_name(name) == name
