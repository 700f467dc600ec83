"""Key dates of a contract: current term end, notice deadline, renewal date.

Pure date arithmetic (no Django), used by `accord.contracts.selectors.contracts` and tested on its
own. Months are calendar months: a date keeps its day of month where the target month has it and
is clamped to the month's last day where not (31 Jan + 1 month = 28/29 Feb). A date on the last
day of its month stays on the last day (30 Apr + 1 month = 31 May; 31 Dec − 3 months = 30 Sep),
as contracts "to the end of the month" are written. A renewing contract's term ends are always
counted from its first end date, so clamping never drifts (31 Jan, 28 Feb, 31 Mar …).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DAYS = "days"
WEEKS = "weeks"
MONTHS = "months"


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def is_month_end(day: dt.date) -> bool:
    return day.day == last_day(day.year, day.month)


def shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months (negative: back), month ends kept as month ends."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    end = last_day(year, month)
    if is_month_end(day):
        return dt.date(year, month, end)
    return dt.date(year, month, min(day.day, end))


def subtract_period(day: dt.date, amount: int, unit: str) -> dt.date:
    """`day` minus a period of `amount` days, weeks or months."""
    if unit == DAYS:
        return day - dt.timedelta(days=amount)
    if unit == WEEKS:
        return day - dt.timedelta(weeks=amount)
    if unit == MONTHS:
        return shift_months(day, -amount)
    raise ValueError(f"unknown unit {unit!r}")


def add_period(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == DAYS:
        return day + dt.timedelta(days=amount)
    if unit == WEEKS:
        return day + dt.timedelta(weeks=amount)
    if unit == MONTHS:
        return shift_months(day, amount)
    raise ValueError(f"unknown unit {unit!r}")


def rolled_term_end(end: dt.date, renewal_months: int, today: dt.date) -> dt.date:
    """The first of `end`, `end` + n × `renewal_months` (n = 1, 2, …) that is on or after
    `today`: the end of the term running today."""
    if end >= today or renewal_months <= 0:
        return end
    # jump close to today in one step, then walk the last few terms
    months_behind = (today.year - end.year) * 12 + (today.month - end.month)
    n = max(0, months_behind // renewal_months - 1)
    candidate = shift_months(end, n * renewal_months)
    while candidate < today:
        n += 1
        candidate = shift_months(end, n * renewal_months)
    return candidate


@dataclass(frozen=True)
class KeyDates:
    """`term_end`: end of the term running on `today` (None: open-ended or not yet known);
    `notice_deadline`: the last day notice can be given to end the contract at `term_end`;
    `renewal_date`: the day a renewing contract's next term starts (`term_end` + 1 day);
    `next_term_end`: the end of that next term; `earliest_end`: for an open-ended contract, the
    earliest end if notice were given today; `next_notice_deadline`: for a renewing contract,
    the notice deadline of the next term (what counts once `notice_deadline` has passed)."""

    term_end: dt.date | None = None
    notice_deadline: dt.date | None = None
    renewal_date: dt.date | None = None
    next_term_end: dt.date | None = None
    earliest_end: dt.date | None = None
    renewals_so_far: int = 0
    next_notice_deadline: dt.date | None = None


def key_dates(
    *,
    start: dt.date,
    end: dt.date | None,
    auto_renewal: bool,
    renewal_months: int | None,
    notice_amount: int | None,
    notice_unit: str,
    today: dt.date,
    running: bool = True,
) -> KeyDates:
    """The key dates of a contract on `today`. A contract that no longer runs (terminated,
    expired) has only its end."""
    if not running:
        return KeyDates(term_end=end)
    notice = notice_amount or 0
    if end is None:
        earliest = add_period(max(today, start), notice, notice_unit) if notice else None
        return KeyDates(earliest_end=earliest)
    renews = bool(auto_renewal and renewal_months)
    term_end = rolled_term_end(end, renewal_months or 0, today) if renews else end
    renewals = 0
    if renews:  # shift_months moves the month index exactly: the month difference counts terms
        renewals = ((term_end.year - end.year) * 12 + term_end.month - end.month) // (
            renewal_months or 1
        )
    deadline = subtract_period(term_end, notice, notice_unit) if notice else None
    renewal_date = next_end = next_deadline = None
    if renews:
        renewal_date = term_end + dt.timedelta(days=1)
        next_end = shift_months(end, (renewals + 1) * (renewal_months or 0))
        next_deadline = subtract_period(next_end, notice, notice_unit) if notice else None
    return KeyDates(
        term_end=term_end,
        notice_deadline=deadline,
        renewal_date=renewal_date,
        next_term_end=next_end,
        renewals_so_far=renewals,
        next_notice_deadline=next_deadline,
    )


def whole_months(start: dt.date, end: dt.date) -> int | None:
    """The number of whole months from `start` to `end` inclusive when the span is exactly that
    (1 Jan–31 Mar: 3); None when it is not a whole number of months."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for m in (months - 1, months):
        if m > 0 and shift_months(start, m) - dt.timedelta(days=1) == end:
            return m
    return None
