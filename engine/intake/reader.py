"""Read one returned workbook into a :class:`~engine.submission.Submission`.

The format is chosen from the file's content, never its name; each sheet is
read once with calamine. Every problem becomes a diagnostic; nothing is raised
for a bad file, and the input file is only ever read.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from engine import guards
from engine.contract import SHEET_ITEMS, SHEET_META, SHEET_PROFILE
from engine.diagnostics import Diagnostic, make
from engine.intake.branchtype import branch_type_diagnostics
from engine.intake.cells import Grid, grid, typed_numbers
from engine.intake.items import read_items
from engine.intake.meta import check_meta, made_for_other_rules
from engine.intake.normalise import match_title
from engine.intake.profile import read_profile
from engine.roster.contract import SHEET_ROSTER
from engine.rules.model import RuleSet
from engine.rules.tailor import select
from engine.submission import Submission, Value
from engine.textsafe import quoted_list, reveal

MAX_DIAGNOSTICS = 200

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

CORRUPT = "文件已损坏"
PASSWORD = "文件已加密，请去除密码后重新提交"


@dataclass
class _Book:
    """The sheets the reader needs (by the template's names; those present), every sheet name in
    the file, and the names found where they differ from the template's (see match_title)."""

    sheets: dict[str, Grid]
    names: list[str]
    variants: dict[str, str] = field(default_factory=dict)


def _chosen(names: Iterable[str]) -> list[tuple[str, str]]:
    """(template's sheet name, the name in the file) for each sheet the reader needs and finds."""
    present = list(names)
    found = ((expected, match_title(expected, present)) for expected in (SHEET_PROFILE, SHEET_ITEMS, SHEET_META))
    return [(expected, name) for expected, name in found if name is not None]


def sheets_to_load(names: Iterable[str]) -> list[str]:
    """Of a workbook's sheet names, those the reader loads (nothing else is ever parsed in an xlsx).

    engine.guards guards exactly the sheets for which ``engine.guards.xlsxparts.may_be_read`` holds:
    keep that a superset of this choice (tests/test_guards.py checks it).
    """
    return [name for _, name in _chosen(names)]


def _sheets(data: bytes) -> _Book:
    """The three sheets the reader needs (those present), each read once; no other sheet is loaded."""
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        names = list(book.sheet_names)
        found = _Book({}, names)
        for expected, name in _chosen(names):
            times: list[tuple[int, int]] = []
            table = grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False), times)
            if times:
                typed_numbers(data, name, table, times)
            found.sheets[expected] = table
            if name != expected:
                found.variants[expected] = name
        return found


def _open(data: bytes) -> _Book | str:
    """The sheets, or the reason the file cannot be read (the guards already know it is a workbook)."""
    try:
        return _sheets(data)
    except PasswordError:
        return PASSWORD
    except CalamineError:
        return CORRUPT
    except Exception:  # calamine also raises plain errors on malformed content
        return CORRUPT
    except BaseException as exc:  # a Rust panic in calamine (pyo3 PanicException)
        if type(exc).__name__ == "PanicException":
            return CORRUPT
        raise


def cap(diagnostics: list[Diagnostic], limit: int = MAX_DIAGNOSTICS) -> list[Diagnostic]:
    """At most ``limit`` diagnostics, in their order, plus one warning counting the rest.

    Errors are kept before warnings so that the file's verdict never changes.
    """
    if len(diagnostics) <= limit:
        return diagnostics
    ranked = sorted(range(len(diagnostics)), key=lambda n: (not diagnostics[n].is_error, n))
    kept = sorted(ranked[:limit])
    omitted = len(diagnostics) - limit
    return [diagnostics[n] for n in kept] + [make("too-many-diagnostics", shown=limit, omitted=omitted)]


def read_submission(path: Path | str, rules: RuleSet, max_size: int = guards.MAX_SIZE) -> Submission:
    """Read the workbook at ``path`` against ``rules``; problems are in ``diagnostics``.

    The guards run first: a hostile or broken file never reaches the parser.
    """
    source = str(path)
    data = guards.load(Path(path), max_size)  # read once; the guards decided it is an xlsx/xls/ods
    if not isinstance(data, bytes):
        return Submission(source, guards.digest(source, max_size), diagnostics=(data,))
    digest = hashlib.sha256(data).hexdigest()
    opened = _open(data)
    if isinstance(opened, str):
        return Submission(source, digest, diagnostics=(make("file-unreadable", reason=opened),))
    return _submission(source, digest, opened, rules)


def _submission(source: str, digest: str, book: _Book, rules: RuleSet) -> Submission:
    sheets = book.sheets
    if SHEET_PROFILE not in sheets and SHEET_ITEMS not in sheets and match_title(SHEET_ROSTER, book.names):
        return Submission(source=source, sha256=digest, diagnostics=(make("roster-file"),))  # not a submission
    found: list[Diagnostic] = [
        make("name-variant", sheet=expected, value=name, what="工作表", found=reveal(name), expected=expected)
        for expected, name in book.variants.items()
    ]
    found.extend(check_meta(sheets.get(SHEET_META), rules))
    if made_for_other_rules(found):  # its sheets follow other rules: their errors would bury this one
        return Submission(source=source, sha256=digest, diagnostics=tuple(found))
    present = quoted_list([n for n in book.names if n != SHEET_META]) or "无"
    profile_table = sheets.get(SHEET_PROFILE)
    if profile_table is None:
        found.append(make("sheet-missing", sheet=SHEET_PROFILE, sheet_name=SHEET_PROFILE, present=present))
        profile: dict[str, Value] = {f.id: None for f in rules.profile}
        reference = None
    else:
        read = read_profile(profile_table, rules)
        found.extend(read.diagnostics)
        found.extend(branch_type_diagnostics(rules, read))
        profile, reference = read.values, read.reference
    items_table = sheets.get(SHEET_ITEMS)
    if items_table is None:
        found.append(make("sheet-missing", sheet=SHEET_ITEMS, sheet_name=SHEET_ITEMS, present=present))
    # 自评表 is read against the rules of the branch type claimed in 支部信息 (engine.rules.tailor).
    items = read_items(items_table, select(rules, profile), profile, reference)
    found.extend(items.diagnostics)
    return Submission(
        source=source,
        sha256=digest,
        profile=profile,
        items=items.items,
        vetoes=items.vetoes,
        diagnostics=tuple(cap(found)),
    )
