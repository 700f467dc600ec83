"""Permission matrix and query budgets for quotes, orders and invoices (pages and API), and the
API's accept, PDF and bank import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from accord.commerce import services
from accord.commerce.models import Invoice, Order, Quote
from accord.core import testing
from accord.parties.models import Organization

from .factories_sales import make_invoice, make_order, make_org, make_quote


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Quote, Order, Invoice, Organization)


class QuotePages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Quote
    namespace = "commerce"
    list_query_budget = 8
    detail_query_budget = 14

    @classmethod
    def make_object(cls, *, owner, team):
        return make_quote(owner=owner, team=team)

    def form_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {"organization": org.pk, "language": "de", "currency": "EUR"}

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "issued_on": obj.issued_on.isoformat(),
            "valid_until": obj.valid_until.isoformat(),
            "status": "sent",
            "language": "en",
            "currency": "EUR",
        }


class OrderPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Order
    namespace = "commerce"
    list_query_budget = 8
    detail_query_budget = 14

    @classmethod
    def make_object(cls, *, owner, team):
        return make_order(owner=owner, team=team)

    def form_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {"organization": org.pk, "language": "de", "currency": "EUR"}

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "ordered_on": obj.ordered_on.isoformat(),
            "status": "delivered",
            "language": "de",
            "currency": "EUR",
        }


class QuoteApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Quote
    api_list_url = "/api/commerce/quotes/"
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return make_quote(owner=owner, team=team)

    def api_data(self):
        org = make_org(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        return {
            "organization": org.pk,
            "lines": [{"description": "Wartung", "quantity": "2", "unit_price": "150.00"}],
        }

    def api_update_data(self, obj):
        return {"notes": "Bitte bis Monatsende bestätigen."}


class InvoiceApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Invoice
    api_list_url = "/api/commerce/invoices/"
    api_query_budget = 8

    @classmethod
    def make_object(cls, *, owner, team):
        return make_invoice(owner=owner, team=team)

    def api_data(self):
        order = make_order(owner=self.u.other, team=self.u.team_b)
        return {"order": order.pk, "payment_terms_days": 30}

    def api_update_data(self, obj):
        return {"notes": "Zahlungserinnerung verschickt."}


@pytest.mark.django_db
def test_api_accept_pdf_and_line_errors(users, api):
    client = api(users.owner)
    org = make_org(owner=users.owner, team=users.team_a)
    response = client.post(
        "/api/commerce/quotes/",
        {
            "organization": org.pk,
            "lines": [
                {"description": "Gut", "quantity": "1", "unit_price": "10"},
                {"description": "Schlecht", "quantity": "-2", "unit_price": "10"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["lines"][0].startswith("Line 2 – quantity")
    response = client.post(
        "/api/commerce/quotes/",
        {
            "organization": org.pk,
            "lines": [{"description": "Gut", "quantity": "1", "unit_price": "100"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["totals"] == {"net": "100.00", "vat": "19.00", "gross": "119.00"}
    pdf = client.get(f"/api/commerce/quotes/{body['id']}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert body["number"].encode() in pdf.content
    accepted = client.post(f"/api/commerce/quotes/{body['id']}/accept/", {}, format="json")
    assert accepted.status_code == 201
    assert accepted.json()["number"].startswith("AU-")
    again = client.post(f"/api/commerce/quotes/{body['id']}/accept/", {}, format="json")
    assert again.status_code == 400 and "accepted already" in again.json()["status"][0]
    # another team sees neither the quote nor its PDF
    assert api(users.other).get(f"/api/commerce/quotes/{body['id']}/pdf/").status_code == 404


@pytest.mark.django_db
def test_pdf_download_checks_visibility(users, client):
    quote = make_quote(owner=users.owner, team=users.team_a)
    invoice = make_invoice(owner=users.owner, team=users.team_a)
    client.force_login(users.other)
    assert client.get(f"/quotes/{quote.pk}/pdf/").status_code == 404
    assert client.get(f"/invoices/{invoice.pk}/pdf/").status_code == 404
    client.force_login(users.viewer)
    response = client.get(f"/invoices/{invoice.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/quotes/{quote.pk}/print/").status_code == 200


@pytest.mark.django_db
def test_api_bank_import_and_overpayment(users, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    invoice = make_invoice(owner=users.owner, team=users.team_a)
    client = api(users.owner)
    csv = f"date;amount;reference;payer name;iban\n2026-06-03;400,00;{invoice.number};Müller;DE1\n"
    upload = SimpleUploadedFile("konto.csv", csv.encode(), content_type="text/csv")
    response = client.post("/api/commerce/bank-statements/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["counts"]["partial"] == 1
    upload = SimpleUploadedFile("konto.csv", csv.encode(), content_type="text/csv")
    response = client.post("/api/commerce/bank-statements/", {"file": upload}, format="multipart")
    assert response.json()["counts"]["duplicates"] == 1
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert services.credit_balance(invoice.organization, "EUR") == Decimal("78.81")


@pytest.mark.django_db
def test_pages_of_quote_workflow(users, client):
    quote = make_quote(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    response = client.post(
        f"/quotes/{quote.pk}/lines/add/",
        {"description": "Schulung", "quantity": "-1", "unit_price": "10", "vat_rate": "19"},
        follow=True,
    )
    assert "quantity" in response.content.decode()
    assert quote.lines.count() == 2
    client.post(
        f"/quotes/{quote.pk}/lines/add/",
        {"description": "Schulung", "quantity": "1", "unit_price": "10", "vat_rate": "7"},
    )
    assert quote.lines.count() == 3
    response = client.post(f"/quotes/{quote.pk}/accept/", {})
    order = Order.objects.get(quote=quote)
    assert response["Location"] == order.get_absolute_url()
    assert client.get(order.get_absolute_url()).status_code == 200
    for url in (
        "/quotes/",
        "/orders/",
        "/invoices/",
        "/payments/",
        "/recurring-orders/",
        "/bank-statements/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/bank-statements/upload/").status_code == 200
