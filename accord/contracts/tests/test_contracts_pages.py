"""Pages and API beyond the matrix: calendar, portfolio, organization fragment, documents,
overdue filter, search, key dates, portfolio and calendar endpoints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accord.contracts.models import ContractDocument

from . import factories_contracts as fx
from .factories_contracts import make_commitment, make_contract, make_org

users = fx.users
api = fx.api


def test_calendar_month_and_list(client, users):
    today = timezone.localdate()
    end = today.replace(day=28)
    make_contract(
        owner=users.owner,
        team=users.team_a,
        title="Wartung Süd",
        start_date=end.replace(year=end.year - 1),
        end_date=end,
    )
    client.force_login(users.owner)
    month = today.strftime("%Y-%m")
    body = client.get(reverse("contracts:contract_calendar"), {"month": month}).content.decode()
    assert "Wartung Süd" in body and "<table" in body and 'scope="col"' in body
    body = client.get(
        reverse("contracts:contract_calendar"), {"month": month, "view": "list"}
    ).content.decode()
    assert "Wartung Süd" in body and "<dl" in body
    client.force_login(users.other)
    body = client.get(reverse("contracts:contract_calendar"), {"month": month}).content.decode()
    assert "Wartung Süd" not in body


def test_portfolio_page_shows_the_figures(client, users):
    make_contract(owner=users.owner, team=users.team_a, value=Decimal("12345.00"), end_date=None)
    client.force_login(users.owner)
    response = client.get(reverse("contracts:contract_portfolio"))
    assert response.status_code == 200
    assert "12,345.00" in response.content.decode()
    assert "<svg" in response.content.decode()


def test_organization_fragment_lists_contracts_and_open_commitments(client, users):
    org = make_org(owner=users.owner, team=users.team_a)
    make_contract(owner=users.owner, team=users.team_a, counterparty=org, title="Rahmenvertrag X")
    make_commitment(owner=users.owner, team=users.team_a, organization=org, title="Bericht Y")
    make_commitment(
        owner=users.owner,
        team=users.team_a,
        organization=org,
        title="Erledigt Z",
        status="fulfilled",
    )
    client.force_login(users.owner)
    body = client.get(reverse("contracts:organization_contracts", args=[org.pk])).content.decode()
    assert "Rahmenvertrag X" in body and "Bericht Y" in body and "Erledigt Z" not in body
    client.force_login(users.other)
    body = client.get(reverse("contracts:organization_contracts", args=[org.pk])).content.decode()
    assert "Rahmenvertrag X" not in body and "Bericht Y" not in body


def test_documents_upload_and_download_check_visibility(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contract = make_contract(owner=users.owner, team=users.team_a)
    client.force_login(users.viewer)
    upload = SimpleUploadedFile("vertrag.txt", b"Vertragstext", content_type="text/plain")
    assert (
        client.post(
            reverse("contracts:contractdocument_add", args=[contract.pk]), {"file": upload}
        ).status_code
        == 403
    )
    client.force_login(users.owner)
    upload = SimpleUploadedFile("vertrag.txt", b"Vertragstext", content_type="text/plain")
    client.post(reverse("contracts:contractdocument_add", args=[contract.pk]), {"file": upload})
    doc = ContractDocument.objects.get()
    assert doc.title == "vertrag.txt" and doc.uploaded_by == users.owner
    url = reverse("contracts:contractdocument_download", args=[doc.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Vertragstext"
    client.force_login(users.viewer)
    assert client.get(url).status_code == 200
    client.force_login(users.other)
    assert client.get(url).status_code == 404


def test_commitment_ledger_overdue_filter_and_status(client, users):
    today = timezone.localdate()
    late = make_commitment(
        owner=users.owner,
        team=users.team_a,
        title="Überfällig",
        due_date=today - dt.timedelta(days=2),
    )
    make_commitment(
        owner=users.owner, team=users.team_a, title="Später", due_date=today + dt.timedelta(days=9)
    )
    client.force_login(users.owner)
    body = client.get(reverse("contracts:commitment_list"), {"overdue": "true"}).content.decode()
    assert "Überfällig" in body and "Später" not in body
    client.post(reverse("contracts:commitment_status", args=[late.pk]), {"status": "fulfilled"})
    late.refresh_from_db()
    assert late.status == "fulfilled" and late.fulfilled_on == today


def test_commitments_under_a_visible_contract_are_visible(users):
    from accord.contracts.models import Commitment

    contract = make_contract(owner=users.owner, team=users.team_a)
    c = make_commitment(owner=users.other, team=users.team_b, contract=contract)
    assert Commitment.objects.visible_to(users.viewer).filter(pk=c.pk).exists()
    assert not Commitment.objects.visible_to(users.other).exclude(pk=c.pk).exists()


def test_contract_list_exports_csv(client, users):
    make_contract(owner=users.owner, team=users.team_a, title="Export Vertrag", notice_period=3)
    client.force_login(users.owner)
    list_url = reverse("contracts:contract_list")
    page = client.get(list_url).content.decode()
    assert "Export Vertrag" in page
    assert "fmt" not in page or "csv" in page.lower()


def test_api_key_dates_portfolio_and_calendar(users, api):
    make_contract(
        owner=users.owner,
        team=users.team_a,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
        auto_renewal=True,
        renewal_term_months=12,
        notice_period=3,
    )
    client = api(users.owner)
    row = client.get("/api/contracts/contracts/").json()["results"][0]
    year = timezone.localdate().year
    assert row["key_dates"]["term_end"] == f"{year}-12-31"
    assert row["key_dates"]["notice_deadline"] == f"{year}-09-30"
    assert row["key_dates"]["renewal_date"] == f"{year + 1}-01-01"
    portfolio = client.get("/api/contracts/contracts/portfolio/").json()
    assert portfolio[0]["currency"] == "EUR" and portfolio[0]["total"]["count"] == 1
    events = client.get(
        "/api/contracts/contracts/calendar/", {"start": f"{year}-09-01", "end": f"{year}-09-30"}
    ).json()
    assert [(e["day"], e["kind"]) for e in events] == [(f"{year}-09-30", "notice")]
    bad = client.post(
        "/api/contracts/contracts/",
        {
            "title": "Zu kurz",
            "counterparty": row["counterparty"],
            "start_date": "2025-01-01",
            "end_date": "2025-03-31",
            "notice_period": 6,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "notice_period": [
            "The notice period of 6 months is longer than the contract term of 3 months."
        ]
    }


def test_purchase_order_search_box_finds_visible_orders_as_the_list_does(client, users):
    from accord.procurement.tests import factories_scorecards as po

    mine = po.order(
        supplier=po.supplier(name="Kabelwerk Süd GmbH", owner=users.owner, team=users.team_a),
        ordered_on=dt.date(2026, 3, 2),
        lines=[{"quantity": 1, "unit_price": "10"}],
        owner=users.owner,
        team=users.team_a,
    )
    hidden = po.order(
        supplier=po.supplier(name="Kabel Nord AG", owner=users.other, team=users.team_b),
        ordered_on=dt.date(2026, 3, 3),
        lines=[{"quantity": 1, "unit_price": "10"}],
        owner=users.other,
        team=users.team_b,
    )
    client.force_login(users.owner)
    url = reverse("contracts:purchaseorder_autocomplete")
    by_supplier = client.get(url, {"q": "kabel"}).content.decode()
    assert mine.number in by_supplier and "Kabelwerk Süd GmbH" in by_supplier
    assert hidden.number not in by_supplier
    assert mine.number in client.get(url, {"q": mine.number}).content.decode()
    assert mine.number not in client.get(url, {"q": "Nirgendwo"}).content.decode()
