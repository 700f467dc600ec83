# ruff: noqa: F811  (the fixture `users` comes from factories_suppliers)
"""Importing purchase orders and deliveries from an ERP export: a good file, bad rows named by row
and column, over-delivery flagged, the same file again changes nothing, the command line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from accord.core.jobs import run_jobs_now
from accord.dataio.imports import services as import_services
from accord.procurement.models import Delivery, DeliveryLine, PurchaseOrder, PurchaseOrderLine

from .factories_suppliers import make_category, make_profile, make_supplier, make_unit, users  # noqa: F401

pytestmark = pytest.mark.django_db

ORDERS = (
    "Bestellnummer;Lieferant;USt-IdNr;Werk;Bestelldatum;Position;Beschreibung;Warengruppe;Menge;"
    "Einheit;Preis;Liefertermin\n"
    "4500001;Stahlbau Krüger GmbH;;Werk Nord;03.02.2025;1;Stahlblech 2 mm;Rohstoffe;100;kg;2,50;"
    "10.02.2025\n"
    "4500001;Stahlbau Krüger GmbH;;Werk Nord;03.02.2025;2;Schrauben M8;Rohstoffe;1.000;Stk;0,10;"
    "10.02.2025\n"
    "4500002;;DE136695976;;04.02.2025;1;Relais 24 V;;10;Stk;3,20;\n"
    "4500003;Unbekannt AG;;;04.02.2025;1;X;;1;Stk;1;\n"
    "4500004;Stahlbau Krüger GmbH;;;04.02.2025;1;Null;;0;Stk;1;\n"
    "4500005;Kunde AG;;;04.02.2025;1;Kein Lieferant;;1;Stk;1;\n"
    "4500006;Stahlbau Krüger GmbH;;;31.02.2025;1;Datum kaputt;;1;Stk;1;\n"
)

DELIVERIES = (
    "Bestellnummer;Position;Lieferdatum;Eingangsmenge;Abgelehnt;Rechnungspreis;Lieferschein\n"
    "4500001;1;09.02.2025;100;4;;LS-1\n"
    "4500001;2;09.02.2025;1.050;0;0,11;LS-1\n"
    "4500002;1;12.02.2025;10;11;;LS-2\n"
    "4500009;1;12.02.2025;1;0;;LS-3\n"
    "4500002;7;12.02.2025;1;0;;LS-3\n"
)


def _run(user, text: str, kind: str, **kw):
    run = import_services.import_create(
        actor=user,
        file=ContentFile(text.encode("utf-8"), name=f"{kind}.csv"),
        kind=kind,
        filename=f"{kind}.csv",
        **kw,
    )
    import_services.import_start_check(actor=user, run=run)
    run_jobs_now()
    run.refresh_from_db()
    import_services.import_start(actor=user, run=run)
    run_jobs_now()
    run.refresh_from_db()
    return run


def _setup(users):
    from accord.parties.models import Organization

    make_supplier(owner=users.owner, team=users.team_a, name="Stahlbau Krüger GmbH")
    make_supplier(
        owner=users.owner, team=users.team_a, name="Elektro Weber KG", vat_id="DE136695976"
    )
    Organization.objects.create(
        name="Kunde AG", is_client=True, owner=users.owner, team=users.team_a
    )
    make_unit(owner=users.owner, team=users.team_a, name="Werk Nord")
    make_category("Rohstoffe")


def test_orders_and_deliveries_import(users):
    _setup(users)
    run = _run(users.owner, ORDERS, "purchase_orders")
    assert run.status == "done", run.error
    assert run.result["counts"]["create"] == 3
    assert run.result["counts"]["error"] == 4
    errors = {e["row"]: (e["column"], e["message"]) for e in run.result["errors"]}
    assert errors[5] == ("Lieferant", "No organization you may see has this name.")
    assert errors[6][0] == "Menge"
    assert errors[7][0] == "Lieferant" and "no supplier" in errors[7][1]
    assert errors[8][0] == "Bestelldatum"
    order = PurchaseOrder.objects.get(number="4500001")
    assert order.owner == users.owner and order.business_unit.name == "Werk Nord"
    assert [(li.line_no, li.quantity, li.unit_price) for li in order.lines.order_by("line_no")] == [
        (1, Decimal("100"), Decimal("2.5")),
        (2, Decimal("1000"), Decimal("0.1")),
    ]
    assert PurchaseOrder.objects.get(number="4500002").supplier.name == "Elektro Weber KG"
    assert PurchaseOrder.objects.count() == 2

    deliveries = _run(users.owner, DELIVERIES, "deliveries")
    assert deliveries.status == "done", deliveries.error
    assert deliveries.result["counts"]["create"] == 2
    assert deliveries.result["counts"]["error"] == 3
    errors = {e["row"]: e["column"] for e in deliveries.result["errors"]}
    assert errors == {4: "Abgelehnt", 5: "Bestellnummer", 6: "Position"}
    delivery = Delivery.objects.get()
    assert delivery.delivery_note_number == "LS-1" and delivery.delivered_on == dt.date(2025, 2, 9)
    over = DeliveryLine.objects.get(order_line__line_no=2)
    assert over.is_over_delivery and over.unit_price_charged == Decimal("0.11")
    order.refresh_from_db()
    assert order.status == "partly_delivered"  # line 1: 96 of 100 accepted

    # the same files again: nothing new, nothing changed
    again = _run(users.owner, ORDERS, "purchase_orders", on_duplicate="skip")
    assert again.result["counts"]["skip"] == 3
    again = _run(users.owner, DELIVERIES, "deliveries")
    assert again.result["counts"]["update"] == 2
    assert PurchaseOrderLine.objects.count() == 3
    assert Delivery.objects.count() == 1 and DeliveryLine.objects.count() == 2


def test_blocked_and_foreign_orders_are_refused(users):
    profile = make_profile(owner=users.owner, team=users.team_a, qualification_status="blocked")
    name = profile.organization.name
    text = (
        "Bestellnummer;Lieferant;Bestelldatum;Position;Beschreibung;Menge;Preis\n"
        f"9000001;{name};03.02.2025;1;Teil;1;1\n"
    )
    run = _run(users.owner, text, "purchase_orders")
    assert run.result["counts"]["error"] == 1
    assert "blocked" in run.result["errors"][0]["message"]
    # an order of another team: its number cannot be used
    make_supplier(owner=users.other, team=users.team_b, name="Fremd GmbH")
    theirs = _run(
        users.other,
        "Bestellnummer;Lieferant;Bestelldatum;Position;Beschreibung;Menge;Preis\n"
        "9000002;Fremd GmbH;03.02.2025;1;Teil;1;1\n",
        "purchase_orders",
    )
    assert theirs.result["counts"]["create"] == 1
    make_supplier(owner=users.owner, team=users.team_a, name="Fremd GmbH")
    mine = _run(
        users.owner,
        "Bestellnummer;Lieferant;Bestelldatum;Position;Beschreibung;Menge;Preis\n"
        "9000002;Fremd GmbH;03.02.2025;2;Teil;1;1\n",
        "purchase_orders",
    )
    assert mine.result["counts"]["error"] == 1
    assert "may not change" in mine.result["errors"][0]["message"]


def test_command_line_import(users, tmp_path):
    _setup(users)
    path = tmp_path / "bestellungen.csv"
    path.write_text(ORDERS, encoding="utf-8")
    call_command(
        "accord_import",
        str(path),
        "--kind",
        "purchase_orders",
        "--user",
        users.owner.email,
        "--quiet",
    )
    assert PurchaseOrder.objects.count() == 2
