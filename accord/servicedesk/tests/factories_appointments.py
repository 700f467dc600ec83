"""Test data for service appointments, schedules and trainings (built directly, as fixtures),
and the fixtures the appointment and training tests share."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.testing import make_users
from accord.parties.models import Organization, Person, Position
from accord.servicedesk.models import (
    ServiceAppointment,
    ServiceSchedule,
    Training,
    TrainingRegistration,
)

BERLIN = dt.timezone(dt.timedelta(hours=1))  # only for building fixed winter times


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware time in the current (Europe/Berlin) zone."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def make_organization(*, owner=None, team=None, name: str = "Kältetechnik Nord GmbH"):
    return Organization.objects.create(name=name, owner=owner, team=team, is_client=True)


def make_person(*, organization=None, owner=None, team=None, last_name="Roth", first_name="Anna"):
    person = Person.objects.create(
        first_name=first_name,
        last_name=last_name,
        owner=owner,
        team=team,
        organization=organization,
    )
    if organization is not None:
        Position.objects.create(person=person, organization=organization, is_primary=True)
    return person


def make_appointment(*, owner=None, team=None, **kwargs: Any) -> ServiceAppointment:
    people = kwargs.pop("people", [])
    staff = kwargs.pop("staff", [])
    organization = kwargs.pop("organization", None) or make_organization(owner=owner, team=team)
    starts = kwargs.pop("starts_at", None) or timezone.now() + dt.timedelta(days=3)
    values = {
        "title": "Wartung Kälteanlage",
        "kind": "maintenance",
        "status": "planned",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "location": "Werk Hamburg, Halle 3",
        **kwargs,
    }
    appointment = ServiceAppointment.objects.create(
        organization=organization, owner=owner, team=team, **values
    )
    if people:
        appointment.people.set(people)
    if staff:
        appointment.staff.set(staff)
    return appointment


def make_training(*, owner=None, team=None, capacity: int = 2, **kwargs: Any) -> Training:
    deadline = kwargs.pop("registration_deadline", None)
    topic = kwargs.pop("topic", "F-Gase-Verordnung für Betreiber")
    kwargs.setdefault("title", "Schulung Kältemittel")
    appointment = make_appointment(owner=owner, team=team, kind="training", **kwargs)
    return Training.objects.create(
        appointment=appointment, topic=topic, capacity=capacity, registration_deadline=deadline
    )


def make_schedule(*, owner=None, team=None, **kwargs: Any) -> ServiceSchedule:
    organization = kwargs.pop("organization", None) or make_organization(owner=owner, team=team)
    values = {
        "title": "Halbjährliche Wartung",
        "kind": "maintenance",
        "rule": "FREQ=MONTHLY;INTERVAL=6",
        "starts_at": timezone.now() + dt.timedelta(days=10),
        "duration_minutes": 120,
        **kwargs,
    }
    return ServiceSchedule.objects.create(
        organization=organization, owner=owner, team=team, **values
    )


def register(training: Training, person: Person, status: str = "registered"):
    return TrainingRegistration.objects.create(
        training=training, person=person, status=status, registered_at=timezone.now()
    )


@pytest.fixture(name="users")
def users_fixture(db):
    ContentType.objects.get_for_models(
        ServiceAppointment, ServiceSchedule, Training, Organization, Person
    )
    return make_users()


@pytest.fixture(name="api")
def api_fixture():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
