"""The per-branch report's public contract for reading it back (``branchcheck.report/1``).

A 问题清单 workbook goes to the branch, which fills in its rectification and returns it;
``branchcheck rectification import`` reads it back. The very hidden ``_meta`` sheet says what
the report is (column A key, column B value); the 问题清单 sheet's columns are found by title.
Documented in the README; change only with a version bump of ``REPORT_FORMAT``.
"""

from __future__ import annotations

REPORT_FORMAT = "branchcheck.report/1"

SHEET_REPORT_META = "_meta"
SHEET_GAPS = "问题清单"

# _meta keys (column A), in the order written.
META_FORMAT = "format"
META_ROUND = "round"  # the round recorded or compared by the run that wrote the report ("" when none)
META_BRANCH = "branch"  # the branch identity (engine.history.identity.branch_key)
META_BRANCH_NAME = "branch_name"
META_PARENT = "parent_org"
META_RULE_SET_ID = "rule_set_id"
META_RULE_SET_VERSION = "rule_set_version"
META_FINGERPRINT = "fingerprint"
META_REFERENCE_DATE = "reference_date"
META_SOURCE = "source"
META_SHA256 = "source_sha256"

# 问题清单 columns read back (by title; the header is the first of the top rows holding COL_ID and COL_STATE).
COL_ID = "编号"
COL_MEASURE = "整改措施"  # optional: a column the branch may add
COL_OWNER = "整改责任人"
COL_DUE = "整改时限"
COL_STATE = "整改状态"
# Titles also accepted for each column (after folding full-width forms, spaces and case).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    COL_ID: (COL_ID, "检查要点编号"),
    COL_MEASURE: (COL_MEASURE, "整改措施情况", "采取的整改措施"),
    COL_OWNER: (COL_OWNER, "责任人"),
    COL_DUE: (COL_DUE, "时限", "完成时限"),
    COL_STATE: (COL_STATE, "状态", "整改情况"),
}
HEADER_SCAN_ROWS = 10
