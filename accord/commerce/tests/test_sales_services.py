"""Quotes, orders, invoices and payments: totals and VAT, accepting, transitions, credits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accord.commerce import services
from accord.commerce.choices import InvoiceStatus, OrderStatus, QuoteStatus
from accord.commerce.documents import invoice_document, quote_document, render_pdf
from accord.commerce.models import CustomerCredit, Order
from accord.commerce.pricing import document_totals, line_net
from accord.commerce.services.invoices import credit_balance

from .factories_sales import make_invoice, make_order, make_org, make_quote

D = Decimal


def test_line_net_rounds_each_line_to_cents_half_up():
    assert line_net(D("3"), D("33.335"), D("0")) == D("100.01")  # 100.005 → 100.01
    assert line_net(D("1"), D("0.125"), D("0")) == D("0.13")
    assert line_net(D("2"), D("100"), D("10")) == D("180.00")


def test_totals_per_rate_and_reverse_charge():
    lines = [
        {"quantity": D("2"), "unit_price": D("100"), "discount": D("10"), "vat_rate": "19"},
        {"quantity": D("3"), "unit_price": D("33.33"), "discount": D("0"), "vat_rate": "7"},
        {"quantity": D("1"), "unit_price": D("0.05"), "discount": D("0"), "vat_rate": "19"},
        {"quantity": D("1"), "unit_price": D("500"), "discount": D("0"), "vat_rate": "rc"},
    ]
    totals = document_totals(lines)
    by_rate = {r.rate: (r.net, r.vat) for r in totals.rates}
    # VAT per rate on the rate's net sum: 180.05 × 19 % = 34.2095 → 34.21 (not 34.20 + 0.01)
    assert by_rate["19"] == (D("180.05"), D("34.21"))
    assert by_rate["7"] == (D("99.99"), D("7.00"))
    assert by_rate["rc"] == (D("500.00"), D("0.00"))
    assert totals.net == D("780.04")
    assert totals.vat == D("41.21")
    assert totals.gross == D("821.25")
    assert totals.reverse_charge
    half = document_totals(lines, D("50"))
    assert half.net == D("390.03")  # 90.03 (90.025 half up) + 50.00 (49.995) + 250.00


def test_quote_numbers_totals_and_pdf(users):
    quote = make_quote(owner=users.owner, team=users.team_a, issued_on=dt.date(2026, 3, 1))
    second = make_quote(owner=users.owner, team=users.team_a, issued_on=dt.date(2026, 3, 2))
    assert quote.number == "A-2026-0001"
    assert second.number == "A-2026-0002"
    assert quote.valid_until == dt.date(2026, 3, 31)
    assert quote.status == QuoteStatus.DRAFT
    doc = quote_document(quote)
    assert doc.gross == "321,19 €"  # 180.00 + 34.20 + 99.99 + 7.00 (6.9993)
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF")
    assert b"A-2026-0001" in pdf
    quote.language = "en"
    english = quote_document(quote)
    assert english.gross == "€321.19"
    assert english.totals_rows[1][0].startswith("VAT 19 % on")


def test_reverse_charge_needs_the_vat_id(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        make_quote(
            owner=users.owner,
            team=users.team_a,
            organization=org,
            lines=[{"description": "Anlage", "quantity": 1, "unit_price": 1000, "vat_rate": "rc"}],
        )
    assert "VAT id" in str(exc.value.message_dict["lines"])
    org.vat_id = "ATU12345678"
    org.save()
    quote = make_quote(
        owner=users.owner,
        team=users.team_a,
        organization=org,
        lines=[{"description": "Anlage", "quantity": 1, "unit_price": 1000, "vat_rate": "rc"}],
    )
    doc = quote_document(quote)
    assert "Steuerschuldnerschaft des Leistungsempfängers" in doc.notes
    assert doc.gross == "1.000,00 €"
    assert render_pdf(doc)[:4] == b"%PDF"


def test_negative_quantity_names_the_line_and_field(users):
    org = make_org(owner=users.owner, team=users.team_a)
    lines = [
        {"description": "OK", "quantity": "1", "unit_price": "10"},
        {"description": "Falsch", "quantity": "-3", "unit_price": "10"},
    ]
    with pytest.raises(ValidationError) as exc:
        services.order_create(actor=users.owner, data={"organization": org, "lines": lines})
    message = exc.value.message_dict["lines"][0]
    assert message.startswith("Line 2 – quantity:")
    assert not Order.objects.exists()
    order = make_order(owner=users.owner, team=users.team_a, organization=org)
    with pytest.raises(ValidationError) as exc:
        services.order_line_add(
            actor=users.owner, order=order, data={"description": "X", "quantity": "-1"}
        )
    assert "quantity" in exc.value.message_dict


def test_accept_quote_creates_the_order_once(users):
    quote = make_quote(owner=users.owner, team=users.team_a)
    order = services.quote_accept(actor=users.owner, quote=quote)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert order.number.startswith("AU-")
    assert order.quote == quote and order.owner == users.owner
    assert [(ln.description, ln.quantity) for ln in order.lines.all()] == [
        ("Wartung Größe L", D("2.00")),
        ("Fachbuch", D("3.00")),
    ]
    with pytest.raises(ValidationError) as exc:
        services.quote_accept(actor=users.owner, quote=quote)
    assert "accepted already" in exc.value.message_dict["status"][0]
    assert Order.objects.count() == 1


def test_expired_quote_is_refused(users):
    past = timezone.localdate() - dt.timedelta(days=40)
    quote = make_quote(owner=users.owner, team=users.team_a, issued_on=past)
    with pytest.raises(ValidationError) as exc:
        services.quote_accept(actor=users.owner, quote=quote)
    assert "expired" in exc.value.message_dict["valid_until"][0]
    assert not Order.objects.exists()


def test_other_team_and_viewer_cannot_accept(users):
    quote = make_quote(owner=users.owner, team=users.team_a)
    for user in (users.other, users.viewer):
        with pytest.raises(PermissionDenied):
            services.quote_accept(actor=user, quote=quote)


def test_quote_from_opportunity_copies_its_lines(users):
    from accord.pipeline.models import OpportunityLine
    from accord.pipeline.tests.factories import make_opportunity, make_product

    opp = make_opportunity(owner=users.owner, team=users.team_a)
    product = make_product(list_price=D("1000"))
    OpportunityLine.objects.create(
        opportunity=opp, product=product, quantity=D("2"), unit_price=D("900"), discount=D("5")
    )
    quote = services.quote_create(actor=users.owner, data={"opportunity": opp})
    assert quote.organization == opp.organization
    line = quote.lines.get()
    assert (line.product, line.quantity, line.unit_price, line.discount, line.vat_rate) == (
        product,
        D("2.00"),
        D("900.00"),
        D("5.00"),
        "19",
    )


def test_order_transitions(users):
    order = make_order(owner=users.owner, team=users.team_a)
    services.order_set_status(actor=users.owner, order=order, status=OrderStatus.DELIVERED)
    with pytest.raises(ValidationError) as exc:
        services.order_set_status(actor=users.owner, order=order, status=OrderStatus.CONFIRMED)
    assert "cannot go from" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        services.order_set_status(actor=users.owner, order=order, status=OrderStatus.PAID)
    services.order_set_status(actor=users.owner, order=order, status=OrderStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.order_set_status(actor=users.owner, order=order, status=OrderStatus.DELIVERED)
    with pytest.raises(ValidationError) as exc:
        services.invoice_create(actor=users.owner, data={"order": order})
    assert "cancelled" in exc.value.message_dict["order"][0]


def test_invoice_partial_due_date_and_order_paid(users):
    order = make_order(owner=users.owner, team=users.team_a)
    first = services.invoice_create(
        actor=users.owner,
        data={"order": order, "share_percent": D("30"), "issued_on": dt.date(2026, 5, 4)},
    )
    assert first.number == "RE-2026-00001"
    assert first.due_on == dt.date(2026, 5, 18)
    # 30 % of 180.00 = 54.00 (+10.26), of 99.99 = 30.00 (29.997 → 30.00, +2.10)
    assert (first.net_amount, first.vat_amount, first.gross_amount) == (
        D("84.00"),
        D("12.36"),
        D("96.36"),
    )
    with pytest.raises(ValidationError) as exc:
        services.invoice_create(actor=users.owner, data={"order": order, "share_percent": 80})
    assert "70 %" in exc.value.message_dict["share_percent"][0]
    second = services.invoice_create(actor=users.owner, data={"order": order, "share_percent": 70})
    order.refresh_from_db()
    assert order.status == OrderStatus.INVOICED
    services.payment_create(actor=users.owner, data={"invoice": first, "amount": "96.36"})
    order.refresh_from_db()
    assert order.status == OrderStatus.INVOICED
    services.payment_create(actor=users.owner, data={"invoice": second, "amount": "100"})
    second.refresh_from_db()
    assert second.status == InvoiceStatus.PARTLY_PAID
    assert second.open_amount == second.gross_amount - D("100")
    services.payment_create(
        actor=users.owner, data={"invoice": second, "amount": second.open_amount}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    pdf = render_pdf(invoice_document(second))
    assert pdf.startswith(b"%PDF") and second.number.encode() in pdf


def test_overpayment_becomes_credit_and_pays_the_next_invoice(users):
    org = make_org(owner=users.owner, team=users.team_a)
    invoice = make_invoice(
        owner=users.owner,
        team=users.team_a,
        order=make_order(owner=users.owner, team=users.team_a, organization=org),
    )
    assert invoice.gross_amount == D("321.19")
    payment = services.payment_create(actor=users.owner, data={"invoice": invoice, "amount": "400"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert (payment.applied_amount, payment.credited_amount) == (D("321.19"), D("78.81"))
    assert credit_balance(org, "EUR") == D("78.81")
    nxt = make_invoice(
        owner=users.owner,
        team=users.team_a,
        order=make_order(owner=users.owner, team=users.team_a, organization=org),
    )
    applied = services.invoice_apply_credit(actor=users.owner, invoice=nxt)
    nxt.refresh_from_db()
    assert applied == D("78.81")
    assert nxt.status == InvoiceStatus.PARTLY_PAID
    assert nxt.open_amount == D("242.38")
    assert credit_balance(org, "EUR") == D("0.00")
    # the payment whose credit was used cannot simply disappear
    with pytest.raises(ValidationError):
        services.payment_delete(actor=users.owner, instance=payment)
    assert CustomerCredit.objects.count() == 2


def test_cancelled_invoice_moves_what_was_paid_to_credit(users):
    invoice = make_invoice(owner=users.owner, team=users.team_a)
    services.payment_create(actor=users.owner, data={"invoice": invoice, "amount": "100"})
    services.invoice_cancel(actor=users.owner, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice.paid_amount == D("0")
    assert credit_balance(invoice.organization, "EUR") == D("100.00")
