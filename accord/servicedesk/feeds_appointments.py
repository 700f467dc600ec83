"""Service appointments in the user's calendar feed (`accord.dataio.calendars`): those the user
owns or attends as staff, from 90 days back on, as VEVENTs with a stable UID
(`serviceappointment-<id>@<host>`), the place or online link as LOCATION, and TENTATIVE while
requested or planned, CONFIRMED once confirmed or done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from .models import AppointmentStatus, ServiceAppointment
from .selectors.appointments import feed_appointments

MAX_DESCRIPTION = 4000


def appointment_event(appointment: ServiceAppointment, *, base_url: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"serviceappointment-{appointment.pk}@{host or 'accord'}")
    stamp = (appointment.updated_at or appointment.created_at or timezone.now()).astimezone(dt.UTC)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", appointment.starts_at.astimezone(dt.UTC))
    event.add("dtend", appointment.ends_at.astimezone(dt.UTC))
    event.add(
        "summary",
        f"{appointment.title} · {appointment.organization.name}",
    )
    place = appointment.location or appointment.online_url
    if place:
        event.add("location", place)
    url = f"{base_url}{appointment.get_absolute_url()}"
    people = ", ".join(p.full_name for p in appointment.people.all())
    lines = [
        f"{appointment.get_kind_display()} · {appointment.get_status_display()}",
        _("With: %(parties)s") % {"parties": people} if people else "",
        appointment.online_url,
        url,
    ]
    text = "\n\n".join(line for line in lines if line)
    event.add("description", text[:MAX_DESCRIPTION])
    event.add("url", url)
    confirmed = appointment.status in (AppointmentStatus.CONFIRMED, AppointmentStatus.DONE)
    event.add("status", "CONFIRMED" if confirmed else "TENTATIVE")
    event.add("transp", "OPAQUE")
    event.add("categories", [_("Service appointment")])
    return event


def appointment_events(user: Any, *, base_url: str, host: str) -> Iterator[Event]:
    for appointment in feed_appointments(user):
        yield appointment_event(appointment, base_url=base_url, host=host)
