"""Key-date arithmetic of contracts (pure Python, no database): month ends, leap years, notice
periods in days, weeks and months, auto-renewal rolling forward."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.intelligence.engine import contract_dates as cd

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 15), 1, D(2025, 2, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # clamped
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 4, 30), 1, D(2025, 5, 31)),  # a month end stays a month end
        (D(2025, 2, 28), 1, D(2025, 3, 31)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2023, 2, 28), 12, D(2024, 2, 29)),
        (D(2025, 12, 31), -3, D(2025, 9, 30)),
        (D(2025, 3, 30), -1, D(2025, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
        (D(2025, 6, 30), 0, D(2025, 6, 30)),
        (D(2025, 1, 29), 13, D(2026, 2, 28)),
    ],
)
def test_shift_months(day, months, expected):
    assert cd.shift_months(day, months) == expected


@pytest.mark.parametrize(
    ("end", "amount", "unit", "expected"),
    [
        (D(2025, 12, 31), 3, "months", D(2025, 9, 30)),
        (D(2025, 12, 31), 6, "months", D(2025, 6, 30)),
        (D(2025, 3, 31), 1, "months", D(2025, 2, 28)),
        (D(2024, 3, 31), 1, "months", D(2024, 2, 29)),
        (D(2025, 6, 15), 2, "months", D(2025, 4, 15)),
        (D(2025, 12, 31), 4, "weeks", D(2025, 12, 3)),
        (D(2025, 3, 1), 30, "days", D(2025, 1, 30)),
        (D(2024, 3, 1), 1, "days", D(2024, 2, 29)),
    ],
)
def test_notice_deadline_subtracts_the_period(end, amount, unit, expected):
    assert cd.subtract_period(end, amount, unit) == expected


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        cd.subtract_period(D(2025, 1, 1), 1, "fortnights")


def test_fixed_term_contract():
    keys = cd.key_dates(
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        auto_renewal=False,
        renewal_months=None,
        notice_amount=3,
        notice_unit="months",
        today=D(2025, 5, 10),
    )
    assert keys.term_end == D(2025, 12, 31)
    assert keys.notice_deadline == D(2025, 9, 30)
    assert keys.renewal_date is None
    assert keys.next_term_end is None
    assert keys.renewals_so_far == 0


def test_fixed_term_contract_keeps_its_end_after_it_passed():
    keys = cd.key_dates(
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),
        auto_renewal=False,
        renewal_months=12,
        notice_amount=1,
        notice_unit="months",
        today=D(2025, 5, 10),
    )
    assert keys.term_end == D(2024, 12, 31)
    assert keys.notice_deadline == D(2024, 11, 30)


@pytest.mark.parametrize(
    ("today", "term_end", "deadline", "renewal", "next_end", "renewals"),
    [
        # before the first end: nothing rolled
        (D(2023, 6, 1), D(2023, 12, 31), D(2023, 9, 30), D(2024, 1, 1), D(2024, 12, 31), 0),
        # on the end day itself: still the first term
        (D(2023, 12, 31), D(2023, 12, 31), D(2023, 9, 30), D(2024, 1, 1), D(2024, 12, 31), 0),
        # the day after: rolled once
        (D(2024, 1, 1), D(2024, 12, 31), D(2024, 9, 30), D(2025, 1, 1), D(2025, 12, 31), 1),
        # three years on
        (D(2026, 11, 29), D(2026, 12, 31), D(2026, 9, 30), D(2027, 1, 1), D(2027, 12, 31), 3),
    ],
)
def test_auto_renewal_rolls_forward_by_the_renewal_term(
    today, term_end, deadline, renewal, next_end, renewals
):
    keys = cd.key_dates(
        start=D(2023, 1, 1),
        end=D(2023, 12, 31),
        auto_renewal=True,
        renewal_months=12,
        notice_amount=3,
        notice_unit="months",
        today=today,
    )
    assert keys.term_end == term_end
    assert keys.notice_deadline == deadline
    assert keys.renewal_date == renewal
    assert keys.next_term_end == next_end
    assert keys.renewals_so_far == renewals


def test_monthly_renewal_from_a_month_end_does_not_drift():
    # 31 Jan renewing monthly: 28 Feb, 31 Mar, 30 Apr, 31 May … (never stuck at the 28th)
    ends = []
    for today in (D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1), D(2025, 5, 1)):
        keys = cd.key_dates(
            start=D(2025, 1, 1),
            end=D(2025, 1, 31),
            auto_renewal=True,
            renewal_months=1,
            notice_amount=2,
            notice_unit="weeks",
            today=today,
        )
        ends.append(keys.term_end)
    assert ends == [D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30), D(2025, 5, 31)]


def test_mid_month_end_rolls_by_calendar_months_and_clamps():
    keys = cd.key_dates(
        start=D(2023, 8, 30),
        end=D(2024, 1, 30),
        auto_renewal=True,
        renewal_months=1,
        notice_amount=10,
        notice_unit="days",
        today=D(2024, 2, 15),
    )
    assert keys.term_end == D(2024, 2, 29)  # clamped in a leap February
    assert keys.notice_deadline == D(2024, 2, 19)
    assert keys.next_term_end == D(2024, 3, 30)  # counted from the first end: back to the 30th
    assert keys.next_notice_deadline == D(2024, 3, 20)


def test_long_rolling_is_exact():
    keys = cd.key_dates(
        start=D(1990, 1, 1),
        end=D(1990, 6, 30),
        auto_renewal=True,
        renewal_months=6,
        notice_amount=1,
        notice_unit="months",
        today=D(2025, 7, 1),
    )
    assert keys.term_end == D(2025, 12, 31)
    assert keys.notice_deadline == D(2025, 11, 30)
    assert keys.renewals_so_far == 71


def test_open_ended_contract_has_an_earliest_end():
    keys = cd.key_dates(
        start=D(2020, 1, 1),
        end=None,
        auto_renewal=False,
        renewal_months=None,
        notice_amount=3,
        notice_unit="months",
        today=D(2025, 11, 30),
    )
    assert keys.term_end is None
    assert keys.notice_deadline is None
    assert keys.earliest_end == D(2026, 2, 28)


def test_contract_no_longer_running_has_only_its_end():
    keys = cd.key_dates(
        start=D(2023, 1, 1),
        end=D(2023, 12, 31),
        auto_renewal=True,
        renewal_months=12,
        notice_amount=3,
        notice_unit="months",
        today=D(2025, 1, 1),
        running=False,
    )
    assert keys.term_end == D(2023, 12, 31)
    assert keys.notice_deadline is None
    assert keys.renewal_date is None


def test_no_notice_period_no_deadline():
    keys = cd.key_dates(
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        auto_renewal=False,
        renewal_months=None,
        notice_amount=None,
        notice_unit="months",
        today=D(2025, 1, 1),
    )
    assert keys.notice_deadline is None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 1, 1), D(2025, 3, 31), 3),
        (D(2025, 1, 15), D(2025, 4, 14), 3),
        (D(2025, 1, 1), D(2025, 12, 31), 12),
        (D(2024, 3, 1), D(2024, 3, 31), 1),
        (D(2025, 1, 1), D(2025, 3, 30), None),
    ],
)
def test_whole_months(start, end, months):
    assert cd.whole_months(start, end) == months
