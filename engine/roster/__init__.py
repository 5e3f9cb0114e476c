"""The roster (名册): the branches expected to submit, read from a workbook, matched to submissions.

- :mod:`~engine.roster.contract`: sheet and column titles (``branchcheck.roster/1``);
- :mod:`~engine.roster.model`: rows and their identities (those of :mod:`engine.history.identity`);
- :mod:`~engine.roster.reader`: the tolerant reader, problems as positioned diagnostics;
- :mod:`~engine.roster.template`: an empty roster with instructions and validations;
- :mod:`~engine.roster.matching`: submissions to rows, and hints for those on no row.
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import BranchcheckError
from engine.roster.model import Roster, RosterRow

MAX_LISTED = 50

__all__ = ["Roster", "RosterError", "RosterRow", "load_roster"]


class RosterError(BranchcheckError):
    """The roster has errors; the message lists each with its cell."""

    exit_code = 2


def load_roster(path: Path | str) -> Roster:
    """The roster at ``path``, or :class:`RosterError` listing every error (warnings stay in the roster)."""
    from engine.roster.reader import read_roster

    target = Path(path)
    if not target.is_file():
        raise RosterError(f"名册文件不存在：{target}")
    roster = read_roster(target)
    if roster.errors:
        shown = roster.errors[:MAX_LISTED]
        lines = "\n".join(f"  - {d.cell or '整个文件'}：{d.message}" for d in shown)
        if len(roster.errors) > len(shown):
            lines += f"\n  - 另有 {len(roster.errors) - len(shown)} 个问题未列出"
        raise RosterError(f"名册 {target} 有 {len(roster.errors)} 个问题，请改正后重新运行：\n{lines}")
    if not roster.rows:
        raise RosterError(f"名册 {target} 中没有任何支部：请在“名册”工作表的表头下每个支部填一行")
    return roster
