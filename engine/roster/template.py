"""``branchcheck roster template``: an empty roster (名册) with instructions and validations.

Written with XlsxWriter through :mod:`engine.book` (deterministic bytes, atomic save).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.reports import styles as st
from engine.roster import contract as c

WIDTHS = (26, 30, 18, 14, 10, 16, 30)
INPUT_ROWS = 500  # rows prepared with validations and input prompts
MAX_NAME = 100

HINTS = {
    c.COL_PARENT: "必填。上级党组织全称，与自评表“支部信息”中的写法一致，如“××厅机关党委”。",
    c.COL_NAME: "必填。党支部全称，如“办公室党支部”。同一上级党组织下不能重复。",
    c.COL_CODE: "选填。全国党员管理信息系统中的支部编码；填写后优先按编码对应提交的自评表。",
    c.COL_GROUP: "选填。更高一级或其他分组（如系统、片区），汇总时按分组统计。",
    c.COL_CONTACT: "选填。支部联系人，未提交时据此催交。",
    c.COL_PHONE: "选填。联系人电话。",
    c.COL_FORMER: "选填。支部改名前用过的名称，多个用“；”分隔；按旧名称填报的自评表也能对上。",
}

GUIDE = (
    ("名册填写说明", "bc-title"),
    (f"格式 {c.ROSTER_FORMAT}：在“{c.SHEET_ROSTER}”工作表中每个应参加评估的党支部填一行。", "bc-text"),
    ("评分时加 --roster 名册.xlsx：按支部编码（双方都有时），否则按“上级党组织 + 支部名称”（忽略空格和全角/半角，"
     "曾用名同样有效）把回收的自评表对应到名册中的支部。", "bc-text"),
    ("汇总表会列出名册中未提交的支部（附联系人、联系电话）、不在名册中的提交（附最接近的名册名称），"
     "以及各上级党组织、各分组的提交率和得分统计。", "bc-text"),
    ("按列标题读取：列的顺序可以调整，可以增加其他列；表头须在前 10 行内。", "bc-text"),
    ("名册中同一支部出现两次（支部编码相同，或上级党组织相同且名称/曾用名相同）时不予使用，"
     "会指出是哪两行。", "bc-text"),
    ("branchcheck template --roster 名册.xlsx -o 文件夹：为名册中的每个支部生成一份已预填支部名称、"
     "上级党组织和支部编码的自评表。", "bc-text"),
)  # fmt: skip


def write_roster_template(path: Path, rows: Sequence[Mapping[str, str | None]] = ()) -> Path:
    """Write a roster to ``path``, empty or with ``rows`` (each by column title); byte-identical on rerun."""
    book = st.new_book()
    sheet = book.sheet(c.SHEET_ROSTER, WIDTHS)
    for n, values in enumerate(rows, start=2):
        for column, title in enumerate(c.ROSTER_HEADERS, start=1):
            sheet.put(n, column, values.get(title), "bc-input")
    for column, title in enumerate(c.ROSTER_HEADERS, start=1):
        style = "bc-header"
        sheet.put(1, column, title, style)
        last = max(INPUT_ROWS, len(rows)) + 1
        options = {
            "validate": "length",
            "criteria": "<=",
            "value": MAX_NAME if title != c.COL_FORMER else 500,
            "input_title": title,
            "input_message": HINTS[title][:255],
            "error_title": "内容过长",
            "error_message": f"“{title}”最多 {MAX_NAME if title != c.COL_FORMER else 500} 个字。",
        }
        sheet.ws.data_validation(1, column - 1, last - 1, column - 1, options)
    sheet.freeze("A2")
    sheet.autofilter(f"A1:{st.column_letter(len(c.ROSTER_HEADERS))}1")
    st.page_setup(sheet.ws, landscape=True, title_row=1, footer="党支部名册")
    guide = book.sheet(c.SHEET_GUIDE, (100,))
    for row, (text, style) in enumerate(GUIDE, start=1):
        guide.fit(row, [(text, 100)])
        guide.put(row, 1, text, style)
    for row, title in enumerate(c.ROSTER_HEADERS, start=len(GUIDE) + 2):
        text = f"{title}：{HINTS[title]}"
        guide.fit(row, [(text, 100)])
        guide.put(row, 1, text, "bc-text")
    st.page_setup(guide.ws, landscape=False, title_row=None, footer="名册填写说明")
    return book.save(path)
