"""The roll-up ``汇总.xlsx`` over all submissions, streamed row by row (10,000 branches stay fast and small).

Submissions are added one at a time (:meth:`Rollup.add`) and reduced to a small
row and a few counters, so the full results never have to be held at once.
Sheets: 总表 (:mod:`engine.reports.table`: a ranked row per scored branch, area percentages
as a heat map, a link to each report), 评级分布 (:mod:`engine.reports.bands`: counts per band
with a chart, 上级党组织 × band), 共性问题 (check points by how many branches have them as gaps),
未通过文件 (one row per error of each rejected file) and, when the folders held
files that are not spreadsheets, 其他文件 (:mod:`engine.reports.others`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from engine.book import Book, CellValue, Sheet
from engine.book import link_target as link_target
from engine.reports import styles as st
from engine.reports.notices import INTERNAL_ERROR, internal_only
from engine.reports.others import others_sheet
from engine.reports.rounds import assessment_year
from engine.reports.texts import NONE_TEXT, ResultDict, file_name, number, veto_flag
from engine.rules.model import RuleSet
from engine.scoring.model import SCORED

if TYPE_CHECKING:
    from engine.reports.changes import Changes
    from engine.reports.levels import Levels

SHEET_TABLE = "总表"
SHEET_BANDS = "评级分布"
SHEET_COMMON = "共性问题"
SHEET_REJECTED = "未通过文件"
HEADER_ROW = 3  # every sheet: title, note, then the header

COMMON_HEADERS = ("排名", "编号", "方面", "检查要点", "问题支部数", "适用支部数", "占比", "平均可提升分")
COMMON_WIDTHS = (5, 7, 18, 52, 8, 8, 8, 10)
REJECTED_HEADERS = ("文件", "位置", "说明", "退回说明")
REJECTED_WIDTHS = (30, 14, 62, 28)
COMMON_SHARE = 0.1  # 共性问题 prints the problems of >= 2 branches or >= this share of them
NO_PARENT = "（未填写）"
WHOLE_FILE = "整个文件"
INTERNAL_NOTE = "（这不是填写错误，由检查组处理，不向支部退回）"
INTERNAL_NOTICE = "不发（检查组处理）"


@dataclass(frozen=True)
class BranchRow:
    """What 总表 needs of one scored submission."""

    source: str
    name: str
    parent: str
    score: Decimal
    self_score: Decimal | None
    rating: str
    vetoed: bool
    veto: str
    gaps: int
    percents: tuple[Decimal | None, ...]
    report: str | None = None
    duplicate_of: str | None = None  # source of the original with the same content: listed, not ranked
    year: Any = None  # 评估年度 as filled in
    reference: str = ""  # 评估基准日 used (YYYY-MM-DD)
    variant: str | None = None  # the branch-type variant it was scored by (results' ``variant``)
    repeated: str | None = None  # the duplicate-branch warning: the branch also sent other content


@dataclass(frozen=True)
class RejectedFile:
    source: str
    errors: tuple[tuple[str, str], ...]  # (位置, 说明)
    notice: str | None = None
    internal: bool = False  # only internal errors: no 退回说明, the inspectors handle it


@dataclass
class _Tally:
    gaps: int = 0
    applicable: int = 0
    gains: dict[Any, int] = field(default_factory=dict)  # each gain as the results give it → how often

    @property
    def gain(self) -> Decimal:
        """The sum of the gains (exact: each distinct value made a Decimal once)."""
        return sum(((number(g) or Decimal(0)) * n for g, n in self.gains.items()), Decimal(0))


def rank_branches(rows: Iterable[BranchRow]) -> list[tuple[int, BranchRow]]:
    """Competition ranking (1, 2, 2, 4) by score, vetoed branches last; ties ordered by 上级党组织, name, path."""
    ordered = sorted(rows, key=lambda r: (r.vetoed, -r.score, r.parent, r.name, r.source))
    ranked: list[tuple[int, BranchRow]] = []
    previous: tuple[bool, Decimal] | None = None
    rank = 0
    for n, row in enumerate(ordered, start=1):
        if (row.vetoed, row.score) != previous:
            rank, previous = n, (row.vetoed, row.score)
        ranked.append((rank, row))
    return ranked


class _Cell(NamedTuple):
    value: CellValue
    style: str = "bc-text"
    target: str | None = None  # a link to this file, relative to the roll-up
    accent: str | None = None


class _Sheet:
    """A streamed sheet that knows its row number: each row's height is set before its cells go out."""

    def __init__(self, book: Book, name: str, rules: RuleSet, title: str, note: str, widths: Sequence[float]) -> None:
        self.sheet: Sheet = book.sheet(name, widths)
        self.ws, self.widths, self.row = self.sheet.ws, widths, 0
        st.page_setup(self.ws, landscape=True, title_row=HEADER_ROW, footer=f"{title}　{rules.title}")
        self.title = f"{title}　{rules.title}"
        self.note = note

    def start(self, freeze: str | None = None, printed: int | None = None) -> None:
        """Write the title and note rows (and freeze the panes at ``freeze``); the note wraps
        across the first ``printed`` columns (all by default), the width that is printed."""
        if freeze:
            self.sheet.freeze(freeze)
        self.append([self.cell(self.title, "bc-title")])
        span = len(self.widths) if printed is None else printed
        self.row += 1
        self.sheet.line(self.row, [(self.note, "bc-note-wrap", span)])

    @staticmethod
    def cell(value: CellValue, style: str = "bc-text", accent: str | None = None) -> _Cell:
        return _Cell(value, style, None, accent)

    def append(self, cells: Sequence[_Cell | None], texts: Iterable[tuple[str | None, float]] = ()) -> int:
        self.row += 1
        self.sheet.fit(self.row, texts)
        for column, cell in enumerate(cells, start=1):
            if cell is None:
                continue
            if cell.target is not None:
                self.sheet.link(self.row, column, cell.target, str(cell.value), cell.style)
            else:
                self.sheet.put(self.row, column, cell.value, cell.style, cell.accent)
        return self.row

    def header(self, titles: Sequence[str]) -> int:
        return self.append([self.cell(t, "bc-header") for t in titles], zip(titles, self.widths, strict=False))

    @staticmethod
    def link(text: str, target: str) -> _Cell:
        return _Cell(text, "bc-link", target)


@dataclass
class Rollup:
    """Collects submissions one at a time; :meth:`write` saves ``汇总.xlsx``."""

    rules: RuleSet
    branches: list[BranchRow] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    tallies: dict[str, _Tally] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)  # files beside the inputs that are not spreadsheets
    changes: Changes | None = None  # the comparison with an earlier round, when the run made one
    levels: Levels | None = None  # units, 分组 and the roster (engine.reports.levels)
    unit: str | None = None  # the one unit of a per-unit roll-up

    def add(self, d: ResultDict, link: str | None = None) -> None:
        """Add one submission (dict form); ``link``: its report or notice, relative to the roll-up."""
        if d.get("status") == SCORED:
            self._add_scored(d, link)
            return
        errors = tuple(
            (
                str(x.get("cell") or WHOLE_FILE),
                str(x.get("message") or "") + (INTERNAL_NOTE if x.get("code") == INTERNAL_ERROR else ""),
            )
            for x in d.get("diagnostics", ())
            if x.get("severity") == "error"
        )
        source, internal = str(d.get("source", "")), internal_only(d)
        self.rejected.append(RejectedFile(source, errors or ((WHOLE_FILE, "未通过检查"),), link, internal))

    def _add_scored(self, d: ResultDict, link: str | None) -> None:
        branch = d.get("branch") or {}
        source, copied = str(d.get("source", "")), d.get("duplicate_of")
        duplicate = copied is not None
        percents = {a.get("id"): number(a.get("percent")) for a in d.get("areas", ())}
        self.branches.append(
            BranchRow(
                source=source,
                name=str(branch.get("name") or ""),
                parent=str(branch.get("parent") or ""),
                score=number(d.get("score")) or Decimal(0),
                self_score=number(d.get("self_score")),
                rating=str(d.get("rating") or ""),
                vetoed=bool(d.get("vetoed")),
                veto=veto_flag(d),
                gaps=len(d.get("gaps", ())),
                percents=tuple(percents.get(a.id) for a in self.rules.checklist_areas),
                report=link,
                duplicate_of=str(copied) if duplicate else None,
                year=assessment_year(self.rules, branch.get("profile")),
                reference=str(d.get("reference_date") or ""),
                variant=str(d["variant"]) if d.get("variant") else None,
                repeated=_repeated(d),
            )
        )
        if self.changes is not None:
            self.changes.add(d, counted=not duplicate)
        if duplicate:  # the original is ranked and counted, its copies are not
            return
        tallies = self.tallies
        for item in d.get("items", ()):
            top = item.get("max")
            if top and (top.__class__ is float or top.__class__ is int or number(top)):  # counts toward the maximum
                item_id = str(item["id"])
                tally = tallies.get(item_id)
                if tally is None:
                    tally = tallies[item_id] = _Tally()
                tally.applicable += 1
        for gap in d.get("gaps", ()):
            item_id = str(gap["id"])
            tally = tallies.get(item_id)
            if tally is None:
                tally = tallies[item_id] = _Tally()
            tally.gaps += 1
            gain = gap.get("gain")
            tally.gains[gain] = tally.gains.get(gain, 0) + 1

    @property
    def ranked(self) -> list[BranchRow]:
        """The scored branches that are ranked and counted (later copies of a duplicate left out)."""
        return [row for row in self.branches if row.duplicate_of is None]

    @property
    def duplicates(self) -> list[BranchRow]:
        return [row for row in self.branches if row.duplicate_of is not None]

    def write(self, path: Path) -> Path:
        book = st.new_book(streamed=True)
        from engine.reports.bands import bands_sheet  # these sheet modules build on this one's _Sheet
        from engine.reports.table import table_sheet

        table_sheet(self, book)
        bands_sheet(self, book)
        self._common(book)
        self._rejected(book)
        from engine.reports.groups import level_sheets  # the sheets of engine.reports.levels

        level_sheets(self, book)
        if self.others:
            others_sheet(book, self.rules, self.others)
        if self.changes is not None:
            self.changes.write(book)
        return book.save(path)

    # -- 共性问题 --
    def _common(self, book: Book) -> None:
        rules = self.rules
        found = self._common_found()
        shared = sum(1 for _, t in found if self._is_shared(t))
        note = (
            "按存在该问题的支部数从多到少排列（同数同名次）；适用支部数为该检查要点计入满分的支部数，"
            "占比 = 问题支部数 ÷ 适用支部数；平均可提升分为存在该问题的支部整改后平均可提高的总分。"
            f"打印时只印至少 2 个支部或 {COMMON_SHARE:.0%} 以上的支部存在的问题（{shared} 项），"
            f"完整列表（{len(found)} 项）见本表。"
        )
        sheet = _Sheet(book, SHEET_COMMON, rules, "共性问题", note, COMMON_WIDTHS)
        sheet.start(freeze=f"A{HEADER_ROW + 1}")
        sheet.header(COMMON_HEADERS)
        gains = {item_id: t.gain for item_id, t in found}
        areas = {a.id: a.name for a in rules.areas}
        rank, previous = 0, -1
        for n, (item_id, tally) in enumerate(found, start=1):
            if tally.gaps != previous:
                rank, previous = n, tally.gaps
            item = rules.item(item_id) if rules.has_item(item_id) else None
            text = item.text if item else None
            cells = [
                sheet.cell(rank, "bc-number"),
                sheet.cell(item_id, "bc-center"),
                sheet.cell(areas.get(item.area_id) if item else None),
                sheet.cell(text),
                sheet.cell(tally.gaps, "bc-number"),
                sheet.cell(tally.applicable, "bc-number"),
                sheet.cell(_share(tally.gaps, tally.applicable), "bc-percent"),
                sheet.cell((gains[item_id] / tally.gaps).quantize(Decimal("0.01")), "bc-score"),
            ]
            sheet.append(cells, [(text, COMMON_WIDTHS[3])])
        # The shared problems come first (fewer branches, then a smaller share, sort later).
        st.print_columns(sheet.ws, HEADER_ROW + shared, len(COMMON_HEADERS))
        if not found:
            sheet.append([sheet.cell(NONE_TEXT)])
            return
        share = st.column_letter(COMMON_HEADERS.index("占比") + 1)
        bar = {"type": "data_bar", "min_type": "num", "min_value": 0, "max_type": "num", "max_value": 1,
               "bar_color": "#F8696B"}  # fmt: skip
        sheet.ws.conditional_format(f"{share}{HEADER_ROW + 1}:{share}{sheet.row}", bar)
        sheet.sheet.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(COMMON_HEADERS))}{sheet.row}")

    def _common_found(self) -> list[tuple[str, _Tally]]:
        """The check points some branch has as a gap, in 共性问题's order."""
        order = {item.id: n for n, item in enumerate(self.rules.items)}
        gains = {item_id: t.gain for item_id, t in self.tallies.items() if t.gaps}
        return sorted(
            ((item_id, t) for item_id, t in self.tallies.items() if t.gaps),
            key=lambda p: (-p[1].gaps, -_ratio(p[1]), -gains[p[0]] / p[1].gaps, order.get(p[0], len(order)), p[0]),
        )

    def _is_shared(self, tally: _Tally) -> bool:
        """A problem of at least two branches, or of at least COMMON_SHARE of the branches ranked."""
        return tally.gaps >= 2 or tally.gaps >= COMMON_SHARE * len(self.ranked)

    # -- 未通过文件 --
    def _rejected(self, book: Book) -> None:
        note = f"共 {len(self.rejected)} 个文件未通过检查、未予评分，每个错误一行；退回说明在“退回”文件夹中。"
        sheet = _Sheet(book, SHEET_REJECTED, self.rules, "未通过文件", note, REJECTED_WIDTHS)
        sheet.start(freeze=f"A{HEADER_ROW + 1}")
        sheet.header(REJECTED_HEADERS)
        for rejected in self.rejected:
            for n, (where, message) in enumerate(rejected.errors):
                texts = (rejected.source, where, message)
                notice = rejected.notice if n == 0 else None
                if notice:
                    last = sheet.link(file_name(notice), notice)
                else:
                    last = sheet.cell(INTERNAL_NOTICE if rejected.internal and n == 0 else None)
                cells = [*(sheet.cell(t) for t in texts), last]
                sheet.append(cells, zip(texts, REJECTED_WIDTHS, strict=False))
        if not self.rejected:
            sheet.append([sheet.cell(NONE_TEXT)])
            return
        sheet.sheet.autofilter(f"A{HEADER_ROW}:{st.column_letter(len(REJECTED_HEADERS))}{sheet.row}")


def _share(part: int, whole: int) -> float | None:
    """The exact ratio: the cell's percent format does the rounding (6/11 shows 54.5%)."""
    return part / whole if whole else None


def _ratio(tally: _Tally) -> float:
    return tally.gaps / tally.applicable if tally.applicable else 0.0


def _repeated(d: ResultDict) -> str | None:
    """The message of a result's duplicate-branch warning (for 总表's 备注), if it has one."""
    for x in d.get("diagnostics", ()):
        if x.get("code") == "duplicate-branch":
            return str(x.get("message") or "")
    return None
