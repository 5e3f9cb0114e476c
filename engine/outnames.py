"""The names of what ``score`` writes into an output folder (a documented contract), and how
to recognise them, so that a folder used for both inputs and outputs never reads its own
outputs back.
"""

from __future__ import annotations

import os

RESULTS_NAME = "results.json"
MANIFEST_NAME = "manifest.json"
LOG_NAME = "branchcheck.log"
ROLLUP_NAME = "汇总.xlsx"
REPORT_SUFFIX = "-问题清单.xlsx"
NOTICE_DIR = "退回"
NOTICE_SUFFIX = "-退回说明.xlsx"
UNIT_DIR = "分单位"  # score --by-unit: one roll-up per 上级党组织
UNIT_SUFFIX = "-汇总.xlsx"

# A previous output that a person changed, or a file of theirs that merely had an
# output's name, is moved aside under one of these prefixes, never overwritten.
EDITED_PREFIX = "已修改-"
FOREIGN_PREFIX = "原有-"

# Working files of a run inside the output folder (hidden; never outputs, never inputs).
STAGING_PREFIX = ".branchcheck-staging-"
LOCK_NAME = ".branchcheck.lock"

FIXED_NAMES = (RESULTS_NAME, MANIFEST_NAME, LOG_NAME, ROLLUP_NAME)


def is_output_name(name: str) -> bool:
    """Whether a file of this name is something ``score`` writes (or set aside), wherever it lies."""
    return (
        name in FIXED_NAMES
        or name.endswith((REPORT_SUFFIX, NOTICE_SUFFIX, UNIT_SUFFIX))
        or name == LOCK_NAME
        or (name.startswith((EDITED_PREFIX, FOREIGN_PREFIX)) and is_output_name(_unprefixed(name)))
    )


def _unprefixed(name: str) -> str:
    for prefix in (EDITED_PREFIX, FOREIGN_PREFIX):
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            # 已修改-2-汇总.xlsx: a number added when the first set-aside name was taken
            head, _, tail = rest.partition("-")
            return tail if head.isdigit() and tail else rest
    return name


def path_stem(relative: str) -> str:
    """A name stem made from an input's path relative to the input root, before sanitising:
    its folders and file name joined by ``-``, without the extension
    (``办公室/自评表.xlsx`` → ``办公室-自评表``), so that folder-per-branch layouts stay apart."""
    parts = [p for p in relative.replace(os.sep, "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        return relative
    last = parts[-1]
    stem = last.rsplit(".", 1)[0] if "." in last.lstrip(".") else last
    return "-".join([*parts[:-1], stem or last])


def is_working_dir(name: str) -> bool:
    return name.startswith(STAGING_PREFIX)
