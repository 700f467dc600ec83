"""Reminders of upcoming service appointments: the owner and our staff hear of an appointment
once, the day before (tomorrow in Berlin, not in UTC), never of a cancelled or done one, nor of
one further ahead; the daily job runs the rule."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from accord.core.jobs import job_kind, periodic_jobs, run_jobs_now, start_job
from accord.core.models import Notification
from accord.servicedesk.services.reminders import NOTIFICATION_KIND, remind_upcoming
from accord.servicedesk.tasks_appointments import REMIND_JOB

from .factories_appointments import (  # noqa: F401  (fixtures)
    make_appointment,
    make_organization,
    users_fixture,
)

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def org(users):
    return make_organization(owner=users.owner, team=users.team_a)


def reminded(appointment) -> set[str]:
    """The emails of the users reminded of `appointment`."""
    notes = Notification.objects.filter(key__startswith=f"appointment:{appointment.pk}:reminder:")
    return set(notes.values_list("user__email", flat=True))


def test_owner_and_staff_are_reminded_once_the_day_before(users, org):
    u = users
    appointment = make_appointment(
        owner=u.owner,
        team=u.team_a,
        organization=org,
        title="Wartung Kälteanlage",
        starts_at=berlin(3, 31, 9),
        staff=[u.owner, u.other],
    )
    first = remind_upcoming(now=berlin(3, 30, 8))
    assert (first.appointments, first.notified) == (1, 2)  # the owner once, though also staff
    assert reminded(appointment) == {u.owner.email, u.other.email}
    note = Notification.objects.get(user=u.other)
    assert "Wartung Kälteanlage" in note.title and note.kind == NOTIFICATION_KIND
    assert note.url == appointment.get_absolute_url()
    assert note.due_on == dt.date(2026, 3, 31)
    assert "Werk Hamburg, Halle 3" in note.body and str(org) in note.body
    # running again, the same day or later, tells nobody twice
    assert remind_upcoming(now=berlin(3, 30, 8)).notified == 0
    assert remind_upcoming(now=berlin(3, 30, 20)).notified == 0
    assert Notification.objects.count() == 2
    # moved to another time: reminded of the new time
    appointment.starts_at = berlin(3, 31, 14)
    appointment.ends_at = berlin(3, 31, 16)
    appointment.save()
    assert remind_upcoming(now=berlin(3, 30, 21)).notified == 2


def test_not_for_cancelled_or_done_appointments_nor_those_further_ahead(users, org):
    u = users

    def appointment(starts_at, status="planned"):
        return make_appointment(
            owner=u.owner, team=u.team_a, organization=org, starts_at=starts_at, status=status
        )

    tomorrow = {
        status: appointment(berlin(3, 31, 10), status)
        for status in ("requested", "planned", "confirmed", "cancelled", "done")
    }
    later = appointment(berlin(4, 1, 9))  # the day after tomorrow
    started = appointment(berlin(3, 30, 7))  # today, already begun
    result = remind_upcoming(now=berlin(3, 30, 8))
    assert (result.appointments, result.notified) == (3, 3)
    for status, appt in tomorrow.items():
        assert reminded(appt) == (set() if status in ("cancelled", "done") else {u.owner.email}), (
            status
        )
    assert reminded(later) == set() and reminded(started) == set()


def test_tomorrow_is_counted_in_berlin_not_in_utc(users, org):
    u = users

    def appointment(starts_at):
        return make_appointment(owner=u.owner, team=u.team_a, organization=org, starts_at=starts_at)

    late_tomorrow = appointment(berlin(3, 31, 23, 30))  # 21:30 UTC on 31 March
    after_midnight = appointment(berlin(4, 1, 0, 30))  # 22:30 UTC on 31 March: not tomorrow
    # 23:30 on 30 March in Berlin is 21:30 UTC: "tomorrow" is 31 March in both, but its end
    # is midnight in Berlin, not in UTC; the zone of the running process does not matter
    with timezone.override("UTC"):
        remind_upcoming(now=berlin(3, 30, 23, 30))
    assert reminded(late_tomorrow) == {u.owner.email}
    assert reminded(after_midnight) == set()
    # 00:30 on 31 March in Berlin is still 30 March in UTC: tomorrow is 1 April in Berlin
    next_day = appointment(berlin(4, 1, 10))
    with timezone.override("UTC"):
        remind_upcoming(now=berlin(3, 31, 0, 30))
    assert reminded(after_midnight) == {u.owner.email}
    assert reminded(next_day) == {u.owner.email}


def test_the_daily_job_sends_the_reminders(users, org):
    assert job_kind(REMIND_JOB).heavy is False
    assert any(p.kind == REMIND_JOB for p in periodic_jobs())
    tomorrow = timezone.now().astimezone(BERLIN).date() + dt.timedelta(days=1)
    starts = dt.datetime.combine(tomorrow, dt.time(10), tzinfo=BERLIN)
    appointment = make_appointment(
        owner=users.owner, team=users.team_a, organization=org, starts_at=starts
    )
    job = start_job(None, REMIND_JOB)
    run_jobs_now()
    job.refresh_from_db()
    assert job.status == "succeeded", job.errors
    assert job.counts == {"notified": 1} and job.done == 1
    assert reminded(appointment) == {users.owner.email}
