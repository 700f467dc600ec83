"""Test data for interactions and follow-ups (parties are built directly with their models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accord.interactions.choices import Direction, FollowUpStatus, InteractionKind
from accord.interactions.models import (
    FollowUp,
    Interaction,
    InteractionOrganization,
    InteractionPerson,
)
from accord.interactions.services import refresh_last_interaction
from accord.parties.models import Organization, Person
from accord.users.models import Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    username = factory.SelfAttribute("email")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    role = "member"

    @factory.post_generation
    def teams(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.teams.set(extracted)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Müller & Söhne {n} GmbH")
    is_client = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Sequence(lambda n: f"Schäfer{n}")
    owner = factory.SelfAttribute("organization.owner")
    team = factory.SelfAttribute("organization.team")
    organization = factory.SubFactory(OrganizationFactory)


class InteractionFactory(factory.django.DjangoModelFactory):
    """An interaction linked to `organizations` / `people` with the link times kept right."""

    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    kind = InteractionKind.CALL
    direction = Direction.OUTBOUND
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    subject = factory.Sequence(lambda n: f"Gespräch {n}")
    body = "Über Preise gesprochen."

    @factory.post_generation
    def organizations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            InteractionOrganization.objects.bulk_create(
                InteractionOrganization(
                    interaction=self, organization=o, occurred_at=self.occurred_at
                )
                for o in extracted
            )
            refresh_last_interaction(organization_ids=[o.pk for o in extracted])

    @factory.post_generation
    def people(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            InteractionPerson.objects.bulk_create(
                InteractionPerson(interaction=self, person=p, occurred_at=self.occurred_at)
                for p in extracted
            )
            refresh_last_interaction(person_ids=[p.pk for p in extracted])

    @factory.post_generation
    def users(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.users.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    title = factory.Sequence(lambda n: f"Angebot nachfassen {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    status = FollowUpStatus.OPEN
    assignee = factory.SelfAttribute("owner")
