"""Fixtures of the community tests: the users of the permission matrix and an API client."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.community.models import Concern, StakeholderAssessment
from accord.core.testing import make_users
from accord.parties.models import Organization, Person


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(Concern, StakeholderAssessment, Organization, Person)
    return make_users()


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
