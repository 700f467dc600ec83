"""Reads of the calendars app: people as vCards, a user's subscription and what their feed holds.

Everything goes through the visibility rule of the user concerned: an export holds only people the
user may see; a feed (fetched without a session, by its token) only what its owner may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accord.core import visibility
from accord.interactions.choices import FollowUpStatus, InteractionKind
from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Person

from .models import CalendarFeed, CalendarImport
from .parsing import CardData
from .services.feed import token_hash

EXPORT_CHUNK_SIZE = 500
FEED_PAST_DAYS = 90
FEED_MAX_MEETINGS = 2000
FEED_MAX_FOLLOW_UPS = 2000


# --- vCards ------------------------------------------------------------------------------------


def people_for_export(user: Any) -> QuerySet[Person]:
    """The people a user may export (the same as they may see), in list order."""
    return Person.objects.visible_to(user).select_related("organization")


def card_data(person: Person, base_url: str = "") -> CardData:
    """A person (with emails, phones, tags prefetched or not) as the plain values of a card."""
    return CardData(
        pk=person.pk,
        first_name=person.first_name,
        last_name=person.last_name,
        salutation=person.salutation,
        academic_title=person.academic_title,
        organization=person.organization.name if person.organization else "",
        title=person.job_title,
        notes=person.notes,
        emails=[(e.email, e.kind, e.is_primary) for e in person.emails.all()],
        phones=[(p.number, p.kind) for p in person.phones.all()],
        tags=[t.name for t in person.tags.all()],
        updated_at=person.updated_at,
        url=f"{base_url}{person.get_absolute_url()}" if base_url else "",
    )


def iter_card_data(people: QuerySet[Person], base_url: str = "") -> Iterator[CardData]:
    """Stream the people of a queryset as card values, a chunk of people at a time (four queries
    a chunk, whatever the number of people)."""
    rows = people.select_related("organization").prefetch_related("emails", "phones", "tags")
    for person in rows.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield card_data(person, base_url)


# --- imports -----------------------------------------------------------------------------------


def recent_imports(user: Any, limit: int = 10) -> list[CalendarImport]:
    if not visibility.is_authenticated(user):
        return []
    return list(
        CalendarImport.objects.filter(owner=user)
        .select_related("job")
        .order_by("-created_at")[:limit]
    )


# --- the calendar feed -------------------------------------------------------------------------


def feed_of(user: Any) -> CalendarFeed | None:
    if not visibility.is_authenticated(user):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The subscription a URL token opens, if it exists and its user may still sign in."""
    if not token or len(token) > 200:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed


def feed_meetings(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Interaction]:
    """The user's meetings from 90 days back on: those they own or take part in, that they may
    see (a meeting they own but another team's rule hides is not theirs to see anyway)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=FEED_PAST_DAYS)
    mine = Q(owner=user) | Q(users=user)
    meeting_ids = (
        Interaction.objects.filter(kind=InteractionKind.MEETING, occurred_at__gte=since)
        .filter(mine)
        .values("pk")
    )
    return (
        Interaction.objects.visible_to(user)
        .filter(pk__in=meeting_ids)
        .select_related("owner")
        .prefetch_related("people", "organizations")
        .order_by("occurred_at", "pk")[:FEED_MAX_MEETINGS]
    )


def feed_follow_ups(user: Any) -> QuerySet[FollowUp]:
    """The user's open follow-ups (assigned to them)."""
    return (
        FollowUp.objects.visible_to(user)
        .filter(assignee=user, status=FollowUpStatus.OPEN)
        .select_related("organization", "person", "interaction")
        .order_by("due_date", "pk")[:FEED_MAX_FOLLOW_UPS]
    )
