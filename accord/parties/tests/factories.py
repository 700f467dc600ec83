"""Factories for the parties app's tests (system writes: they bypass the services on purpose,
except `make_person`, which goes through them so that the person's summary is right)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from accord.parties import services
from accord.parties.choices import BuyingRole, RelationshipType
from accord.parties.models import (
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    Position,
    Relationship,
    Tag,
)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tag {n}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n:04d} GmbH")
    is_client = True
    city = "Berlin"
    country = "DE"
    industry = "manufacturing"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Nachname{n:04d}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "Leitung Einkauf"
    buying_role = BuyingRole.ECONOMIC_BUYER


class PersonEmailFactory(DjangoModelFactory):
    class Meta:
        model = PersonEmail

    person = factory.SubFactory(PersonFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    is_primary = True


class PersonPhoneFactory(DjangoModelFactory):
    class Meta:
        model = PersonPhone

    person = factory.SubFactory(PersonFactory)
    number = "+4930123456"


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = Relationship

    relationship_type = RelationshipType.SUPPLIES
    from_organization = factory.SubFactory(OrganizationFactory)
    to_organization = factory.SubFactory(OrganizationFactory)


def make_person(
    *,
    owner=None,
    team=None,
    organization: Organization | None = None,
    email: str | None = None,
    buying_role: str = "",
    title: str = "",
    **fields: Any,
) -> Person:
    """A person with (optionally) a primary position and address, written through the services."""
    data: dict[str, Any] = {
        "first_name": fields.pop("first_name", "Erika"),
        "last_name": fields.pop("last_name", "Mustermann"),
        "owner": owner,
        "team": team,
        **fields,
    }
    if organization is not None:
        data["positions"] = [
            {
                "organization": organization,
                "title": title,
                "buying_role": buying_role,
                "is_primary": True,
            }
        ]
    if email:
        data["emails"] = [email]
    return services.person_create(actor=None, data=data)
