"""Reads: likely duplicates among the people and organizations a user may see, for the merge pages.

Exact matches only, each found by one grouped query on an indexed column, so the page stays cheap
on large databases: people sharing an email address or the same first and last name;
organizations sharing a VAT id, a name or a website. (Fuzzy name matching belongs to the import's
duplicate check, which compares a handful of incoming rows, not every pair of stored ones.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .models import Organization, Person, PersonEmail

MAX_GROUPS = 50
MAX_MEMBERS = 10


@dataclass
class DuplicateGroup:
    reason: str  # what they share, for the user: "Email address anna@example.com"
    members: list[Any] = field(default_factory=list)


def person_duplicates(user: Any) -> list[DuplicateGroup]:
    """People the user may see who share an email address or their whole name."""
    visible = Person.objects.visible_to(user).filter(is_archived=False)
    by_email = (
        PersonEmail.objects.filter(person__in=visible.values("pk"))
        .values("email")
        .annotate(n=Count("person", distinct=True))
        .filter(n__gt=1)
        .order_by("email")
    )
    groups = _email_groups(user, [row["email"] for row in by_email[:MAX_GROUPS]])
    by_name = (
        visible.exclude(first_name="")
        .annotate(first=Lower("first_name"), last=Lower("last_name"))
        .values("first", "last")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("last", "first")
    )
    names = [(row["first"], row["last"]) for row in by_name[:MAX_GROUPS]]
    if names:
        q = Q()
        for first, last in names:
            q |= Q(first_name__iexact=first, last_name__iexact=last)
        found: dict[tuple[str, str], list[Person]] = {}
        for person in visible.filter(q).select_related("organization").order_by("pk"):
            key = (person.first_name.lower(), person.last_name.lower())
            found.setdefault(key, []).append(person)
        for first, last in names:
            members = found.get((first, last), [])
            if len(members) > 1:
                groups.append(
                    DuplicateGroup(
                        reason=_("Same name: %(value)s") % {"value": members[0].full_name},
                        members=members[:MAX_MEMBERS],
                    )
                )
    return groups[:MAX_GROUPS]


def _email_groups(user: Any, emails: list[str]) -> list[DuplicateGroup]:
    if not emails:
        return []
    links = (
        PersonEmail.objects.filter(email__in=emails)
        .filter(person__in=Person.objects.visible_to(user).filter(is_archived=False).values("pk"))
        .select_related("person", "person__organization")
        .order_by("email", "person_id")
    )
    found: dict[str, dict[int, Person]] = {}
    for link in links:
        found.setdefault(link.email, {})[link.person_id] = link.person
    return [
        DuplicateGroup(
            reason=_("Same email address: %(value)s") % {"value": email},
            members=list(found[email].values())[:MAX_MEMBERS],
        )
        for email in emails
        if len(found.get(email, {})) > 1
    ]


def organization_duplicates(user: Any) -> list[DuplicateGroup]:
    """Organizations the user may see that share a VAT id, a name or a website."""
    visible = Organization.objects.visible_to(user).filter(is_archived=False)
    groups: list[DuplicateGroup] = []
    rules = (
        ("vat_id", _("Same VAT id: %(value)s")),
        ("name", _("Same name: %(value)s")),
        ("website", _("Same website: %(value)s")),
    )
    seen_pairs: set[frozenset[int]] = set()
    for column, label in rules:
        keys = (
            visible.exclude(**{column: ""})
            .annotate(key=Lower(column))
            .values("key")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .order_by("key")
        )
        values = [row["key"] for row in keys[:MAX_GROUPS]]
        if not values:
            continue
        found: dict[str, list[Organization]] = {}
        rows = visible.annotate(key=Lower(column)).filter(key__in=values).order_by("pk")
        for org in rows:
            found.setdefault(org.key, []).append(org)
        for value in values:
            members = found.get(value, [])
            ids = frozenset(o.pk for o in members)
            if len(members) > 1 and ids not in seen_pairs:
                seen_pairs.add(ids)
                shown = getattr(members[0], column)
                groups.append(
                    DuplicateGroup(reason=label % {"value": shown}, members=members[:MAX_MEMBERS])
                )
    return groups[:MAX_GROUPS]
