"""The demo generator: realistic, valid, consistent and reproducible data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import phonenumbers
import pytest
from django.db.models import Count, Max, Q
from stdnum.eu import vat as eu_vat

from accord.core.search.engine import search_ids
from accord.core.testing.shared_data import module_data
from accord.demo.generator import DEMO_PASSWORD, database_is_empty, generate
from accord.interactions.models import (
    FollowUp,
    Interaction,
    InteractionOrganization,
    InteractionPerson,
)
from accord.parties.models import Organization, Person, PersonEmail, PersonPhone, Position
from accord.parties.validators import normalize_vat_id
from accord.users.models import User

NOW = dt.datetime(2025, 6, 18, 14, 30, tzinfo=dt.UTC)
SIZE = {"orgs": 60, "people": 240, "interactions": 3000}


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """One demo data set for the module (each test runs in a savepoint inside it)."""
    with module_data(django_db_blocker):
        yield generate(**SIZE, seed=7, now=NOW)


@pytest.fixture
def demo(_demo, db):
    return _demo


# The business-side stages add organizations of their own: up to five internal units (procurement)
# and three local stakeholders per community project (a citizens' initiative, a paper, a club).
ADDED_ORGS = 5 + 3 * 3


def test_sizes_and_login(demo, client):
    assert SIZE["orgs"] <= Organization.objects.count() <= SIZE["orgs"] + ADDED_ORGS
    assert demo.counts["organizations"] == Organization.objects.count()
    assert Person.objects.count() == SIZE["people"]
    assert Interaction.objects.count() == SIZE["interactions"]
    assert 40 <= FollowUp.objects.count() <= 140  # about 3 % of the interactions
    assert client.login(email="admin@accord.example", password=DEMO_PASSWORD)
    admin = User.objects.get(email="admin@accord.example")
    assert admin.role == "admin" and admin.is_superuser
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "manager",
        "member",
        "viewer",
    }
    assert not database_is_empty()


def test_every_role_and_several_at_once(demo):
    for role in ("client", "prospect", "supplier", "partner", "authority", "internal"):
        assert Organization.objects.filter(**{f"is_{role}": True}).exists(), role
    roles = [
        sum(
            getattr(o, f"is_{r}")
            for r in (
                "client",
                "prospect",
                "supplier",
                "service_provider",
                "partner",
                "competitor",
                "authority",
                "internal",
            )
        )
        for o in Organization.objects.all()
    ]
    assert all(n >= 1 for n in roles)
    assert any(n >= 2 for n in roles)
    assert Organization.objects.filter(
        Q(name__contains="ü")
        | Q(name__contains="ö")
        | Q(name__contains="ä")
        | Q(name__contains="ß")
    ).exists()


def test_identifiers_are_valid(demo):
    for org in Organization.objects.exclude(vat_id=""):
        normalize_vat_id(org.vat_id, str(org.country))  # raises when invalid
        if org.country == "DE":
            assert eu_vat.is_valid(org.vat_id) and org.vat_id.startswith("DE")
    numbers = list(PersonPhone.objects.values_list("number", flat=True))
    numbers += list(Organization.objects.values_list("phone", flat=True))
    assert numbers
    for number in filter(None, numbers):  # a phone number is optional
        assert number.startswith("+")
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, None)), number
    emails = list(PersonEmail.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))


def test_denormalised_person_fields_follow_primary_current_position(demo):
    today = dt.date(2025, 6, 18)
    for person in Person.objects.all():
        current = (
            Position.objects.filter(person=person)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .order_by("-is_primary", "-start_date", "-id")
            .first()
        )
        assert person.organization_id == (current.organization_id if current else None)
        assert person.job_title == (current.title if current else "")
        primary = PersonEmail.objects.filter(person=person).order_by("-is_primary", "id").first()
        assert person.email == (primary.email if primary else "")
        assert Position.objects.filter(person=person, is_primary=True).count() <= 1
    assert Person.objects.annotate(n=Count("positions")).filter(n__gte=2).exists()


def test_last_interaction_and_link_times_are_consistent(demo):
    for link in (InteractionOrganization, InteractionPerson):
        assert not link.objects.exclude(occurred_at=models_f("interaction__occurred_at")).exists()
    for model, link, field in (
        (Person, InteractionPerson, "person"),
        (Organization, InteractionOrganization, "organization"),
    ):
        newest = dict(link.objects.values_list(field).annotate(m=Max("occurred_at")))
        for pk, last in model.objects.values_list("pk", "last_interaction_at"):
            assert last == newest.get(pk), (model, pk)


def test_rhythms(demo):
    start, end = NOW - dt.timedelta(days=731), NOW
    times = Interaction.objects.values_list("occurred_at", flat=True)
    assert all(start <= t <= end for t in times)
    assert all(t.astimezone(dt.timezone(dt.timedelta(hours=2))).weekday() < 5 for t in times)
    per_org = Counter(InteractionOrganization.objects.values_list("organization_id", flat=True))
    clients = Organization.objects.filter(is_client=True, is_internal=False)
    authorities = Organization.objects.filter(is_authority=True, is_client=False)
    avg = lambda qs: sum(per_org[o.pk] for o in qs) / max(1, len(qs))  # noqa: E731
    assert avg(clients) > 3 * avg(authorities)
    quiet = Organization.objects.filter(
        last_interaction_at__lt=NOW - dt.timedelta(days=80), is_client=True
    )
    assert quiet.exists()
    kinds = Counter(Interaction.objects.values_list("kind", flat=True))
    assert set(kinds) >= {"email", "call", "meeting", "note"}
    assert Interaction.objects.filter(subject__startswith="AW: ").exists()
    assert FollowUp.objects.filter(status="open", due_date__lt=NOW.date()).exists()  # overdue
    assert FollowUp.objects.filter(status="done").exists()


def test_search_index_is_filled(demo):
    org = Organization.objects.order_by("pk").first()
    word = org.name.split()[0]
    assert org.pk in search_ids(Organization, word)
    interaction = Interaction.objects.order_by("occurred_at").last()
    word = max(interaction.subject.split(), key=len)
    assert interaction.pk in search_ids(Interaction, word)
    person = Person.objects.order_by("pk").first()
    assert person.pk in search_ids(Person, person.last_name)


def models_f(name):
    from django.db.models import F

    return F(name)


def test_opportunities_follow_the_sales_rules(demo):
    from decimal import Decimal

    from accord.pipeline.models import Opportunity, StageChange

    opps = Opportunity.objects.select_related("stage", "organization")
    assert opps.count() == min(1500, SIZE["orgs"] * 5)
    won = [o for o in opps if o.stage.kind == "won"]
    lost = [o for o in opps if o.stage.kind == "lost"]
    assert won and lost
    assert 0.2 < len(won) / (len(won) + len(lost)) < 0.5  # realistic win rate
    assert all(o.amount > 0 for o in won)
    assert all(o.lost_reason_id for o in lost)
    assert all(o.amount >= Decimal(0) and 0 <= o.probability <= 100 for o in opps)
    assert all(o.organization.is_client for o in opps)
    assert all(o.owner_id == o.organization.owner_id for o in opps)  # same visibility as the client
    # every opportunity's stage history ends in its stage
    last = {}
    for change in StageChange.objects.order_by("changed_at", "id"):
        last[change.opportunity_id] = change.to_stage_id
    assert all(last[o.pk] == o.stage_id for o in opps)


def test_the_demo_sales_process_is_named_in_german(demo):
    from accord.pipeline.models import LostReason, Pipeline, Stage

    assert set(Pipeline.objects.values_list("name", flat=True)) == {"Neugeschäft", "Verlängerungen"}
    assert Stage.objects.filter(name="Gewonnen", kind="won").exists()
    assert not Stage.objects.filter(name__in=["Won", "Lost", "Qualification"]).exists()
    assert LostReason.objects.filter(name="Preis").exists()
