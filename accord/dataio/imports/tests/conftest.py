"""Fixtures of the import tests: the users of the permission matrix, files built in memory."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.jobs import run_jobs_now
from accord.core.testing import make_users
from accord.dataio.imports import services
from accord.parties.models import Organization, Person


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(Organization, Person)
    return make_users()


@pytest.fixture
def owner_client(users) -> Client:
    client = Client()
    client.force_login(users.owner)
    return client


@pytest.fixture
def api(users):
    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def upload(user, content: bytes | str, name: str = "people.csv", kind: str = "people", **kwargs):
    """Create an import from bytes (str is encoded as UTF-8)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return services.import_create(
        actor=user, file=ContentFile(data, name=name), kind=kind, filename=name, **kwargs
    )


def check(run):
    """Run the dry run job to its end; the import as the page then shows it."""
    services.import_start_check(actor=run.owner, run=run)
    run_jobs_now()
    run.refresh_from_db()
    return run


def import_all(run):
    """Dry run, then the import, both as jobs; the finished import."""
    if run.status != "checked":
        check(run)
    services.import_start(actor=run.owner, run=run)
    run_jobs_now()
    run.refresh_from_db()
    return run
