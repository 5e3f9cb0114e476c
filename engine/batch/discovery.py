"""Finding the input files: every real file once, helper files skipped, nothing silently lost,
and never a file the tool itself wrote read back as an input."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import MissingInputError
from engine.outnames import is_output_name, is_working_dir

# Lock and metadata files that Excel, WPS, LibreOffice and macOS leave beside workbooks.
_HELPER_PREFIXES = ("~$", "._", ".~lock.")
_HELPER_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def is_helper_file(name: str) -> bool:
    return name.startswith(_HELPER_PREFIXES) or name in _HELPER_NAMES


@dataclass
class Found:
    """The inputs (sorted by path) and the tool's own outputs met in the folders and left out."""

    files: list[str] = field(default_factory=list)
    skipped_outputs: list[str] = field(default_factory=list)


def scan(
    paths: Sequence[str | Path], exclude: Iterable[Path] = (), known_outputs: Iterable[str | Path] = ()
) -> Found:
    """Input files as given or found under the given folders, sorted by path.

    Folders are searched recursively without following directory symlinks;
    each real file is listed once; folders in ``exclude`` (e.g. the output
    folder) and the tool's working folders are never entered. Inside folders,
    files named like the tool's outputs (汇总.xlsx, results.json, …-问题清单.xlsx,
    …) and the files in ``known_outputs`` (a previous manifest's outputs) are
    left out and listed in ``skipped_outputs``. A file named explicitly is
    always taken. A path that does not exist raises :class:`MissingInputError`.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    ours = {os.path.realpath(p) for p in known_outputs}
    found: dict[str, str] = {}  # real path → path as shown
    skipped: dict[str, str] = {}

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
                    own = is_output_name(name) or os.path.realpath(path) in ours
                    add(path, skipped if own else found)
        elif os.path.lexists(text):
            add(text, found)
        else:
            raise MissingInputError(f"找不到输入文件或文件夹：{text}")
    for real in found:
        skipped.pop(real, None)  # named explicitly as well: an input after all
    return Found(sorted(found.values()), sorted(skipped.values()))


def discover(paths: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """The input files of :func:`scan`."""
    return scan(paths, exclude).files
