"""Reads of commitments, visibility applied: the ledger, the open and overdue ones of an
organization, a person or a contract."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models.commitments import OPEN_STATUSES, Commitment

ORGANIZATION_COMMITMENTS = 20


def overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Open or in progress, and due before today."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}due_date__lt": today})


def commitment_list(user: Any) -> QuerySet[Commitment]:
    """Visible commitments with their contract, organization, person, owner and team."""
    return Commitment.objects.visible_to(user).select_related(
        "contract", "organization", "person", "owner", "team"
    )


def commitment_api_list(user: Any) -> QuerySet[Commitment]:
    return commitment_list(user).order_by("due_date", "id")


def open_commitments_of_organization(user: Any, organization: Any) -> list[Commitment]:
    """Open and in-progress commitments made to or by the organization (directly or under one of
    its contracts as counterparty), due first."""
    pk = getattr(organization, "pk", organization)
    return list(
        commitment_list(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(organization=pk) | Q(contract__counterparty=pk))
        .order_by("due_date", "id")[:ORGANIZATION_COMMITMENTS]
    )


def commitments_of_person(user: Any, person: Any) -> list[Commitment]:
    pk = getattr(person, "pk", person)
    return list(commitment_list(user).filter(person=pk).order_by("-status", "due_date", "id")[:50])


def overdue_count(user: Any, *, today: dt.date | None = None) -> int:
    return Commitment.objects.visible_to(user).filter(overdue_q(today)).count()
