"""The limits every guard checks against: sizes, counts, sheet extent, read chunk."""

from __future__ import annotations

MIB = 1024 * 1024
MAX_SIZE = 20 * MIB
MAX_ENTRIES = 500
MAX_ENTRY_SIZE = 100 * MIB
MAX_TOTAL_SIZE = 200 * MIB
MAX_RATIO = 100
RATIO_FLOOR = 1 * MIB  # parts smaller than this may compress as well as they like
MAX_PROLOG = 64 * 1024
MAX_TAG = 4 * MIB  # one XML tag longer than this is not a spreadsheet's
MAX_ROWS = 5000
MAX_COLUMNS = 200
CHUNK = 64 * 1024
MAX_SHARED_STRINGS = 1_000_000  # calamine reserves room for the declared count up front
