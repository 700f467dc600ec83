"""Bank statement import: matching, partial/credit flags, idempotency, rows named in errors;
recurring orders: one order per period, however often the job runs; overdue invoices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.commerce import services
from accord.commerce.choices import BankRowStatus, InvoiceStatus
from accord.commerce.models import BankStatementRow, Order, Payment, RecurringOrder
from accord.commerce.services.invoices import credit_balance
from accord.commerce.services.recurring import add_interval
from accord.core.models import Notification

from .factories_sales import make_invoice, make_order, make_org

D = Decimal


def _statement(users, content: str, name: str = "konto.csv"):
    statement = services.statement_create(actor=users.owner, name=name, content=content)
    counts = services.import_statement(actor=users.owner, statement=statement)
    return statement, counts


def test_matching_partial_unmatched_and_errors(users):
    org = make_org(owner=users.owner, team=users.team_a)
    exact = make_invoice(
        owner=users.owner,
        team=users.team_a,
        order=make_order(owner=users.owner, team=users.team_a, organization=org),
    )
    short = make_invoice(
        owner=users.owner,
        team=users.team_a,
        order=make_order(owner=users.owner, team=users.team_a, organization=org),
    )
    over = make_invoice(
        owner=users.owner,
        team=users.team_a,
        order=make_order(owner=users.owner, team=users.team_a, organization=org),
    )
    assert exact.gross_amount == D("321.19")
    content = (
        "Datum;Betrag;Verwendungszweck;Auftraggeber;IBAN\n"
        f"03.06.2026;321,19;Rechnung {exact.number} danke;Müller & Söhne;DE89 3704 0044 0532 0130 00\n"
        f"04.06.2026;100,00;{short.number.lower()};Müller & Söhne;DE89370400440532013000\n"
        f"05.06.2026;1.000,00;RE {over.number[3:]} ;Müller & Söhne;DE89370400440532013000\n"
        "06.06.2026;55,00;Spende;Unbekannt;DE02120300000000202051\n"
        "31.02.2026;10,00;x;y;z\n"
        "07.06.2026;zehn;x;y;z\n"
        "08.06.2026;-20,00;Lastschrift;Stadtwerke;DE1\n"
    )
    statement, counts = _statement(users, content)
    assert counts == {
        "matched": 1,
        "partial": 2,
        "unmatched": 1,
        "duplicates": 0,
        "skipped": 1,
        "failed": 2,
    }
    assert [(e["row"], e["column"]) for e in statement.errors] == [(6, "date"), (7, "amount")]
    assert statement.errors[0]["where"] == "Row 6, date"
    for inv in (exact, short, over):
        inv.refresh_from_db()
    assert exact.status == InvoiceStatus.PAID
    assert short.status == InvoiceStatus.PARTLY_PAID and short.open_amount == D("221.19")
    assert over.status == InvoiceStatus.PAID
    assert credit_balance(org, "EUR") == D("678.81")  # 1000.00 − 321.19
    rows = {r.row_number: r for r in BankStatementRow.objects.all()}
    assert rows[3].status == BankRowStatus.PARTIAL and "open amount" in rows[3].flag
    assert rows[4].status == BankRowStatus.PARTIAL and "credit" in rows[4].flag
    assert rows[5].status == BankRowStatus.UNMATCHED and rows[5].payment is None

    # the same statement again books nothing twice
    again, counts = _statement(users, content, "konto-nochmal.csv")
    assert counts["duplicates"] == 4 and counts["matched"] == counts["partial"] == 0
    assert Payment.objects.count() == 3

    # the unmatched row is assigned by hand, as credit of the organization
    services.bank_row_assign(actor=users.owner, row=rows[5], organization=org)
    rows[5].refresh_from_db()
    assert rows[5].status == BankRowStatus.ASSIGNED
    assert credit_balance(org, "EUR") == D("733.81")
    with pytest.raises(ValidationError):
        services.bank_row_assign(actor=users.owner, row=rows[5], organization=org)


def test_missing_columns_are_named(users):
    with pytest.raises(ValidationError) as exc:
        services.statement_create(actor=users.owner, name="x.csv", content="Datum;Text\n1;2\n")
    assert "amount" in exc.value.message_dict["file"][0]


def test_other_teams_invoice_is_not_matched(users):
    invoice = make_invoice(owner=users.other, team=users.team_b)
    content = f"date,amount,reference\n2026-06-03,321.19,{invoice.number}\n"
    _stmt, counts = _statement(users, content)
    assert counts["unmatched"] == 1
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_add_interval_keeps_the_day_or_the_months_end():
    assert add_interval(dt.date(2026, 1, 31), 1, "months") == dt.date(2026, 2, 28)
    assert add_interval(dt.date(2026, 11, 15), 3, "months") == dt.date(2027, 2, 15)
    assert add_interval(dt.date(2026, 1, 1), 2, "weeks") == dt.date(2026, 1, 15)


def test_recurring_orders_once_per_period(users):
    org = make_org(owner=users.owner, team=users.team_a)
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=6)
    recurring = services.recurring_order_create(
        actor=users.owner,
        data={
            "name": "Filterpatronen",
            "organization": org,
            "interval": 2,
            "interval_unit": "weeks",
            "next_on": start,
            "lines": [{"description": "Filterpatrone", "quantity": "10", "unit_price": "4.99"}],
        },
    )
    created = services.create_due_recurring_orders(today=today)
    # start, +2, +4, +6 weeks (= today)
    assert len(created) == 4
    assert sorted(o.ordered_on for o in created) == [
        start + dt.timedelta(weeks=n) for n in (0, 2, 4, 6)
    ]
    assert services.create_due_recurring_orders(today=today) == []
    assert Order.objects.filter(recurring=recurring).count() == 4
    recurring.refresh_from_db()
    assert recurring.next_on == today + dt.timedelta(weeks=2)
    order = created[0]
    assert order.owner == users.owner and order.lines.get().quantity == D("10.00")
    assert Notification.objects.filter(user=users.owner, kind="commerce").count() == 4
    # even with the next date set back, a period is never ordered twice
    RecurringOrder.objects.filter(pk=recurring.pk).update(next_on=start)
    assert services.create_due_recurring_orders(today=today) == []


def test_overdue_filter_and_days(users, client):
    today = timezone.localdate()
    late = make_invoice(
        owner=users.owner, team=users.team_a, issued_on=today - dt.timedelta(days=44)
    )  # due 30 days ago
    make_invoice(owner=users.owner, team=users.team_a, issued_on=today)  # due in 14 days
    paid = make_invoice(
        owner=users.owner, team=users.team_a, issued_on=today - dt.timedelta(days=60)
    )
    services.payment_create(actor=None, data={"invoice": paid, "amount": paid.gross_amount})
    hidden = make_invoice(
        owner=users.other, team=users.team_b, issued_on=today - dt.timedelta(days=100)
    )
    assert late.days_overdue(today) == 30
    client.force_login(users.owner)
    body = client.get("/invoices/?overdue=true").content.decode()
    assert late.number in body and paid.number not in body and hidden.number not in body
    assert late.number not in client.get("/invoices/?min_days_overdue=31").content.decode()
    assert late.number in client.get("/invoices/?min_days_overdue=30").content.decode()
    fragment = client.get(f"/billing/of-organization/{late.organization_id}/").content.decode()
    assert late.number in fragment and "30 days overdue" in fragment
