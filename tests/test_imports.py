"""Every engine module can be imported first, in a fresh interpreter state: the answer-type
registry and the stages it builds on import each other without depending on who came first."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import engine

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "engine" or m.startswith("engine.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def test_every_module_imports_first() -> None:
    names = sorted(m.name for m in pkgutil.walk_packages(engine.__path__, "engine.") if ".bundled_rules" not in m.name)
    assert "engine.answers.choice" in names and "engine.scoring.credit" in names
    command = [sys.executable, "-c", _SCRIPT, *names]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
