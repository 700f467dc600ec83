"""The client's commercial pages: only their organization's quotes, orders and invoices; accept,
reorder and order from the catalogue land as orders for the owning team, with a notification."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accord.commerce.models import Order, Quote
from accord.commerce.tests.factories_sales import (
    make_invoice,
    make_order,
    make_org,
    make_product,
    make_quote,
)
from accord.core.models import Notification
from accord.core.testing.matrix import make_users
from accord.portal.models import CatalogueItem
from accord.portal.testing import make_account, portal_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    users = make_users()
    ours = make_org(owner=users.owner, team=users.team_a, name="Kunde A GmbH")
    theirs = make_org(owner=users.other, team=users.team_b, name="Kunde B AG")
    data = {}
    for key, org, owner, team in (
        ("a", ours, users.owner, users.team_a),
        ("b", theirs, users.other, users.team_b),
    ):
        quote = make_quote(owner=owner, team=team, organization=org)
        Quote.objects.filter(pk=quote.pk).update(status="sent")
        order = make_order(owner=owner, team=team, organization=org)
        invoice = make_invoice(owner=owner, team=team, order=order)
        product = make_product(sku=f"SKU-{key}", name=f"Filter {key}")
        item = CatalogueItem.objects.create(
            organization=org, product=product, unit_price=Decimal("40.00")
        )
        data[key] = {"quote": quote, "order": order, "invoice": invoice, "item": item}
    account = make_account(ours, email="einkauf@kunde-a.example")
    return users, ours, account, data


def record_urls(records):
    q, o, i = records["quote"].pk, records["order"].pk, records["invoice"].pk
    return {
        "get": [
            reverse("portal:quote_detail", args=[q]),
            reverse("portal:quote_pdf", args=[q]),
            reverse("portal:order_detail", args=[o]),
            reverse("portal:invoice_detail", args=[i]),
            reverse("portal:invoice_pdf", args=[i]),
        ],
        "post": [
            reverse("portal:quote_accept", args=[q]),
            reverse("portal:order_again", args=[o]),
        ],
    }


def test_own_records_are_shown_and_downloadable(world):
    _users, _org, account, data = world
    browser = portal_client(account)
    for url in record_urls(data["a"])["get"]:
        response = browser.get(url)
        assert response.status_code == 200, url
        if url.endswith("/pdf/"):
            assert response.content.startswith(b"%PDF")
    listing = browser.get(reverse("portal:orders")).content.decode()
    assert data["a"]["order"].number in listing and data["b"]["order"].number not in listing


def test_another_organizations_records_are_404_for_every_page_and_action(world):
    _users, _org, account, data = world
    browser = portal_client(account)
    urls = record_urls(data["b"])
    for url in urls["get"]:
        assert browser.get(url).status_code == 404, url
    for url in urls["post"]:
        assert browser.post(url).status_code == 404, url
    before = Order.objects.count()
    response = browser.post(reverse("portal:catalogue"), {f"qty-{data['b']['item'].pk}": "2"})
    assert response.status_code == 400 and Order.objects.count() == before


def test_drafts_are_not_shown(world):
    users, org, account, _data = world
    draft = make_quote(owner=users.owner, team=users.team_a, organization=org)
    assert draft.status == "draft"
    browser = portal_client(account)
    assert browser.get(reverse("portal:quote_detail", args=[draft.pk])).status_code == 404


def test_accepting_a_quote_makes_an_order_and_tells_the_team(world):
    users, org, account, data = world
    browser = portal_client(account)
    quote = data["a"]["quote"]
    response = browser.post(
        reverse("portal:quote_accept", args=[quote.pk]), {"reference": "PO-4711"}
    )
    order = Order.objects.get(quote=quote)
    assert response.url == reverse("portal:order_detail", args=[order.pk])
    assert order.customer_reference == "PO-4711" and order.owner == users.owner
    note = Notification.objects.get(user=users.owner)
    assert order.number in note.title and note.url == order.get_absolute_url()
    again = browser.post(reverse("portal:quote_accept", args=[quote.pk]), follow=True)
    assert "accepted already" in again.content.decode()
    assert Order.objects.filter(quote=quote).count() == 1


def test_reorder_copies_lines_and_prices(world):
    users, org, account, data = world
    browser = portal_client(account)
    old = data["a"]["order"]
    browser.post(reverse("portal:order_again", args=[old.pk]))
    new = Order.objects.filter(organization=org).exclude(pk=old.pk).latest("pk")
    assert [(line.description, line.quantity, line.unit_price) for line in new.lines.all()] == [
        (line.description, line.quantity, line.unit_price) for line in old.lines.all()
    ]
    assert new.team == users.team_a


def test_catalogue_order_and_bad_quantities(world):
    _users, org, account, data = world
    browser = portal_client(account)
    item = data["a"]["item"]
    page = browser.get(reverse("portal:catalogue")).content.decode()
    assert "Filter a" in page and "Filter b" not in page
    bad = browser.post(reverse("portal:catalogue"), {f"qty-{item.pk}": "-3"})
    assert bad.status_code == 400 and "from 0 to 100,000" in bad.content.decode()
    nothing = browser.post(reverse("portal:catalogue"), {f"qty-{item.pk}": ""})
    assert nothing.status_code == 400
    done = browser.post(reverse("portal:catalogue"), {f"qty-{item.pk}": "2,5"})
    order = Order.objects.filter(organization=org).latest("pk")
    assert done.url == reverse("portal:order_detail", args=[order.pk])
    line = order.lines.get()
    assert line.quantity == Decimal("2.5") and line.unit_price == Decimal("40.00")


def test_permissions_hide_sections(world):
    _users, _org, account, data = world
    account.can_see_invoices = False
    account.can_order = False
    account.save()
    browser = portal_client(account)
    assert browser.get(reverse("portal:invoices")).status_code == 404
    assert browser.get(reverse("portal:catalogue")).status_code == 404
    assert (
        browser.post(reverse("portal:order_again", args=[data["a"]["order"].pk])).status_code == 404
    )
    home = browser.get(reverse("portal:home")).content.decode()
    assert reverse("portal:invoices") not in home and reverse("portal:orders") in home


def test_staff_catalogue_pages_follow_visibility(world, client):
    users, org, _account, data = world
    client.force_login(users.owner)
    listing = client.get(reverse("portal:catalogueitem_list")).content.decode()
    assert "Kunde A GmbH" in listing and "Kunde B AG" not in listing
    product = make_product(sku="NEW-1", name="Neu")
    response = client.post(
        reverse("portal:catalogueitem_add"),
        {"organization": data["b"]["item"].organization_id, "product": product.pk, "active": "on"},
    )
    assert response.status_code == 400 or "organization" in response.content.decode()
    assert not CatalogueItem.objects.filter(product=product).exists()
    ok = client.post(
        reverse("portal:catalogueitem_add"),
        {"organization": org.pk, "product": product.pk, "unit_price": "12.50", "active": "on"},
    )
    assert ok.status_code == 302
    assert CatalogueItem.objects.get(product=product).price == Decimal("12.50")


def _listed_numbers(browser, name, **params):
    import re

    body = browser.get(reverse(f"portal:{name}"), params).content.decode()
    return sorted(re.findall(r'/">([^<]+)</a></td>', body))


def test_lists_filter_by_status_and_number_within_the_organization(world):
    users, org, account, data = world
    second = make_order(owner=users.owner, team=users.team_a, organization=org)
    Order.objects.filter(pk=second.pk).update(status="delivered")
    secret = make_quote(
        owner=users.owner, team=users.team_a, organization=org, notes="Rabatt-Geheimnis"
    )
    Quote.objects.filter(pk=secret.pk).update(status="declined")
    browser = portal_client(account)
    ours, theirs = data["a"], data["b"]

    assert _listed_numbers(browser, "orders") == sorted([ours["order"].number, second.number])
    assert _listed_numbers(browser, "orders", status="delivered") == [second.number]
    assert _listed_numbers(browser, "orders", q=second.number) == [second.number]
    # another organization's record is not found by its number, nor by a status
    assert _listed_numbers(browser, "orders", q=theirs["order"].number.lower()) == []
    assert theirs["order"].number not in _listed_numbers(browser, "orders", status="confirmed")

    invoice = ours["invoice"]
    assert _listed_numbers(browser, "invoices", status=invoice.status) == [invoice.number]
    assert _listed_numbers(browser, "invoices", status="paid") == []

    assert _listed_numbers(browser, "quotes", status="declined") == [secret.number]
    # the staff's notes are not searched; a status the client cannot pick filters nothing
    assert _listed_numbers(browser, "quotes", q="Geheimnis") == []
    assert _listed_numbers(browser, "quotes", status="draft") == sorted(
        [ours["quote"].number, secret.number]
    )
