"""Reminders of upcoming service appointments (the daily job `servicedesk.remind_appointments`).

The rule: `REMINDER_DAYS_AHEAD` days before an appointment that is still to take place (requested,
planned or confirmed — not done, not cancelled), its owner and our staff at it are notified once.
Days are counted in the company's time zone (`TIME_ZONE`, e.g. Europe/Berlin): with one day ahead,
a run on 30 March reminds of every appointment starting on 31 March in Berlin, from midnight to
midnight, whatever the date in UTC. A run also catches appointments between now and that day that
a missed run did not remind of. Each notification's key names the appointment and its start, so
running again tells nobody twice, and an appointment moved to another time is reminded of again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.core.notifications import notify
from accord.core.timezones import company_zone, user_zone

from ..models import AppointmentStatus, ServiceAppointment

REMINDER_DAYS_AHEAD: int = getattr(settings, "ACCORD_APPOINTMENT_REMINDER_DAYS", 1)
NOTIFICATION_KIND = "appointment_reminder"


@dataclass
class ReminderResult:
    """What one reminder run did: appointments in the window and notifications sent."""

    appointments: int = 0
    notified: int = 0


def reminder_window(
    now: dt.datetime, days_ahead: int = REMINDER_DAYS_AHEAD
) -> tuple[dt.datetime, dt.datetime]:
    """[now, midnight after the day `days_ahead` days after today), today in the company's zone."""
    zone = company_zone()
    last_day = now.astimezone(zone).date() + dt.timedelta(days=days_ahead)
    return now, dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _recipients(appointment: ServiceAppointment) -> list[Any]:
    """The owner and our staff at the appointment, each once."""
    people = [appointment.owner, *appointment.staff.all()]
    seen: set[int] = set()
    out = []
    for user in people:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


def _tell(user: Any, appointment: ServiceAppointment) -> bool:
    zone = user_zone(user)
    starts = appointment.starts_at.astimezone(zone)
    ends = appointment.ends_at.astimezone(zone)
    when = formats.date_format(starts, "SHORT_DATETIME_FORMAT")
    title = _("Upcoming appointment: “%(title)s” on %(start)s") % {
        "title": appointment.title,
        "start": when,
    }
    body = _("%(kind)s with %(organization)s from %(start)s to %(end)s.") % {
        "kind": appointment.get_kind_display(),
        "organization": appointment.organization,
        "start": when,
        "end": formats.date_format(ends, "SHORT_DATETIME_FORMAT"),
    }
    place = appointment.location or appointment.online_url
    if place:
        body += " " + _("Place: %(place)s") % {"place": place}
    note = notify(
        user,
        key=f"appointment:{appointment.pk}:reminder:{appointment.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M}",
        title=title,
        body=body,
        url=appointment.get_absolute_url(),
        kind=NOTIFICATION_KIND,
        due_on=starts.date(),
    )
    return note is not None


def remind_upcoming(
    *, now: dt.datetime | None = None, days_ahead: int = REMINDER_DAYS_AHEAD
) -> ReminderResult:
    """Notify the owner and our staff of each appointment still to take place that starts
    between `now` and the end of the day `days_ahead` days ahead (see the module docstring)."""
    since, until = reminder_window(now or timezone.now(), days_ahead)
    upcoming = (
        ServiceAppointment.objects.filter(starts_at__gte=since, starts_at__lt=until)
        .exclude(status__in=(AppointmentStatus.DONE, AppointmentStatus.CANCELLED))
        .select_related("owner", "organization")
        .prefetch_related("staff")
        .order_by("starts_at", "id")
    )
    result = ReminderResult()
    for appointment in upcoming:
        result.appointments += 1
        for user in _recipients(appointment):
            result.notified += _tell(user, appointment)
    return result
