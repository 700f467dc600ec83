"""Calendar periods (month, quarter, year) as plain dates: first day, last day, the next one.

A period is named by its kind and its first day, e.g. ("quarter", 2025-04-01) for Q2 2025.
"""

from __future__ import annotations

import datetime as dt

MONTH, QUARTER, YEAR = "month", "quarter", "year"
MONTHS_IN = {MONTH: 1, QUARTER: 3, YEAR: 12}


def _months(kind: str) -> int:
    try:
        return MONTHS_IN[kind]
    except KeyError:
        raise ValueError(f"unknown period kind {kind!r}") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_index(day: dt.date) -> int:
    """Months since year 0: the difference of two indexes is the number of months between."""
    return day.year * 12 + day.month - 1


def period_start(kind: str, day: dt.date) -> dt.date:
    """The first day of the period of `kind` that contains `day`."""
    size = _months(kind)
    first_month = (day.month - 1) // size * size + 1
    return dt.date(day.year, first_month, 1)


def is_period_start(kind: str, day: dt.date) -> bool:
    return period_start(kind, day) == day


def next_start(kind: str, start: dt.date) -> dt.date:
    """The first day of the period after the one starting on `start`."""
    return add_months(start, _months(kind))


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day (inclusive) of the period starting on `start`."""
    return next_start(kind, start) - dt.timedelta(days=1)


def months_of(kind: str, start: dt.date) -> list[dt.date]:
    """The first days of the months of the period."""
    return [add_months(start, i) for i in range(_months(kind))]


def upcoming(kind: str, today: dt.date, count: int) -> list[dt.date]:
    """The current period and the `count - 1` after it, as first days."""
    first = period_start(kind, today)
    return [add_months(first, i * _months(kind)) for i in range(count)]


def period_label(kind: str, start: dt.date) -> str:
    """ "2025" for a year, "Q2 2025" for a quarter, "2025-04" for a month."""
    if kind == YEAR:
        return f"{start.year}"
    if kind == QUARTER:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start.year}-{start.month:02d}"
