"""Package exports imported on first use (PEP 562).

The stage packages re-export their main functions (``from engine.rules import load_rule_set``)
without importing the modules behind them when the package is imported, so that a shared
building block such as :mod:`engine.answers` can use a stage's small modules (the rule model,
cell conversion, credit primitives, validation specs) whichever side is imported first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``names[name]`` (a submodule of ``package``) on demand."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
