"""The private calendar subscription: a token shown once and stored only as a hash, a feed that
calendars accept, holding only what its user may see, and revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accord.dataio.calendars import services
from accord.dataio.calendars.models import CalendarFeed
from accord.interactions import services as interactions
from accord.parties.tests.factories import OrganizationFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(users):
    """The owner's meetings and follow-ups, and a colleague's that the owner must not get."""
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller; Söhne, GmbH")
    anna = make_person(owner=users.owner, team=users.team_a, last_name="Müller", organization=org)
    now = timezone.now()

    def meeting(actor, subject, when, **extra):
        return interactions.interaction_create(
            actor=actor,
            data={
                "kind": "meeting",
                "subject": subject,
                "occurred_at": when,
                "duration_minutes": 45,
                "people": [anna.pk],
                **extra,
            },
        )

    ns = {
        "anna": anna,
        "upcoming": meeting(
            users.owner,
            "Jahresgespräch, Teil 1; Preise",
            now + dt.timedelta(days=3),
            body="Agenda:\nPreise\\Rabatte",
        ),
        "recent": meeting(users.owner, "Rückblick", now - dt.timedelta(days=10)),
        "old": meeting(users.owner, "Uralt", now - dt.timedelta(days=200)),
        "call": interactions.interaction_create(
            actor=users.owner,
            data={"kind": "call", "subject": "Kein Termin", "people": [anna.pk]},
        ),
        "as_participant": meeting(
            users.manager, "Mit dem Chef", now + dt.timedelta(days=1), users=[users.owner]
        ),
        "foreign": meeting(users.manager, "Fremd", now + dt.timedelta(days=2)),
        "follow_up": interactions.followup_create(
            actor=users.owner,
            data={
                "title": "Angebot nachfassen",
                "due_date": now.date() + dt.timedelta(days=2),
                "person": anna.pk,
            },
        ),
        "done": interactions.followup_create(
            actor=users.owner,
            data={"title": "Erledigt", "due_date": now.date(), "status": "done"},
        ),
        "someone_elses": interactions.followup_create(
            actor=users.manager,
            data={"title": "Nicht meins", "due_date": now.date(), "assignee": users.manager},
        ),
    }
    return type("Data", (), ns)


def _token_from(html: str) -> str:
    match = re.search(r"/calendar/feed/([A-Za-z0-9_\-]+)\.ics", html)
    assert match, "the page shows the URL"
    return match.group(1)


def test_creating_shows_the_url_once_and_stores_only_a_hash(users, client_for):
    client = client_for(users.owner)
    page = client.get(reverse("calendars:subscription")).content.decode()
    assert "You have no subscription URL" in page
    response = client.post(reverse("calendars:subscription_rotate"))
    token = _token_from(response.content.decode())
    assert len(token) >= 43
    feed = CalendarFeed.objects.get(user=users.owner)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(CalendarFeed.objects.values_list().get())
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("calendars:subscription")).content.decode()
    assert token not in again and "/calendar/feed/" not in again
    assert "Replace the URL" in again


def test_feed_holds_the_users_meetings_and_open_follow_ups(users, client_for, data):
    token = services.calendar_feed_rotate(actor=users.owner)
    response = client_for(users.other).get(f"/calendar/feed/{token}.ics")  # no session needed
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Accord" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]).startswith("Accord")
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Jahresgespräch, Teil 1; Preise",
        "Rückblick",
        "Mit dem Chef",
        "Follow-up: Angebot nachfassen",
    }
    upcoming = events["Jahresgespräch, Teil 1; Preise"]
    assert str(upcoming["UID"]) == f"interaction-{data.upcoming.pk}@testserver"
    assert upcoming.decoded("DTSTART") == data.upcoming.occurred_at.replace(microsecond=0)
    assert upcoming.decoded("DTEND") - upcoming.decoded("DTSTART") == dt.timedelta(minutes=45)
    assert upcoming.decoded("DTSTAMP").tzinfo is not None
    assert "Agenda:\nPreise\\Rabatte" in str(upcoming["DESCRIPTION"])
    assert b"Jahresgespr\xc3\xa4ch\\, Teil 1\\; Preise" in raw  # escaped text
    follow_up = events["Follow-up: Angebot nachfassen"]
    assert follow_up.decoded("DTSTART") == data.follow_up.due_date
    assert str(follow_up["UID"]) == f"followup-{data.follow_up.pk}@testserver"
    assert str(follow_up["TRANSP"]) == "TRANSPARENT"
    feed = CalendarFeed.objects.get(user=users.owner)
    assert feed.last_used_at is not None


def test_uids_are_stable_between_fetches(users, client, data):
    token = services.calendar_feed_rotate(actor=users.owner)
    first = client.get(f"/calendar/feed/{token}.ics").content
    second = client.get(f"/calendar/feed/{token}.ics").content
    assert first == second


def test_revoked_rotated_unknown_and_inactive_give_404(users, client, client_for, data):
    token = services.calendar_feed_rotate(actor=users.owner)
    url = f"/calendar/feed/{token}.ics"
    assert client.get(url).status_code == 200
    newer = services.calendar_feed_rotate(actor=users.owner)
    assert client.get(url).status_code == 404
    assert client.get(f"/calendar/feed/{newer}.ics").status_code == 200
    client_for(users.owner).post(reverse("calendars:subscription_revoke"))
    assert client.get(f"/calendar/feed/{newer}.ics").status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404
    token = services.calendar_feed_rotate(actor=users.other)
    users.other.is_active = False
    users.other.save()
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_member_feed_leaves_out_what_they_may_not_see(users, client, data):
    token = services.calendar_feed_rotate(actor=users.other)
    body = client.get(f"/calendar/feed/{token}.ics").content.decode()
    assert "BEGIN:VEVENT" not in body
    assert "END:VCALENDAR" in body


def test_subscription_pages_need_a_login_and_a_post(users, client, client_for):
    assert client.get(reverse("calendars:subscription")).status_code == 302
    assert client_for(users.owner).get(reverse("calendars:subscription_rotate")).status_code == 405
    # a viewer may subscribe too: their own follow-ups are theirs to see
    response = client_for(users.viewer).post(reverse("calendars:subscription_rotate"))
    assert response.status_code == 200
    assert CalendarFeed.objects.filter(user=users.viewer).exists()


def test_profile_page_links_to_the_subscription(users, client_for):
    page = client_for(users.owner).get(reverse("users:profile")).content.decode()
    assert reverse("calendars:subscription") in page


def test_api_rotate_status_and_revoke(users, api, client, data):
    client_api = api(users.owner)
    assert client_api.get("/api/calendar/feed/").json()["exists"] is False
    created = client_api.post("/api/calendar/feed/rotate/")
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.startswith("http://testserver/calendar/feed/") and url.endswith(".ics")
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    status = client_api.get("/api/calendar/feed/").json()
    assert status["exists"] is True and status["last_used_at"] is not None
    assert client_api.delete("/api/calendar/feed/revoke/").status_code == 204
    assert client.get(url.removeprefix("http://testserver")).status_code == 404
    assert api(users.viewer).post("/api/calendar/feed/rotate/").status_code == 201
