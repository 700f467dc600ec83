"""Fixtures for the mail tests: two teams, members, an admin; people and organizations to link."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.core.jobs import run_jobs_now
from accord.dataio.mail import services
from accord.dataio.mail.parsing import parse_message
from accord.interactions.models import Interaction
from accord.interactions.tests.factories import TeamFactory, UserFactory
from accord.parties.models import Organization, Person, PersonEmail


@pytest.fixture
def world(db):
    ContentType.objects.get_for_models(Interaction, Organization, Person)
    team_a, team_b = TeamFactory(name="Vertrieb"), TeamFactory(name="Einkauf")
    anna = UserFactory(email="anna@example.test", first_name="Anna", teams=[team_a])
    ben = UserFactory(email="ben@example.test", first_name="Ben", teams=[team_a])
    carla = UserFactory(email="carla@example.test", first_name="Carla", teams=[team_b])
    admin = UserFactory(email="admin@example.test", role="admin")
    kunde = Organization.objects.create(
        name="Kunde GmbH", website="https://www.kunde.example", owner=anna, team=team_a
    )
    lieferant = Organization.objects.create(
        name="Lieferant AG", email="info@lieferant.example", owner=carla, team=team_b
    )
    joerg = Person.objects.create(
        first_name="Jörg",
        last_name="Müller",
        organization=kunde,
        email="joerg@kunde.example",
        owner=anna,
        team=team_a,
    )
    PersonEmail.objects.create(person=joerg, email="joerg@kunde.example", is_primary=True)
    PersonEmail.objects.create(person=joerg, email="j.mueller@privat.example")
    lena = Person.objects.create(
        first_name="Lena",
        last_name="Lang",
        organization=lieferant,
        email="lena@lieferant.example",
        owner=carla,
        team=team_b,
    )
    return SimpleNamespace(
        team_a=team_a,
        team_b=team_b,
        anna=anna,
        ben=ben,
        carla=carla,
        admin=admin,
        kunde=kunde,
        lieferant=lieferant,
        joerg=joerg,
        lena=lena,
    )


def upload(user, data: bytes, name: str = "mail.mbox"):
    """Upload a file as `user` and run the capture job; returns the finished job."""
    job = services.mail_import_start(actor=user, upload=SimpleUploadedFile(name, data))
    run_jobs_now()
    job.refresh_from_db()
    return job


def capture(user, *raws: bytes):
    """Capture messages directly (no job)."""
    items = [
        services.CaptureItem(where=f"message {n}", message=parse_message(raw))
        for n, raw in enumerate(raws, start=1)
    ]
    return services.capture_messages(owner=user, items=items)
