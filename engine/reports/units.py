"""Per-unit roll-ups (``score --by-unit``): ``分单位/<上级党组织>-汇总.xlsx``, the sheets of 汇总.xlsx
limited to one unit's branches (its own 未提交, 名册外 and 共性问题), so that each department's
committee gets its own workbook. Links in them point back up to the reports beside 汇总.xlsx."""

from __future__ import annotations

from pathlib import Path

from engine.names import DEFAULT_MAX_BYTES, UniqueNames, inside, safe_file_name
from engine.outnames import UNIT_DIR, UNIT_SUFFIX
from engine.reports.levels import Levels
from engine.reports.rollup import Rollup
from engine.reports.texts import ResultDict
from engine.rules.model import RuleSet

UP = "../"


class UnitRollups:
    """One :class:`Rollup` per unit, fed as the main roll-up is; :meth:`write` saves them all."""

    def __init__(self, rules: RuleSet, levels: Levels) -> None:
        self.rules, self.levels = rules, levels
        self.rollups = {unit: Rollup(rules, levels=levels, unit=unit) for unit in levels.units()}

    def add(self, d: ResultDict, link: str | None) -> None:
        unit = self.levels.unit_of.get(str(d.get("source", "")))
        if unit is not None:
            self.rollups[unit].add(d, UP + link if link else None)

    def write(self, out_dir: Path) -> list[Path]:
        """Write every unit's roll-up into ``out_dir/分单位`` (units in name order); record each
        one's path, relative to 汇总.xlsx, in ``levels.unit_files``."""
        folder = out_dir / UNIT_DIR
        folder.mkdir(exist_ok=True)
        stem_bytes = DEFAULT_MAX_BYTES - len(UNIT_SUFFIX.encode())
        names = UniqueNames(stem_bytes)
        written = []
        for unit in sorted(self.rollups):
            name = names.add(safe_file_name(unit, stem_bytes)) + UNIT_SUFFIX
            written.append(self.rollups[unit].write(inside(folder, name)))
            self.levels.unit_files[unit] = f"{UNIT_DIR}/{name}"
        return written
