"""Fixtures of the commerce tests: the users of the permission matrix and an API client per
user."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.testing import make_users


@pytest.fixture
def users(db):
    return make_users()


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
