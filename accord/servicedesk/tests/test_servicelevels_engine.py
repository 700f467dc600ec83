"""The business-hours engine and the standards figures (pure Python, no database), and the
holiday lookup per German state."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from accord.intelligence.engine import business_hours as bh
from accord.intelligence.engine import service_standards as st
from accord.servicedesk.selectors.servicelevels import StateHolidays, holidays_of

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def office(holidays=frozenset()) -> bh.Schedule:
    """Monday to Friday, 08:00–17:00 Berlin (9 hours a day)."""
    return bh.Schedule(
        weekdays=frozenset(range(5)),
        start=dt.time(8),
        end=dt.time(17),
        zone=BERLIN,
        holidays=holidays,
    )


# --- adding business hours -----------------------------------------------------------------------
def test_add_within_one_day():
    # Tuesday 10:00 + 4 h = 14:00
    assert bh.add_business_hours(office(), berlin(2026, 3, 3, 10), 4) == berlin(2026, 3, 3, 14)


def test_friday_evening_moves_to_monday():
    # Friday 16:00 + 2 h: one hour on Friday, one on Monday from 08:00
    due = bh.add_business_hours(office(), berlin(2026, 3, 6, 16), 2)
    assert due == berlin(2026, 3, 9, 9)
    # opened after hours on Friday: the clock starts Monday 08:00
    assert bh.add_business_hours(office(), berlin(2026, 3, 6, 19, 30), 1) == berlin(2026, 3, 9, 9)
    # opened on Saturday
    assert bh.add_business_hours(office(), berlin(2026, 3, 7, 11), 9) == berlin(2026, 3, 9, 17)


def test_clock_ending_at_close_stays_there():
    assert bh.add_business_hours(office(), berlin(2026, 3, 6, 8), 9) == berlin(2026, 3, 6, 17)


def test_before_opening_starts_at_opening():
    assert bh.add_business_hours(office(), berlin(2026, 3, 3, 6, 15), 0.5) == berlin(
        2026, 3, 3, 8, 30
    )


def test_zero_hours_is_the_start_itself():
    start = berlin(2026, 3, 7, 11)
    assert bh.add_business_hours(office(), start, 0) == start


def test_multi_day_target():
    # Wednesday 15:00 + 40 h: 2 h Wed, 9 Thu, 9 Fri, 9 Mon, 9 Tue = 38 → Wednesday 10:00
    assert bh.add_business_hours(office(), berlin(2026, 3, 4, 15), 40) == berlin(2026, 3, 11, 10)


def test_german_unity_day_is_skipped():
    # 3 Oct 2025 is a Friday; Thursday 16:00 + 3 h → Monday 10:00
    schedule = office(StateHolidays("NW"))
    assert bh.add_business_hours(schedule, berlin(2025, 10, 2, 16), 3) == berlin(2025, 10, 6, 10)


def test_corpus_christi_in_bavaria_but_not_in_berlin():
    # Fronleichnam 4 June 2026 (Thursday): a holiday in Bayern and Nordrhein-Westfalen, not in Berlin
    start = berlin(2026, 6, 3, 16)
    assert bh.add_business_hours(office(StateHolidays("BY")), start, 2) == berlin(2026, 6, 5, 9)
    assert bh.add_business_hours(office(StateHolidays("NW")), start, 2) == berlin(2026, 6, 5, 9)
    assert bh.add_business_hours(office(StateHolidays("BE")), start, 2) == berlin(2026, 6, 4, 9)


def test_dst_switch_in_spring_and_autumn():
    # office hours do not cross the switch: Friday 16:00 before the spring switch + 2 h is
    # Monday 09:00 local time, which is 07:00 UTC (CEST) instead of 08:00 UTC (CET)
    due = bh.add_business_hours(office(), berlin(2026, 3, 27, 16), 2)
    assert due == dt.datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert due.astimezone(BERLIN).hour == 9
    due = bh.add_business_hours(office(), berlin(2026, 10, 23, 16), 2)
    assert due == dt.datetime(2026, 10, 26, 8, tzinfo=UTC)
    # a round-the-clock schedule counts the real hours: the spring Sunday is 23 h long
    always = bh.Schedule(
        weekdays=frozenset(range(7)), start=dt.time(0), end=dt.time(23, 59), zone=BERLIN
    )
    spring = bh.business_hours(always, berlin(2026, 3, 29, 0), berlin(2026, 3, 29, 12))
    assert spring == 11  # 00:00–12:00 local is 11 real hours on the day the clocks jump
    autumn = bh.business_hours(always, berlin(2026, 10, 25, 0), berlin(2026, 10, 25, 12))
    assert autumn == 13
    assert bh.add_business_hours(always, berlin(2026, 3, 29, 1), 2) == berlin(2026, 3, 29, 4)


# --- hours between -------------------------------------------------------------------------------
def test_hours_between_over_a_weekend_and_holiday():
    schedule = office(StateHolidays("BY"))
    # Wednesday 3 June 2026 16:00 → Monday 8 June 10:00: 1 (Wed) + 0 (Fronleichnam) + 9 (Fri) + 2
    assert bh.business_hours(schedule, berlin(2026, 6, 3, 16), berlin(2026, 6, 8, 10)) == 12
    berlin_schedule = office(StateHolidays("BE"))
    assert bh.business_hours(berlin_schedule, berlin(2026, 6, 3, 16), berlin(2026, 6, 8, 10)) == 21


def test_hours_between_is_signed_and_zero_outside_hours():
    a, b = berlin(2026, 3, 3, 10), berlin(2026, 3, 3, 12, 30)
    assert bh.business_hours(office(), a, b) == 2.5
    assert bh.business_hours(office(), b, a) == -2.5
    assert bh.business_hours(office(), berlin(2026, 3, 7, 9), berlin(2026, 3, 8, 18)) == 0


def test_add_and_between_agree():
    schedule = office(StateHolidays("BY"))
    start = berlin(2026, 5, 29, 13, 17)
    for hours in (0.25, 1, 7.5, 9, 13, 40, 100):
        due = bh.add_business_hours(schedule, start, hours)
        assert bh.business_hours(schedule, start, due) == pytest.approx(hours)


def test_next_business_moment():
    assert bh.next_business_moment(office(), berlin(2026, 3, 7, 9)) == berlin(2026, 3, 9, 8)
    assert bh.next_business_moment(office(), berlin(2026, 3, 9, 9)) == berlin(2026, 3, 9, 9)


def test_invalid_schedules_and_naive_times_are_refused():
    with pytest.raises(ValueError):
        bh.Schedule(weekdays=frozenset(), start=dt.time(8), end=dt.time(17), zone=BERLIN)
    with pytest.raises(ValueError):
        bh.Schedule(weekdays=frozenset({0}), start=dt.time(17), end=dt.time(8), zone=BERLIN)
    with pytest.raises(ValueError):
        bh.add_business_hours(office(), dt.datetime(2026, 3, 3, 10), 1)
    with pytest.raises(ValueError):
        bh.add_business_hours(office(), berlin(2026, 3, 3, 10), -1)


def test_holidays_per_state():
    assert dt.date(2026, 6, 4) in holidays_of("BY", 2026)
    assert dt.date(2026, 6, 4) not in holidays_of("BE", 2026)
    assert dt.date(2026, 3, 8) in holidays_of("BE", 2026)  # Frauentag, Berlin only
    assert dt.date(2026, 11, 1) in StateHolidays("NW")
    assert dt.date(2026, 11, 1) not in StateHolidays("")
    assert dt.date(2026, 10, 3) in StateHolidays("")


# --- standards figures ---------------------------------------------------------------------------
def fact(opened, resolved=None, first=None, resolution=None, breached=False, team=1):
    return st.CaseFacts(
        opened_on=opened,
        resolved_on=resolved,
        first_response_hours=first,
        resolution_hours=resolution,
        breached=breached,
        team=team,
    )


def test_standards_figures_by_month_and_group():
    d = dt.date
    facts = [
        fact(d(2026, 1, 5), d(2026, 1, 7), 1, 10),
        fact(d(2026, 1, 20), d(2026, 2, 3), 3, 30, breached=True),
        fact(d(2026, 1, 30), None, 2, None, team=2),
        fact(d(2026, 2, 10), d(2026, 2, 11), 0.5, 4, team=2),
        fact(d(2025, 12, 30), d(2026, 1, 2), 6, 20, breached=True),
    ]
    jan, feb = st.monthly_figures(facts, [d(2026, 1, 1), d(2026, 2, 1)])
    assert (jan.opened, jan.resolved, jan.breached) == (3, 2, 1)
    assert jan.first_response_median == 2 and jan.first_response_mean == 2
    assert jan.resolution_median == 15 and jan.resolution_mean == 15  # 10 and the December 20
    assert jan.breach_rate == 33.3
    assert (feb.opened, feb.resolved, feb.breached) == (1, 2, 0)
    assert feb.resolution_median == 17 and feb.breach_rate == 0
    groups = st.grouped_figures(facts, lambda c: c.team, d(2026, 1, 1), d(2026, 2, 28))
    assert groups[1].opened == 2 and groups[1].resolved == 3 and groups[1].breach_rate == 50
    assert groups[2].opened == 2 and groups[2].resolved == 1
    assert st.window_figures([], d(2026, 1, 1), d(2026, 1, 31)).breach_rate is None
