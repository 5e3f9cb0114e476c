"""Copy the bundled rule set (rules/) into the wheel as engine/bundled_rules.

Everything else is in pyproject.toml; this hook exists only because setuptools
cannot map a top-level data folder into a package declaratively.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithRules(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "rules"
        target = Path(self.build_lib) / "engine" / "bundled_rules"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithRules})
