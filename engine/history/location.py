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
