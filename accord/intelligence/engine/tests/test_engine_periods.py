import datetime as dt

import pytest

from accord.intelligence.engine import periods as p


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("month", dt.date(2024, 2, 17), dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("quarter", dt.date(2025, 5, 3), dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("quarter", dt.date(2025, 12, 31), dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("year", dt.date(2025, 7, 1), dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_period_bounds(kind, day, start, end):
    assert p.period_start(kind, day) == start
    assert p.period_end(kind, start) == end
    assert p.is_period_start(kind, start) and (day == start or not p.is_period_start(kind, day))


def test_months_and_upcoming():
    assert p.months_of("quarter", dt.date(2025, 10, 1)) == [
        dt.date(2025, 10, 1),
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
    ]
    assert p.upcoming("quarter", dt.date(2025, 11, 5), 3) == [
        dt.date(2025, 10, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
    ]
    assert p.add_months(dt.date(2025, 1, 31), -1) == dt.date(2024, 12, 1)


def test_unknown_kind():
    with pytest.raises(ValueError):
        p.period_start("week", dt.date(2025, 1, 1))
