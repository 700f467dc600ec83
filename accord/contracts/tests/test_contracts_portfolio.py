"""Portfolio figures and calendar events, exact on a constructed set of contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accord.contracts.selectors import contracts as selectors

from . import factories_contracts as fx
from .factories_contracts import make_commitment, make_contract, make_org

users = fx.users
D = dt.date
TODAY = D(2025, 6, 1)


@pytest.fixture
def book(users):
    u = users
    x = make_org(owner=u.owner, team=u.team_a, name="Xaver Maschinenbau AG", is_client=True)
    y = make_org(owner=u.owner, team=u.team_a, name="Ypsilon Service GmbH")

    def mk(title, **kw):
        kw.setdefault("owner", u.owner)
        kw.setdefault("team", u.team_a)
        return make_contract(title=title, **kw)

    c = {
        "A": mk(
            "A Liefervertrag",
            counterparty=x,
            side="sell",
            contract_type="supply",
            value=Decimal("100000"),
            start_date=D(2024, 6, 21),
            end_date=D(2025, 6, 20),
            notice_period=1,
        ),
        "B": mk(
            "B Servicevertrag",
            counterparty=y,
            contract_type="service",
            value=Decimal("50000"),
            end_date=D(2025, 8, 31),
            notice_period=3,
        ),
        "C": mk(
            "C Wartung",
            counterparty=y,
            contract_type="maintenance",
            value=Decimal("20000"),
            end_date=D(2025, 12, 31),
            notice_period=6,
        ),
        "D": mk(
            "D Rahmenvertrag",
            counterparty=x,
            side="sell",
            contract_type="framework",
            value=Decimal("300000"),
            start_date=D(2024, 1, 1),
            end_date=D(2024, 12, 31),
            auto_renewal=True,
            renewal_term_months=12,
            notice_period=6,
        ),
        "E": mk(
            "E Lizenz",
            counterparty=x,
            side="sell",
            contract_type="licence",
            value=Decimal("7000"),
            currency="USD",
            end_date=D(2025, 7, 1),
        ),
        "F": mk("F gekündigt", counterparty=x, value=Decimal("999999"), status="terminated"),
        "G": mk(
            "G Entwurf",
            counterparty=x,
            value=Decimal("40000"),
            status="draft",
            end_date=D(2025, 6, 5),
        ),
        "H": mk(
            "H fremd",
            owner=u.other,
            team=u.team_b,
            counterparty=make_org(owner=u.other, team=u.team_b, name="Zett KG"),
            value=Decimal("12345"),
            end_date=D(2025, 6, 15),
        ),
    }
    return c


def bucket(b):
    return (b.count, b.value)


def test_portfolio_figures_per_currency(users, book):
    eur, usd = selectors.portfolio(users.owner, today=TODAY)
    assert eur.currency == "EUR" and usd.currency == "USD"
    assert bucket(eur.total) == (4, Decimal("470000"))
    assert [(org.name, bucket(b)) for org, b in eur.by_counterparty] == [
        ("Xaver Maschinenbau AG", (2, Decimal("400000"))),
        ("Ypsilon Service GmbH", (2, Decimal("70000"))),
    ]
    assert [(k, bucket(b)) for k, _label, b in eur.by_type] == [
        ("framework", (1, Decimal("300000"))),
        ("supply", (1, Decimal("100000"))),
        ("service", (1, Decimal("50000"))),
        ("maintenance", (1, Decimal("20000"))),
    ]
    assert {d: bucket(b) for d, b in eur.expiring.items()} == {
        30: (1, Decimal("100000")),
        90: (1, Decimal("100000")),
        180: (2, Decimal("150000")),
    }
    # A ends within 90 days, C's notice deadline (30 Jun) is within 90 days; D renews, B's
    # deadline has passed and it ends in 91 days
    assert bucket(eur.at_risk) == (2, Decimal("120000"))
    assert [c.title for c in eur.at_risk_contracts] == ["A Liefervertrag", "C Wartung"]
    assert bucket(usd.total) == (1, Decimal("7000"))
    assert {d: bucket(b) for d, b in usd.expiring.items()} == {
        30: (1, Decimal("7000")),
        90: (1, Decimal("7000")),
        180: (1, Decimal("7000")),
    }
    assert bucket(usd.at_risk) == (1, Decimal("7000"))


def test_portfolio_by_side_and_for_an_admin(users, book):
    (eur,) = selectors.portfolio(users.owner, today=TODAY, side="buy")
    assert bucket(eur.total) == (2, Decimal("70000"))
    assert bucket(eur.at_risk) == (1, Decimal("20000"))
    eur, _usd = selectors.portfolio(users.admin, today=TODAY)
    assert bucket(eur.total) == (5, Decimal("482345"))
    assert bucket(eur.expiring[30]) == (2, Decimal("112345"))
    assert selectors.portfolio(users.other, today=TODAY, side="sell") == []


def test_many_counterparties_are_cut_to_the_largest_and_the_rest(users):
    for i in range(17):
        make_contract(
            owner=users.owner,
            team=users.team_a,
            counterparty=make_org(owner=users.owner, team=users.team_a, name=f"Firma {i:02d}"),
            value=Decimal(1000 * (i + 1)),
        )
    (eur,) = selectors.portfolio(users.owner, today=TODAY)
    assert len(eur.by_counterparty) == 15
    assert eur.by_counterparty[0][0].name == "Firma 16"
    assert bucket(eur.other_counterparties) == (2, Decimal("3000"))  # 1000 + 2000
    assert bucket(eur.total) == (17, Decimal("153000"))


def test_calendar_events_of_a_month(users, book):
    make_commitment(
        owner=users.owner, team=users.team_a, title="Bericht an die Stadt", due_date=D(2025, 6, 10)
    )
    make_commitment(
        owner=users.owner,
        team=users.team_a,
        title="Erledigt",
        due_date=D(2025, 6, 11),
        status="fulfilled",
    )
    events = selectors.calendar_events(users.owner, D(2025, 6, 1), D(2025, 6, 30), today=TODAY)
    assert [(e.day, e.kind, e.title) for e in events] == [
        (D(2025, 6, 5), "end", "G Entwurf"),
        (D(2025, 6, 10), "due", "Bericht an die Stadt"),
        (D(2025, 6, 20), "end", "A Liefervertrag"),
        (D(2025, 6, 30), "notice", "C Wartung"),
        (D(2025, 6, 30), "notice", "D Rahmenvertrag"),
    ]
    january = selectors.calendar_events(users.owner, D(2026, 1, 1), D(2026, 1, 31), today=TODAY)
    assert [(e.day, e.kind, e.title) for e in january] == [
        (D(2026, 1, 1), "renewal", "D Rahmenvertrag")
    ]
    # the other team sees only its own contract
    other = selectors.calendar_events(users.other, D(2025, 6, 1), D(2025, 6, 30), today=TODAY)
    assert [(e.day, e.kind, e.title) for e in other] == [(D(2025, 6, 15), "end", "H fremd")]


def test_contract_detail_key_dates(users, book):
    keys = selectors.contract_key_dates(book["D"], today=TODAY)
    assert keys.term_end == D(2025, 12, 31)
    assert keys.notice_deadline == D(2025, 6, 30)
    assert keys.renewal_date == D(2026, 1, 1)
    assert selectors.contract_key_dates(book["F"], today=TODAY).notice_deadline is None
