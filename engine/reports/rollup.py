"""The roll-up ``汇总.xlsx`` over all submissions, streamed row by row (10,000 branches stay fast and small).

Submissions are added one at a time (:meth:`Rollup.add`) and reduced to a small
row and a few counters, so the full results never have to be held at once.
Sheets: 总表 (a ranked row per scored branch, area percentages as a heat map,
a link to each report), 评级分布 (counts per band with a chart, 上级党组织 ×
band), 共性问题 (check points by how many branches have them as gaps),
未通过文件 (one row per error of each rejected file) and, when the folders held
files that are not spreadsheets, 其他文件 (:mod:`engine.reports.others`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from xlsxwriter.chart import Chart

from engine.book import Book, CellValue, Sheet
from engine.book import link_target as link_target
from engine.reports import styles as st
from engine.reports.notices import INTERNAL_ERROR, internal_only
from engine.reports.others import others_sheet
from engine.reports.rounds import assessment_year, mixed_rounds_warning
from engine.reports.texts import NONE_TEXT, ResultDict, file_name, number, rating_legend, veto_flag
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

TABLE_HEADERS = ("排名", "支部名称", "上级党组织", "得分", "自评得分", "评定等级", "否决", "问题数", "评估年度")
TABLE_WIDTHS = (5, 18, 16, 8, 8, 9, 7, 6, 6)
NOTE_HEADER = "备注"
NOTE_WIDTH = 24
DUPLICATE_RANK = "重复"
AREA_WIDTH = 10
LINK_HEADER = "问题清单"
LINK_WIDTH = 60  # a file name on one line (the column is not printed)
COMMON_HEADERS = ("排名", "编号", "方面", "检查要点", "问题支部数", "适用支部数", "占比", "平均可提升分")
COMMON_WIDTHS = (5, 7, 18, 52, 8, 8, 8, 10)
BANDS_FIRST_WIDTH, BANDS_WIDTH = 18, 8  # 评级分布, with its chart beside the table on the printed page
REJECTED_HEADERS = ("文件", "位置", "说明", "退回说明")
REJECTED_WIDTHS = (30, 14, 62, 28)
COMMON_SHARE = 0.1  # 共性问题 prints the problems of >= 2 branches or >= this share of them
NO_PARENT = "（未填写）"
VETOED_LABEL = "其中：触发否决项"
VETOED_COLUMN = "其中否决"
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
        self._table(book)
        self._bands(book)
        self._common(book)
        self._rejected(book)
        from engine.reports.groups import level_sheets  # the sheets of engine.reports.levels

        level_sheets(self, book)
        if self.others:
            others_sheet(book, self.rules, self.others)
        if self.changes is not None:
            self.changes.write(book)
        return book.save(path)

    # -- 总表 --
    def _table(self, book: Book) -> None:
        rules = self.rules
        areas = [a.name for a in rules.checklist_areas]
        extra = self.changes.TABLE_HEADERS if self.changes is not None else ()
        headers = [*TABLE_HEADERS, *areas, *extra, NOTE_HEADER, LINK_HEADER]
        extra_widths = self.changes.TABLE_WIDTHS if self.changes is not None else ()
        widths = [*TABLE_WIDTHS, *[AREA_WIDTH] * len(areas), *extra_widths, NOTE_WIDTH, LINK_WIDTH]
        ranked, duplicates = self.ranked, self.duplicates
        repeated = f"另有 {len(duplicates)} 份重复提交列在最后，不排名、不计入统计；" if duplicates else ""
        note = (
            f"共 {len(ranked)} 个支部评分，{len(self.rejected)} 个文件未通过（见“{SHEET_REJECTED}”）；{repeated}"
            f"规则集 {rules.id} {rules.version}。排名按得分从高到低，触发否决项的支部排在最后（整行红底），同分同名次；"
            f"各方面列为得分率，灰色空白为不适用。{rating_legend(rules)}"
        )
        mixed = mixed_rounds_warning((r.year for r in ranked), (r.reference for r in ranked))
        note += mixed or ""
        if self.changes is not None:
            note += self.changes.table_note()
        # Printed: up to the last area column (and the comparison), and 备注 when some row has one; never the links.
        has_remarks = bool(duplicates) or any(r.variant is not None for r in ranked)
        printed = len(headers) - (1 if has_remarks else 2)
        sheet = _Sheet(book, SHEET_TABLE, rules, "汇总", note, widths)
        from engine.reports.summary_block import summary_block  # the statistics above the table

        sheet.start(printed=printed)
        top = summary_block(sheet, self, len(TABLE_HEADERS) + 1)
        sheet.sheet.freeze(f"D{top + 1}")
        sheet.ws.repeat_rows(top - 1)
        sheet.header(headers)
        bands = [b.name for b in rules.bands]
        rows: list[tuple[int | str, BranchRow]] = [*rank_branches(ranked), *((DUPLICATE_RANK, r) for r in duplicates)]
        for rank, row in rows:
            rating = st.band_style(bands.index(row.rating), len(bands)) if row.rating in bands else "bc-center"
            remarks = [f"与 {row.duplicate_of} 内容相同"] if row.duplicate_of is not None else []
            remarks += [f"按{row.variant}的规则评分"] if row.variant is not None else []
            remark = "；".join(remarks) or None
            veto = st.TRIGGERED if row.vetoed else None  # the whole row but the rating and the heat map
            cells = [
                sheet.cell(rank, "bc-number" if isinstance(rank, int) else "bc-center", veto),
                sheet.cell(row.name, "bc-text", veto),
                sheet.cell(row.parent, "bc-text", veto),
                sheet.cell(row.score, "bc-score", veto),
                sheet.cell(row.self_score, "bc-score", veto),
                sheet.cell(rules.band_display(row.rating), rating),
                sheet.cell(row.veto, "bc-center", st.RED_BOLD if row.vetoed else None),
                sheet.cell(row.gaps, "bc-number", veto),
                sheet.cell(row.year, "bc-center", veto),
                *(sheet.cell(p, "bc-percent") if p is not None else sheet.cell(None, "bc-na") for p in row.percents),
                *(self.changes.table_cells(row.source) if self.changes is not None else ()),
                sheet.cell(remark),
                sheet.link(row.report, row.report) if row.report else sheet.cell(None),
            ]
            texts = [(row.name, widths[1]), (row.parent, widths[2]), (remark, widths[-2]), (row.report, widths[-1])]
            sheet.append(cells, texts)
        last = max(sheet.row, top + 1)
        first_area = len(TABLE_HEADERS) + 1
        if areas and ranked:
            left, right = st.column_letter(first_area), st.column_letter(first_area + len(areas) - 1)
            sheet.ws.conditional_format(f"{left}{top + 1}:{right}{last}", st.percent_scale())
        sheet.sheet.autofilter(f"A{top}:{st.column_letter(len(headers))}{last}")
        st.print_columns(sheet.ws, last, printed)

    # -- 评级分布 --
    def _bands(self, book: Book) -> None:
        rules = self.rules
        bands = [b.name for b in rules.bands]
        ranked = self.ranked
        total = len(ranked)
        counts = dict.fromkeys(bands, 0)
        vetoed = 0
        by_parent: dict[str, dict[str, int]] = {}
        for row in ranked:
            counts[row.rating] = counts.get(row.rating, 0) + 1
            vetoed += row.vetoed
            cell = by_parent.setdefault(row.parent or NO_PARENT, {})
            cell[row.rating] = cell.get(row.rating, 0) + 1
            cell[VETOED_COLUMN] = cell.get(VETOED_COLUMN, 0) + row.vetoed
        effect = (
            "按否决项评定（最低等级或不高于规定等级）"
            if any(v.cap is not None for v in rules.vetoes)
            else f"评定为“{rules.lowest_band.name}”"
        )
        note = f"共 {total} 个支部。触发否决项的支部{effect}，计入该等级，另列“{VETOED_LABEL}”。"
        if len(ranked) < len(self.branches):
            note += "重复提交的文件只计一次。"
        note += rating_legend(rules)
        widths = [BANDS_FIRST_WIDTH, *[BANDS_WIDTH] * (len(bands) + 2)]
        sheet = _Sheet(book, SHEET_BANDS, rules, "评级分布", note, widths)
        sheet.start()
        sheet.header(["评定等级", "支部数", "占比"])
        for n, name in enumerate(bands):
            style = st.band_style(n, len(bands))
            sheet.append([sheet.cell(name, style), sheet.cell(counts[name], "bc-number"),
                          sheet.cell(_share(counts[name], total), "bc-percent")])  # fmt: skip
        sheet.append([sheet.cell(VETOED_LABEL), sheet.cell(vetoed, "bc-number"),
                      sheet.cell(_share(vetoed, total), "bc-percent")])  # fmt: skip
        sheet.append([sheet.cell("合计", "bc-total"), sheet.cell(total, "bc-total-number"),
                      sheet.cell(_share(total, total), "bc-total-percent")])  # fmt: skip
        sheet.append([])
        sheet.append([sheet.cell("各上级党组织的评级分布", "bc-heading")])
        sheet.header(["上级党组织", *bands, VETOED_COLUMN, "合计"])
        for parent in sorted(by_parent):
            cell = by_parent[parent]
            values = [cell.get(name, 0) for name in bands]
            numbers = [*values, cell.get(VETOED_COLUMN, 0), sum(values)]
            sheet.append([sheet.cell(parent), *(sheet.cell(v, "bc-number") for v in numbers)], [(parent, 22)])
        if not by_parent:
            sheet.append([sheet.cell(NONE_TEXT)])
        sheet.ws.insert_chart(f"{st.column_letter(len(bands) + 5)}{HEADER_ROW}", _band_chart(book, len(bands)))

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


_CM_PIXELS = 96 / 2.54


def _band_chart(book: Book, count: int) -> Chart:
    """Columns of the band counts (rows below the header of 评级分布)."""
    chart = book.chart({"type": "column"})
    chart.set_style(2)
    chart.set_title({"name": "各等级支部数"})
    chart.set_legend({"none": True})
    first = HEADER_ROW  # 0-based: the row below the header
    chart.add_series({
        "name": [SHEET_BANDS, HEADER_ROW - 1, 1],
        "categories": [SHEET_BANDS, first, 0, first + count - 1, 0],
        "values": [SHEET_BANDS, first, 1, first + count - 1, 1],
        "fill": {"color": "#5B9BD5"},
        "data_labels": {"value": True},
    })  # fmt: skip
    chart.set_y_axis({"min": 0, "num_format": "0", "major_gridlines": {"visible": False}})
    chart.set_size({"width": round(12.0 * _CM_PIXELS), "height": round(7.5 * _CM_PIXELS)})
    return chart


def _share(part: int, whole: int) -> float | None:
    """The exact ratio: the cell's percent format does the rounding (6/11 shows 54.5%)."""
    return part / whole if whole else None


def _ratio(tally: _Tally) -> float:
    return tally.gaps / tally.applicable if tally.applicable else 0.0
