"""Test data for contracts and commitments: built directly (as fixtures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accord.contracts.models import Commitment, Contract
from accord.core.testing import make_users
from accord.parties.models import Organization, Person


def make_org(
    *, owner=None, team=None, name: str = "Kältetechnik Nord GmbH", **kw: Any
) -> Organization:
    kw.setdefault("is_supplier", True)
    return Organization.objects.create(name=name, owner=owner, team=team, **kw)


def make_contract(*, owner=None, team=None, **kwargs: Any) -> Contract:
    counterparty = kwargs.pop("counterparty", None) or make_org(owner=owner, team=team)
    further = kwargs.pop("further_parties", [])
    values = {
        "title": "Wartungsvertrag Kältetechnik",
        "side": "buy",
        "contract_type": "maintenance",
        "value": Decimal("24000.00"),
        "currency": "EUR",
        "start_date": dt.date(2025, 1, 1),
        "end_date": dt.date(2025, 12, 31),
        "status": "active",
        **kwargs,
    }
    contract = Contract.objects.create(
        counterparty=counterparty,
        counterparty_name=counterparty.name,
        owner=owner,
        team=team,
        **values,
    )
    if further:
        contract.further_parties.set(further)
    return contract


def make_commitment(*, owner=None, team=None, **kwargs: Any) -> Commitment:
    if not any(k in kwargs for k in ("contract", "organization", "person")):
        kwargs["organization"] = make_org(owner=owner, team=team, name="Stadt Musterstadt")
    values = {
        "title": "Lärmschutzwand bis Herbst errichten",
        "side": "ours",
        "kind": "deliverable",
        "status": "open",
        **kwargs,
    }
    return Commitment.objects.create(owner=owner, team=team, **values)


def make_person(*, owner=None, team=None, last_name: str = "Roth") -> Person:
    return Person.objects.create(first_name="Anna", last_name=last_name, owner=owner, team=team)


@pytest.fixture
def users(db):
    ContentType.objects.get_for_models(Contract, Commitment, Organization)
    return make_users()


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
