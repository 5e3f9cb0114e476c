"""Where the history store lives when no ``--history`` is given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "BRANCHCHECK_HISTORY"
FILE_NAME = "history.sqlite3"


def data_folder() -> Path:
    """The user's data folder, as platformdirs would choose it (no dependency for three lines)."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "branchcheck"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "branchcheck"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "branchcheck"


def history_path(given: Path | None = None) -> Path:
    """``--history PATH``, else $BRANCHCHECK_HISTORY, else ``<data folder>/history.sqlite3``."""
    if given is not None:
        return given
    from_env = os.environ.get(ENV_VAR)
    return Path(from_env) if from_env else data_folder() / FILE_NAME


def existing_store(given: Path | None = None) -> Path:
    """The store to read (history and rectification commands): it must exist already — a
    mistyped path must not silently become a new, empty store. Only ``score --round`` creates one."""
    from engine.history.store import StoreError

    path = history_path(given)
    if path.is_dir():
        raise StoreError(f"历史记录库应是一个文件，这是文件夹：{path}（用 --history 指定 .sqlite3 文件）")
    if not path.exists():
        raise StoreError(
            f"历史记录库不存在：{path}。请检查 --history 指定的路径；"
            "历史记录库由 score --round 在第一次记录评估轮次时建立。"
        )
    return path
