"""Fixtures of the calendars tests: the permission-matrix users, signed-in clients, uploads."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.jobs import run_jobs_now
from accord.core.testing import make_users
from accord.dataio.calendars import services
from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(Organization, Person, Interaction, FollowUp)
    return make_users()


@pytest.fixture
def client_for(users):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api(users):
    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def run_import():
    """`run_import(user, "vcard"|"ical", content, **options)` → the finished job."""

    def run(user, file_format: str, content: bytes, name: str = "upload", **options):
        upload = services.calendar_import_start(
            actor=user,
            file_format=file_format,
            uploaded_file=SimpleUploadedFile(name, content),
            **options,
        )
        run_jobs_now()
        upload.job.refresh_from_db()
        return upload.job

    return run
