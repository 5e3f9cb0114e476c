"""The self-assessment workbook's public contract: sheet names, header titles, labels, keys.

Documented in the README; other tools may produce or read these workbooks.
Change only with a version bump of ``TEMPLATE_FORMAT``.
"""

TEMPLATE_FORMAT = "branchcheck.template/1"

# The workbook formats read back (by content; the name only decides what a file claims to be).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Names of spreadsheet files: inside a submission folder these (and any file whose content is a
# spreadsheet) are candidate submissions; every other file there is evidence, listed, not read.
# WPS (.et/.ett), binary Excel (.xlsb) and Numbers files are rejected with "save as .xlsx".
SPREADSHEET_SUFFIXES = (*WORKBOOK_SUFFIXES, ".et", ".ett", ".xlsb", ".numbers")

SHEET_GUIDE = "填表说明"
SHEET_PROFILE = "支部信息"
SHEET_ITEMS = "自评表"
SHEET_META = "_meta"

# 支部信息: header row, then one row per profile field (label in A, value in B).
PROFILE_HEADERS = ("项目", "填写内容", "说明")

# 自评表 header titles, in the template's column order. Readers find columns by
# title (the header is the first row among the top HEADER_SCAN_ROWS holding both
# COL_ID and COL_SELF), so moved or extra columns still work.
COL_ID = "编号"
COL_AREA = "方面"
COL_STANDARD = "标准"
COL_TEXT = "检查要点"
COL_GUIDE = "填写说明"
COL_POINTS = "分值"
COL_SELF = "自评结果"
COL_EVIDENCE = "佐证材料"
COL_NOTE = "备注"
COL_CHECK = "核查结果"
COL_CHECK_NOTE = "核查意见"
ITEM_HEADERS = (
    COL_ID,
    COL_AREA,
    COL_STANDARD,
    COL_TEXT,
    COL_GUIDE,
    COL_POINTS,
    COL_SELF,
    COL_EVIDENCE,
    COL_NOTE,
    COL_CHECK,
    COL_CHECK_NOTE,
)
HEADER_SCAN_ROWS = 10

# Section title of the yes/no veto questions at the end of 自评表.
VETO_SECTION = "否决项"

# _meta sheet: column A key, column B value.
META_FORMAT = "format"
META_RULE_SET_ID = "rule_set_id"
META_RULE_SET_VERSION = "rule_set_version"
META_FINGERPRINT = "fingerprint"

# Earliest date accepted anywhere: the founding of the Party.
EARLIEST_DATE = (1921, 7, 1)
