"""Demo client portal: portal accounts for a contact person at the twelve clients with the most
orders (password: the demo password), and a catalogue of consumables each of them may reorder.
The first account is printed with the demo login; its organization hosts an upcoming training
with free places."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q

from accord.commerce.models import Order, Product
from accord.parties.models import Organization, PersonEmail, Position
from accord.portal.models import CatalogueItem, PortalAccount
from accord.servicedesk.models import ServiceAppointment, Training

from .accounts import DEMO_PASSWORD

if TYPE_CHECKING:
    from .generator import Generator

ACCOUNTS = 12
CATALOGUE_SIZE = 6


def create_portal(gen: Generator) -> str:
    """Create the accounts and catalogues; returns the first account's email."""
    rng = gen.rng("portal")
    busiest = list(
        Order.objects.values("organization")
        .annotate(n=Count("id"))
        .order_by("-n", "organization")
        .values_list("organization", flat=True)[: ACCOUNTS * 2]
    )
    products = list(Product.objects.filter(active=True).order_by("sku"))
    password = make_password(DEMO_PASSWORD)
    accounts: list[PortalAccount] = []
    items: list[CatalogueItem] = []
    taken: set[str] = set()
    organizations = Organization.objects.in_bulk(busiest)
    for org_id in busiest:
        if len(accounts) >= ACCOUNTS:
            break
        org = organizations[org_id]
        person_ids = Position.objects.filter(
            organization_id=org_id, end_date__isnull=True
        ).values_list("person_id", flat=True)
        email = (
            PersonEmail.objects.filter(person_id__in=person_ids, is_primary=True)
            .exclude(email__in=taken)
            .select_related("person")
            .order_by("person_id")
            .first()
        )
        if email is None:
            continue
        taken.add(email.email.lower())
        accounts.append(
            PortalAccount(
                person=email.person,
                organization=org,
                email=email.email.lower(),
                password=password,
                language="de",
                invited_at=gen.days_ago(rng.randint(30, 300)),
                accepted_at=gen.days_ago(rng.randint(1, 29)),
                can_see_invoices=rng.random() < 0.9,
            )
        )
        for product in rng.sample(products, min(CATALOGUE_SIZE, len(products))):
            discount = rng.choice([None, None, Decimal("0.95"), Decimal("0.90")])
            items.append(
                CatalogueItem(
                    organization=org,
                    product=product,
                    unit_price=None
                    if discount is None
                    else (product.list_price * discount).quantize(Decimal("0.01")),
                )
            )
    PortalAccount.objects.bulk_create(accounts)
    CatalogueItem.objects.bulk_create(items)
    gen.count("portal accounts", len(accounts))
    gen.count("portal catalogue items", len(items))
    if accounts:  # the printed demo account may do everything
        PortalAccount.objects.filter(email=accounts[0].email).update(can_see_invoices=True)
        _offer_a_training(gen, accounts[0].organization_id)
    return accounts[0].email if accounts else ""


def _offer_a_training(gen: Generator, organization_id: int) -> None:
    """The printed account's organization hosts an upcoming training with free places, so the
    portal's booking can be tried: the first such training moves there if it has none."""
    upcoming = (
        Training.objects.filter(appointment__starts_at__gt=gen.now)
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=gen.today))
        .exclude(appointment__status="cancelled")
        .annotate(seated=Count("registrations", filter=Q(registrations__status="registered")))
        .order_by("appointment__starts_at", "pk")
    )
    if upcoming.filter(appointment__organization_id=organization_id).exists():
        return
    training = next((t for t in upcoming if t.seated < t.capacity), None)
    if training is not None:
        ServiceAppointment.objects.filter(pk=training.appointment_id).update(
            organization_id=organization_id
        )
