"""The user's own contract dates in their calendar feed (`accord.dataio.calendars`): notice
deadlines, renewals and ends of the contracts they own and the due dates of their open
commitments, from 30 days back to a year ahead, as all-day events with stable UIDs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from .selectors.contracts import DUE, END, NOTICE, RENEWAL, CalendarEvent, calendar_events

BACK = dt.timedelta(days=30)
AHEAD = dt.timedelta(days=366)


def _summary(event: CalendarEvent) -> str:
    labels = {
        NOTICE: _("Notice deadline"),
        RENEWAL: _("Renewal"),
        END: _("Contract ends"),
        DUE: _("Commitment due"),
    }
    return f"{labels[event.kind]}: {event.title}"


def contract_date_events(user: Any, *, base_url: str, host: str) -> Iterator[Event]:
    today = timezone.localdate()
    stamp = timezone.now().astimezone(dt.UTC)
    for item in calendar_events(user, today - BACK, today + AHEAD, owned_only=True):
        ident = item.contract_id if item.contract_id is not None else item.commitment_id
        event = Event()
        event.add("uid", f"contract-{item.kind}-{ident}-{item.day:%Y%m%d}@{host or 'accord'}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", _summary(item))
        event.add("url", f"{base_url}{item.url}")
        event.add("description", f"{base_url}{item.url}")
        event.add("transp", "TRANSPARENT")
        event.add("categories", [_("Contracts")])
        yield event
