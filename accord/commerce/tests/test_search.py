"""Quotes, orders and invoices are found by number in global search, within visibility."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.commerce.tests.factories_sales import make_invoice, make_order, make_quote
from accord.core.testing.matrix import make_users

pytestmark = pytest.mark.django_db(transaction=True)


def test_documents_are_found_by_number_within_visibility(client):
    users = make_users()
    quote = make_quote(owner=users.owner, team=users.team_a)
    order = make_order(owner=users.owner, team=users.team_a, customer_reference="PO-77881")
    invoice = make_invoice(owner=users.owner, team=users.team_a, order=order)
    client.force_login(users.owner)
    for term, record in ((quote.number, quote), ("PO-77881", order), (invoice.number, invoice)):
        body = client.get(reverse("search"), {"q": term}).content.decode()
        assert record.get_absolute_url() in body, term
    client.force_login(users.other)
    body = client.get(reverse("search"), {"q": invoice.number}).content.decode()
    assert invoice.get_absolute_url() not in body
