"""Service standards: how many cases were opened and resolved, how fast they were answered and
resolved (in business hours), and how many missed a target — per month, per team, per client.

The rules, so that figures can be checked by hand:

* a case counts as *opened* in the period holding its opening day, and as *resolved* in the
  period holding its resolution day (a case opened in March and resolved in April counts in both);
* first-response times are those of the cases opened in the period that were answered;
* resolution times are those of the cases resolved in the period;
* the breach rate is the share of the cases opened in the period that missed a target (first
  response or resolution), in per cent, one decimal; no case opened: no rate.

Pure Python (the caller reads the facts from the database).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CaseFacts:
    """What the standards need of one case: local opening and resolution days, business hours
    to the first response and to resolution (None: not yet), and whether it missed a target."""

    opened_on: dt.date
    resolved_on: dt.date | None
    first_response_hours: float | None
    resolution_hours: float | None
    breached: bool
    team: Hashable = None
    client: Hashable = None
    priority: Hashable = None


@dataclass(frozen=True)
class Figures:
    opened: int
    resolved: int
    breached: int
    first_response_median: float | None
    first_response_mean: float | None
    resolution_median: float | None
    resolution_mean: float | None

    @property
    def breach_rate(self) -> float | None:
        """Per cent of the opened cases that missed a target, one decimal; None without cases."""
        if not self.opened:
            return None
        return round(100 * self.breached / self.opened, 1)


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def figures(opened: Iterable[CaseFacts], resolved: Iterable[CaseFacts]) -> Figures:
    """The figures of the cases `opened` in a period and those `resolved` in it."""
    opened = list(opened)
    resolved = list(resolved)
    first = [c.first_response_hours for c in opened if c.first_response_hours is not None]
    resolution = [c.resolution_hours for c in resolved if c.resolution_hours is not None]
    return Figures(
        opened=len(opened),
        resolved=len(resolved),
        breached=sum(1 for c in opened if c.breached),
        first_response_median=_median(first),
        first_response_mean=_mean(first),
        resolution_median=_median(resolution),
        resolution_mean=_mean(resolution),
    )


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def window_figures(facts: Iterable[CaseFacts], start: dt.date, end: dt.date) -> Figures:
    """The figures of the days `start`–`end` (both included)."""
    facts = list(facts)
    return figures(
        [c for c in facts if _in(c.opened_on, start, end)],
        [c for c in facts if _in(c.resolved_on, start, end)],
    )


def monthly_figures(facts: Iterable[CaseFacts], months: Sequence[dt.date]) -> list[Figures]:
    """The figures of each month (given by its first day), in order. One pass over the facts:
    each case goes to the month it was opened in and the month it was resolved in."""
    index = {first: i for i, first in enumerate(months)}
    opened: list[list[CaseFacts]] = [[] for _ in months]
    resolved: list[list[CaseFacts]] = [[] for _ in months]
    for case in facts:
        for day, buckets in ((case.opened_on, opened), (case.resolved_on, resolved)):
            if day is not None:
                i = index.get(day.replace(day=1))
                if i is not None:
                    buckets[i].append(case)
    return [figures(o, r) for o, r in zip(opened, resolved, strict=True)]


def grouped_figures(
    facts: Iterable[CaseFacts],
    key: Callable[[CaseFacts], Hashable],
    start: dt.date,
    end: dt.date,
) -> dict[Hashable, Figures]:
    """The figures of the window per group (e.g. per team), groups with a case in the window."""
    groups: dict[Hashable, list[CaseFacts]] = {}
    for case in facts:
        if _in(case.opened_on, start, end) or _in(case.resolved_on, start, end):
            groups.setdefault(key(case), []).append(case)
    return {k: window_figures(v, start, end) for k, v in groups.items()}
