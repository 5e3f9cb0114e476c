"""Finding the input files: every real file once, helper files skipped, nothing silently lost."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from engine.errors import MissingInputError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Lock and metadata files that Excel, WPS, LibreOffice and macOS leave beside workbooks.
_HELPER_PREFIXES = ("~$", "._", ".~lock.")
_HELPER_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def is_helper_file(name: str) -> bool:
    return name.startswith(_HELPER_PREFIXES) or name in _HELPER_NAMES


def discover(paths: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """Input files as given or found under the given folders, sorted by path.

    Folders are searched recursively without following directory symlinks;
    each real file is listed once; folders in ``exclude`` (e.g. the output
    folder) are never entered. A path that does not exist raises
    :class:`MissingInputError`.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    found: dict[str, str] = {}  # real path → path as shown

    def add(shown: str) -> None:
        real = os.path.realpath(shown)
        if real not in found or shown < found[real]:
            found[real] = shown

    for given in paths:
        text = str(given)
        if os.path.isdir(text):
            for root, dirs, files in os.walk(text, followlinks=False):
                dirs[:] = sorted(d for d in dirs if os.path.realpath(os.path.join(root, d)) not in excluded)
                for name in sorted(files):
                    if not is_helper_file(name):
                        add(os.path.join(root, name))
        elif os.path.lexists(text):
            add(text)
        else:
            raise MissingInputError(f"找不到输入文件或文件夹：{text}")
    return sorted(found.values())
