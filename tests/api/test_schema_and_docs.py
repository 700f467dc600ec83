"""The OpenAPI schema is served, valid and complete; the interactive docs load no third-party asset."""

import re

import pytest
from django.core.management import call_command

from accord.core.testing import make_users

pytestmark = pytest.mark.django_db


def test_schema_lists_every_collection(client):
    client.force_login(make_users().viewer)
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for collection in (
        "/api/parties/organizations/",
        "/api/parties/people/",
        "/api/parties/positions/",
        "/api/parties/relationships/",
        "/api/interactions/interactions/",
        "/api/interactions/follow-ups/",
        "/api/search/",
    ):
        assert collection in paths, collection
    assert "/api/parties/organizations/{id}/history/" in paths


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_docs_page_is_served_locally(client):
    client.force_login(make_users().viewer)
    body = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets, "the docs page loads its assets"
    assert all(a.startswith("/") for a in assets), assets  # nothing from a CDN
    assert client.get("/api/redoc/").status_code == 200
