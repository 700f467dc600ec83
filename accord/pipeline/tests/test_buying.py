"""Buying centers: role coverage, who went quiet, taking members from positions, the rules of
adding and changing members, the section on the opportunity page, and who may see and edit it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.core import testing
from accord.parties.models import Organization, Person
from accord.pipeline.models import BuyingCenterMember, Opportunity
from accord.pipeline.selectors.buying import buying_center
from accord.pipeline.services import buying as services

from .factories import make_opportunity, make_organization
from .factories_buying import make_person_at, talk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    return make_opportunity(owner=users.owner, team=users.team_a, organization=org)


def add(user, deal, person, role, **data):
    return services.buying_center_member_add(
        actor=user, opportunity=deal, data={"person": person, "role": role, **data}
    )


# --- coverage and quiet people -------------------------------------------------------------------
def test_coverage_names_the_missing_roles(users, deal):
    org = deal.organization
    for i, role in enumerate(
        ["decision_maker", "influencer", "technical_evaluator", "user", "gatekeeper", "blocker"]
    ):
        add(users.owner, deal, make_person_at(org, last_name=f"Person{i}"), role)

    center = buying_center(users.owner, deal)

    assert len(center.covered) == 6
    assert [r.value for r in center.missing] == ["economic_buyer", "finance", "champion"]
    assert center.missing_labels == "Economic buyer, Finance, Champion"

    client = _client(users.owner)
    html = client.get(reverse("pipeline:buying_center", args=[deal.pk]), HTTP_HX_REQUEST="true")
    text = " ".join(html.content.decode().split())
    assert "6 of 9 roles covered</strong>; missing: Economic buyer, Finance, Champion" in text


def test_people_not_talked_to_in_30_days_come_from_their_interactions(users, deal):
    org = deal.organization
    recent = make_person_at(org, last_name="Frisch", role="champion", title="Einkaufsleiterin")
    old = make_person_at(org, last_name="Alt", role="finance")
    make_person_at(org, last_name="Nie", role="user")
    planned = make_person_at(org, last_name="Geplant", role="influencer")
    talk_to(recent, days_ago=5)
    talk_to(recent, days_ago=60)
    talk_to(old, days_ago=40)
    talk_to(planned, days_ago=45)
    talk_to(planned, days_ago=-3)  # a meeting next week is no contact yet
    services.buying_center_take_from_positions(actor=users.owner, opportunity=deal)
    # the same person in a second role is listed once among the quiet ones
    add(users.owner, deal, old, "economic_buyer")

    center = buying_center(users.owner, deal)

    by_name = {row.member.person.last_name: row for row in center.rows}
    assert by_name["Frisch"].days_since == 5
    assert by_name["Frisch"].title == "Einkaufsleiterin"
    assert not by_name["Frisch"].quiet
    assert by_name["Alt"].days_since == 40
    assert by_name["Nie"].last_interaction_at is None
    assert by_name["Geplant"].days_since == 45
    assert sorted(r.member.person.last_name for r in center.quiet) == ["Alt", "Geplant", "Nie"]


def test_buying_center_is_read_in_one_query(users, deal):
    org = deal.organization
    for i in range(5):
        person = make_person_at(org, last_name=f"P{i}", role="influencer", title=f"T{i}")
        talk_to(person, days_ago=i * 10)
    services.buying_center_take_from_positions(actor=users.owner, opportunity=deal)
    with CaptureQueriesContext(connection) as ctx:
        center = buying_center(users.owner, deal)
        assert [row.title for row in center.rows] == [f"T{i}" for i in range(5)]
    assert len(ctx.captured_queries) == 1


# --- taking members from positions ---------------------------------------------------------------
def test_take_from_positions_is_idempotent_and_skips_ended_positions(users, deal):
    org = deal.organization
    today = timezone.localdate()
    current = make_person_at(org, last_name="Aktuell", role="decision_maker")
    ending = make_person_at(
        org, last_name="Geht", role="finance", end_date=today + dt.timedelta(30)
    )
    make_person_at(org, last_name="Weg", role="champion", end_date=today - dt.timedelta(days=1))
    make_person_at(org, last_name="Ohne", role="")
    elsewhere = make_organization(owner=users.owner, team=users.team_a, name="Andere GmbH")
    make_person_at(elsewhere, last_name="Fremd", role="blocker")

    added = services.buying_center_take_from_positions(actor=users.owner, opportunity=deal)

    assert {(m.person, m.role) for m in added} == {
        (current, "decision_maker"),
        (ending, "finance"),
    }
    assert all(m.from_position for m in added)
    assert services.buying_center_take_from_positions(actor=users.owner, opportunity=deal) == []
    assert BuyingCenterMember.objects.filter(opportunity=deal).count() == 2


def test_take_from_positions_keeps_edited_members(users, deal):
    person = make_person_at(deal.organization, last_name="Wechsel", role="influencer")
    member = add(users.owner, deal, person, "champion")
    added = services.buying_center_take_from_positions(actor=users.owner, opportunity=deal)
    # the role chosen on this deal stands; the position's role is not added next to it
    assert added == []
    member.refresh_from_db()
    assert member.role == "champion"
    assert BuyingCenterMember.objects.count() == 1


# --- rules of adding and changing ----------------------------------------------------------------
def test_a_person_of_another_organization_is_refused(users, deal):
    elsewhere = make_organization(owner=users.owner, team=users.team_a, name="Andere GmbH")
    stranger = make_person_at(elsewhere, last_name="Fremd")
    with pytest.raises(ValidationError) as exc:
        add(users.owner, deal, stranger, "influencer")
    assert "person" in exc.value.message_dict
    assert "no position at" in exc.value.message_dict["person"][0]
    assert not BuyingCenterMember.objects.exists()


def test_a_former_employee_may_be_added(users, deal):
    former = make_person_at(deal.organization, last_name="Ehemalig", end_date=dt.date(2020, 1, 31))
    assert add(users.owner, deal, former, "influencer").person == former


def test_a_person_the_user_may_not_see_is_refused(users, deal):
    hidden = make_person_at(
        deal.organization, last_name="Versteckt", owner=users.other, team=users.team_b
    )
    with pytest.raises(ValidationError) as exc:
        add(users.owner, deal, hidden, "influencer")
    assert "person" in exc.value.message_dict


def test_duplicate_person_and_role_is_refused_other_role_is_fine(users, deal):
    person = make_person_at(deal.organization, last_name="Doppelt", first_name="Anna")
    add(users.owner, deal, person, "champion")
    with pytest.raises(ValidationError) as exc:
        add(users.owner, deal, person, "champion")
    assert exc.value.message_dict["role"] == [
        "Anna Doppelt is already in this buying center as Champion."
    ]
    second = add(users.owner, deal, person, "user")
    with pytest.raises(ValidationError) as exc:
        services.buying_center_member_update(
            actor=users.owner, instance=second, data={"role": "champion"}
        )
    assert "role" in exc.value.message_dict
    changed = services.buying_center_member_update(
        actor=users.owner, instance=second, data={"role": "finance"}
    )
    assert changed.role == "finance"


def test_an_unknown_role_is_refused(users, deal):
    person = make_person_at(deal.organization, last_name="Rolle")
    with pytest.raises(ValidationError) as exc:
        add(users.owner, deal, person, "kingmaker")
    assert "role" in exc.value.message_dict


def test_only_who_may_change_the_opportunity_edits(users, deal):
    person = make_person_at(deal.organization, last_name="Recht", role="champion")
    for user in (users.viewer, users.other):
        with pytest.raises(PermissionDenied):
            add(user, deal, person, "champion")
        with pytest.raises(PermissionDenied):
            services.buying_center_take_from_positions(actor=user, opportunity=deal)
    member = add(users.owner, deal, person, "champion")
    with pytest.raises(PermissionDenied):
        services.buying_center_member_remove(actor=users.viewer, instance=member)
    services.buying_center_member_remove(actor=users.manager, instance=member)
    assert not BuyingCenterMember.objects.exists()


# --- the section on the opportunity page ---------------------------------------------------------
def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_opportunity_page_loads_the_section_as_a_fragment(users, deal):
    response = _client(users.owner).get(deal.get_absolute_url())
    assert reverse("pipeline:buying_center", args=[deal.pk]) in response.content.decode()


def test_section_actions_through_htmx(users, deal):
    org = deal.organization
    champion = make_person_at(org, last_name="Meister", first_name="Eva", role="champion")
    other = make_person_at(org, last_name="Zweiter", first_name="Jan")
    client = _client(users.owner)
    hx = {"HTTP_HX_REQUEST": "true"}

    response = client.post(reverse("pipeline:buying_center_take", args=[deal.pk]), **hx)
    assert response.status_code == 200
    assert "1 member taken from positions." in response.content.decode()

    url = reverse("pipeline:buying_center_add", args=[deal.pk])
    response = client.post(url, {"member-person": other.pk, "member-role": "finance"}, **hx)
    assert "Jan Zweiter · Finance added." in response.content.decode()
    response = client.post(url, {"member-person": other.pk, "member-role": "finance"}, **hx)
    assert "already in this buying center as Finance" in response.content.decode()

    member = BuyingCenterMember.objects.get(person=champion)
    response = client.post(
        reverse("pipeline:buying_center_role", args=[member.pk]), {"role": "decision_maker"}, **hx
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.role == "decision_maker"

    response = client.post(reverse("pipeline:buying_center_remove", args=[member.pk]), **hx)
    assert "removed" in response.content.decode()
    assert list(BuyingCenterMember.objects.values_list("person__last_name", flat=True)) == [
        "Zweiter"
    ]


def test_without_javascript_a_post_returns_to_the_page_with_a_message(users, deal):
    person = make_person_at(deal.organization, last_name="Ohne", role="user")
    client = _client(users.owner)
    response = client.post(
        reverse("pipeline:buying_center_add", args=[deal.pk]),
        {"member-person": person.pk, "member-role": "user", "next": "//evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == deal.get_absolute_url()
    assert "Ohne · User added." in response.content.decode()
    page = client.get(reverse("pipeline:buying_center", args=[deal.pk]))
    assert "<html" in page.content.decode()  # a page of its own without htmx


def test_member_of_another_team_gets_404_and_viewer_403(users, deal):
    person = make_person_at(deal.organization, last_name="Sicher", role="champion")
    member = add(users.owner, deal, person, "champion")
    urls = {
        "take": reverse("pipeline:buying_center_take", args=[deal.pk]),
        "add": reverse("pipeline:buying_center_add", args=[deal.pk]),
        "role": reverse("pipeline:buying_center_role", args=[member.pk]),
        "remove": reverse("pipeline:buying_center_remove", args=[member.pk]),
    }
    data = {"member-person": person.pk, "member-role": "user", "role": "user"}

    other = _client(users.other)
    assert other.get(reverse("pipeline:buying_center", args=[deal.pk])).status_code == 404
    for url in urls.values():
        assert other.post(url, data).status_code == 404, url

    viewer = _client(users.viewer)
    section = viewer.get(reverse("pipeline:buying_center", args=[deal.pk]), HTTP_HX_REQUEST="true")
    assert section.status_code == 200
    assert "Sicher" in section.content.decode()
    assert "Take from positions" not in section.content.decode()
    for url in urls.values():
        assert viewer.post(url, data).status_code == 403, url

    assert list(BuyingCenterMember.objects.values_list("role", flat=True)) == ["champion"]


def test_section_query_budget(users, deal):
    org = deal.organization
    for i in range(8):
        person = make_person_at(org, last_name=f"P{i}", role="influencer")
        talk_to(person, days_ago=i)
    services.buying_center_take_from_positions(actor=users.owner, opportunity=deal)
    client = _client(users.owner)
    url = reverse("pipeline:buying_center", args=[deal.pk])
    client.get(url, HTTP_HX_REQUEST="true")
    ContentType.objects.get_for_models(Opportunity, Organization, Person)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    assert len(ctx.captured_queries) <= 9, [q["sql"] for q in ctx.captured_queries]


# --- API -----------------------------------------------------------------------------------------
class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Opportunity, Organization, Person)


class BuyingCenterApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = BuyingCenterMember
    api_list_url = "/api/pipeline/buying-center/"

    @classmethod
    def make_object(cls, *, owner, team):
        deal = make_opportunity(owner=owner, team=team)
        person = make_person_at(deal.organization, last_name="Matrix")
        return BuyingCenterMember.objects.create(opportunity=deal, person=person, role="champion")

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        deal = make_opportunity(owner=self.u.other, team=self.u.team_b, organization=org)
        person = make_person_at(org, last_name="Über-API")
        return {"opportunity": deal.pk, "person": person.pk, "role": "economic_buyer"}

    def api_update_data(self, obj):
        return {"role": "decision_maker"}


def test_api_filters_by_opportunity_and_refuses_with_field_messages(users, api, deal):
    person = make_person_at(deal.organization, last_name="Api", role="champion")
    services.buying_center_take_from_positions(actor=users.owner, opportunity=deal)
    other_deal = make_opportunity(owner=users.owner, team=users.team_a)
    make_person_at(other_deal.organization, last_name="Woanders", role="user")
    services.buying_center_take_from_positions(actor=users.owner, opportunity=other_deal)
    client = api(users.owner)

    rows = client.get(f"/api/pipeline/buying-center/?opportunity={deal.pk}").json()["results"]
    assert [(r["person_name"], r["role"], r["from_position"]) for r in rows] == [
        ("Api", "champion", True)
    ]

    response = client.post(
        "/api/pipeline/buying-center/",
        {"opportunity": deal.pk, "person": person.pk, "role": "champion"},
        format="json",
    )
    assert response.status_code == 400
    assert "role" in response.json()
    stranger = make_person_at(other_deal.organization, last_name="Fremd")
    response = client.post(
        "/api/pipeline/buying-center/",
        {"opportunity": deal.pk, "person": stranger.pk, "role": "user"},
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()
