"""Service appointments and recurring schedules: the rules of the services, generation from the
recurrence rule (idempotent), re-planning after an edit, visibility and the calendar feed."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accord.core.jobs import job_kind, periodic_jobs
from accord.dataio.calendars import services as calendar_services
from accord.servicedesk import recurrence
from accord.servicedesk.models import ServiceAppointment, ServiceSchedule
from accord.servicedesk.selectors import appointments as selectors
from accord.servicedesk.services import appointments as services

from .factories_appointments import (  # noqa: F401  (fixtures)
    api_fixture,
    local,
    make_appointment,
    make_organization,
    make_person,
    make_schedule,
    users_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(users):
    return make_organization(owner=users.owner, team=users.team_a)


def _data(org, **extra):
    starts = timezone.now() + dt.timedelta(days=2)
    return {
        "organization": org,
        "kind": "visit",
        "title": "Besuch Betriebsleitung",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=1),
        **extra,
    }


# --- appointment rules ------------------------------------------------------------------------
def test_ending_before_it_starts_is_refused_naming_ends_at(users, org):
    data = _data(org)
    data["ends_at"] = data["starts_at"] - dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(actor=users.owner, data=data)
    assert list(exc.value.message_dict) == ["ends_at"]
    data["ends_at"] = data["starts_at"]
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(actor=users.owner, data=data)
    assert "ends_at" in exc.value.message_dict
    assert ServiceAppointment.objects.count() == 0


def test_organization_must_be_visible(users):
    hidden = make_organization(owner=users.other, team=users.team_b, name="Fremd GmbH")
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(actor=users.owner, data=_data(hidden))
    assert "organization" in exc.value.message_dict


def test_people_must_work_at_the_organization(users, org):
    inside = make_person(organization=org, owner=users.owner, team=users.team_a)
    elsewhere = make_organization(owner=users.owner, team=users.team_a, name="Andere AG")
    outside = make_person(
        organization=elsewhere, owner=users.owner, team=users.team_a, last_name="Außen"
    )
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(
            actor=users.owner, data=_data(org, people=[inside.pk, outside.pk])
        )
    assert "Außen" in exc.value.message_dict["people"][0]
    created = services.appointment_create(
        actor=users.owner, data=_data(org, people=[inside.pk], staff=[users.other.pk])
    )
    assert list(created.people.values_list("pk", flat=True)) == [inside.pk]
    assert created.owner == users.owner and created.team == users.team_a


def test_future_appointment_cannot_be_done_and_online_link_is_checked(users, org):
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(actor=users.owner, data=_data(org, status="done"))
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(actor=users.owner, data=_data(org, online_url="kein link"))
    assert "online_url" in exc.value.message_dict


def test_viewer_may_not_create(users, org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appointment_create(actor=users.viewer, data=_data(org))


# --- recurrence rules ---------------------------------------------------------------------------
def test_rule_builder_and_parser():
    monthly = recurrence.SimpleRule("MONTHLY", 6)
    assert recurrence.build_rule(monthly) == "FREQ=MONTHLY;INTERVAL=6"
    first_monday = recurrence.SimpleRule("MONTHLY", 3, weekday="MO", ordinal=1)
    assert recurrence.build_rule(first_monday) == "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO"
    assert recurrence.simple_from_rule("FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO") == first_monday
    assert recurrence.simple_from_rule("FREQ=MONTHLY;BYDAY=MO,TU") is None
    assert recurrence.normalize_rule(" rrule:freq=weekly; interval=2 ") == "FREQ=WEEKLY;INTERVAL=2"
    start = dt.datetime(2027, 1, 4, 9, 0)  # a Monday
    found = recurrence.first_occurrences("FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO", start=start, n=3)
    assert found == [
        dt.datetime(2027, 1, 4, 9, 0),
        dt.datetime(2027, 4, 5, 9, 0),
        dt.datetime(2027, 7, 5, 9, 0),
    ]
    for bad, code in (
        ("", "empty"),
        ("INTERVAL=2", "no_freq"),
        ("FREQ=MONTHLY;INTERVAL=abc", "syntax"),
        ("FREQ=SOMETIMES", "syntax"),
        ("FREQ=MONTHLY;COUNT=3", "forbidden"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never"),
    ):
        with pytest.raises(recurrence.RuleError) as exc:
            recurrence.parse_rule(bad, start)
        assert exc.value.code == code, bad


def test_bad_rules_are_refused_naming_the_field(users, org):
    base = {
        "organization": org,
        "title": "Wartung",
        "starts_at": local(2027, 1, 15),
        "rule": "FREQ=MONTHLY;INTERVAL=x",
    }
    with pytest.raises(ValidationError) as exc:
        services.schedule_create(actor=users.owner, data=base)
    assert "valid recurrence rule" in exc.value.message_dict["rule"][0]
    with pytest.raises(ValidationError) as exc:
        services.schedule_create(
            actor=users.owner, data={**base, "rule": "FREQ=MONTHLY;UNTIL=20271231T000000Z"}
        )
    assert "UNTIL" in exc.value.message_dict["rule"][0]
    with pytest.raises(ValidationError) as exc:
        services.schedule_create(
            actor=users.owner,
            data={**base, "rule": "FREQ=MONTHLY", "until": dt.date(2027, 12, 31), "count": 4},
        )
    assert list(exc.value.message_dict) == ["count"]
    with pytest.raises(ValidationError) as exc:
        services.schedule_create(
            actor=users.owner, data={**base, "rule": "FREQ=MONTHLY", "until": dt.date(2026, 1, 1)}
        )
    assert list(exc.value.message_dict) == ["until"]
    assert ServiceSchedule.objects.count() == 0


# --- generation ---------------------------------------------------------------------------------
NOW = local(2027, 1, 10, 8)


def _schedule(users, org, **extra):
    data = {
        "organization": org,
        "kind": "maintenance",
        "title": "Wartung Kälteanlage",
        "rule": "FREQ=MONTHLY",
        "starts_at": local(2027, 1, 15, 9),
        "duration_minutes": 120,
        "location": "Halle 3",
        "staff": [users.owner.pk],
        **extra,
    }
    return services.schedule_create(actor=users.owner, data=data, now=NOW)


def _starts(schedule):
    return [
        timezone.localtime(a.starts_at).strftime("%Y-%m-%d %H:%M")
        for a in schedule.appointments.order_by("starts_at")
    ]


def test_generation_creates_each_occurrence_once(users, org):
    schedule = _schedule(users, org)
    # window: 10 Jan 08:00 + 90 days = 10 Apr 08:00
    assert _starts(schedule) == ["2027-01-15 09:00", "2027-02-15 09:00", "2027-03-15 09:00"]
    first = schedule.appointments.order_by("starts_at").first()
    assert first.ends_at - first.starts_at == dt.timedelta(hours=2)
    assert first.owner == users.owner and first.status == "planned"
    assert list(first.staff.values_list("pk", flat=True)) == [users.owner.pk]
    again = services.schedule_generate(actor=users.owner, schedule=schedule, now=NOW)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert schedule.appointments.count() == 3
    # a month later the window reaches 15 April
    later = services.generate_all(now=NOW + dt.timedelta(days=31))
    assert later.created == 1
    assert _starts(schedule)[-1] == "2027-04-15 09:00"
    assert services.generate_all(now=NOW + dt.timedelta(days=31)).created == 0
    # the database refuses a second appointment for one occurrence
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceAppointment.objects.create(
            organization=org,
            title="Doppelt",
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            schedule=schedule,
            occurrence_start=first.occurrence_start,
        )


def test_deleted_generated_appointment_is_not_created_again(users, org):
    schedule = _schedule(users, org)
    february = schedule.appointments.order_by("starts_at")[1]
    services.appointment_delete(actor=users.owner, instance=february)
    assert services.generate_all(now=NOW + dt.timedelta(days=1)).created == 0
    assert _starts(schedule) == ["2027-01-15 09:00", "2027-03-15 09:00"]


def test_editing_the_schedule_replans_only_untouched_future_appointments(users, org):
    schedule = _schedule(users, org)
    january, february, march = schedule.appointments.order_by("starts_at")
    services.appointment_update(
        actor=users.owner, instance=january, data={"title": "Wartung mit Filtertausch"}
    )
    january.refresh_from_db()
    assert january.edited is True
    schedule = ServiceSchedule.objects.get(pk=schedule.pk)
    services.schedule_update(
        actor=users.owner,
        instance=schedule,
        data={"rule": "FREQ=MONTHLY;INTERVAL=2", "duration_minutes": 60, "title": "Inspektion"},
        now=NOW,
    )
    rows = list(schedule.appointments.order_by("starts_at"))
    assert [a.pk for a in rows] == [january.pk, march.pk]  # February is gone, no new rows
    assert not ServiceAppointment.objects.filter(pk=february.pk).exists()
    january.refresh_from_db()
    assert january.title == "Wartung mit Filtertausch"  # changed by hand: kept as it was
    assert january.ends_at - january.starts_at == dt.timedelta(hours=2)
    march.refresh_from_db()
    assert march.title == "Inspektion"
    assert march.ends_at - march.starts_at == dt.timedelta(hours=1)


def test_confirmed_and_past_appointments_survive_replanning_and_deletion(users, org):
    schedule = _schedule(users, org)
    january, february, march = schedule.appointments.order_by("starts_at")
    ServiceAppointment.objects.filter(pk=february.pk).update(status="confirmed")
    schedule = ServiceSchedule.objects.get(pk=schedule.pk)
    services.schedule_update(
        actor=users.owner, instance=schedule, data={"is_active": False}, now=NOW
    )
    assert list(schedule.appointments.values_list("pk", flat=True)) == [february.pk]
    services.schedule_update(
        actor=users.owner, instance=schedule, data={"is_active": True}, now=NOW
    )
    assert schedule.appointments.count() == 3
    services.schedule_delete(actor=users.owner, instance=schedule, now=NOW)
    kept = ServiceAppointment.objects.get()
    assert kept.pk == february.pk and kept.schedule_id is None


def test_generation_keeps_the_local_time_across_daylight_saving(users, org):
    schedule = _schedule(users, org, rule="FREQ=WEEKLY", starts_at=local(2027, 3, 22, 9), count=3)
    # summer time starts on 28 March 2027
    assert _starts(schedule) == ["2027-03-22 09:00", "2027-03-29 09:00", "2027-04-05 09:00"]
    utc_hours = [a.starts_at.astimezone(dt.UTC).hour for a in schedule.appointments.all()]
    assert sorted(utc_hours) == [7, 7, 8]


def test_daily_job_is_registered():
    assert job_kind("servicedesk.generate_appointments").heavy is False
    assert any(p.kind == "servicedesk.generate_appointments" for p in periodic_jobs())


def test_training_schedule_generates_trainings(users, org):
    schedule = _schedule(users, org, kind="training", count=2)
    assert schedule.appointments.count() == 2
    assert all(a.training.capacity == 12 for a in schedule.appointments.all())


# --- visibility and the calendar feed ----------------------------------------------------------
def test_member_does_not_see_another_teams_appointments_unless_staff(users, org):
    theirs = make_appointment(owner=users.owner, team=users.team_a, organization=org)
    assert not selectors.appointment_list(users.other).filter(pk=theirs.pk).exists()
    assert selectors.appointment_list(users.viewer).filter(pk=theirs.pk).exists()
    assert selectors.appointment_list(users.manager).filter(pk=theirs.pk).exists()
    theirs.staff.add(users.other)
    assert selectors.appointment_list(users.other).filter(pk=theirs.pk).exists()


def test_feed_contains_the_users_appointments(users, org, client):
    mine = make_appointment(owner=users.owner, team=users.team_a, organization=org)
    staffed = make_appointment(
        owner=users.manager, organization=org, title="Schulung vor Ort", staff=[users.owner]
    )
    make_appointment(owner=users.owner, team=users.team_a, organization=org, status="cancelled")
    make_appointment(owner=users.manager, organization=org, title="Nicht meins")
    old = make_appointment(
        owner=users.owner,
        team=users.team_a,
        organization=org,
        starts_at=timezone.now() - dt.timedelta(days=200),
    )
    token = calendar_services.calendar_feed_rotate(actor=users.owner)
    response = client.get(reverse("calendars:feed", args=[token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    uids = sorted(
        str(e["uid"]) for e in calendar.walk("VEVENT") if "serviceappointment" in str(e["uid"])
    )
    assert uids == sorted(f"serviceappointment-{a.pk}@testserver" for a in (mine, staffed))
    assert old.pk not in [int(u.split("-")[1].split("@")[0]) for u in uids]
    event = next(
        e for e in calendar.walk("VEVENT") if str(e["uid"]).endswith(f"-{mine.pk}@testserver")
    )
    assert str(event["location"]) == "Werk Hamburg, Halle 3"
    assert "Kältetechnik Nord GmbH" in str(event["summary"])
