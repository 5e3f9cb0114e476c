"""The roster workbook's public contract (``branchcheck.roster/1``): sheet name and column titles.

Documented in the README; other tools may produce these workbooks. Columns are found by title
(the header is the first row among the top ``HEADER_SCAN_ROWS`` holding both required titles), so
they may be moved and other columns added. Change only with a version bump of ``ROSTER_FORMAT``.
"""

ROSTER_FORMAT = "branchcheck.roster/1"

SHEET_ROSTER = "名册"
SHEET_GUIDE = "填写说明"

COL_PARENT = "上级党组织"
COL_NAME = "支部名称"
COL_CODE = "支部编码"
COL_GROUP = "分组"
COL_CONTACT = "联系人"
COL_PHONE = "联系电话"
COL_FORMER = "曾用名"
ROSTER_HEADERS = (COL_PARENT, COL_NAME, COL_CODE, COL_GROUP, COL_CONTACT, COL_PHONE, COL_FORMER)
REQUIRED_HEADERS = (COL_PARENT, COL_NAME)
HEADER_SCAN_ROWS = 10

# 曾用名 holds several former names separated by either semicolon.
FORMER_SEPARATORS = ("；", ";")
