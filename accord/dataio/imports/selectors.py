"""Reads of the import: a user's imports and saved mappings, and the existing records an import
matches rows against — always among the records the importing user may see (`visible_to`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person, PersonEmail

from .engine.matching import OrganizationIndex, PersonNameIndex, fold
from .models import ImportRun, SavedMapping

CHUNK = 5000


def import_list(user: Any, *, status: str = "", kind: str = "", q: str = "") -> QuerySet[ImportRun]:
    """The user's own imports, newest first (nobody else sees them), optionally filtered."""
    if not getattr(user, "is_authenticated", False):
        return ImportRun.objects.none()
    qs = ImportRun.objects.filter(owner=user).select_related("check_job", "import_job")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        qs = qs.filter(filename__icontains=q.strip())
    return qs


def saved_mapping_list(user: Any, kind: str | None = None) -> QuerySet[SavedMapping]:
    if not getattr(user, "is_authenticated", False):
        return SavedMapping.objects.none()
    qs = SavedMapping.objects.filter(owner=user)
    return qs.filter(kind=kind) if kind else qs


# --- what rows are matched against -------------------------------------------------------------


def organization_index(user: Any) -> OrganizationIndex:
    """Every organization the user may see, by its keys (one streamed query)."""
    index = OrganizationIndex()
    rows = (
        Organization.objects.visible_to(user)
        .order_by("pk")
        .values_list("pk", "name", "external_id", "vat_id", "website", "email", "country")
    )
    for pk, name, external_id, vat_id, website, email, country in rows.iterator(chunk_size=CHUNK):
        index.add(
            pk,
            name=name,
            external_id=external_id,
            vat_id=vat_id,
            website=website,
            email=email,
            country=str(country or ""),
        )
    return index


def person_name_index(user: Any) -> PersonNameIndex:
    """Every person the user may see, by name block (one streamed query)."""
    index = PersonNameIndex()
    rows = (
        Person.objects.visible_to(user)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "email", "organization_id")
    )
    for pk, first, last, email, org in rows.iterator(chunk_size=CHUNK):
        index.add(pk, first=first, last=last, email=email, organization_id=org)
    return index


def people_by_email(user: Any, emails: Iterable[str]) -> dict[str, int]:
    """Address → the (oldest) visible person who has it."""
    wanted = sorted({e for e in emails if e})
    found: dict[str, int] = {}
    if not wanted:
        return found
    rows = (
        PersonEmail.objects.visible_to(user)
        .filter(email__in=wanted)
        .order_by("person_id")
        .values_list("email", "person_id")
    )
    for email, person_id in rows:
        found.setdefault(email, person_id)
    return found


def people_by_external_id(user: Any, external_ids: Iterable[str]) -> dict[str, int]:
    wanted = sorted({e for e in external_ids if e})
    found: dict[str, int] = {}
    if not wanted:
        return found
    rows = (
        Person.objects.visible_to(user)
        .filter(external_id__in=wanted)
        .order_by("pk")
        .values_list("external_id", "pk")
    )
    for external_id, pk in rows:
        found.setdefault(external_id, pk)
    return found


def people_by_id(user: Any, ids: Iterable[int]) -> dict[int, Person]:
    wanted = [pk for pk in set(ids) if pk and pk > 0]
    if not wanted:
        return {}
    return Person.objects.visible_to(user).in_bulk(wanted)


def organizations_by_id(user: Any, ids: Iterable[int]) -> dict[int, Organization]:
    wanted = [pk for pk in set(ids) if pk and pk > 0]
    if not wanted:
        return {}
    return Organization.objects.visible_to(user).in_bulk(wanted)


def interaction_key(occurred_at: dt.datetime, subject: str) -> tuple[str, str]:
    """Two interactions are the same when they happened in the same minute with the same subject."""
    minute = occurred_at.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return minute.isoformat(), " ".join(fold(subject).split())


def interactions_by_key(user: Any, times: Iterable[dt.datetime]) -> dict[tuple[str, str], int]:
    minutes = {t.astimezone(dt.UTC).replace(second=0, microsecond=0) for t in times}
    if not minutes:
        return {}
    found: dict[tuple[str, str], int] = {}
    ordered = sorted(minutes)
    for chunk_start in range(0, len(ordered), 200):
        chunk = ordered[chunk_start : chunk_start + 200]
        q = Q()
        for minute in chunk:
            q |= Q(occurred_at__gte=minute, occurred_at__lt=minute + dt.timedelta(minutes=1))
        rows = (
            Interaction.objects.visible_to(user)
            .filter(q)
            .values_list("pk", "occurred_at", "subject")
        )
        for pk, occurred_at, subject in rows.order_by("pk"):
            found.setdefault(interaction_key(occurred_at, subject), pk)
    return found


def follow_up_key(title: str, due: dt.date, org_id: int | None, person_id: int | None) -> tuple:
    return " ".join(fold(title).split()), due.isoformat(), org_id or 0, person_id or 0


def follow_ups_by_key(user: Any, dates: Iterable[dt.date]) -> dict[tuple, int]:
    wanted = sorted(set(dates))
    if not wanted:
        return {}
    rows = (
        FollowUp.objects.visible_to(user)
        .filter(due_date__in=wanted)
        .order_by("pk")
        .values_list("pk", "title", "due_date", "organization_id", "person_id")
    )
    found: dict[tuple, int] = {}
    for pk, title, due, org_id, person_id in rows:
        found.setdefault(follow_up_key(title, due, org_id, person_id), pk)
    return found


def interactions_by_id(user: Any, ids: Iterable[int]) -> dict[int, Interaction]:
    wanted = [pk for pk in set(ids) if pk and pk > 0]
    return Interaction.objects.visible_to(user).in_bulk(wanted) if wanted else {}


def follow_ups_by_id(user: Any, ids: Iterable[int]) -> dict[int, FollowUp]:
    wanted = [pk for pk in set(ids) if pk and pk > 0]
    return FollowUp.objects.visible_to(user).in_bulk(wanted) if wanted else {}


def active_users_by_email() -> dict[str, int]:
    """Who a follow-up can be assigned to, by (lower-case) email address."""
    users = get_user_model().objects.filter(is_active=True).values_list("email", "pk")
    return {email.lower(): pk for email, pk in users}
