"""Fixtures of the export tests: the permission-matrix users, data in two teams, signed-in clients."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.testing import make_users
from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person, Relationship


@pytest.fixture
def users(db):
    # a served process has the content-type cache warm; query counts assume so
    ContentType.objects.get_for_models(Organization, Person, Relationship, Interaction, FollowUp)
    return make_users()


@pytest.fixture
def client_for(users):
    """`client_for(user)` → a test client signed in as the user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api(users):
    """`api(user)` → an API client authenticated with the user's token."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
