"""The client's service pages: cases, trainings, maintenance requests — only their own
organization's, landing in Accord for the owning team with a notification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.core.models import Notification
from accord.core.testing.matrix import make_users
from accord.interactions.services import interaction_create
from accord.parties.models import Organization
from accord.portal.testing import make_account, portal_client
from accord.servicedesk.models import Case, ServiceAppointment, TrainingRegistration
from accord.servicedesk.services.cases import case_add_interaction, case_set_status
from accord.servicedesk.tests.factories_appointments import make_training
from accord.servicedesk.tests.factories_cases import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    users = make_users()
    ours = Organization.objects.create(
        name="Kunde A GmbH", is_client=True, owner=users.owner, team=users.team_a
    )
    theirs = Organization.objects.create(
        name="Kunde B AG", is_client=True, owner=users.other, team=users.team_b
    )
    account = make_account(ours, email="technik@kunde-a.example")
    records = {}
    for key, org, owner, team in (
        ("a", ours, users.owner, users.team_a),
        ("b", theirs, users.other, users.team_b),
    ):
        records[key] = {
            "case": make_case(owner=owner, team=team, organization=org),
            "training": make_training(owner=owner, team=team, organization=org, capacity=1),
        }
    return users, ours, account, records


def test_open_case_lands_for_the_team(world):
    users, org, account, _records = world
    browser = portal_client(account)
    bad = browser.post(reverse("portal:case_new"), {"subject": "", "description": "x"})
    assert bad.status_code == 400 and "Say in a few words" in bad.content.decode()
    hostile = browser.post(
        reverse("portal:case_new"),
        {
            "subject": "Anlage steht",
            "description": "<script>alert(1)</script>",
            "priority": "urgent",
        },
    )
    assert hostile.status_code == 400 and "Choose low, normal or high." in hostile.content.decode()
    done = browser.post(
        reverse("portal:case_new"),
        {"subject": "Anlage steht", "description": "<script>alert(1)</script>", "priority": "high"},
    )
    case = Case.objects.get(subject="Anlage steht")
    assert done.url == reverse("portal:case_detail", args=[case.pk])
    assert (case.organization, case.person, case.owner, case.team) == (
        org,
        account.person,
        users.owner,
        users.team_a,
    )
    page = browser.get(done.url).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert Notification.objects.filter(user=users.owner, title__contains=case.number).exists()


def test_answers_reopen_a_waiting_case_and_internal_messages_stay_hidden(world):
    users, _org, account, records = world
    case = records["a"]["case"]
    case_add_interaction(
        actor=users.owner,
        case=case,
        data={"kind": "email", "direction": "outbound", "subject": "Re", "body": "Wir prüfen das."},
    )
    internal = interaction_create(
        actor=users.owner,
        data={
            "kind": "note",
            "direction": "internal",
            "subject": "intern",
            "body": "GEHEIM",
            "organizations": [case.organization_id],
        },
    )
    case.interactions.add(internal)
    case_set_status(actor=users.owner, case=case, status="waiting")
    browser = portal_client(account)
    page = browser.get(reverse("portal:case_detail", args=[case.pk])).content.decode()
    assert "Wir prüfen das." in page and "GEHEIM" not in page
    empty = browser.post(reverse("portal:case_detail", args=[case.pk]), {"text": "  "})
    assert empty.status_code == 400
    browser.post(reverse("portal:case_detail", args=[case.pk]), {"text": "Fehlercode E42"})
    case.refresh_from_db()
    assert case.status == "open"
    assert case.interactions.filter(direction="inbound", body="Fehlercode E42").exists()


def test_closed_case_takes_no_more_messages(world):
    users, _org, account, records = world
    case = records["a"]["case"]
    case_set_status(actor=users.owner, case=case, status="closed")
    browser = portal_client(account)
    response = browser.post(reverse("portal:case_detail", args=[case.pk]), {"text": "Hallo?"})
    assert response.status_code == 400 and "closed" in response.content.decode()


def test_booking_a_training_and_the_waiting_list(world):
    users, org, account, records = world
    training = records["a"]["training"]
    browser = portal_client(account)
    listing = browser.get(reverse("portal:services")).content.decode()
    assert training.appointment.title in listing
    browser.post(reverse("portal:training_book", args=[training.pk]))
    registration = TrainingRegistration.objects.get(training=training, person=account.person)
    assert registration.status == "registered"
    again = browser.post(reverse("portal:training_book", args=[training.pk]), follow=True)
    assert "already on the list" in again.content.decode()
    other = make_account(org, email="zweite@kunde-a.example")
    portal_client(other).post(reverse("portal:training_book", args=[training.pk]))
    assert TrainingRegistration.objects.get(person=other.person).status == "waitlisted"


def test_maintenance_request(world):
    users, org, account, _records = world
    browser = portal_client(account)
    past = browser.post(
        reverse("portal:maintenance_request"),
        {"title": "Jahreswartung", "starts_at": "2020-01-01T09:00"},
    )
    assert past.status_code == 400 and "in the future" in past.content.decode()
    garbage = browser.post(
        reverse("portal:maintenance_request"), {"title": "Jahreswartung", "starts_at": "morgen"}
    )
    assert garbage.status_code == 400 and "Enter a date and time." in garbage.content.decode()
    wished = (timezone.localtime() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    ok = browser.post(
        reverse("portal:maintenance_request"),
        {"title": "Jahreswartung", "starts_at": wished.strftime("%Y-%m-%dT%H:%M")},
    )
    assert ok.status_code == 302
    appointment = ServiceAppointment.objects.get(title="Jahreswartung")
    assert appointment.status == "requested" and appointment.requested_by_portal
    assert appointment.organization == org and appointment.team == users.team_a
    assert list(appointment.people.all()) == [account.person]
    assert Notification.objects.filter(user=users.owner, url=appointment.get_absolute_url())


def test_another_organizations_service_records_are_404(world):
    _users, _org, account, records = world
    browser = portal_client(account)
    case, training = records["b"]["case"], records["b"]["training"]
    assert browser.get(reverse("portal:case_detail", args=[case.pk])).status_code == 404
    assert (
        browser.post(reverse("portal:case_detail", args=[case.pk]), {"text": "x"}).status_code
        == 404
    )
    assert browser.post(reverse("portal:training_book", args=[training.pk])).status_code == 404
    listing = browser.get(reverse("portal:cases")).content.decode()
    assert records["a"]["case"].number in listing and case.number not in listing
    services = browser.get(reverse("portal:services")).content.decode()
    assert f"/portal/trainings/{training.pk}/book/" not in services
    assert not TrainingRegistration.objects.filter(training=training).exists()


def test_permissions_close_the_service_pages(world):
    _users, _org, account, records = world
    account.can_open_cases = False
    account.can_book_services = False
    account.save()
    browser = portal_client(account)
    assert browser.get(reverse("portal:cases")).status_code == 404
    assert browser.get(reverse("portal:case_new")).status_code == 404
    assert browser.get(reverse("portal:maintenance_request")).status_code == 404
    training = records["a"]["training"]
    assert browser.post(reverse("portal:training_book", args=[training.pk])).status_code == 404
    assert browser.get(reverse("portal:services")).status_code == 200


def test_case_list_filters_by_status_and_search_within_the_organization(world):
    users, org, account, records = world
    ours, theirs = records["a"]["case"], records["b"]["case"]
    waiting = make_case(
        owner=users.owner, team=users.team_a, organization=org, subject="Drucker offline"
    )
    case_set_status(actor=None, case=waiting, status="waiting")
    browser = portal_client(account)

    def listed(**params):
        body = browser.get(reverse("portal:cases"), params).content.decode()
        return sorted(
            case.number for case in (ours, theirs, waiting) if f">{case.number}</a>" in body
        )

    assert listed() == sorted([ours.number, waiting.number])
    assert listed(status="waiting") == [waiting.number]
    assert listed(q="drucker") == [waiting.number]
    assert listed(q=waiting.number) == [waiting.number]
    assert listed(q="Kühlzelle") == [ours.number]  # the other organization's case stays out
    assert listed(q="Kunde A") == []  # the organization's name is not searched
