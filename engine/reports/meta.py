"""The report's very hidden ``_meta`` sheet (``branchcheck.report/1``): what a returned 问题清单
workbook is — round, branch, rule set, source — so that ``rectification import`` can identify it."""

from __future__ import annotations

import hashlib

from engine import reportcontract as rc
from engine.book import Book
from engine.history.identity import CODE_ROLE, branch_key
from engine.reports.texts import ResultDict
from engine.rules.model import RuleSet
from engine.textsafe import DEFAULT_LIMIT


def branch_identity(rules: RuleSet, d: ResultDict) -> str | None:
    """The branch's identity across rounds (as recorded in the history store), from the dict form."""
    branch = d.get("branch") or {}
    field = rules.field_with_role(CODE_ROLE)
    code = (branch.get("profile") or {}).get(field.id) if field is not None else None
    return branch_key(None if code is None else str(code), branch.get("parent"), branch.get("name"))


def meta_identity(key: str) -> str:
    """The identity as written in _meta: itself, or for a very long one (a name of hundreds of
    characters) ``sha256:<hex>`` of it, as no report cell holds a user's text whole beyond 200 characters."""
    return (
        key
        if len(key) <= DEFAULT_LIMIT
        else "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    )


def meta_sheet(book: Book, rules: RuleSet, d: ResultDict) -> None:
    """Key in column A, value in column B; the sheet very hidden (only a program shows it).

    ``d`` carries ``identity`` (computed from the whole names, before they were shortened for
    display) and ``round`` when the run recorded or compared a round.
    """
    branch = d.get("branch") or {}
    pairs = (
        (rc.META_FORMAT, rc.REPORT_FORMAT),
        (rc.META_ROUND, d.get("round") or ""),
        (rc.META_BRANCH, meta_identity(str(d.get("identity") or ""))),
        (rc.META_BRANCH_NAME, branch.get("name") or ""),
        (rc.META_PARENT, branch.get("parent") or ""),
        (rc.META_RULE_SET_ID, rules.id),
        (rc.META_RULE_SET_VERSION, rules.version),
        (rc.META_FINGERPRINT, rules.fingerprint),
        (rc.META_REFERENCE_DATE, d.get("reference_date") or ""),
        (rc.META_SOURCE, d.get("source") or ""),
        (rc.META_SHA256, d.get("sha256") or ""),
    )
    sheet = book.sheet(rc.SHEET_REPORT_META, (18, 60))
    for row, (key, value) in enumerate(pairs, start=1):
        sheet.text(row, 1, key)
        sheet.text(row, 2, str(value))
    sheet.ws.very_hidden()
