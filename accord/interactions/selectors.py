"""Reads for interactions and follow-ups, with the visibility rule applied.

The timeline reads an organization's or person's interactions from the link tables, whose
(party, -occurred_at) index gives the newest first; it pages by a (time, id) cursor, so the
hundredth page costs what the first does.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from accord.core.visibility import visibility_q
from accord.parties.models import Organization, Person

from .choices import AddressRole, FollowUpStatus, InteractionKind, InteractionSource
from .html import email_frame_document
from .models import (
    Attachment,
    FollowUp,
    Interaction,
    InteractionAddress,
    InteractionOrganization,
    InteractionPerson,
)

EXCERPT_CHARS = 300
TIMELINE_MAX_LIMIT = 100
RECENT_DAYS = 14
RECENT_LIMIT = 20
QUIET_LIMIT = 20
DUE_SOON_DAYS = 7
TODAY_FOLLOWUP_LIMIT = 100
PANEL_LIMIT = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
THREAD_LIMIT = 50
# Inline (cid:) images of an HTML mail are embedded up to this many bytes in all.
INLINE_IMAGE_BUDGET = 3 * 1024 * 1024
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/gif", "image/jpeg", "image/webp"})


# --- lists -------------------------------------------------------------------
def interaction_list(user: Any) -> QuerySet[Any]:
    """Visible interactions, newest first, with what the list shows (owner, first organization)."""
    links = InteractionOrganization.objects.filter(interaction=OuterRef("pk"))
    return (
        Interaction.objects.visible_to(user)
        .select_related("owner", "team")
        .annotate(
            first_organization_name=Subquery(
                links.order_by("organization__name").values("organization__name")[:1]
            ),
            organization_count=Subquery(
                links.values("interaction").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .order_by("-occurred_at", "-id")
    )


def interaction_api_list(user: Any) -> QuerySet[Interaction]:
    """Visible interactions with their participants' ids, for the API."""
    return (
        Interaction.objects.visible_to(user)
        .select_related("owner", "team")
        .prefetch_related("organizations", "people", "users")
        .order_by("-occurred_at", "-id")
    )


def interaction_detail_context(user: Any, interaction: Interaction) -> dict[str, Any]:
    """Parties, our participants and the follow-ups that came out of an interaction; for a captured
    mail also its header addresses, attachments, the other mails of its thread the user may see
    and the sandboxed document that shows its HTML."""
    ctx: dict[str, Any] = {
        "organizations": list(interaction.organizations.order_by("name")),
        "people": list(interaction.people.select_related("organization")),
        "users": list(interaction.users.all()),
        "follow_ups": list(
            FollowUp.objects.visible_to(user)
            .filter(interaction=interaction)
            .select_related("assignee")
        ),
    }
    if interaction.source == InteractionSource.MANUAL:
        return ctx
    attachments = list(interaction.attachments.all())
    addresses: dict[str, list[InteractionAddress]] = {}
    for address in interaction.addresses.all():
        addresses.setdefault(address.role, []).append(address)
    ctx["mail_addresses"] = [
        (label, addresses[role]) for role, label in AddressRole.choices if role in addresses
    ]
    ctx["attachments"] = attachments
    ctx["thread_items"] = (
        list(
            Interaction.objects.visible_to(user)
            .filter(thread_id=interaction.thread_id)
            .exclude(pk=interaction.pk)
            .only("id", "subject", "occurred_at", "direction", "kind")
            .order_by("occurred_at", "id")[:THREAD_LIMIT]
        )
        if interaction.thread_id
        else []
    )
    if interaction.body_html:
        ctx["email_document"] = email_frame_document(
            interaction.body_html, _inline_images(attachments)
        )
    return ctx


def _inline_images(attachments: list[Attachment]) -> dict[str, str]:
    """`cid:` images of an HTML mail as data: URIs (small raster images only), so that the mail
    shows them without a request from the sandboxed frame."""
    images: dict[str, str] = {}
    budget = INLINE_IMAGE_BUDGET
    for attachment in attachments:
        if (
            not attachment.content_id
            or attachment.content_type not in INLINE_IMAGE_TYPES
            or attachment.size > budget
        ):
            continue
        try:
            with attachment.file.open("rb") as handle:
                data = handle.read(attachment.size + 1)
        except OSError:
            continue
        budget -= len(data)
        encoded = base64.b64encode(data).decode("ascii")
        images[attachment.content_id] = f"data:{attachment.content_type};base64,{encoded}"
    return images


def attachment_get(user: Any, pk: Any) -> Attachment:
    """One attachment of an interaction the user may see (DoesNotExist otherwise)."""
    return Attachment.objects.visible_to(user).select_related("interaction").get(pk=int(pk))


def followup_list(user: Any) -> QuerySet[FollowUp]:
    """Visible follow-ups (the assignee sees theirs in any team), soonest due first."""
    return (
        FollowUp.objects.visible_to(user)
        .select_related("assignee", "organization", "person", "owner")
        .order_by("due_date", "id")
    )


# --- timeline ----------------------------------------------------------------
def encode_cursor(occurred_at: dt.datetime, pk: int) -> str:
    micros = (occurred_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}_{pk}"


def decode_cursor(value: str) -> tuple[dt.datetime, int]:
    """The (time, id) a cursor stands for; ValueError for anything else."""
    micros, _sep, pk = str(value).partition("_")
    if not _sep:
        raise ValueError("malformed cursor")
    return _EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)


@dataclass
class TimelinePage:
    items: list[Interaction]
    next_cursor: str | None = None
    kinds: list[tuple[str, Any]] = field(default_factory=lambda: list(InteractionKind.choices))


def _pk(value: Any) -> int:
    return int(value.pk if isinstance(value, models.Model) else value)


def _prefetch_participants(items: list[Interaction]) -> None:
    """Their people (with their organization) and our users: two queries for any page size."""
    models.prefetch_related_objects(
        items,
        Prefetch(
            "people",
            queryset=Person.objects.select_related("organization").only(
                "id", "academic_title", "first_name", "last_name", "organization__name"
            ),
        ),
        Prefetch(
            "users",
            queryset=get_user_model().objects.only("id", "first_name", "last_name", "email"),
        ),
    )


def timeline(
    user: Any,
    *,
    organization: Any = None,
    person: Any = None,
    kind: str | None = None,
    before: str | None = None,
    limit: int = 25,
) -> TimelinePage:
    """Newest first: one party's interactions (or all visible ones), `limit` per page.

    `before` is the cursor of the last item shown (ValueError when malformed). Raises the party
    model's DoesNotExist when the party is not visible to `user`.
    """
    limit = max(1, min(int(limit), TIMELINE_MAX_LIMIT))
    party_model: type[models.Model] | None = None
    if organization is not None:
        party_model, party_pk = Organization, _pk(organization)
        qs: QuerySet = InteractionOrganization.objects.filter(organization_id=party_pk).filter(
            visibility_q(Organization, user, "organization__")
        )
    elif person is not None:
        party_model, party_pk = Person, _pk(person)
        qs = InteractionPerson.objects.filter(person_id=party_pk).filter(
            visibility_q(Person, user, "person__")
        )
    if party_model is not None:
        qs = qs.filter(visibility_q(Interaction, user, "interaction__"))
        time_f, id_f, prefix = "occurred_at", "interaction_id", "interaction__"
    else:
        qs = Interaction.objects.visible_to(user)
        time_f, id_f, prefix = "occurred_at", "id", ""
    if kind:
        qs = qs.filter(**{f"{prefix}kind": kind})
    if before:
        when, pk = decode_cursor(before)
        # The first condition is implied by the second; it lets the index seek to the cursor.
        qs = qs.filter(Q(**{f"{time_f}__lte": when})).filter(
            Q(**{f"{time_f}__lt": when}) | Q(**{time_f: when, f"{id_f}__lt": pk})
        )
    qs = qs.annotate(excerpt=Substr(f"{prefix}body", 1, EXCERPT_CHARS + 1)).order_by(
        f"-{time_f}", f"-{id_f}"
    )
    if party_model is not None:
        rows = list(qs.select_related("interaction").defer("interaction__body")[: limit + 1])
        items = []
        for link in rows:
            link.interaction.excerpt = link.excerpt
            items.append(link.interaction)
    else:
        items = list(qs.defer("body")[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    if not items and party_model is not None:
        manager = party_model._default_manager
        if not manager.visible_to(user).filter(pk=party_pk).exists():  # type: ignore[attr-defined]
            raise party_model.DoesNotExist  # type: ignore[attr-defined]
    for item in items:
        item.excerpt_truncated = len(item.excerpt or "") > EXCERPT_CHARS
        item.excerpt = (item.excerpt or "")[:EXCERPT_CHARS]
    _prefetch_participants(items)
    cursor = encode_cursor(items[-1].occurred_at, items[-1].pk) if more else None
    return TimelinePage(items=items, next_cursor=cursor)


# --- follow-ups for a party and for me --------------------------------------------
def followup_panel(user: Any, *, organization: Any = None, person: Any = None) -> list[FollowUp]:
    """Open follow-ups about one organization or person (DoesNotExist when it is not visible)."""
    if organization is not None:
        party = Organization.objects.visible_to(user).get(pk=_pk(organization))
        qs = FollowUp.objects.filter(organization=party)
    else:
        party = Person.objects.visible_to(user).get(pk=_pk(person))
        qs = FollowUp.objects.filter(person=party)
    return list(
        qs.visible_to(user)
        .filter(status=FollowUpStatus.OPEN)
        .select_related("assignee")
        .order_by("due_date", "id")[:PANEL_LIMIT]
    )


def _mine_open(user: Any) -> QuerySet[FollowUp]:
    # Assigned to me means visible to me (FollowUp.visibility_extra_q), so no further filter.
    return FollowUp.objects.filter(assignee=user, status=FollowUpStatus.OPEN)


def my_followups(user: Any) -> dict[str, list[FollowUp]]:
    """My open follow-ups that are overdue, and those due within the next seven days."""
    today = timezone.localdate()
    rows = list(
        _mine_open(user)
        .filter(due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("organization", "person")
        .order_by("due_date", "id")[:TODAY_FOLLOWUP_LIMIT]
    )
    return {
        "overdue": [f for f in rows if f.due_date < today],
        "due": [f for f in rows if f.due_date >= today],
    }


def today(user: Any) -> dict[str, Any]:
    """What the home page shows a user: follow-ups, recent interactions, quiet organizations."""
    today_date = timezone.localdate()
    now = timezone.now()
    week_end = today_date + dt.timedelta(days=DUE_SOON_DAYS)
    followups = my_followups(user)
    counts = _mine_open(user).aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today_date)),
        due_today=Count("pk", filter=Q(due_date=today_date)),
        due_this_week=Count("pk", filter=Q(due_date__gt=today_date, due_date__lte=week_end)),
    )
    took_part = Interaction.users.through.objects.filter(user=user).values("interaction_id")
    recent = list(
        Interaction.objects.filter(Q(owner=user) | Q(pk__in=took_part))
        .filter(occurred_at__gte=now - dt.timedelta(days=RECENT_DAYS), occurred_at__lte=now)
        .defer("body")
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.only("id", "name"))
        )
        .order_by("-occurred_at", "-id")[:RECENT_LIMIT]
    )
    quiet_days = settings.ACCORD_QUIET_DAYS
    quiet_qs = Organization.objects.filter(owner=user, is_archived=False).filter(
        Q(last_interaction_at__isnull=True)
        | Q(last_interaction_at__lt=now - dt.timedelta(days=quiet_days))
    )
    quiet = list(
        quiet_qs.only("id", "name", "last_interaction_at").order_by(
            F("last_interaction_at").asc(nulls_first=True), "name", "id"
        )[:QUIET_LIMIT]
    )
    for org in quiet:
        days = (now - org.last_interaction_at).days if org.last_interaction_at else None
        setattr(org, "days_quiet", days)  # noqa: B010 - shown by the Today template
    counts["quiet"] = quiet_qs.count() if len(quiet) >= QUIET_LIMIT else len(quiet)
    counts["recent"] = len(recent)
    return {
        "overdue": followups["overdue"],
        "due_today": [f for f in followups["due"] if f.due_date == today_date],
        "due_this_week": [f for f in followups["due"] if f.due_date > today_date],
        "recent_interactions": recent,
        "quiet_organizations": quiet,
        "quiet_days": quiet_days,
        "counts": counts,
    }


# --- parties ------------------------------------------------------------
def party_get(user: Any, *, kind: str, pk: Any) -> Any:
    """One visible organization or person (DoesNotExist otherwise)."""
    model = Person if kind == "person" else Organization
    qs = model.objects.visible_to(user)
    if model is Person:
        qs = qs.select_related("organization")
    return qs.get(pk=int(pk))
