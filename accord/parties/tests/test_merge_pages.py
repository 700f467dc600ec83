"""The merge pages, the duplicate list and the merge API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.interactions.models import InteractionPerson
from accord.parties.models import Organization, Person

from .factories import OrganizationFactory, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(users):
    a = make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="Anna",
        last_name="Roth",
        email="anna@roth.test",
    )
    b = make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="Anna",
        last_name="Roth",
        email="anna@roth.test",
        salutation="Frau",
    )
    return a, b


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_detail_page_offers_merge_and_the_pick_page_asks_for_the_other(owner_client, two):
    a, _b = two
    page = owner_client.get(a.get_absolute_url())
    url = reverse("parties:person_merge", args=[a.pk])
    assert url in page.content.decode()
    pick = owner_client.get(url)
    assert pick.status_code == 200
    assert 'name="other"' in pick.content.decode()


def test_compare_page_shows_both_values_and_merging_keeps_the_chosen(owner_client, two, users):
    a, b = two
    url = reverse("parties:person_merge", args=[a.pk])
    page = owner_client.get(url, {"other": b.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Frau" in html and "differs" in html
    response = owner_client.post(
        url,
        {
            "other": b.pk,
            "survivor": "b",
            "field_first_name": "a",
            "field_last_name": "a",
            "field_salutation": "b",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == b.get_absolute_url()
    assert not Person.objects.filter(pk=a.pk).exists()
    b.refresh_from_db()
    assert b.salutation == "Frau"
    assert b.emails.count() == 1
    followed = owner_client.get(response["Location"])
    assert "was merged into" in followed.content.decode()


def test_other_team_cannot_merge_or_even_open(two, users):
    a, b = two
    client = _client(users.other)
    url = reverse("parties:person_merge", args=[a.pk])
    assert client.get(url, {"other": b.pk}).status_code == 404
    assert client.post(url, {"other": b.pk, "survivor": "a"}).status_code == 404
    viewer = _client(users.viewer)
    assert viewer.get(url).status_code == 403
    assert Person.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_merging_with_a_record_one_may_not_change_is_refused(two, users):
    a, _b = two
    foreign = make_person(owner=users.other, team=users.team_b, last_name="Fremd")
    from accord.core.sharing import share_create

    share_create(actor=users.other, obj=foreign, user=users.owner)  # visible, not changeable
    client = _client(users.owner)
    url = reverse("parties:person_merge", args=[a.pk])
    assert client.get(url, {"other": foreign.pk}).status_code == 403
    assert client.post(url, {"other": foreign.pk, "survivor": "a"}).status_code == 403
    assert Person.objects.filter(pk=foreign.pk).exists()


def test_duplicate_list_groups_and_links_to_merge(owner_client, two, users):
    a, b = two
    make_person(owner=users.other, team=users.team_b, first_name="Anna", last_name="Roth")
    OrganizationFactory(owner=users.owner, name="Müller GmbH", vat_id="")
    OrganizationFactory(owner=users.owner, name="müller gmbh", vat_id="")
    page = owner_client.get(reverse("parties:person_duplicates"))
    html = page.content.decode()
    assert "Same email address: anna@roth.test" in html
    assert f"{reverse('parties:person_merge', args=[a.pk])}?other={b.pk}" in html
    assert html.count("Same name: Anna Roth") == 1
    orgs = owner_client.get(reverse("parties:organization_duplicates")).content.decode()
    assert "Same name: Müller GmbH" in orgs
    assert (
        "No likely duplicates"
        in _client(users.other).get(reverse("parties:person_duplicates")).content.decode()
    )


def test_organization_merge_page(owner_client, users):
    a = OrganizationFactory(owner=users.owner, team=users.team_a, name="Alpha")
    b = OrganizationFactory(owner=users.owner, team=users.team_a, name="Alpha AG")
    url = reverse("parties:organization_merge", args=[a.pk])
    assert owner_client.get(url, {"other": b.pk}).status_code == 200
    response = owner_client.post(url, {"other": b.pk, "survivor": "a", "field_name": "b"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.name == "Alpha AG"
    assert not Organization.objects.filter(pk=b.pk).exists()


def test_api_preview_and_merge(api, two, users):
    a, b = two
    from accord.interactions.services import interaction_create

    interaction_create(
        actor=users.owner,
        data={"kind": "note", "subject": "Notiz", "people": [b.pk, a.pk]},
    )
    client = api(users.owner)
    preview = client.get(f"/api/parties/people/{a.pk}/merge-preview/", {"other": b.pk})
    assert preview.status_code == 200, preview.content
    fields = {f["name"]: f for f in preview.json()["fields"]}
    assert fields["salutation"] == {
        "name": "salutation",
        "label": "salutation",
        "survivor_value": "",
        "loser_value": "Frau",
        "default": "loser",
        "options": ["survivor", "loser"],
    }
    bad = client.post(
        f"/api/parties/people/{a.pk}/merge/",
        {"other": b.pk, "choices": {"salutation": "maybe"}},
        format="json",
    )
    assert bad.status_code == 400
    done = client.post(
        f"/api/parties/people/{a.pk}/merge/",
        {"other": b.pk, "choices": {"salutation": "survivor"}},
        format="json",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["id"] == a.pk and body["merged_id"] == b.pk
    assert {"what": "email addresses", "count": 1} in body["dropped"]
    assert {"what": "interactions", "count": 1} in body["dropped"]
    assert InteractionPerson.objects.filter(person=a).count() == 1
    a.refresh_from_db()
    assert a.salutation == ""


def test_api_refuses_foreign_and_unknown_records(api, two, users):
    a, b = two
    foreign = make_person(owner=users.other, team=users.team_b, last_name="Fremd")
    client = api(users.owner)
    missing = client.post(
        f"/api/parties/people/{a.pk}/merge/", {"other": foreign.pk}, format="json"
    )
    assert missing.status_code == 400 and "other" in missing.json()
    assert (
        api(users.other)
        .post(f"/api/parties/people/{a.pk}/merge/", {"other": b.pk}, format="json")
        .status_code
        == 404
    )
    assert (
        api(users.viewer)
        .post(f"/api/parties/people/{a.pk}/merge/", {"other": b.pk}, format="json")
        .status_code
        == 403
    )
    same = client.post(f"/api/parties/people/{a.pk}/merge/", {"other": a.pk}, format="json")
    assert same.status_code == 400
    assert Person.objects.filter(pk__in=[a.pk, b.pk, foreign.pk]).count() == 3
