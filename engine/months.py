"""Calendar-month arithmetic, the one place that knows month lengths."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_spanned(start: date, end: date) -> int:
    """Calendar months from ``start`` to ``end``, a started month counting as whole (≥ 1)."""
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, whole) < end:
        whole += 1
    return max(whole, 1)
