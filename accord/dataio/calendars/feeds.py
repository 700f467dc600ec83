"""The calendar feed as iCalendar text (RFC 5545), for Outlook, Thunderbird, Apple and Google
calendars and phones.

A VCALENDAR with PRODID, VERSION 2.0, METHOD PUBLISH and X-WR-CALNAME; each meeting a VEVENT in
UTC, each open follow-up an all-day VEVENT on its due date (marked free, so it blocks no time —
calendars that subscribe to a URL show VEVENTs, few show VTODOs). UIDs are stable
(`interaction-<id>@<host>`, `followup-<id>@<host>`), so a client updates an event instead of
adding a second one; DTSTAMP and LAST-MODIFIED are the record's last change. The icalendar library
escapes text and folds long lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accord.interactions.models import FollowUp, Interaction

DEFAULT_MEETING_MINUTES = 60
MAX_DESCRIPTION = 4000


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _uid(kind: str, pk: int, host: str) -> str:
    return f"{kind}-{pk}@{host or 'accord'}"


def _description(*parts: str) -> str:
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    return text[:MAX_DESCRIPTION] + ("…" if len(text) > MAX_DESCRIPTION else "")


def meeting_event(meeting: Interaction, *, base_url: str, host: str) -> Event:
    event = Event()
    event.add("uid", _uid("interaction", meeting.pk, host))
    stamp = _utc(meeting.updated_at or meeting.created_at or timezone.now())
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    start = _utc(meeting.occurred_at)
    event.add("dtstart", start)
    minutes = meeting.duration_minutes or DEFAULT_MEETING_MINUTES
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", meeting.subject)
    people = ", ".join(p.full_name for p in meeting.people.all())
    orgs = ", ".join(o.name for o in meeting.organizations.all())
    with_line = ""
    if people or orgs:
        with_line = _("With: %(parties)s") % {"parties": " · ".join(p for p in (people, orgs) if p)}
    url = f"{base_url}{meeting.get_absolute_url()}"
    event.add("description", _description(with_line, meeting.body, url))
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("categories", [_("Meeting")])
    return event


def follow_up_event(follow_up: FollowUp, *, base_url: str, host: str) -> Event:
    event = Event()
    event.add("uid", _uid("followup", follow_up.pk, host))
    stamp = _utc(follow_up.updated_at or follow_up.created_at or timezone.now())
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", follow_up.due_date)
    event.add("dtend", follow_up.due_date + dt.timedelta(days=1))
    event.add("summary", _("Follow-up: %(title)s") % {"title": follow_up.title})
    about = [str(x) for x in (follow_up.organization, follow_up.person) if x is not None]
    about_line = _("About: %(what)s") % {"what": ", ".join(about)} if about else ""
    url = f"{base_url}{follow_up.get_absolute_url()}"
    event.add("description", _description(about_line, follow_up.notes, url))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    event.add("categories", [_("Follow-up")])
    return event


# Other apps add their events to every feed (e.g. service appointments): a source is called as
# `source(user, base_url=..., host=...)` and returns the VEVENTs of what that user may see.
FeedSource = Callable[..., Iterable[Event]]
_FEED_SOURCES: list[FeedSource] = []


def register_feed_source(source: FeedSource) -> None:
    if source not in _FEED_SOURCES:
        _FEED_SOURCES.append(source)


def render_feed(
    *,
    user: Any,
    meetings: Iterable[Interaction],
    follow_ups: Iterable[FollowUp],
    base_url: str,
    host: str,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Accord//Accord CRM//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("Accord – %(user)s") % {"user": str(user)}
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", _("Your meetings and open follow-ups in Accord"))
    calendar.add("x-published-ttl", dt.timedelta(hours=1))
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url, host=host))
    for follow_up in follow_ups:
        calendar.add_component(follow_up_event(follow_up, base_url=base_url, host=host))
    for source in _FEED_SOURCES:
        for event in source(user, base_url=base_url, host=host):
            calendar.add_component(event)
    return calendar.to_ical()
