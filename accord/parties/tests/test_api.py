"""API details beyond the matrix: tags by name or id, related rows limited to visible ones,
positions, addresses and the summary they keep, tags endpoint permissions."""

from __future__ import annotations

from accord.parties.models import Person, Tag

from .factories import OrganizationFactory, TagFactory, make_person

ORGS = "/api/parties/organizations/"


def test_tags_by_name_or_id_and_read_as_names(users, api):
    existing = TagFactory(name="Rahmenvertrag")
    client = api(users.owner)
    response = client.post(
        ORGS, {"name": "Tag GmbH", "tags": [existing.pk, "Neu 🚀", "rahmenvertrag"]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["tags"]) == ["Neu 🚀", "Rahmenvertrag"]
    assert Tag.objects.filter(name="Neu 🚀").exists()

    url = f"{ORGS}{response.json()['id']}/"
    assert client.patch(url, {"tags": []}, format="json").json()["tags"] == []
    assert client.patch(url, {"tags": [99999]}, format="json").status_code == 400
    assert list(client.patch(url, {"tags": [{"x": 1}]}, format="json").json()) == ["tags"]


def test_related_rows_must_be_visible_to_the_caller(users, api):
    hidden_person = make_person(owner=users.other, team=users.team_b, last_name="Fremd")
    hidden_org = OrganizationFactory(owner=users.other, team=users.team_b)
    mine = make_person(owner=users.owner, team=users.team_a)
    client = api(users.owner)

    response = client.post(
        "/api/parties/emails/",
        {"person": hidden_person.pk, "email": "x@example.test"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["person"]
    response = client.post(
        "/api/parties/positions/", {"person": mine.pk, "organization": hidden_org.pk}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["organization"]
    assert client.get(f"/api/parties/people/{hidden_person.pk}/").status_code == 404


def test_positions_via_api_keep_the_summary(users, api):
    org = OrganizationFactory(owner=users.owner, name="Summe AG")
    person = make_person(owner=users.owner)
    client = api(users.owner)
    created = client.post(
        "/api/parties/positions/",
        {
            "person": person.pk,
            "organization": org.pk,
            "title": "COO",
            "buying_role": "decision_maker",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (org, "COO")
    assert client.delete(f"/api/parties/positions/{created.json()['id']}/").status_code == 204
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (None, "")


def test_member_adds_tags_but_only_managers_rename_them(users, api):
    created = api(users.owner).post("/api/parties/tags/", {"name": "Messe"}, format="json")
    assert created.status_code == 201
    url = f"/api/parties/tags/{created.json()['id']}/"
    assert api(users.owner).patch(url, {"name": "Messe 2027"}, format="json").status_code == 403
    assert api(users.manager).patch(url, {"name": "Messe 2027"}, format="json").status_code == 200
    duplicate = api(users.owner).post("/api/parties/tags/", {"name": "Messe 2027"}, format="json")
    assert duplicate.status_code == 400 and list(duplicate.json()) == ["name"]


def test_people_api_filters_and_ordering(users, api):
    org = OrganizationFactory(owner=users.owner, name="Filter AG")
    make_person(owner=users.owner, last_name="Zander", organization=org, buying_role="champion")
    make_person(owner=users.owner, last_name="Arndt")
    client = api(users.owner)

    def names(params):
        return [
            r["last_name"] for r in client.get("/api/parties/people/", params).json()["results"]
        ]

    assert names({}) == ["Arndt", "Zander"]
    assert names({"ordering": "-last_name"}) == ["Zander", "Arndt"]
    assert names({"buying_role": "champion"}) == ["Zander"]
    assert names({"organization": org.pk}) == ["Zander"]
    assert names({"q": "arn"}) == ["Arndt"]


def test_person_bulk_edit_changes_owner(owner_client, users):
    a = make_person(owner=users.owner, last_name="Eins")
    b = make_person(owner=users.owner, last_name="Zwei")
    from django.urls import reverse

    response = owner_client.post(
        reverse("parties:person_bulk_edit"),
        {"pk": [a.pk, b.pk], "_apply": "1", "owner": users.manager.pk},
    )
    assert response.status_code == 302
    assert set(Person.objects.filter(pk__in=[a.pk, b.pk]).values_list("owner", flat=True)) == {
        users.manager.pk
    }


def test_admin_pages_with_history(users):
    from django.test import Client

    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    org = OrganizationFactory(owner=users.owner)
    person = make_person(owner=users.owner, organization=org, email="adm@example.test")
    client = Client()
    client.force_login(users.admin)
    for url in (
        "/admin/parties/organization/",
        f"/admin/parties/organization/{org.pk}/change/",
        f"/admin/parties/organization/{org.pk}/history/",
        f"/admin/parties/person/{person.pk}/change/",
        "/admin/parties/relationship/",
        "/admin/parties/position/",
    ):
        assert client.get(url).status_code == 200, url


def test_admin_position_edit_keeps_the_summary(users):
    from django.test import Client

    users.admin.is_staff = users.admin.is_superuser = True
    users.admin.save()
    org = OrganizationFactory(owner=users.owner, name="Admin AG")
    person = make_person(owner=users.owner)
    client = Client()
    client.force_login(users.admin)
    response = client.post(
        "/admin/parties/position/add/",
        {"person": person.pk, "organization": org.pk, "title": "Prokurist", "buying_role": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (org, "Prokurist")
