"""iCalendar import: events become meetings once (by UID and RECURRENCE-ID), with their people,
our participants, the organizer's direction and the right time; bad events are named."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest

from accord.core.jobs import run_jobs_now
from accord.core.models import Job
from accord.dataio.calendars.parsing import iter_blocks, parse_vevent, read_timezones
from accord.interactions.models import Interaction, InteractionAddress
from accord.parties.tests.factories import OrganizationFactory, make_person

from .conftest import sample

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def anna(users):
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller & Söhne")
    return make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="Anna",
        last_name="Müller",
        organization=org,
        email="anna.mueller@mueller.example",
    )


def test_outlook_event_with_its_own_time_zone_becomes_a_meeting(users, anna, run_import):
    job = run_import(users.owner, "ical", sample("outlook.ics"), name="outlook.ics")
    assert job.status == "succeeded", job.failure
    assert job.counts == {"created": 1, "skipped": 1}
    meeting = Interaction.objects.get()
    assert meeting.kind == "meeting" and meeting.source == "calendar"
    assert meeting.source_id.startswith("ical:040000008200E00074C5B7101A82E008")
    assert meeting.occurred_at == dt.datetime(2024, 6, 12, 8, 0, tzinfo=dt.UTC)  # 10:00 CEST
    assert meeting.duration_minutes == 90
    assert meeting.subject == "Jahresgespräch Müller & Söhne"
    assert meeting.body == (
        "Agenda:\n1. Preise; Rabatte\n2. Liefertermine, Q3\n\nLocation: Besprechungsraum München"
    )
    assert meeting.direction == "outbound"  # organised by one of us
    assert list(meeting.people.all()) == [anna]
    assert list(meeting.organizations.all()) == [anna.organization]
    assert set(meeting.users.all()) == {users.owner, users.other}
    assert meeting.owner == users.owner and meeting.team is None
    assert set(InteractionAddress.objects.values_list("role", "address")) == {
        ("from", "owner@example.test"),
        ("to", "anna.mueller@mueller.example"),
        ("to", "someone@elsewhere.example"),
        ("to", "other@example.test"),
    }
    anna.refresh_from_db()
    assert anna.last_interaction_at == meeting.occurred_at
    # the private all-day event has nobody of ours: listed, not imported
    assert job.errors == [
        {
            "where": "event 2 (“Privat: Geburtstag”, UID private-birthday@example)",
            "message": "none of its attendees is a person in Accord you may see",
        }
    ]
    # visible to the importer, to a participant, and to the person's owner; not to others
    assert Interaction.objects.visible_to(users.other).count() == 1
    assert Interaction.objects.visible_to(users.viewer).count() == 0


def test_google_series_override_and_bad_events(users, anna, run_import):
    job = run_import(users.owner, "ical", sample("google.ics"))
    assert job.status == "succeeded", job.failure
    assert job.counts == {"created": 2, "failed": 3, "skipped": 1}
    series, moved = Interaction.objects.order_by("occurred_at")
    assert series.source_id == "ical:weekly-sync@google.com"
    assert series.direction == "inbound"  # organised by Anna
    assert series.duration_minutes == 30
    assert moved.source_id == "ical:weekly-sync@google.com|20240115T090000Z"
    assert moved.occurred_at == dt.datetime(2024, 1, 15, 14, 0, tzinfo=BERLIN)
    errors = {e["where"]: e["message"] for e in job.errors}
    assert errors["event 3 (“Bad date”, UID bad-date@google.com)"].startswith(
        "its DTSTART is not a valid date or time"
    )
    assert errors["event 4 (“Ends before it starts”, UID backwards@google.com)"] == (
        "it ends before it starts"
    )
    assert errors["event 5 (“Abgesagt”, UID cancelled@google.com)"] == "it is cancelled"
    assert errors["event 6 (“No start”, UID nostart@google.com)"] == "it has no start (DTSTART)"
    assert len(errors) == 4


def test_importing_again_creates_nothing_twice_and_follows_a_moved_meeting(users, anna, run_import):
    run_import(users.owner, "ical", sample("google.ics"))
    again = run_import(users.owner, "ical", sample("google.ics"))
    assert again.counts == {"unchanged": 2, "failed": 3, "skipped": 1}
    assert Interaction.objects.count() == 2
    moved = (
        sample("google.ics")
        .replace(b"DTSTART:20240108T090000Z", b"DTSTART:20240108T100000Z")
        .replace(b"DTEND:20240108T093000Z", b"DTEND:20240108T103000Z")
    )
    third = run_import(users.owner, "ical", moved)
    assert third.counts["updated"] == 1
    series = Interaction.objects.get(source_id="ical:weekly-sync@google.com")
    assert series.occurred_at == dt.datetime(2024, 1, 8, 10, 0, tzinfo=dt.UTC)
    assert Interaction.objects.count() == 2


def test_a_colleagues_import_is_left_alone(users, anna, run_import):
    run_import(users.owner, "ical", sample("outlook.ics"))
    make_person(
        owner=users.other,
        team=users.team_b,
        last_name="Zweit",
        email="anna.mueller@mueller.example",
    )
    job = run_import(users.other, "ical", sample("outlook.ics"))
    assert job.counts == {"skipped": 2}
    assert "a colleague has imported this event already" in job.errors[0]["message"]
    assert Interaction.objects.count() == 1


def test_a_broken_file_is_reported(users, run_import, anna):
    content = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:open"
    job = run_import(users.owner, "ical", content)
    assert job.counts == {"failed": 1}
    assert "not closed" in job.errors[0]["message"]
    empty = run_import(users.owner, "ical", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    assert empty.status == "failed"
    assert "holds no event" in empty.failure
    garbage = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20240101T100000Z\r\n"
        b'ATTENDEE;CN="unterminated:mailto:a@b.c\r\n\xff\xfe\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
    )
    broken = run_import(users.owner, "ical", garbage)
    assert broken.counts == {"failed": 1}
    assert broken.errors[0]["where"] == "event 1 (line 2)"
    assert "not UTF-8" in broken.errors[0]["message"]


def test_a_retried_import_goes_on_after_its_checkpoint(users, anna):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accord.dataio.calendars import services

    upload = services.calendar_import_start(
        actor=users.owner,
        file_format="ical",
        uploaded_file=SimpleUploadedFile("g.ics", sample("google.ics")),
    )
    Job.objects.filter(pk=upload.job_id).update(checkpoint={"event": 1}, done=1, total=6)
    run_jobs_now()
    upload.job.refresh_from_db()
    assert upload.job.done == 6
    assert list(Interaction.objects.values_list("source_id", flat=True)) == [
        "ical:weekly-sync@google.com|20240115T090000Z"
    ]


def test_floating_and_all_day_times_are_in_the_users_zone():
    text = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART:20240301T090000\r\n"
        b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20240302\r\n"
        b"DTEND;VALUE=DATE:20240303\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    zones, problems = read_timezones(io.BytesIO(text))
    assert zones == "" and problems == []
    floating, all_day = (
        parse_vevent(b, zones, BERLIN) for b in iter_blocks(io.BytesIO(text), ["VEVENT"])
    )
    assert floating.start == dt.datetime(2024, 3, 1, 9, 0, tzinfo=BERLIN)
    assert all_day.start == dt.datetime(2024, 3, 2, 0, 0, tzinfo=BERLIN)
    assert all_day.duration_minutes == 24 * 60


def test_api_starts_imports(users, api, anna):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(users.owner)
    response = client.post(
        "/api/calendar/events/import/",
        {"file": SimpleUploadedFile("o.ics", sample("outlook.ics"))},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert Job.objects.get(pk=body["job"]).kind == "calendars.ical_import"
    bad = client.post(
        "/api/calendar/events/import/",
        {"file": SimpleUploadedFile("o.ics", b"not a calendar")},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()
    viewer = api(users.viewer).post(
        "/api/calendar/vcards/import/",
        {"file": SimpleUploadedFile("a.vcf", sample("apple_3_0.vcf"))},
        format="multipart",
    )
    assert viewer.status_code == 403


def test_import_page(users, client_for, anna):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(users.owner)
    assert client.get(reverse("calendars:ical_import")).status_code == 200
    response = client.post(
        reverse("calendars:ical_import"),
        {"file": SimpleUploadedFile("o.ics", sample("outlook.ics"))},
    )
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    run_jobs_now()
    assert Interaction.objects.count() == 1
    viewer_page = client_for(users.viewer).get(reverse("calendars:ical_import")).content.decode()
    assert "may only read" in viewer_page
    data_hub = client.get(reverse("core:data_hub")).content.decode()
    for name in ("calendars:vcard_import", "calendars:ical_import", "calendars:subscription"):
        assert reverse(name) in data_hub
