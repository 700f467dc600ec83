"""The REST API: writes through the services, bad input named by field, filters, complete action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accord.interactions.models import FollowUp, Interaction

from .factories import FollowUpFactory, InteractionFactory, OrganizationFactory, PersonFactory

API = "/api/interactions/interactions/"
FOLLOW_UPS = "/api/interactions/follow-ups/"


@pytest.fixture
def api(people_and_teams):
    client = APIClient()
    client.force_authenticate(people_and_teams.anna)
    return client


@pytest.fixture
def org(people_and_teams):
    u = people_and_teams
    return OrganizationFactory(owner=u.anna, team=u.team_a, name="Kläranlage Süd")


def test_create_with_parties_and_inline_follow_up(api, people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = api.post(
        API,
        {
            "kind": "visit",
            "direction": "outbound",
            "occurred_at": "2024-06-03T10:00:00+02:00",
            "subject": "Besuch vor Ort",
            "people": [person.pk],
            "users": [u.ben.pk],
            "follow_up": {"title": "Protokoll", "due_date": due},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organizations"] == [org.pk] and body["people"] == [person.pk]
    assert body["users"] == [u.ben.pk]
    interaction = Interaction.objects.get(pk=body["id"])
    assert FollowUp.objects.get(interaction=interaction).assignee == u.anna
    org.refresh_from_db()
    assert org.last_interaction_at == dt.datetime(2024, 6, 3, 8, 0, tzinfo=dt.UTC)


def test_bad_input_named_by_field(api, people_and_teams, org):
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = api.post(
        API,
        {"kind": "email", "occurred_at": future, "subject": "x", "organizations": [org.pk]},
        format="json",
    )
    assert response.status_code == 400 and "occurred_at" in response.json()
    response = api.post(API, {"kind": "note", "subject": "Ohne Partei"}, format="json")
    assert response.status_code == 400 and "organizations" in response.json()
    foreign = OrganizationFactory(owner=people_and_teams.carla, team=people_and_teams.team_b)
    response = api.post(
        API, {"kind": "note", "subject": "x", "organizations": [foreign.pk]}, format="json"
    )
    assert response.status_code == 400 and "organizations" in response.json()
    response = api.post(
        API, {"kind": "fax", "subject": "", "organizations": [org.pk]}, format="json"
    )
    assert response.status_code == 400 and {"kind", "subject"} <= set(response.json())
    response = api.post(FOLLOW_UPS, {"title": "x", "due_date": "1999-01-01"}, format="json")
    assert response.status_code == 400 and "due_date" in response.json()


def test_hostile_strings_round_trip(api, org):
    hostile = "<img src=x onerror=alert(1)> Grüße 🚀 \u0007"
    response = api.post(
        API,
        {"kind": "note", "subject": hostile, "body": "ä" * 10000, "organizations": [org.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content
    got = api.get(f"{API}{response.json()['id']}/").json()
    assert got["subject"] == hostile and got["body"] == "ä" * 10000


def test_update_moves_time_and_parties(api, people_and_teams, org):
    u = people_and_teams
    other = OrganizationFactory(owner=u.anna, team=u.team_a)
    interaction = InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org])
    response = api.patch(
        f"{API}{interaction.pk}/",
        {"organizations": [other.pk], "occurred_at": "2024-02-01T12:00:00Z"},
        format="json",
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    other.refresh_from_db()
    assert org.last_interaction_at is None
    assert other.last_interaction_at == dt.datetime(2024, 2, 1, 12, 0, tzinfo=dt.UTC)


def test_interaction_filters_search_ordering(api, people_and_teams, org):
    u = people_and_teams
    other = OrganizationFactory(owner=u.anna, team=u.team_a)
    person = PersonFactory(organization=org)
    a = InteractionFactory(
        owner=u.anna,
        team=u.team_a,
        organizations=[org],
        people=[person],
        kind="email",
        subject="Rechnung März",
        occurred_at=timezone.now() - dt.timedelta(days=40),
    )
    b = InteractionFactory(
        owner=u.ben,
        team=u.team_a,
        organizations=[other],
        kind="meeting",
        direction="inbound",
        subject="Workshop",
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )

    def ids(**params):
        response = api.get(API, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [b.pk, a.pk]
    assert ids(kind="email") == [a.pk]
    assert ids(direction="inbound") == [b.pk]
    assert ids(organization=org.pk) == [a.pk]
    assert ids(person=person.pk) == [a.pk]
    assert ids(owner=u.ben.pk) == [b.pk]
    assert ids(team=u.team_a.pk) == [b.pk, a.pk]
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert ids(occurred_after=since) == [b.pk]
    assert ids(occurred_before=since) == [a.pk]
    assert ids(search="rechnung") == [a.pk]
    assert ids(q="workshop") == [b.pk]
    assert ids(ordering="occurred_at") == [a.pk, b.pk]
    assert api.get(API, {"kind": "fax"}).status_code == 400


def test_followup_filters_and_complete(api, people_and_teams, org):
    u = people_and_teams
    today = timezone.localdate()
    late = FollowUpFactory(
        owner=u.anna,
        team=u.team_a,
        assignee=u.anna,
        organization=org,
        due_date=today - dt.timedelta(days=3),
    )
    soon = FollowUpFactory(owner=u.anna, team=u.team_a, assignee=u.ben)
    done = FollowUpFactory(owner=u.anna, team=u.team_a, assignee=u.anna, status="done")

    def ids(**params):
        response = api.get(FOLLOW_UPS, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert set(ids()) == {late.pk, soon.pk, done.pk}
    assert ids(overdue="true") == [late.pk]
    assert set(ids(status="open")) == {late.pk, soon.pk}
    assert ids(assignee=u.ben.pk) == [soon.pk]
    assert ids(organization=org.pk) == [late.pk]
    assert ids(due_before=(today - dt.timedelta(days=1)).isoformat()) == [late.pk]
    assert set(ids(due_after=today.isoformat())) == {soon.pk, done.pk}
    row = api.get(f"{FOLLOW_UPS}{late.pk}/").json()
    assert row["is_overdue"] is True
    response = api.post(f"{FOLLOW_UPS}{late.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["completed_at"]
    response = api.post(f"{FOLLOW_UPS}{late.pk}/reopen/")
    assert response.json()["status"] == "open" and response.json()["completed_at"] is None


def test_viewer_and_other_team_may_not_complete(people_and_teams):
    u = people_and_teams
    followup = FollowUpFactory(owner=u.anna, team=u.team_a, assignee=u.anna)
    client = APIClient()
    client.force_authenticate(u.viewer)
    assert client.post(f"{FOLLOW_UPS}{followup.pk}/complete/").status_code == 403
    client.force_authenticate(u.carla)
    assert client.post(f"{FOLLOW_UPS}{followup.pk}/complete/").status_code == 404
    assert FollowUp.objects.get(pk=followup.pk).status == "open"


def test_schema_lists_the_endpoints(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/interactions/follow-ups/{id}/complete/" in text
    assert "/api/interactions/interactions/" in text
