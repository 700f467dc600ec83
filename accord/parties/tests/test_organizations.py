"""Organizations: roles, identifiers, archive, hostile input, list filters and sorting, bulk edit."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from accord.parties import services
from accord.parties.models import Organization

from .factories import OrganizationFactory, TagFactory

ADD = reverse("parties:organization_add")
LIST = reverse("parties:organization_list")
API = "/api/parties/organizations/"


def names_in(response) -> list[str]:
    """Organization names in the order the list shows them."""
    body = response.content.decode()
    return [
        html.unescape(m) for m in re.findall(r'<a href="/organizations/\d+/">([^<]*)</a>', body)
    ]


# --- roles -------------------------------------------------------------------------------------


def test_roles_round_trip_through_the_form(owner_client):
    response = owner_client.post(ADD, {"name": "Vielseitig AG", "roles": ["client", "competitor"]})
    assert response.status_code == 302
    org = Organization.objects.get(name="Vielseitig AG")
    assert org.roles == ["client", "competitor"]
    assert org.is_client and org.is_competitor and not org.is_supplier

    edit = owner_client.get(reverse("parties:organization_edit", args=[org.pk]))
    checked = set(re.findall(r'name="roles" value="(\w+)"[^>]*checked', edit.content.decode()))
    assert checked == {"client", "competitor"}

    owner_client.post(
        reverse("parties:organization_edit", args=[org.pk]),
        {"name": "Vielseitig AG", "roles": ["supplier"]},
    )
    org.refresh_from_db()
    assert org.roles == ["supplier"]

    page = owner_client.get(org.get_absolute_url()).content.decode()
    assert 'class="badge badge-role role-supplier">Supplier<' in page


def test_roles_round_trip_through_the_api(users, api):
    client = api(users.owner)
    created = client.post(
        API, {"name": "Rollen GmbH", "roles": ["partner", "client"]}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["roles"] == ["client", "partner"]
    url = f"{API}{created.json()['id']}/"
    assert client.patch(url, {"roles": []}, format="json").json()["roles"] == []
    bad = client.post(API, {"name": "X", "roles": ["friend"]}, format="json")
    assert bad.status_code == 400 and "roles" in bad.json()


# --- identifiers -------------------------------------------------------------------------------


def test_valid_vat_id_is_accepted_and_compacted(owner_client):
    response = owner_client.post(ADD, {"name": "Steuer GmbH", "vat_id": "de 136 695 976"})
    assert response.status_code == 302
    assert Organization.objects.get(name="Steuer GmbH").vat_id == "DE136695976"


@pytest.mark.parametrize("language", ["en", "de"])
def test_invalid_vat_id_is_refused_on_the_field(owner_client, language):
    response = owner_client.post(
        ADD, {"name": "Falsch GmbH", "vat_id": "DE123456789"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["vat_id"]
    assert "DE123456789" in form.errors["vat_id"][0]
    assert not Organization.objects.filter(name="Falsch GmbH").exists()


def test_invalid_vat_id_via_api_names_the_field(users, api):
    response = api(users.owner).post(
        API, {"name": "Falsch", "vat_id": "DE123456789"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["vat_id"]


def test_phone_is_stored_in_e164_and_shown_international(owner_client):
    owner_client.post(ADD, {"name": "Telefon GmbH", "phone": "030 1234567", "country": "DE"})
    org = Organization.objects.get(name="Telefon GmbH")
    assert org.phone == "+49301234567"
    assert "+49 30 1234567" in owner_client.get(org.get_absolute_url()).content.decode()


def test_invalid_phone_and_url_are_refused_on_their_fields(owner_client):
    response = owner_client.post(ADD, {"name": "X", "phone": "12", "website": "not a url"})
    assert set(response.context["form"].errors) == {"phone", "website"}


def test_website_link_does_not_leak_the_opener(owner_client, users):
    org = OrganizationFactory(owner=users.owner, website="https://example.com")
    page = owner_client.get(org.get_absolute_url()).content.decode()
    assert 'href="https://example.com" rel="noopener noreferrer"' in page


# --- archive -----------------------------------------------------------------------------------


def test_archive_hides_from_the_default_list_but_not_from_its_page(owner_client, users, api):
    org = OrganizationFactory(owner=users.owner, name="Alt GmbH")
    response = owner_client.post(reverse("parties:organization_archive", args=[org.pk]))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.is_archived

    assert "Alt GmbH" not in names_in(owner_client.get(LIST))
    assert "Alt GmbH" in names_in(owner_client.get(LIST, {"archived": "only"}))
    assert "Alt GmbH" in names_in(owner_client.get(LIST, {"archived": "all"}))
    assert owner_client.get(org.get_absolute_url()).status_code == 200

    client = api(users.owner)
    assert org.pk not in [r["id"] for r in client.get(API).json()["results"]]
    assert org.pk in [r["id"] for r in client.get(API, {"archived": "only"}).json()["results"]]
    assert client.get(f"{API}{org.pk}/").status_code == 200

    owner_client.post(reverse("parties:organization_unarchive", args=[org.pk]))
    assert "Alt GmbH" in names_in(owner_client.get(LIST))


def test_viewer_cannot_archive(users):
    org = OrganizationFactory(owner=users.owner, team=users.team_a)
    from django.test import Client

    client = Client()
    client.force_login(users.viewer)
    assert client.post(reverse("parties:organization_archive", args=[org.pk])).status_code == 403
    org.refresh_from_db()
    assert not org.is_archived


# --- hostile input -----------------------------------------------------------------------------

HOSTILE_NAME = '<script>alert("x")</script> Müller & Söhne ß 🚀 "quoted" \u200b'
HOSTILE_NOTES = "<img src=x onerror=alert(1)>\x07\x1b[31m\n" + "Ä" * 10_000


def test_hostile_strings_are_stored_exactly_and_shown_escaped(owner_client, users, api):
    response = owner_client.post(
        ADD, {"name": HOSTILE_NAME, "notes": HOSTILE_NOTES, "city": "Köln <b>"}
    )
    assert response.status_code == 302
    org = Organization.objects.get(city="Köln <b>")
    assert org.name == HOSTILE_NAME
    assert org.notes == HOSTILE_NOTES

    for url in (org.get_absolute_url(), LIST, reverse("parties:organization_edit", args=[org.pk])):
        body = owner_client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;alert" in body

    data = api(users.owner).get(f"{API}{org.pk}/").json()
    assert data["name"] == HOSTILE_NAME


def test_hostile_strings_through_the_api(users, api):
    client = api(users.owner)
    created = client.post(API, {"name": HOSTILE_NAME, "notes": HOSTILE_NOTES}, format="json")
    assert created.status_code == 201, created.content
    org = Organization.objects.get(pk=created.json()["id"])
    assert (org.name, org.notes) == (HOSTILE_NAME, HOSTILE_NOTES)


# --- list: filters, sorting ----------------------------------------------------------------------


@pytest.fixture
def catalogue(users):
    key = TagFactory(name="Key account")
    a = OrganizationFactory(
        owner=users.owner, name="Alpha", city="Zwickau", country="DE", is_client=True
    )
    b = OrganizationFactory(
        owner=users.owner,
        name="Beta",
        city="Aachen",
        country="AT",
        is_client=False,
        is_supplier=True,
    )
    c = OrganizationFactory(
        owner=users.other,
        team=users.team_a,
        name="Gamma",
        city="Mitte",
        country="DE",
        is_client=False,
        is_partner=True,
    )
    a.tags.add(key)
    c.tags.add(key)
    return {"tag": key, "a": a, "b": b, "c": c}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Alpha", "Beta", "Gamma"]),
        ({"role": "supplier"}, ["Beta"]),
        ({"role": "client"}, ["Alpha"]),
        ({"country": "DE"}, ["Alpha", "Gamma"]),
        ({"q": "aach"}, ["Beta"]),
        ({"sort": "-name"}, ["Gamma", "Beta", "Alpha"]),
        ({"sort": "city"}, ["Beta", "Gamma", "Alpha"]),
        ({"sort": "-country"}, ["Gamma", "Alpha", "Beta"]),
    ],
)
def test_list_filters_and_sorting(owner_client, catalogue, params, expected):
    assert names_in(owner_client.get(LIST, params)) == expected


def test_list_filters_by_tag_and_owner(owner_client, catalogue, users):
    assert names_in(owner_client.get(LIST, {"tag": catalogue["tag"].pk})) == ["Alpha", "Gamma"]
    assert names_in(owner_client.get(LIST, {"owner": users.other.pk})) == ["Gamma"]
    assert names_in(
        owner_client.get(LIST, {"owner": users.owner.pk, "tag": catalogue["tag"].pk})
    ) == ["Alpha"]


def test_api_filters_search_and_ordering(catalogue, users, api):
    client = api(users.owner)

    def names(params):
        return [r["name"] for r in client.get(API, params).json()["results"]]

    assert names({"role": "supplier"}) == ["Beta"]
    assert names({"country": "DE", "tag": catalogue["tag"].pk}) == ["Alpha", "Gamma"]
    assert names({"search": "gam"}) == ["Gamma"]
    assert names({"ordering": "-city"}) == ["Alpha", "Gamma", "Beta"]
    assert client.get(API, {"role": "nonsense"}).status_code == 400


def test_last_interaction_sort_puts_never_contacted_last(owner_client, users):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    OrganizationFactory(owner=users.owner, name="Nie")
    OrganizationFactory(owner=users.owner, name="Neulich", last_interaction_at=now)
    OrganizationFactory(
        owner=users.owner, name="Lange her", last_interaction_at=now - timedelta(days=90)
    )
    assert names_in(owner_client.get(LIST, {"sort": "-last_interaction_at"})) == [
        "Neulich",
        "Lange her",
        "Nie",
    ]
    assert names_in(owner_client.get(LIST, {"sort": "last_interaction_at"})) == [
        "Lange her",
        "Neulich",
        "Nie",
    ]


# --- bulk edit, delete -----------------------------------------------------------------------


def test_bulk_edit_adds_a_tag_and_archives(owner_client, users):
    a = OrganizationFactory(owner=users.owner, name="Eins")
    b = OrganizationFactory(owner=users.owner, name="Zwei")
    tag = TagFactory(name="Messe 2026")
    response = owner_client.post(
        reverse("parties:organization_bulk_edit"),
        {"pk": [a.pk, b.pk], "_apply": "1", "add_tag": tag.pk, "is_archived": "1"},
    )
    assert response.status_code == 302
    for org in (a, b):
        org.refresh_from_db()
        assert org.is_archived
        assert list(org.tags.values_list("name", flat=True)) == ["Messe 2026"]


def test_delete_refreshes_the_summary_of_people_who_worked_there(users):
    from .factories import make_person

    org = OrganizationFactory(owner=users.owner)
    person = make_person(owner=users.owner, organization=org, title="CEO")
    assert person.organization == org
    services.organization_delete(actor=users.owner, instance=org)
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (None, "")
