"""Reads of buying centers: the members of an opportunity's buying center with their title at the
client and when we last talked to them, which buying roles are covered, and who went quiet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accord.interactions.models import InteractionPerson
from accord.parties.choices import EXPECTED_BUYING_ROLES, BuyingRole
from accord.parties.models import Person, Position

from ..models import BuyingCenterMember, Opportunity

QUIET_DAYS = 30  # nobody on the client side should go longer without hearing from us
ROLE_ORDER = {role.value: i for i, role in enumerate(BuyingRole)}


@dataclass
class RoleCoverage:
    """One of the buying roles: whether somebody holds it on this opportunity."""

    value: str
    label: str
    covered: bool
    expected: bool  # a healthy buying center has it (gatekeepers and blockers are not expected)


@dataclass
class MemberRow:
    """A member as the page shows it: the person's title at the client and their last contact."""

    member: BuyingCenterMember
    title: str
    last_interaction_at: dt.datetime | None
    days_since: int | None

    @property
    def quiet(self) -> bool:
        return self.days_since is None or self.days_since > QUIET_DAYS


@dataclass
class BuyingCenter:
    """The buying center of one opportunity, as its section on the opportunity page shows it."""

    opportunity: Opportunity
    rows: list[MemberRow]
    roles: list[RoleCoverage]
    quiet: list[MemberRow] = field(default_factory=list)  # one row per person

    @property
    def covered(self) -> list[RoleCoverage]:
        return [r for r in self.roles if r.covered]

    @property
    def missing(self) -> list[RoleCoverage]:
        return [r for r in self.roles if not r.covered]

    @property
    def missing_labels(self) -> str:
        return ", ".join(r.label for r in self.missing)


def buying_center_member_list(user: Any) -> QuerySet[BuyingCenterMember]:
    """Every member the user may see (those of the opportunities they may see)."""
    return BuyingCenterMember.objects.visible_to(user).select_related(
        "person", "opportunity", "opportunity__organization"
    )


def last_interaction_subquery(*, now: dt.datetime, person_ref: str = "person_id") -> Subquery:
    """The time of the person's latest interaction up to `now` (a scheduled meeting is no contact
    yet); one index range scan per person on (person, -occurred_at)."""
    latest = (
        InteractionPerson.objects.filter(person_id=OuterRef(person_ref), occurred_at__lte=now)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return Subquery(latest)


def _title_subquery(organization_id: int) -> Subquery:
    """The person's title at the organization: the current position first, else the latest."""
    titles = (
        Position.objects.filter(person_id=OuterRef("person_id"), organization_id=organization_id)
        .order_by(F("end_date").desc(nulls_first=True), "-is_primary", "-id")
        .values("title")[:1]
    )
    return Subquery(titles)


def buying_center(
    user: Any, opportunity: Opportunity, *, now: dt.datetime | None = None
) -> BuyingCenter:
    """Members (one query, with title and last interaction per person), role coverage over the
    nine buying roles, and the people we have not talked to in `QUIET_DAYS` days."""
    now = now or timezone.now()
    members = list(
        BuyingCenterMember.objects.filter(opportunity=opportunity)
        .select_related("person")
        .annotate(
            title_at_org=_title_subquery(opportunity.organization_id),
            last_interaction=last_interaction_subquery(now=now),
        )
    )
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 99), m.person.last_name, m.pk))
    rows: list[MemberRow] = []
    for m in members:
        last = m.last_interaction  # type: ignore[attr-defined]
        days = (now - last).days if last is not None else None
        rows.append(MemberRow(m, m.title_at_org or "", last, days))  # type: ignore[attr-defined]
    held = {m.role for m in members}
    expected = {r.value for r in EXPECTED_BUYING_ROLES}
    roles = [
        RoleCoverage(r.value, str(r.label), r.value in held, r.value in expected)
        for r in BuyingRole
    ]
    quiet: dict[int, MemberRow] = {}
    for row in rows:
        if row.quiet:
            quiet.setdefault(row.member.person_id, row)
    return BuyingCenter(opportunity, rows, roles, list(quiet.values()))


def buying_center_candidates(user: Any, opportunity: Opportunity) -> QuerySet[Person]:
    """People the user may add: visible, with a position (now or before) at the client."""
    return (
        Person.objects.visible_to(user)
        .filter(
            pk__in=Position.objects.filter(organization_id=opportunity.organization_id).values(
                "person_id"
            )
        )
        .order_by("last_name", "first_name", "id")
    )
