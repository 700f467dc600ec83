"""Requests between internal units: the rules, the overdue flag, the units overview numbers on a
constructed set (people, interactions, request matrix, shared suppliers), pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.interactions.models import Interaction, UnitRequest
from accord.interactions.units import selectors, services
from accord.parties.models import Organization, Person, Position

from .factories_unit_requests import api, make_unit, make_unit_request, users

__all__ = ["api", "users"]

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- rules -----------------------------------------------------------------------------------
def test_units_must_be_internal_visible_and_different(users):
    unit = make_unit(owner=users.owner, team=users.team_a, name="Werk Nord")
    client = Organization.objects.create(
        name="Kunde GmbH", owner=users.owner, team=users.team_a, is_client=True
    )
    hidden = make_unit(owner=users.other, team=users.team_b, name="Werk Süd")
    cases = [
        ({"requester": client, "server": unit}, "requester", "internal"),
        ({"requester": unit, "server": client}, "server", "internal"),
        ({"requester": unit, "server": unit}, "server", "itself"),
        ({"requester": hidden, "server": unit}, "requester", "can see"),
    ]
    for data, field, word in cases:
        with pytest.raises(ValidationError) as exc:
            services.unit_request_create(actor=users.owner, data={"title": "X", **data})
        errors = _errors(exc)
        assert list(errors) == [field], data
        assert word in errors[field][0]
    with pytest.raises(ValidationError) as exc:
        services.unit_request_create(actor=users.owner, data={"title": ""})
    assert set(_errors(exc)) == {"title", "requester", "server"}
    assert not UnitRequest.objects.exists()


def test_closing_sets_the_day_and_overdue_flag(users):
    a = make_unit(owner=users.owner, team=users.team_a, name="Werk Nord")
    b = make_unit(owner=users.owner, team=users.team_a, name="IT")
    r = services.unit_request_create(
        actor=users.owner,
        data={"title": "Zugang ERP", "requester": a, "server": b, "due_on": YESTERDAY},
    )
    assert r.owner == users.owner and r.status == "open" and r.is_overdue
    services.unit_request_update(actor=users.owner, instance=r, data={"status": "done"})
    r.refresh_from_db()
    assert r.closed_on == TODAY and not r.is_overdue
    services.unit_request_update(actor=users.owner, instance=r, data={"status": "in_progress"})
    r.refresh_from_db()
    assert r.closed_on is None and r.is_overdue


# --- overview --------------------------------------------------------------------------------
def _link(interaction: Interaction, *orgs: Organization) -> None:
    interaction.organizations.add(*orgs, through_defaults={"occurred_at": interaction.occurred_at})


def build_units(u):
    own = {"owner": u.owner, "team": u.team_a}
    u1 = make_unit(**own, name="Einkauf Zentral")
    u2 = make_unit(**own, name="Werk Nord")
    u3 = make_unit(**own, name="Werk Süd")
    u4 = make_unit(owner=u.other, team=u.team_b, name="Vertrieb")
    s1 = Organization.objects.create(name="Dichtungen Meyer KG", is_supplier=True, **own)
    s2 = Organization.objects.create(name="Schrauben Huber", is_supplier=True, **own)
    p1 = Person.objects.create(first_name="Jana", last_name="Ahrens", **own)
    p2 = Person.objects.create(first_name="Olaf", last_name="Berg", **own)
    p3 = Person.objects.create(first_name="Eva", last_name="Cordes", **own)
    Position.objects.create(person=p1, organization=u1, title="Leiterin Einkauf")
    Position.objects.create(
        person=p2, organization=u2, title="Werkleiter", end_date=TODAY - dt.timedelta(days=30)
    )
    Position.objects.create(person=p3, organization=u2, title="Werkleiterin")
    now = timezone.now()
    i1 = Interaction.objects.create(
        kind="meeting", subject="Abstimmung Bedarf", occurred_at=now, **own
    )
    i2 = Interaction.objects.create(kind="call", subject="Preisgespräch", occurred_at=now, **own)
    i3 = Interaction.objects.create(
        kind="meeting", subject="Lieferantentag", occurred_at=now, **own
    )
    i4 = Interaction.objects.create(kind="email", subject="Vertrieb fragt", occurred_at=now, **own)
    _link(i1, u1, u2)
    _link(i2, u1, s1)
    _link(i3, u2, u3, s1)
    _link(i4, u1, u4)
    make_unit_request(**own, requester=u1, server=u2, due_on=YESTERDAY)
    make_unit_request(**own, requester=u1, server=u2, status="in_progress", due_on=TOMORROW)
    make_unit_request(**own, requester=u2, server=u1, status="done", due_on=YESTERDAY)
    make_unit_request(**own, requester=u3, server=u1)
    make_unit_request(owner=u.other, team=u.team_b, requester=u1, server=u2, due_on=TOMORROW)
    from accord.procurement.models import PurchaseOrder

    for number, supplier, unit in (
        ("PO-1", s1, u1),
        ("PO-2", s1, u2),
        ("PO-3", s1, u2),
        ("PO-4", s2, u1),
    ):
        PurchaseOrder.objects.create(number=number, supplier=supplier, business_unit=unit, **own)
    return u1, u2, u3, u4, s1


def test_overview_numbers_for_a_member(users):
    u1, u2, u3, u4, s1 = build_units(users)
    overview = selectors.units_overview(users.owner)
    rows = {r.unit.pk: r for r in overview.units}
    assert list(rows) == [u1.pk, u2.pk, u3.pk]  # the hidden unit is not listed
    assert [p.person.last_name for p in rows[u1.pk].positions] == ["Ahrens"]
    assert [p.person.last_name for p in rows[u2.pk].positions] == ["Cordes"]
    assert [(r.between_units, r.with_suppliers) for r in rows.values()] == [(1, 1), (2, 1), (1, 1)]
    assert overview.matrix == {(u1.pk, u2.pk): (2, 1), (u3.pk, u1.pk): (1, 0)}
    assert (rows[u1.pk].open_given, rows[u1.pk].overdue_given) == (2, 1)
    assert (rows[u1.pk].open_received, rows[u2.pk].open_received) == (1, 2)
    assert (rows[u2.pk].overdue_received, rows[u3.pk].open_given) == (1, 1)
    shared = overview.shared_suppliers
    assert [(s.supplier.pk, s.orders) for s in shared] == [(s1.pk, 3)]
    assert [(unit.name, n) for unit, n in shared[0].units] == [
        ("Werk Nord", 2),
        ("Einkauf Zentral", 1),
    ]
    matrix = overview.matrix_rows()
    assert matrix[0]["cells"][0] is None and matrix[0]["cells"][1]["open"] == 2


def test_overview_for_a_manager_counts_every_request(users):
    u1, u2, *_ = build_units(users)
    overview = selectors.units_overview(users.manager)
    assert len(overview.units) == 4
    assert overview.matrix[(u1.pk, u2.pk)] == (3, 1)


def test_overview_page_and_request_list_filters(users, client):
    u1, u2, u3, u4, s1 = build_units(users)
    client.force_login(users.owner)
    body = client.get(reverse("interactions:units")).content.decode()
    assert "Einkauf Zentral" in body and "Dichtungen Meyer KG" in body and "Vertrieb" not in body
    assert "Ahrens" in body and "Berg" not in body
    listing = client.get(reverse("interactions:unitrequest_list"), {"overdue": "true"})
    assert listing.status_code == 200
    overdue = UnitRequest.objects.get(requester=u1, due_on=YESTERDAY)
    assert overdue.get_absolute_url() in listing.content.decode()
    assert listing.content.decode().count('data-href="/units/requests/') == 1
    client.force_login(users.other)
    assert "Einkauf Zentral" not in client.get(reverse("interactions:units")).content.decode()


def test_api_filters_and_rules(users, api):
    u1, u2, *_ = build_units(users)
    client = api(users.owner)
    data = client.get("/api/interactions/unit-requests/?overdue=true").json()
    assert [r["is_overdue"] for r in data["results"]] == [True]
    same = client.post(
        "/api/interactions/unit-requests/",
        {"title": "X", "requester": u1.pk, "server": u1.pk},
        format="json",
    )
    assert same.status_code == 400 and "server" in same.json()
    assert UnitRequest.objects.count() == 5
