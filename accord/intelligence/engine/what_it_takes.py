"""What it takes to reach a revenue target: from the gap and the historical rates, how much new
pipeline, how many opportunities and how many meetings are needed, and by when they must start.

    gap                  = target − won − open pipeline counted (weighted or committed)
    pipeline needed      = gap ÷ win rate
    opportunities needed = pipeline needed ÷ average won deal size     (rounded up)
    meetings needed      = opportunities needed × meetings per opportunity (rounded up)
    latest start         = period end − average cycle length

Every rate can be missing (no closed deal in the history, no win, no meeting): the formula that
needs it gives None and a note code says why, instead of dividing by zero. The caller turns the
codes into sentences.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

# note codes
NO_TARGET = "no_target"  # nothing to compare with
COVERED = "covered"  # won + counted pipeline reach the target: nothing more needed
NO_HISTORY = "no_history"  # no closed deal in the history window: no win rate
NO_WINS = "no_wins"  # deals closed, none won: a win rate of zero
NO_DEAL_SIZE = "no_deal_size"
NO_MEETINGS = "no_meetings"  # no meeting recorded: meetings per opportunity unknown
NO_CYCLE = "no_cycle"
START_PASSED = "start_passed"  # a deal started today closes after the period, on average
SHORT_OF_CAPACITY = "short_of_capacity"  # needs more opportunities than were ever created


@dataclass(frozen=True)
class Rates:
    """What the history says: win rate (0–1, by count), average won deal, average cycle in days
    (created → closed, won deals), meetings per opportunity created, opportunities created per
    period. None where the history holds nothing to divide by."""

    win_rate: float | None
    avg_deal: float | None
    cycle_days: float | None
    meetings_per_opportunity: float | None
    opportunities_per_period: float | None
    closed: int = 0
    won: int = 0


def rates_from(
    *,
    closed: int,
    won: int,
    won_amount: float,
    cycle_days_total: float,
    created: int,
    meetings: int,
    periods: float,
) -> Rates:
    """Rates from counts and sums of a history window (`periods`: how many target periods the
    window spans, e.g. 4 for twelve months and quarterly targets)."""
    return Rates(
        win_rate=won / closed if closed > 0 else None,
        avg_deal=won_amount / won if won > 0 and won_amount > 0 else None,
        cycle_days=cycle_days_total / won if won > 0 else None,
        meetings_per_opportunity=meetings / created if created > 0 and meetings > 0 else None,
        opportunities_per_period=created / periods if periods > 0 else None,
        closed=closed,
        won=won,
    )


@dataclass(frozen=True)
class WhatItTakes:
    gap: float | None
    pipeline_needed: float | None
    opportunities_needed: int | None
    meetings_needed: int | None
    latest_start: dt.date | None
    notes: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return COVERED in self.notes

    @property
    def start_passed(self) -> bool:
        return START_PASSED in self.notes

    @property
    def short_of_capacity(self) -> bool:
        return SHORT_OF_CAPACITY in self.notes


def what_it_takes(
    *,
    target: float | None,
    won: float,
    pipeline_counted: float,
    rates: Rates,
    period_end: dt.date,
    today: dt.date,
) -> WhatItTakes:
    """The formulas of the module docstring for one owner, team or scope."""
    notes: list[str] = []
    latest_start = None
    if rates.cycle_days is not None:
        latest_start = period_end - dt.timedelta(days=round(rates.cycle_days))
    if target is None:
        return WhatItTakes(None, None, None, None, latest_start, (NO_TARGET,))
    gap = round(target - won - pipeline_counted, 2)
    if gap <= 0:
        return WhatItTakes(gap, 0.0, 0, 0, latest_start, (COVERED,))

    pipeline_needed = None
    if rates.win_rate is None:
        notes.append(NO_HISTORY)
    elif rates.win_rate <= 0:
        notes.append(NO_WINS)
    else:
        pipeline_needed = round(gap / rates.win_rate, 2)

    opportunities = None
    if pipeline_needed is not None:
        if rates.avg_deal is None or rates.avg_deal <= 0:
            notes.append(NO_DEAL_SIZE)
        else:
            opportunities = math.ceil(round(pipeline_needed / rates.avg_deal, 6))

    meetings = None
    if opportunities is not None:
        if rates.meetings_per_opportunity is None:
            notes.append(NO_MEETINGS)
        else:
            meetings = math.ceil(round(opportunities * rates.meetings_per_opportunity, 6))

    if latest_start is None:
        notes.append(NO_CYCLE)
    elif latest_start < today:
        notes.append(START_PASSED)
    if (
        opportunities is not None
        and rates.opportunities_per_period is not None
        and opportunities > rates.opportunities_per_period
    ):
        notes.append(SHORT_OF_CAPACITY)
    return WhatItTakes(gap, pipeline_needed, opportunities, meetings, latest_start, tuple(notes))
