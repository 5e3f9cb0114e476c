"""Finding the input files: every real file once, helper files skipped, nothing silently lost,
and never a file the tool itself wrote read back as an input.

Inside folders only spreadsheets are inputs (:mod:`engine.guards.sniff`); the other files
(evidence: PDF, photos, Word files) are listed in ``others``, never read. Sources are shown
to people relative to the common input root (:meth:`Found.relative`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import MissingInputError
from engine.guards.sniff import is_spreadsheet
from engine.outnames import is_output_name, is_working_dir

# Lock and metadata files that Excel, WPS, LibreOffice and macOS leave beside workbooks.
_HELPER_PREFIXES = ("~$", "._", ".~lock.")
_HELPER_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def is_helper_file(name: str) -> bool:
    return name.startswith(_HELPER_PREFIXES) or name in _HELPER_NAMES


@dataclass
class Found:
    """The inputs (sorted by path), the tool's own outputs met in the folders and left out, the
    other (non-spreadsheet) files met there, and the common root of what was given."""

    files: list[str] = field(default_factory=list)
    skipped_outputs: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    root: str = ""

    def relative(self, source: str) -> str:
        """``source`` as a person reads it: relative to the common input root (as given when outside it)."""
        return relative_to(source, self.root)

    def no_inputs(self, paths: Sequence[str | Path]) -> MissingInputError:
        """The one "no inputs found" error of ``check`` and ``score``."""
        given = "、".join(str(p) for p in paths)
        others = f"（只有 {len(self.others)} 个其他文件，不是自评表，未作为自评表读取）" if self.others else ""
        return MissingInputError(f"没有找到任何输入文件：{given}{others}")


def input_root(paths: Sequence[str | Path]) -> str:
    """The deepest folder holding every given path (a folder itself, a file its folder); "" when
    there is none (different drives)."""
    folders = [os.path.abspath(p) if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in paths]
    try:
        return os.path.commonpath(folders) if folders else ""
    except ValueError:
        return ""


def relative_to(source: str, root: str) -> str:
    """``source`` relative to ``root`` (``办公室/自评表.xlsx``), or as given when not inside it."""
    if not root:
        return source
    try:
        shown = os.path.relpath(os.path.abspath(source), root)
    except ValueError:
        return source
    return source if shown == os.curdir or shown.startswith(os.pardir) else shown


def scan(
    paths: Sequence[str | Path], exclude: Iterable[Path] = (), known_outputs: Iterable[str | Path] = ()
) -> Found:
    """Input files as given or found under the given folders, sorted by path.

    Folders are searched recursively without following directory symlinks;
    each real file is listed once; folders in ``exclude`` (e.g. the output
    folder) and the tool's working folders are never entered. Inside folders,
    files named like the tool's outputs (汇总.xlsx, results.json, …-问题清单.xlsx,
    …) and the files in ``known_outputs`` (a previous manifest's outputs) are
    left out and listed in ``skipped_outputs``, and files that are not
    spreadsheets by name or content are listed in ``others``. A file named
    explicitly is always taken. A path that does not exist raises
    :class:`MissingInputError`.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    ours = {os.path.realpath(p) for p in known_outputs}
    found: dict[str, str] = {}  # real path → path as shown
    skipped: dict[str, str] = {}
    others: dict[str, str] = {}

    def add(shown: str, table: dict[str, str]) -> None:
        real = os.path.realpath(shown)
        if real not in table or shown < table[real]:
            table[real] = shown

    for given in paths:
        text = str(given)
        if os.path.isdir(text):
            for root, dirs, files in os.walk(text, followlinks=False):
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not is_working_dir(d) and os.path.realpath(os.path.join(root, d)) not in excluded
                )
                for name in sorted(files):
                    if is_helper_file(name):
                        continue
                    path = os.path.join(root, name)
                    if is_output_name(name) or os.path.realpath(path) in ours:
                        add(path, skipped)
                    else:
                        add(path, found if is_spreadsheet(path) else others)
        elif os.path.lexists(text):
            add(text, found)
        else:
            raise MissingInputError(f"找不到输入文件或文件夹：{text}")
    for real in found:
        skipped.pop(real, None)  # named explicitly as well: an input after all
        others.pop(real, None)
    return Found(sorted(found.values()), sorted(skipped.values()), sorted(others.values()), input_root(paths))


def discover(paths: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """The input files of :func:`scan`."""
    return scan(paths, exclude).files
