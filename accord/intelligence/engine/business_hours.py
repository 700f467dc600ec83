"""Business-hours arithmetic: when a clock that only runs during service hours reaches N hours,
and how many service hours lie between two moments.

Service hours are given as working weekdays, a daily start and end time on the wall clock of a
time zone, and a set of holiday dates (days without service). Each working day is one window
[start, end) in local wall time; its length is measured in real (UTC) time, so a window that
crossed a daylight-saving switch would count the hour that really passed. All arithmetic runs on
UTC instants: subtracting two aware datetimes of the same `ZoneInfo` in Python compares wall
clocks, which is wrong by an hour across a switch.

Pure Python, no Django: the holiday lookup (e.g. `holidays.Germany(subdiv="BY")`) is done by the
caller, which passes any container of dates (a set, or an object loading years lazily).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator
from dataclasses import dataclass, field

UTC = dt.UTC
HOUR = 3600
# a schedule must have a working day within this many days, or arithmetic stops with an error
MAX_SEARCH_DAYS = 3700


@dataclass(frozen=True)
class Schedule:
    """When the clock runs: `weekdays` (0 = Monday … 6 = Sunday), from `start` to `end` on the
    wall clock of `zone`, except on the dates in `holidays`."""

    weekdays: frozenset[int]
    start: dt.time
    end: dt.time
    zone: dt.tzinfo
    holidays: Container[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.weekdays or not set(self.weekdays) <= set(range(7)):
            raise ValueError("weekdays must be a non-empty subset of 0..6")
        if self.start >= self.end:
            raise ValueError("start must be before end")

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The day's service window as UTC instants (whether or not it is a working day)."""
        start = dt.datetime.combine(day, self.start, tzinfo=self.zone).astimezone(UTC)
        end = dt.datetime.combine(day, self.end, tzinfo=self.zone).astimezone(UTC)
        return start, end


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(UTC)


def _local_day(schedule: Schedule, moment: dt.datetime) -> dt.date:
    return moment.astimezone(schedule.zone).date()


def windows(schedule: Schedule, since: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The working windows (UTC) from the one holding or following `since` on, clipped to start
    at `since`; ends with ValueError after `MAX_SEARCH_DAYS` days without a working day."""
    since = _utc(since)
    day = _local_day(schedule, since) - dt.timedelta(days=1)
    idle = 0
    while True:
        if schedule.is_working_day(day):
            start, end = schedule.window(day)
            if end > since:
                idle = 0
                yield max(start, since), end
        idle += 1
        if idle > MAX_SEARCH_DAYS:
            raise ValueError("the schedule has no working day ahead")
        day += dt.timedelta(days=1)


def business_seconds(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> float:
    """Seconds of service time in [start, end); negative when `end` is before `start`."""
    a, b = _utc(start), _utc(end)
    if b < a:
        return -business_seconds(schedule, end, start)
    total = 0.0
    day = _local_day(schedule, a) - dt.timedelta(days=1)
    last = _local_day(schedule, b) + dt.timedelta(days=1)
    while day <= last:
        if schedule.is_working_day(day):
            w_start, w_end = schedule.window(day)
            lo, hi = max(w_start, a), min(w_end, b)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return total


def business_hours(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> float:
    """Hours of service time in [start, end) (see `business_seconds`)."""
    return business_seconds(schedule, start, end) / HOUR


def add_business_seconds(schedule: Schedule, start: dt.datetime, seconds: float) -> dt.datetime:
    """The moment the clock started at `start` has run `seconds` of service time (UTC).

    Zero seconds give `start` itself. A clock that runs out exactly at the end of a window stops
    there (17:00 Friday, not 08:00 Monday)."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    moment = _utc(start)
    if seconds == 0:
        return moment
    remaining = float(seconds)
    for w_start, w_end in windows(schedule, moment):
        length = (w_end - w_start).total_seconds()
        if remaining <= length:
            return w_start + dt.timedelta(seconds=remaining)
        remaining -= length
    raise AssertionError("unreachable")  # pragma: no cover - windows() is endless or raises


def add_business_hours(schedule: Schedule, start: dt.datetime, hours: float) -> dt.datetime:
    """`start` plus `hours` of service time (UTC); see `add_business_seconds`."""
    return add_business_seconds(schedule, start, hours * HOUR)


def next_business_moment(schedule: Schedule, moment: dt.datetime) -> dt.datetime:
    """`moment` when it lies in service hours, else the start of the next window (UTC)."""
    return next(windows(schedule, moment))[0]
