"""Fixtures of the parties tests: the users of the permission matrix and signed-in clients."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.testing import make_users
from accord.parties.models import Organization, Person, Relationship


@pytest.fixture
def users(db):
    # warm the per-process content-type cache, as in any served process (see test_matrix)
    ContentType.objects.get_for_models(Organization, Person, Relationship)
    return make_users()


@pytest.fixture
def owner_client(users) -> Client:
    client = Client()
    client.force_login(users.owner)
    return client


@pytest.fixture
def api(users):
    """`api(user)` → an API client authenticated with the user's token."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
