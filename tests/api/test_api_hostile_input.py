"""Property test of the API against hostile input: any text in any string field gives 201 or 400
(never a server error), and what is stored is exactly what was sent — shown back escaped."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accord.core.testing import make_users

pytestmark = pytest.mark.django_db

# Any Unicode except surrogates, including control characters, NUL, RTL marks, emoji and umlauts.
hostile_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.sampled_from(
        [
            "<script>alert('x')</script>",
            "'; DROP TABLE parties_organization; --",
            "Müller & Söhne GmbH — Straße 5 🚚",
            "\u202egnp.exe",
            '=HYPERLINK("http://evil")',
            "x" * 5000,
            "\x00nul",
            "{{ 7*7 }} {% debug %}",
        ]
    ),
)


@pytest.fixture
def api_client():
    users = make_users()
    client = APIClient()
    client.force_authenticate(users.owner)
    return client


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=hostile_text, notes=hostile_text)
def test_organization_strings_round_trip_or_are_refused_by_field(api_client, name, notes):
    response = api_client.post(
        "/api/parties/organizations/", {"name": name, "notes": notes}, format="json"
    )
    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 400:
        assert set(response.json()) <= {"name", "notes"}, response.json()
        return
    stored = api_client.get(f"/api/parties/organizations/{response.json()['id']}/").json()
    assert stored["name"] == name.strip()
    assert stored["notes"] == notes.strip()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=hostile_text, last=hostile_text, subject=hostile_text)
def test_people_and_interactions_never_fail_on_text(api_client, first, last, subject):
    person = api_client.post(
        "/api/parties/people/", {"first_name": first, "last_name": last}, format="json"
    )
    assert person.status_code in (201, 400), person.content[:500]
    if person.status_code != 201:
        assert set(person.json()) <= {"first_name", "last_name"}, person.json()
        return
    interaction = api_client.post(
        "/api/interactions/interactions/",
        {
            "kind": "note",
            "direction": "internal",
            "subject": subject,
            "people": [person.json()["id"]],
        },
        format="json",
    )
    assert interaction.status_code in (201, 400), interaction.content[:500]
    if interaction.status_code == 400:
        assert set(interaction.json()) <= {"subject"}, interaction.json()


def test_hostile_strings_are_shown_escaped_on_pages(client):
    users = make_users()
    client.force_login(users.owner)
    api = APIClient()
    api.force_authenticate(users.owner)
    created = api.post(
        "/api/parties/organizations/",
        {"name": "<script>alert(1)</script> Ölwerke", "notes": "<img src=x onerror=alert(2)>"},
        format="json",
    ).json()
    body = client.get(f"/organizations/{created['id']}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ölwerke" in body
    assert "<img src=x" not in body
