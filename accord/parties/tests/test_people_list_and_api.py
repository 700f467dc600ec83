"""People lists (filters, sorting, deep pages, capped count, query budget) and the people API."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.parties import services

from .factories import OrganizationFactory, TagFactory, make_person

LIST = reverse("parties:person_list")
API = "/api/parties/people/"


def names_in(response) -> list[str]:
    body = response.content.decode()
    return [html.unescape(m) for m in re.findall(r'<a href="/people/\d+/">([^<]*)</a>', body)]


@pytest.fixture
def org(users):
    return OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller GmbH")


# --- list ------------------------------------------------------------------------------------


def test_list_filters_and_sorting(owner_client, users):
    a = OrganizationFactory(owner=users.owner, name="Zeta AG")
    b = OrganizationFactory(owner=users.owner, name="Alpha AG")
    tag = TagFactory(name="Messe")
    p1 = make_person(
        owner=users.owner,
        first_name="Anna",
        last_name="Berg",
        organization=a,
        buying_role="decision_maker",
    )
    make_person(
        owner=users.owner, first_name="Carl", last_name="Adler", organization=b, buying_role="user"
    )
    make_person(owner=users.other, team=users.team_a, first_name="Dora", last_name="Christ")
    p1.tags.add(tag)

    assert names_in(owner_client.get(LIST)) == ["Carl Adler", "Anna Berg", "Dora Christ"]
    assert names_in(owner_client.get(LIST, {"buying_role": "decision_maker"})) == ["Anna Berg"]
    assert names_in(owner_client.get(LIST, {"organization": "zeta"})) == ["Anna Berg"]
    assert names_in(owner_client.get(LIST, {"organization": str(b.pk)})) == ["Carl Adler"]
    assert names_in(owner_client.get(LIST, {"tag": tag.pk})) == ["Anna Berg"]
    assert names_in(owner_client.get(LIST, {"owner": users.other.pk})) == ["Dora Christ"]
    assert names_in(owner_client.get(LIST, {"q": "berg"})) == ["Anna Berg"]
    assert names_in(owner_client.get(LIST, {"sort": "-name"})) == [
        "Dora Christ",
        "Anna Berg",
        "Carl Adler",
    ]
    by_org = names_in(owner_client.get(LIST, {"sort": "organization"}))
    assert by_org.index("Carl Adler") < by_org.index("Anna Berg")


def test_list_rows_link_to_person_organization_and_mail(owner_client, users, org):
    person = make_person(
        owner=users.owner, organization=org, title="Chefin", email="c@example.test"
    )
    body = owner_client.get(LIST).content.decode()
    assert person.get_absolute_url() in body
    assert org.get_absolute_url() in body
    assert 'href="mailto:c@example.test"' in body


@override_settings(ACCORD_LIST_COUNT_CAP=3)
def test_second_and_deep_pages_work_and_the_count_is_capped(owner_client, users):
    for i in range(30):
        make_person(owner=users.owner, first_name="P", last_name=f"N{i:02d}")
    first = owner_client.get(LIST, {"per_page": 5})
    assert "more than 3" in first.content.decode()
    assert names_in(first) == [f"P N{i:02d}" for i in range(5)]
    assert names_in(owner_client.get(LIST, {"per_page": 5, "page": 2})) == [
        f"P N{i:02d}" for i in range(5, 10)
    ]
    with CaptureQueriesContext(connection) as ctx:
        deep = owner_client.get(LIST, {"per_page": 5, "page": 6})
    assert deep.status_code == 200
    assert names_in(deep) == [f"P N{i:02d}" for i in range(25, 30)]
    assert 'rel="next"' not in deep.content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)
    assert len(ctx.captured_queries) <= 6


def test_list_stays_within_budget_with_many_rows(owner_client, users, org):
    for i in range(60):
        make_person(
            owner=users.owner, last_name=f"Viele{i}", organization=org, email=f"v{i}@example.test"
        )
    with CaptureQueriesContext(connection) as ctx:
        response = owner_client.get(LIST, {"per_page": 100})
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 6


def test_api_people_show_positions_addresses_and_numbers(users, api, org):
    person = make_person(
        owner=users.owner,
        organization=org,
        title="CFO",
        buying_role="finance",
        email="cfo@example.test",
    )
    services.person_phone_add(actor=users.owner, person=person, number="+49301234567")
    data = api(users.owner).get(f"{API}{person.pk}/").json()
    assert data["organization"] == org.pk and data["job_title"] == "CFO"
    assert [p["organization_name"] for p in data["positions"]] == ["Müller GmbH"]
    assert data["positions"][0]["buying_role"] == "finance"
    assert data["emails"] == [
        {
            "id": person.emails.get().pk,
            "email": "cfo@example.test",
            "kind": "work",
            "is_primary": True,
        }
    ]
    assert data["phones"][0]["number_display"] == "+49 30 1234567"


def test_api_refuses_nested_changes_on_update(users, api):
    person = make_person(owner=users.owner)
    response = api(users.owner).patch(
        f"{API}{person.pk}/", {"emails": [{"email": "n@example.test"}]}, format="json"
    )
    assert response.status_code == 400 and "emails" in response.json()


def test_api_phone_is_normalised_and_bad_one_named(users, api):
    person = make_person(owner=users.owner)
    client = api(users.owner)
    ok = client.post(
        "/api/parties/phones/", {"person": person.pk, "number": "089 12345678"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["number"] == "+498912345678"
    bad = client.post("/api/parties/phones/", {"person": person.pk, "number": "0"}, format="json")
    assert bad.status_code == 400 and list(bad.json()) == ["number"]


def test_person_archive_hides_from_default_list(owner_client, users):
    person = make_person(owner=users.owner, last_name="Ruhestand")
    owner_client.post(reverse("parties:person_archive", args=[person.pk]))
    assert "Erika Ruhestand" not in names_in(owner_client.get(LIST))
    assert "Erika Ruhestand" in names_in(owner_client.get(LIST, {"archived": "only"}))
