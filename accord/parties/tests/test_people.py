"""People: the one-form create, duplicate addresses, positions over time, the denormalised summary,
and the small forms of the person page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.parties import services
from accord.parties.models import Person, PersonEmail, PersonPhone, Position

from .factories import OrganizationFactory, make_person

ADD = reverse("parties:person_add")
API = "/api/parties/people/"


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
    assert 'id="id_phone-number_error"' in response.content.decode()


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


def test_position_form_works_as_an_htmx_fragment(owner_client, users, org):
    person = make_person(owner=users.owner, team=users.team_a)
    url = reverse("parties:position_add", args=[person.pk])
    page = owner_client.get(person.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page  # htmx, and a link without it

    fragment = owner_client.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert 'name="organization"' in fragment.content.decode()

    bad = owner_client.post(
        url,
        {"organization": org.pk, "start_date": "2024-02-01", "end_date": "2024-01-01"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200 and "<html" not in bad.content.decode()
    assert 'id="id_end_date_error"' in bad.content.decode()

    good = owner_client.post(
        url,
        {"organization": org.pk, "title": "Beirat", "buying_role": "influencer"},
        HTTP_HX_REQUEST="true",
    )
    assert good["HX-Redirect"] == person.get_absolute_url()
    person.refresh_from_db()
    assert (person.organization, person.job_title) == (org, "Beirat")


def test_duplicate_rule_lives_in_the_service(users):
    """Imports and tasks call the service, not a form: they get the same refusal and confirmation."""
    from django.core.exceptions import ValidationError

    make_person(owner=users.owner, last_name="Erste", email="svc@example.test")
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=users.owner, data={"last_name": "Zweite", "emails": ["svc@example.test"]}
        )
    assert "Erste" in refused.value.message_dict["email"][0]
    assert not Person.objects.filter(last_name="Zweite").exists()
    person = services.person_create(
        actor=users.owner,
        data={"last_name": "Zweite", "emails": ["svc@example.test"], "confirm_duplicate": True},
    )
    assert person.email == "svc@example.test"


def test_periodic_job_refreshes_summaries_when_an_end_date_passes(users):
    from accord.core import jobs
    from accord.parties.services.people import refresh_stale_person_summaries

    a = OrganizationFactory(owner=users.owner, name="Alt AG")
    b = OrganizationFactory(owner=users.owner, name="Neu AG")
    person = make_person(owner=users.owner, organization=a, title="Entwickler")
    later = services.position_create(
        actor=users.owner,
        data={"person": person, "organization": b, "title": "CTO", "is_primary": True},
    )
    untouched = make_person(owner=users.owner, organization=a, title="Vertrieb")
    assert refresh_stale_person_summaries() == 0
    # the end date passes without any edit: only the database row says so
    Position.objects.filter(pk=later.pk).update(end_date=timezone.localdate() - timedelta(days=1))
    person.refresh_from_db()
    assert person.organization == b  # still the stale copy
    job = jobs.start_job(None, "parties.refresh_summaries")
    jobs.run_jobs_now()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.counts == {"refreshed": 1}
    person.refresh_from_db()
    untouched.refresh_from_db()
    assert (person.organization, person.job_title) == (a, "Entwickler")
    assert (untouched.organization, untouched.job_title) == (a, "Vertrieb")
    assert "parties.refresh_summaries" in [p.kind for p in jobs.periodic_jobs()]
