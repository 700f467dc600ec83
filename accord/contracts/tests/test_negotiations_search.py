"""Negotiations and requests between units are found in global search, within visibility."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.contracts.tests.factories_negotiations import make_negotiation
from accord.core.testing.matrix import make_users
from accord.interactions.tests.factories_unit_requests import make_unit_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_negotiations_and_unit_requests_are_searchable(client):
    users = make_users()
    negotiation = make_negotiation(
        owner=users.owner, team=users.team_a, title="Rahmenvertrag Kältemittel Zirkonia"
    )
    request = make_unit_request(
        owner=users.owner, team=users.team_a, title="Freigabe Zirkonia-Dichtungen"
    )
    client.force_login(users.owner)
    body = client.get(reverse("search"), {"q": "Zirkonia"}).content.decode()
    assert negotiation.get_absolute_url() in body and request.get_absolute_url() in body
    client.force_login(users.other)
    body = client.get(reverse("search"), {"q": "Zirkonia"}).content.decode()
    assert negotiation.get_absolute_url() not in body
    assert request.get_absolute_url() not in body
