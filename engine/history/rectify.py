"""``rectification import``: store what the branches declared in their returned 问题清单.

Each file is identified by its _meta (round, branch, rule set) and checked against the round
in the store; its rows are kept where the check point was a gap of that branch in that round.
A file's declarations replace what was imported for that branch and round before (one
transaction per file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine import guards
from engine import reportcontract as rc
from engine.diagnostics import Diagnostic, make
from engine.history import declared as dec
from engine.history.record import GAP_CODES
from engine.history.returned import SHEET, Returned, read_returned
from engine.history.store import Store, StoreError
from engine.reports.meta import meta_identity


@dataclass
class Imported:
    """One file's outcome: the branch it belongs to, how many rows were stored, the problems."""

    source: str
    branch: str | None = None
    count: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


@dataclass(frozen=True)
class _Round:
    name: str
    rule_set: str
    fingerprint: str
    items: frozenset[str]
    gaps: dict[str, frozenset[str]]  # branch identity (as in _meta) → its gaps
    keys: dict[str, str]  # identity as in _meta → identity in the store
    names: dict[str, str]  # identity in the store → 支部名称


def _round(store: Store, name: str) -> _Round:
    db = store.conn
    row = db.execute("SELECT id, rule_set_id, rule_set_version, fingerprint FROM rounds WHERE name = ?", (name,))
    found = row.fetchone()
    if found is None:
        known = "、".join(r[0] for r in db.execute("SELECT name FROM rounds ORDER BY name")) or "无"
        raise StoreError(f"历史记录库中没有名为“{name}”的评估轮次（已有：{known}）")
    round_id, rule_set_id, version, fingerprint = found
    items = frozenset(r[0] for r in db.execute("SELECT item_id FROM round_items WHERE round_id = ?", (round_id,)))
    gaps: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for branch, branch_name in db.execute(
        "SELECT branch, name FROM submissions WHERE round_id = ? AND status = 'scored' AND branch IS NOT NULL",
        (round_id,),
    ):
        gaps.setdefault(branch, set())
        names[branch] = branch_name or ""
    rows = db.execute(
        f"SELECT s.branch, r.item_id FROM results r JOIN submissions s ON s.id = r.submission_id WHERE s.round_id = ?"
        f" AND s.branch IS NOT NULL AND r.max > 0 AND r.status IN ({', '.join('?' * len(GAP_CODES))})",
        (round_id, *GAP_CODES),
    )
    for branch, item in rows:
        gaps.setdefault(branch, set()).add(item)
    keys = {meta_identity(k): k for k in gaps}
    frozen = {k: frozenset(v) for k, v in gaps.items()}
    return _Round(name, f"{rule_set_id} {version}", fingerprint, items, frozen, keys, names)


def import_reports(
    store: Store, round_name: str, files: Sequence[str], max_size: int = guards.MAX_SIZE
) -> list[Imported]:
    """Read each returned report and store its declarations for round ``round_name``."""
    target = _round(store, round_name)
    return [_import_one(store, target, read_returned(path, max_size)) for path in files]


def _import_one(store: Store, target: _Round, returned: Returned) -> Imported:
    outcome = Imported(returned.source, diagnostics=list(returned.diagnostics))
    if any(d.code in ("report-unrecognised", "file-unreadable") or d.sheet is None for d in returned.diagnostics):
        return outcome
    meta = returned.meta
    branch = target.keys.get(meta.get(rc.META_BRANCH, ""))
    outcome.branch = target.names.get(branch or "") or meta.get(rc.META_BRANCH_NAME) or None
    problem = _identified(target, meta, branch)
    if problem is not None:
        outcome.diagnostics.insert(0, problem)
        return outcome
    assert branch is not None
    rows = []
    for row in returned.rows:
        if row.item not in target.items:
            continue  # a veto row (否决项), not a check point
        if row.item not in target.gaps[branch]:
            outcome.diagnostics.append(make("rectify-item-unknown", sheet=SHEET, row=row.row, column=rc.COL_ID,
                                            value=row.item, found=row.item, expected=target.name))  # fmt: skip
            continue
        rows.append((row.item, row.declared))
    outcome.count = dec.save(store, target.name, branch, rows, returned.source)
    return outcome


def _identified(target: _Round, meta: dict[str, str], branch: str | None) -> Diagnostic | None:
    """Why the report cannot be taken for a report of ``target`` (None when it can)."""
    where = rc.SHEET_REPORT_META
    named = meta.get(rc.META_ROUND, "")
    if named and named != target.name:
        return make("report-other-round", sheet=where, value=named, found=named, expected=target.name)
    if meta.get(rc.META_FINGERPRINT) != target.fingerprint:
        made = f"{meta.get(rc.META_RULE_SET_ID, '')} {meta.get(rc.META_RULE_SET_VERSION, '')}".strip() or "（未知）"
        return make("report-other-rules", sheet=where, value=meta.get(rc.META_FINGERPRINT), found=made,
                    expected=target.name, wanted=target.rule_set)  # fmt: skip
    if branch is None:
        name = meta.get(rc.META_BRANCH_NAME) or meta.get(rc.META_BRANCH) or "（未知）"
        key = meta.get(rc.META_BRANCH)
        return make("report-branch-unknown", sheet=where, value=key, name=name, expected=target.name)
    return None


def report_files(paths: Sequence[str | Path]) -> list[str]:
    """The files named, and the workbooks under the folders named, sorted: reports by their names
    (…-问题清单.xlsx) and any other workbook, but not the tool's other outputs (汇总, 退回说明)."""
    from engine.batch.discovery import scan
    from engine.outnames import REPORT_SUFFIX

    found = scan(paths)
    extra = [p for p in found.skipped_outputs if p.endswith(REPORT_SUFFIX)]
    return sorted(set(found.files) | set(extra))
