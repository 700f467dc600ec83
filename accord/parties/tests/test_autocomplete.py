"""Choosing an organization or a person with the search box: the forms and filters render only the
chosen row (not a list of every organization), the endpoint offers visible matches only, and a
posted id the user may not see is refused at the field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.parties.models import Organization, Person, Relationship

from .factories import OrganizationFactory, RelationshipFactory, make_person

AUTOCOMPLETE = reverse("parties:autocomplete")
HOSTILE = '<script>alert("x")</script> Ärger & Öl 😀'


@pytest.fixture
def orgs(users):
    """300 organizations the owner may see, none of them chosen anywhere, and one that is."""
    Organization.objects.bulk_create(
        Organization(name=f"Unchosen {i:03d} AG", owner=users.owner, team=users.team_a)
        for i in range(300)
    )
    return OrganizationFactory(owner=users.owner, team=users.team_a, name="Gewählt GmbH")


@pytest.fixture
def foreign(users):
    """An organization of the other team: the owner (a member of team A) may not see it."""
    return OrganizationFactory(owner=users.other, team=users.team_b, name="Fremdfirma KG")


def _options(html: str) -> int:
    return html.count('role="option"')


# --- the form pages render only what is chosen ----------------------------------------------------


def _pages(users, chosen):
    person = make_person(owner=users.owner, team=users.team_a, organization=chosen)
    position = person.positions.get()
    relationship = RelationshipFactory(
        owner=users.owner,
        team=users.team_a,
        from_organization=chosen,
        to_organization=OrganizationFactory(owner=users.owner, name="Partnerin AG"),
    )
    return [
        reverse("parties:person_add") + f"?organization={chosen.pk}",
        reverse("parties:position_add", args=[person.pk]) + f"?organization={chosen.pk}",
        reverse("parties:position_edit", args=[position.pk]),
        reverse("parties:relationship_add") + f"?from_organization={chosen.pk}",
        reverse("parties:relationship_edit", args=[relationship.pk]),
        reverse("parties:relationship_list") + f"?organization={chosen.pk}",
        reverse("parties:person_list") + f"?organization={chosen.pk}",
    ]


def test_form_pages_render_the_chosen_organization_only(owner_client, users, orgs):
    for url in _pages(users, orgs):
        response = owner_client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "Unchosen" not in html, url
        assert len(html) < 40_000, url
        if "/people/?" not in url:  # the people list filters by a typed name or number
            assert f'<option value="{orgs.pk}" selected>Gewählt GmbH</option>' in html, url
            assert 'role="listbox"' in html and 'role="combobox"' in html, url
            assert f"{AUTOCOMPLETE}?kind=organization" in html, url


def test_search_box_markup_for_keyboard_and_screen_readers(owner_client, orgs):
    html = owner_client.get(reverse("parties:relationship_add")).content.decode()
    for field in ("from_organization", "to_organization"):
        assert f'aria-controls="id_{field}_results"' in html
        assert f'<ul id="id_{field}_results" class="autocomplete-results" role="listbox"' in html
        assert f'hx-get="{AUTOCOMPLETE}?kind=organization&amp;field={field}"' in html
    assert f'hx-get="{AUTOCOMPLETE}?kind=person&amp;field=from_person"' in html
    assert 'aria-expanded="false"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    # the search box has no name: it is never posted with the form
    assert 'name="q"' not in html.split('id="id_from_organization_search"')[1].split(">")[0]


def test_add_person_page_query_budget(owner_client, orgs, django_assert_max_num_queries):
    url = reverse("parties:person_add") + f"?organization={orgs.pk}"
    owner_client.get(url)  # a warm process
    with django_assert_max_num_queries(8):
        response = owner_client.get(url)
    assert response.status_code == 200


def test_prefilled_hostile_name_is_escaped(owner_client, users):
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name=HOSTILE)
    html = owner_client.get(reverse("parties:person_add") + f"?organization={org.pk}")
    html = html.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ärger &amp; Öl 😀" in html


def test_prefilled_invisible_organization_is_not_shown(owner_client, foreign):
    html = owner_client.get(reverse("parties:person_add") + f"?organization={foreign.pk}")
    assert "Fremdfirma" not in html.content.decode()
    for junk in ("99999999999999999999999", "x1", "١٢", "-1"):
        response = owner_client.get(reverse("parties:person_add"), {"organization": junk})
        assert response.status_code == 200
        response = owner_client.post(
            reverse("parties:relationship_add"),
            {"relationship_type": "knows", "from_person": junk, "to_person": junk},
        )
        assert "from_person" in response.context["form"].errors
        response = owner_client.get(reverse("parties:person_list"), {"organization": junk})
        assert response.status_code == 200


# --- a posted id the user may not see is refused -------------------------------------------------


def test_posted_invisible_organization_is_a_field_error(owner_client, users, orgs, foreign):
    response = owner_client.post(
        reverse("parties:person_add"),
        {"first_name": "Ida", "last_name": "Ungesehen", "organization": foreign.pk},
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Person.objects.filter(last_name="Ungesehen").exists()
    assert "Fremdfirma" not in response.content.decode()

    person = make_person(owner=users.owner, team=users.team_a, organization=orgs)
    response = owner_client.post(
        reverse("parties:position_add", args=[person.pk]),
        {"organization": foreign.pk, "title": "Beirat"},
    )
    assert response.status_code == 422
    assert "organization" in response.context["form"].errors
    assert person.positions.count() == 1

    response = owner_client.post(
        reverse("parties:relationship_add"),
        {
            "relationship_type": "supplies",
            "from_organization": orgs.pk,
            "to_organization": foreign.pk,
        },
    )
    assert response.status_code == 200
    assert "to_organization" in response.context["form"].errors
    assert not Relationship.objects.exists()


def test_relationship_filter_by_invisible_organization_shows_nothing(
    owner_client, users, foreign, api
):
    mine = OrganizationFactory(owner=users.owner, team=users.team_a, name="Meine AG")
    RelationshipFactory(owner=users.owner, from_organization=mine, to_organization=foreign)
    RelationshipFactory(
        owner=users.owner,
        from_organization=OrganizationFactory(owner=users.owner),
        to_organization=mine,
    )
    response = owner_client.get(reverse("parties:relationship_list"), {"organization": foreign.pk})
    assert response.status_code == 200
    assert "Fremdfirma" not in response.content.decode()
    # the API filters with the same class: a visible id filters, another is a bad value
    client = api(users.owner)
    response = client.get("/api/parties/relationships/", {"organization": mine.pk})
    assert response.status_code == 200 and len(response.json()["results"]) == 2
    response = client.get("/api/parties/relationships/", {"organization": foreign.pk})
    assert response.status_code == 400 and "organization" in response.json()


# --- the endpoint ----------------------------------------------------------------------------------


def test_autocomplete_offers_visible_matches_only(users, orgs, foreign):
    OrganizationFactory(owner=users.owner, team=users.team_a, name="Fremdenverkehr Mein")
    owner, other, admin = Client(), Client(), Client()
    owner.force_login(users.owner)
    other.force_login(users.other)
    admin.force_login(users.admin)
    query = {"kind": "organization", "q": "fremd"}
    html = owner.get(AUTOCOMPLETE, query).content.decode()
    assert "Fremdenverkehr Mein" in html and "Fremdfirma" not in html
    html = other.get(AUTOCOMPLETE, query).content.decode()
    assert "Fremdfirma" in html and "Fremdenverkehr" not in html
    html = admin.get(AUTOCOMPLETE, query).content.decode()
    assert "Fremdfirma" in html and "Fremdenverkehr Mein" in html


def test_autocomplete_limits_to_twenty_names_first(owner_client, orgs):
    html = owner_client.get(AUTOCOMPLETE, {"kind": "organization", "q": "unchosen"}).content
    html = html.decode()
    assert _options(html) == 20
    assert html.index("Unchosen 000 AG") < html.index("Unchosen 019 AG")
    html = owner_client.get(AUTOCOMPLETE, {"kind": "organization", "q": "Gewählt"}).content
    assert _options(html.decode()) == 1


def test_autocomplete_finds_a_members_rows_among_many_invisible_matches(users, owner_client):
    OrganizationFactory(owner=users.owner, team=users.team_a, name="Gemeinde Mein")
    Organization.objects.bulk_create(
        Organization(name=f"Gemeinde {i}", owner=users.other, team=users.team_b) for i in range(520)
    )
    html = owner_client.get(AUTOCOMPLETE, {"kind": "organization", "q": "gemeinde"}).content
    html = html.decode()
    assert _options(html) == 1 and "Gemeinde Mein" in html


def test_autocomplete_leaves_out_archived(owner_client, users):
    OrganizationFactory(owner=users.owner, team=users.team_a, name="Altbau AG", is_archived=True)
    html = owner_client.get(AUTOCOMPLETE, {"kind": "organization", "q": "altbau"}).content
    assert "Altbau AG" not in html.decode()


def test_autocomplete_people_with_job_title_at_organization(owner_client, users):
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller GmbH")
    person = make_person(
        owner=users.owner,
        team=users.team_a,
        organization=org,
        first_name="Özlem",
        last_name="Şahin",
        title="Einkaufsleiterin",
    )
    html = owner_client.get(
        AUTOCOMPLETE, {"kind": "person", "q": "özlem", "field": "from_person"}
    ).content.decode()
    assert f'id="from_person-option-{person.pk}"' in html
    assert f'data-value="{person.pk}" data-label="Özlem Şahin (Müller GmbH)"' in html
    assert "Einkaufsleiterin at Müller GmbH" in html


def test_autocomplete_escapes_hostile_names_and_text(owner_client, users):
    OrganizationFactory(owner=users.owner, team=users.team_a, name=HOSTILE, city="<b>Köln</b>")
    html = owner_client.get(AUTOCOMPLETE, {"kind": "organization", "q": "Ärger Öl"}).content
    html = html.decode()
    assert _options(html) == 1
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ärger &amp; Öl 😀" in html
    assert "&lt;b&gt;Köln&lt;/b&gt;" in html
    html = owner_client.get(
        AUTOCOMPLETE, {"kind": "organization", "q": "<script>nichts", "field": '"><img src=x>'}
    ).content.decode()
    assert "<script>" not in html and "<img" not in html
    assert "Nothing visible to you matches “&lt;script&gt;nichts”." in html


def test_autocomplete_bad_kind_and_anonymous(owner_client):
    assert owner_client.get(AUTOCOMPLETE, {"kind": "interaction", "q": "x"}).status_code == 400
    response = Client().get(AUTOCOMPLETE, {"kind": "organization", "q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
