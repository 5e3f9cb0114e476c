"""Shared report styles: named cell styles and accents as XlsxWriter format properties, plus
the colour scale and page setup every report uses.

A cell takes a named style (``bc-text``, ``bc-header`` …) and at most one accent: a font
(the 状态 colours, red bold) or a fill (veto rows, band colours) drawn over the style.
:class:`engine.book.Book` makes each combination's format once per workbook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

from engine.book import Book, CellValue
from engine.cells import cell_text
from engine.reports.texts import number
from engine.scoring.model import MET, NOT_APPLICABLE, PARTIAL, UNANSWERED, UNMET

SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
CHANGE_FORMAT = "+0.00;-0.00;0.00"  # a change between rounds, signed
CHANGE_PERCENT_FORMAT = "+0.0%;-0.0%;0.0%"
FONT_NAME = "宋体"

Props = dict[str, Any]


def _font(size: float = 10, *, bold: bool = False, color: str | None = None, underline: bool = False) -> Props:
    """A font: name, size and weight always (an accent's font replaces the style's), colour and underline if set."""
    props: Props = {"font_name": FONT_NAME, "font_size": size, "bold": bold}
    if color is not None:
        props["font_color"] = color
    if underline:
        props["underline"] = 1
    return props


def _fill(rgb: str) -> Props:
    return {"pattern": 1, "bg_color": rgb}


FONT = _font()
FONT_BOLD = _font(bold=True)
FONT_TITLE = _font(14, bold=True)
FONT_HEADING = _font(11, bold=True)
FONT_GREY = _font(color="#7F7F7F")
# Notes print at 10 pt like the body: fit to width may shrink a sheet to 90 %, and printed text stays >= 9 pt.
FONT_NOTE = _font(10, color="#595959")
FONT_BIG = _font(28, bold=True)
FONT_BIG_GREY = _font(20, bold=True, color="#7F7F7F")
FONT_RATING = _font(20, bold=True)
FONT_LINK = _font(color="#0563C1", underline=True)

HEADER_FILL = _fill("#D9E1F2")
SECTION_FILL = _fill("#DDEBF7")
SUBSECTION_FILL = _fill("#F2F2F2")
BLANK_FILL = _fill("#FFF2CC")
GREY_FILL = _fill("#EDEDED")
TOTAL_FILL = _fill("#FFF2CC")

BORDER: Props = {"border": 1, "border_color": "#808080"}
LEFT: Props = {"align": "left", "valign": "vcenter"}
WRAP_CENTER: Props = {"align": "center", "valign": "vcenter", "text_wrap": True}
MIDDLE: Props = {"valign": "vcenter", "text_wrap": True}
CENTER = WRAP_CENTER
TOP: Props = {"valign": "top"}
TOP_WRAP: Props = {"valign": "top", "text_wrap": True}
UNLOCKED: Props = {"locked": False}

# -- Accents: drawn over a cell's style (a font replaces its font, a fill its fill) --
RED_BOLD, ORANGE_BOLD, GREEN_BOLD, GREY = "red-bold", "orange-bold", "green-bold", "grey"
TRIGGERED, UNDETERMINED = "triggered", "undetermined"
# Band colours, best to worst; a rule set's bands take evenly spaced entries.
BAND_COLOURS = ("#63BE7B", "#B7DD8C", "#FFE699", "#F8B26A", "#F8696B")
ACCENTS: dict[str, Props] = {
    RED_BOLD: _font(bold=True, color="#9C0006"),
    ORANGE_BOLD: _font(bold=True, color="#9C5700"),
    GREEN_BOLD: _font(bold=True, color="#006100"),
    GREY: FONT_GREY,
    TRIGGERED: _fill("#FFC7CE"),
    UNDETERMINED: _fill("#FCE4D6"),
    **{f"band-{n}": _fill(colour) for n, colour in enumerate(BAND_COLOURS)},
}
# 状态 column of 评分明细: met green, partial orange, unmet/unanswered red, not applicable grey.
STATUS_ACCENTS: dict[str, str] = {
    MET: GREEN_BOLD,
    PARTIAL: ORANGE_BOLD,
    UNMET: RED_BOLD,
    UNANSWERED: RED_BOLD,
    NOT_APPLICABLE: GREY,
}
# Colour scale of percentages (得分率 / heat map): red at 0, yellow at 60%, green at 100%.
SCALE_LOW, SCALE_MID, SCALE_HIGH = "#F8696B", "#FFEB84", "#63BE7B"


def _band_colour(index: int, count: int) -> int:
    """Which of the band colours band ``index`` (0 = highest) among ``count`` bands takes."""
    if count <= 1:
        return 0
    return round(index * (len(BAND_COLOURS) - 1) / (count - 1))


def band_accent(index: int, count: int) -> str:
    """The fill accent of band ``index`` among ``count`` bands: green … red."""
    return f"band-{_band_colour(index, count)}"


def band_style(index: int, count: int) -> str:
    """The named style of band ``index`` (0 = highest) among ``count`` bands."""
    return f"bc-band-{_band_colour(index, count)}"


def percent_scale() -> dict[str, Any]:
    """The 得分率 colour scale: red at 0, yellow at 60%, green at 100%."""
    return {
        "type": "3_color_scale",
        "min_type": "num", "min_value": 0, "min_color": SCALE_LOW,
        "mid_type": "num", "mid_value": 0.6, "mid_color": SCALE_MID,
        "max_type": "num", "max_value": 1, "max_color": SCALE_HIGH,
    }  # fmt: skip


# -- Named styles: (font, fill, alignment, number format, boxed, locked) --
_Spec = tuple[Props, Props | None, Props, str | None, bool, bool]
_SPECS: dict[str, _Spec] = {
    "bc-title": (FONT_TITLE, None, LEFT, None, False, True),
    "bc-heading": (FONT_HEADING, None, LEFT, None, False, True),
    "bc-note": (FONT_NOTE, None, TOP, None, False, True),
    "bc-note-wrap": (FONT_NOTE, None, TOP_WRAP, None, False, True),
    "bc-header": (FONT_BOLD, HEADER_FILL, WRAP_CENTER, None, True, True),
    "bc-label": (FONT_BOLD, SUBSECTION_FILL, MIDDLE, None, True, True),
    "bc-text": (FONT, None, MIDDLE, None, True, True),
    "bc-center": (FONT, None, WRAP_CENTER, None, True, True),
    "bc-number": (FONT, None, WRAP_CENTER, None, True, True),
    "bc-score": (FONT, None, WRAP_CENTER, SCORE_FORMAT, True, True),
    "bc-percent": (FONT, None, WRAP_CENTER, PERCENT_FORMAT, True, True),
    "bc-date": (FONT, None, WRAP_CENTER, DATE_FORMAT, True, True),
    "bc-change": (FONT, None, WRAP_CENTER, CHANGE_FORMAT, True, True),
    "bc-change-percent": (FONT, None, WRAP_CENTER, CHANGE_PERCENT_FORMAT, True, True),
    "bc-value": (FONT, None, MIDDLE, None, True, True),
    "bc-value-date": (FONT, None, LEFT, DATE_FORMAT, True, True),
    "bc-value-na": (FONT_GREY, GREY_FILL, LEFT, None, True, True),
    "bc-na": (FONT_GREY, GREY_FILL, WRAP_CENTER, None, True, True),
    "bc-section": (FONT_BOLD, SECTION_FILL, LEFT, None, True, True),
    "bc-subsection": (FONT_BOLD, SUBSECTION_FILL, LEFT, None, True, True),
    "bc-total": (FONT_BOLD, TOTAL_FILL, MIDDLE, None, True, True),
    "bc-total-number": (FONT_BOLD, TOTAL_FILL, WRAP_CENTER, None, True, True),
    "bc-total-score": (FONT_BOLD, TOTAL_FILL, WRAP_CENTER, SCORE_FORMAT, True, True),
    "bc-total-percent": (FONT_BOLD, TOTAL_FILL, WRAP_CENTER, PERCENT_FORMAT, True, True),
    "bc-input": (FONT, BLANK_FILL, MIDDLE, None, True, False),
    "bc-input-center": (FONT, BLANK_FILL, WRAP_CENTER, None, True, False),
    "bc-input-date": (FONT, BLANK_FILL, WRAP_CENTER, DATE_FORMAT, True, False),
    "bc-link": (FONT_LINK, None, MIDDLE, None, True, True),
    "bc-big": (FONT_BIG, None, CENTER, SCORE_FORMAT, False, True),
    "bc-big-grey": (FONT_BIG_GREY, None, CENTER, SCORE_FORMAT, False, True),
    "bc-rating": (FONT_RATING, None, CENTER, None, False, True),
}
for _n, _colour in enumerate(BAND_COLOURS):
    _SPECS[f"bc-band-{_n}"] = (FONT_BOLD, _fill(_colour), WRAP_CENTER, None, True, True)


def _props(spec: _Spec) -> Props:
    font, fill, alignment, number_format, boxed, locked = spec
    props: Props = {**font, **alignment}
    if fill is not None:
        props.update(fill)
    if number_format is not None:
        props["num_format"] = number_format
    if boxed:
        props.update(BORDER)
    if not locked:
        props.update(UNLOCKED)
    return props


STYLES: Mapping[str, Props] = {name: _props(spec) for name, spec in _SPECS.items()}


def shown_number(value: Any) -> CellValue:
    """A number of the results dict for a cell: an int or float as it is (the cell gets the
    same number as from ``number(value)``'s Decimal, without making one), else ``number(value)``."""
    if value.__class__ is float or value.__class__ is int:
        return value  # type: ignore[no-any-return]
    return number(value)


def new_book(*, streamed: bool = False) -> Book:
    """A workbook that knows the report styles and accents."""
    return Book(STYLES, ACCENTS, streamed=streamed)


# -- Printing --
PAPER_A4 = 9
FOOTER_MARGIN = 0.3  # inches from the bottom edge: the 10 pt footer fits below the 0.75 in margin
SIDE_MARGIN = 0.4  # inches: a little more room across the page than Excel's 0.7
FOOTER_SIZE = 10
PAGE_NUMBERS = "第 &P 页 / 共 &N 页"


def footer_text(text: str, limit: int = 60) -> str:
    """User text for a header/footer section: made cell-safe, cut short, ``&`` escaped as ``&&``.

    XlsxWriter counts ``&G`` and ``&[Picture]`` (image placeholders) in the whole footer, escaped
    ones too, and drops a footer whose count does not match its images: an ``&`` that would
    start one is written full-width (＆).
    """
    escaped = cell_text(text[:limit]).replace("&", "&&")
    return escaped.replace("&&G", "＆G").replace("&&[Picture]", "＆[Picture]")


def page_setup(ws: Worksheet, *, landscape: bool, title_row: int | None, footer: str, one_page: bool = False) -> None:
    """A4, one page wide, ``title_row`` (1-based) repeated, footer: ``footer`` left and
    ``第 X 页 / 共 Y 页`` right (10 pt, as the body text)."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=0.6, bottom=0.75)
    ws.center_horizontally()
    if title_row is not None:
        ws.repeat_rows(title_row - 1)
    size = f"&{FOOTER_SIZE}"
    ws.set_footer(f"&L{size} {footer_text(footer)}&R{size} {PAGE_NUMBERS}", {"margin": FOOTER_MARGIN})


def print_columns(ws: Worksheet, last_row: int, last_column: int, first_row: int = 1) -> None:
    """Print only rows ``first_row``..``last_row`` of columns A..``last_column`` (1-based): what is
    right of or below them stays on screen and off paper."""
    ws.print_area(first_row - 1, 0, max(last_row, first_row) - 1, last_column - 1)


def column_letter(index: int) -> str:
    """The letter(s) of 1-based column ``index``."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Print planning: A4 in points, the margins of page_setup, XlsxWriter's default row height.
_A4_SHORT, _A4_LONG = 595.0, 842.0
DEFAULT_ROW_HEIGHT = 15.0


def rows_that_fit(
    heights: Sequence[float], widths: Sequence[float], pages: int, *, landscape: bool, repeated: float
) -> int:
    """How many of the rows of ``heights`` (in order, points) print on ``pages`` A4 pages, one page
    wide over columns of ``widths`` (characters), with ``repeated`` points of title rows on every
    page; an estimate of what an office suite does, kept on the safe side (95 % of each page)."""
    across = (_A4_LONG if landscape else _A4_SHORT) - 2 * SIDE_MARGIN * 72
    down = (_A4_SHORT if landscape else _A4_LONG) - (0.6 + 0.75) * 72
    printed = sum(round(w * 7 + 5) for w in widths) * 0.75  # Excel's pixels per character width, in points
    scale = min(1.0, across / printed) if printed else 1.0
    room = down / scale * 0.95 - repeated
    count, used, page = 0, 0.0, 1
    for height in heights:
        if used + height > room:
            page += 1
            used = 0.0
            if page > pages:
                break
        used += height
        count += 1
    return count
