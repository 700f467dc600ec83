"""Test data for negotiations: built directly (as fixtures) or through the services, and the
users of the permission matrix as a fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.contracts.models import Negotiation, NegotiationRound
from accord.core.testing import make_users
from accord.parties.models import Organization


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(Negotiation, Organization)
    return make_users()


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def make_party(
    *, owner=None, team=None, name: str = "Kälte Nord GmbH", **roles: bool
) -> Organization:
    roles = roles or {"is_client": True}
    return Organization.objects.create(name=name, owner=owner, team=team, **roles)


def make_negotiation(*, owner=None, team=None, **kwargs: Any) -> Negotiation:
    counterparty = kwargs.pop("counterparty", None) or make_party(owner=owner, team=team)
    values = {
        "title": "Rahmenvertrag Wartung 2027",
        "kind": "sales",
        "started_on": dt.date(2026, 1, 1),
        "target_value": Decimal("100000.00"),
        "walk_away_value": Decimal("80000.00"),
        **kwargs,
    }
    return Negotiation.objects.create(counterparty=counterparty, owner=owner, team=team, **values)


def make_round(negotiation: Negotiation, **kwargs: Any) -> NegotiationRound:
    number = kwargs.pop("number", None) or negotiation.rounds.count() + 1
    values = {"date": negotiation.started_on, "offered_by": "us", **kwargs}
    return NegotiationRound.objects.create(negotiation=negotiation, number=number, **values)
