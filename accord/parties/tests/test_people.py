"""People: the one-form create, duplicate addresses, positions over time, the denormalised summary,
the small forms of the person page, and the list (filters, deep pages, capped count)."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.parties import services
from accord.parties.models import Person, PersonEmail, PersonPhone, Position

from .factories import OrganizationFactory, TagFactory, make_person

ADD = reverse("parties:person_add")
LIST = reverse("parties:person_list")
API = "/api/parties/people/"


def names_in(response) -> list[str]:
    body = response.content.decode()
    return [html.unescape(m) for m in re.findall(r'<a href="/people/\d+/">([^<]*)</a>', body)]


@pytest.fixture
def org(users):
    return OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller GmbH")


# --- create in one form --------------------------------------------------------------------------


def test_one_form_creates_person_address_number_and_position(owner_client, org):
    response = owner_client.post(
        ADD,
        {
            "first_name": "Jürgen",
            "last_name": "Weiß",
            "email": "J.Weiss@Example.test",
            "phone": "030 1234567",
            "organization": org.pk,
            "title": "Leiter Einkauf",
            "department": "Einkauf",
            "buying_role": "economic_buyer",
            "start_date": "2024-01-15",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(last_name="Weiß")
    assert response["Location"] == person.get_absolute_url()
    assert list(person.emails.values_list("email", "is_primary")) == [
        ("j.weiss@example.test", True)
    ]
    assert list(person.phones.values_list("number", flat=True)) == ["+49301234567"]
    position = person.positions.get()
    assert (position.organization, position.title, position.buying_role, position.start_date) == (
        org,
        "Leiter Einkauf",
        "economic_buyer",
        date(2024, 1, 15),
    )
    assert (person.organization, person.job_title, person.email) == (
        org,
        "Leiter Einkauf",
        "j.weiss@example.test",
    )


def test_bad_number_in_the_create_form_stores_nothing(owner_client, org):
    response = owner_client.post(
        ADD,
        {"last_name": "Halb", "email": "halb@example.test", "phone": "12", "organization": org.pk},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert not Person.objects.filter(last_name="Halb").exists()
    assert not PersonEmail.objects.filter(email="halb@example.test").exists()


def test_a_nested_problem_rolls_the_whole_create_back(users):
    with pytest.raises(Exception) as info:
        services.person_create(
            actor=users.owner,
            data={"last_name": "Rollback", "emails": ["ok@example.test"], "phones": ["nonsense"]},
        )
    assert "phones" in info.value.message_dict
    assert not Person.objects.filter(last_name="Rollback").exists()
    assert not PersonEmail.objects.filter(email="ok@example.test").exists()


def test_position_fields_without_organization_are_refused(owner_client):
    response = owner_client.post(ADD, {"last_name": "Ohne", "title": "Chefin"})
    assert list(response.context["form"].errors) == ["organization"]


# --- duplicate email -------------------------------------------------------------------------


def test_duplicate_email_warns_links_and_needs_confirmation(owner_client, users):
    first = make_person(
        owner=users.owner, first_name="Erste", last_name="Person", email="same@example.test"
    )
    data = {"first_name": "Zweite", "last_name": "Person", "email": "Same@Example.test"}

    response = owner_client.post(ADD, data)
    assert response.status_code == 200
    assert Person.objects.filter(first_name="Zweite").count() == 0
    body = response.content.decode()
    assert f'<a href="{first.get_absolute_url()}">Erste Person</a>; link instead?' in body
    assert 'type="checkbox" name="confirm_duplicate"' in body

    response = owner_client.post(ADD, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    second = Person.objects.get(first_name="Zweite")
    assert second.email == "same@example.test"


def test_duplicate_warning_escapes_the_other_persons_name(owner_client, users):
    make_person(
        owner=users.owner, first_name="<b>Fett</b>", last_name="Name", email="x@example.test"
    )
    body = owner_client.post(ADD, {"last_name": "Neu", "email": "x@example.test"}).content.decode()
    assert "&lt;b&gt;Fett&lt;/b&gt; Name</a>" in body


def test_duplicate_email_via_api_names_the_other_person(users, api):
    first = make_person(
        owner=users.owner, first_name="Erste", last_name="Api", email="dup@example.test"
    )
    client = api(users.owner)
    data = {"last_name": "Zweite", "emails": [{"email": "dup@example.test"}]}
    response = client.post(API, data, format="json")
    assert response.status_code == 400
    message = response.json()["email"][0]
    assert "Erste Api" in message and first.get_absolute_url() in message

    response = client.post(API, {**data, "confirm_duplicate": True}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "dup@example.test"

    other = make_person(owner=users.owner, last_name="Dritte")
    refused = client.post(
        "/api/parties/emails/", {"person": other.pk, "email": "dup@example.test"}, format="json"
    )
    assert refused.status_code == 400 and "email" in refused.json()
    accepted = client.post(
        "/api/parties/emails/",
        {"person": other.pk, "email": "dup@example.test", "confirm_duplicate": True},
        format="json",
    )
    assert accepted.status_code == 201


def test_duplicate_check_ignores_people_the_user_cannot_see(owner_client, users):
    make_person(owner=users.other, team=users.team_b, last_name="Fremd", email="fremd@example.test")
    response = owner_client.post(ADD, {"last_name": "Eigen", "email": "fremd@example.test"})
    assert response.status_code == 302
    assert "Fremd" not in response.content.decode()


# --- positions and the summary ---------------------------------------------------------------


def test_summary_follows_the_primary_current_position_and_primary_address(users):
    a = OrganizationFactory(owner=users.owner, name="Alt AG")
    b = OrganizationFactory(owner=users.owner, name="Neu AG")
    person = make_person(owner=users.owner, organization=a, title="Entwickler", email="p@alt.test")
    assert (person.organization, person.job_title, person.email) == (a, "Entwickler", "p@alt.test")

    new = services.position_create(
        actor=users.owner,
        data={"person": person, "organization": b, "title": "CTO", "is_primary": True},
    )
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (b, "CTO")
    assert list(person.positions.filter(is_primary=True)) == [new]

    yesterday = timezone.localdate() - timedelta(days=1)
    services.position_update(
        actor=users.owner,
        instance=new,
        data={"start_date": date(2020, 1, 1), "end_date": yesterday},
    )
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (a, "Entwickler")

    second = services.person_email_add(
        actor=users.owner, person=person, email="p@neu.test", is_primary=True
    )
    person.refresh_from_db()
    assert person.email == "p@neu.test"
    services.person_email_remove(actor=users.owner, instance=second)
    person.refresh_from_db()
    assert person.email == "p@alt.test"
    assert person.emails.get().is_primary


def test_position_ending_before_it_starts_is_refused_in_form_and_api(owner_client, users, api, org):
    person = make_person(owner=users.owner, team=users.team_a)
    url = reverse("parties:position_add", args=[person.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(
        url, {"organization": org.pk, "start_date": "2024-05-01", "end_date": "2024-04-30"}
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["end_date"]

    response = api(users.owner).post(
        "/api/parties/positions/",
        {
            "person": person.pk,
            "organization": org.pk,
            "start_date": "2024-05-01",
            "end_date": "2024-04-30",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]
    assert not Position.objects.filter(person=person).exists()


def test_person_page_lists_current_positions_first_then_past(owner_client, users):
    person = make_person(owner=users.owner, last_name="Lauf")
    for name, start, end in [
        ("Erste GmbH", date(2010, 1, 1), date(2014, 12, 31)),
        ("Jetzt GmbH", date(2020, 1, 1), None),
        ("Zweite GmbH", date(2015, 1, 1), date(2019, 12, 31)),
    ]:
        services.position_create(
            actor=users.owner,
            data={
                "person": person,
                "organization": OrganizationFactory(owner=users.owner, name=name),
                "start_date": start,
                "end_date": end,
            },
        )
    body = owner_client.get(person.get_absolute_url()).content.decode()
    order = [body.index(n) for n in ("Jetzt GmbH", "Zweite GmbH", "Erste GmbH")]
    assert order == sorted(order)


# --- the small forms of the person page ---------------------------------------------------------


def test_add_and_remove_addresses_and_numbers_without_javascript(owner_client, users, org):
    person = make_person(owner=users.owner, organization=org, email="eins@example.test")
    response = owner_client.post(
        reverse("parties:email_add", args=[person.pk]),
        {"email-email": "zwei@example.test", "email-kind": "private"},
    )
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    zwei = person.emails.get(email="zwei@example.test")
    assert not zwei.is_primary

    owner_client.post(reverse("parties:email_primary", args=[zwei.pk]))
    person.refresh_from_db()
    assert person.email == "zwei@example.test"

    response = owner_client.post(
        reverse("parties:phone_add", args=[person.pk]),
        {"phone-number": "0171 2345678", "phone-kind": "mobile"},
    )
    assert response.status_code == 302
    phone = person.phones.get()
    assert phone.number == "+491712345678"

    page = owner_client.get(person.get_absolute_url()).content.decode()
    assert "+49 171 2345678" in page and "zwei@example.test" in page

    owner_client.post(reverse("parties:phone_remove", args=[phone.pk]))
    owner_client.post(reverse("parties:email_remove", args=[zwei.pk]))
    assert not PersonPhone.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert person.email == "eins@example.test"


def test_bad_number_on_the_person_page_is_shown_at_its_field(owner_client, users):
    person = make_person(owner=users.owner)
    response = owner_client.post(
        reverse("parties:phone_add", args=[person.pk]),
        {"phone-number": "abc", "phone-kind": "work"},
    )
    assert response.status_code == 422
    assert list(response.context["phone_form"].errors) == ["number"]
    assert 'id="id_phone-number_errors"' in response.content.decode()


def test_others_cannot_use_the_small_forms(users):
    from django.test import Client

    person = make_person(owner=users.owner, team=users.team_a, email="a@example.test")
    email = person.emails.get()
    other, viewer = Client(), Client()
    other.force_login(users.other)
    viewer.force_login(users.viewer)
    assert other.post(reverse("parties:email_remove", args=[email.pk])).status_code == 404
    assert viewer.post(reverse("parties:email_remove", args=[email.pk])).status_code == 403
    assert (
        viewer.post(
            reverse("parties:phone_add", args=[person.pk]), {"phone-number": "030 1234567"}
        ).status_code
        == 403
    )
    assert PersonEmail.objects.filter(pk=email.pk).exists()


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
