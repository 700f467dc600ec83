"""Reading portal accounts (staff side) and the portal's own scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accord.parties.models import Organization

from .models import PortalAccount


def account_list(user: Any) -> QuerySet[PortalAccount]:
    """The portal accounts whose person the user may see."""
    return PortalAccount.objects.visible_to(user).select_related(
        "person", "organization", "invited_by"
    )


def invitable_organizations(user: Any, person: Any) -> QuerySet[Organization]:
    """Client or prospect organizations the person is (or was) at, that the user may see."""
    ids = set(person.positions.values_list("organization_id", flat=True))
    if person.organization_id:
        ids.add(person.organization_id)
    return (
        Organization.objects.visible_to(user)
        .filter(Q(is_client=True) | Q(is_prospect=True), pk__in=ids)
        .order_by("name")
    )


# --- what a portal account sees: its own organization's records, never drafts --------------------


def portal_quotes(account: Any) -> QuerySet:
    from accord.commerce.choices import QuoteStatus
    from accord.commerce.models import Quote

    return (
        Quote.objects.filter(organization_id=account.organization_id)
        .exclude(status=QuoteStatus.DRAFT)
        .order_by("-issued_on", "-id")
    )


def portal_orders(account: Any) -> QuerySet:
    from accord.commerce.models import Order

    return Order.objects.filter(organization_id=account.organization_id).order_by(
        "-ordered_on", "-id"
    )


def portal_invoices(account: Any) -> QuerySet:
    from accord.commerce.models import Invoice

    return Invoice.objects.filter(organization_id=account.organization_id).order_by(
        "-issued_on", "-id"
    )


def portal_catalogue(account: Any) -> QuerySet:
    from .models import CatalogueItem

    return (
        CatalogueItem.objects.filter(
            organization_id=account.organization_id, active=True, product__active=True
        )
        .select_related("product")
        .order_by("product__name")
    )


def catalogue_list(user: Any) -> QuerySet:
    """Staff side: catalogue entries of the organizations the user may see."""
    from .models import CatalogueItem

    return CatalogueItem.objects.visible_to(user).select_related("organization", "product")


def portal_cases(account: Any) -> QuerySet:
    from accord.servicedesk.models import Case

    return Case.objects.filter(organization_id=account.organization_id).order_by(
        "-opened_at", "-id"
    )


def case_conversation(case: Any) -> QuerySet:
    """The messages a client sees on their case: what came in and went out, never internal
    notes or internal interactions."""
    from accord.interactions.choices import Direction

    return case.interactions.filter(direction__in=[Direction.INBOUND, Direction.OUTBOUND]).order_by(
        "occurred_at", "id"
    )


def portal_appointments(account: Any) -> QuerySet:
    from accord.servicedesk.models import ServiceAppointment

    return ServiceAppointment.objects.filter(organization_id=account.organization_id).order_by(
        "starts_at", "id"
    )


def portal_trainings(account: Any) -> QuerySet:
    """Upcoming trainings offered to the account's organization, with the seats taken."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from accord.servicedesk.models import Training
    from accord.servicedesk.models.trainings import SEATED

    return (
        Training.objects.filter(
            appointment__organization_id=account.organization_id,
            appointment__starts_at__gt=timezone.now(),
        )
        .exclude(appointment__status="cancelled")
        .select_related("appointment")
        .annotate(
            taken=Count(
                "registrations",
                filter=Q(registrations__status__in=SEATED),
            )
        )
        .order_by("appointment__starts_at", "id")
    )
