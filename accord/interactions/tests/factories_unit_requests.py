"""Test data for requests between internal units: units, requests, and the matrix users."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.core.testing import make_users
from accord.interactions.models import UnitRequest
from accord.parties.models import Organization


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(UnitRequest, Organization)
    return make_users()


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def make_unit(*, owner=None, team=None, name: str = "Werk Nord") -> Organization:
    return Organization.objects.create(name=name, owner=owner, team=team, is_internal=True)


def make_unit_request(*, owner=None, team=None, **kwargs: Any) -> UnitRequest:
    requester = kwargs.pop("requester", None) or make_unit(owner=owner, team=team, name="Werk Süd")
    server = kwargs.pop("server", None) or make_unit(owner=owner, team=team, name="Einkauf Zentral")
    values = {"title": "Neuen Lieferanten für Dichtungen freigeben", **kwargs}
    return UnitRequest.objects.create(
        requester=requester, server=server, owner=owner, team=team, **values
    )
