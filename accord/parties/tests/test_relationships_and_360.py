"""Relationships (both ends, inverse labels, no self-links) and the organization's 360° page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.parties import services
from accord.parties.models import Relationship

from .factories import OrganizationFactory, RelationshipFactory, make_person

ADD = reverse("parties:relationship_add")
API = "/api/parties/relationships/"


def test_organization_cannot_relate_to_itself_in_form_or_api(owner_client, users, api):
    org = OrganizationFactory(owner=users.owner)
    data = {"relationship_type": "supplies", "from_organization": org.pk, "to_organization": org.pk}
    response = owner_client.post(ADD, data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["to_organization"]

    response = api(users.owner).post(API, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["to_organization"]
    assert not Relationship.objects.exists()


def test_person_cannot_relate_to_themselves_and_types_must_fit(owner_client, users, api):
    person = make_person(owner=users.owner)
    other = make_person(owner=users.owner, last_name="Zwei")
    response = api(users.owner).post(
        API,
        {"relationship_type": "knows", "from_person": person.pk, "to_person": person.pk},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["to_person"]
    response = owner_client.post(
        ADD, {"relationship_type": "supplies", "from_person": person.pk, "to_person": other.pk}
    )
    assert list(response.context["form"].errors) == ["relationship_type"]


def test_relationship_shows_on_both_ends_with_the_inverse_label(owner_client, users):
    a = OrganizationFactory(owner=users.owner, name="Lieferant GmbH")
    b = OrganizationFactory(owner=users.owner, name="Kunde AG")
    response = owner_client.post(
        ADD, {"relationship_type": "supplies", "from_organization": a.pk, "to_organization": b.pk}
    )
    assert response.status_code == 302

    page_a = owner_client.get(a.get_absolute_url()).content.decode()
    page_b = owner_client.get(b.get_absolute_url()).content.decode()
    assert f'>supplies</a> <a href="{b.get_absolute_url()}">Kunde AG</a>' in page_a
    assert f'>is supplied by</a> <a href="{a.get_absolute_url()}">Lieferant GmbH</a>' in page_b


def test_person_relationships_read_from_both_ends(owner_client, users):
    boss = make_person(owner=users.owner, first_name="Chefin", last_name="Eins")
    report = make_person(owner=users.owner, first_name="Mitarbeiter", last_name="Zwei")
    services.relationship_create(
        actor=users.owner,
        data={"relationship_type": "reports_to", "from_person": report, "to_person": boss},
    )
    assert ">reports to</a>" in owner_client.get(report.get_absolute_url()).content.decode()
    assert ">is reported to by</a>" in owner_client.get(boss.get_absolute_url()).content.decode()


def test_the_other_end_must_be_visible(owner_client, users):
    mine = OrganizationFactory(owner=users.owner, name="Meine GmbH")
    hidden = OrganizationFactory(owner=users.other, team=users.team_b, name="Geheim AG")
    RelationshipFactory(owner=users.owner, from_organization=hidden, to_organization=mine)
    page = owner_client.get(mine.get_absolute_url()).content.decode()
    assert "Geheim AG" not in page
    assert "No relationships recorded." in page


# --- 360° page --------------------------------------------------------------------------------


@pytest.fixture
def client_org(users):
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Kunde 360 AG")
    make_person(
        owner=users.owner,
        first_name="Dora",
        last_name="Decider",
        organization=org,
        buying_role="decision_maker",
        title="CEO",
    )
    make_person(
        owner=users.owner,
        first_name="Tim",
        last_name="Tech",
        organization=org,
        buying_role="technical_evaluator",
    )
    make_person(owner=users.owner, first_name="Nora", last_name="Nobody", organization=org)
    make_person(
        owner=users.other,
        team=users.team_b,
        first_name="Verborgen",
        last_name="Fremd",
        organization=org,
        buying_role="economic_buyer",
    )
    return org


def test_buying_center_groups_people_and_shows_the_gaps(owner_client, client_org):
    body = owner_client.get(client_org.get_absolute_url()).content.decode()
    assert "Dora Decider" in body and "Tim Tech" in body and "Nora Nobody" in body
    assert "Verborgen" not in body  # a person the user may not see is no cover and not shown
    gaps = set(re.findall(r'data-gap="(\w+)"', body))
    assert "decision_maker" not in gaps and "technical_evaluator" not in gaps
    assert {"economic_buyer", "finance", "champion", "user", "influencer"} <= gaps
    assert "Economic buyer: nobody known" in body
    assert "No buying role recorded" in body


def test_360_page_links_actions_and_fragments(owner_client, client_org):
    body = owner_client.get(client_org.get_absolute_url()).content.decode()
    assert f'href="/people/add/?organization={client_org.pk}' in body
    assert reverse("parties:organization_history", args=[client_org.pk]) in body
    assert "Key facts" in body and "Buying center" in body and "Relationships" in body


def test_360_page_stays_within_the_query_budget(owner_client, users, client_org):
    for i in range(5):
        RelationshipFactory(
            owner=users.owner,
            from_organization=client_org,
            to_organization=OrganizationFactory(owner=users.owner, name=f"Partner {i}"),
            relationship_type="partners_with",
        )
    for i in range(8):
        make_person(
            owner=users.owner, last_name=f"Mehr{i}", organization=client_org, buying_role="user"
        )
    with CaptureQueriesContext(connection) as ctx:
        response = owner_client.get(client_org.get_absolute_url())
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 10, [q["sql"][:120] for q in ctx.captured_queries]


def test_person_page_stays_within_the_query_budget(owner_client, users, client_org):
    person = make_person(owner=users.owner, organization=client_org, email="a@example.test")
    services.person_email_add(actor=users.owner, person=person, email="b@example.test")
    services.person_phone_add(actor=users.owner, person=person, number="+49301234567")
    other = make_person(owner=users.owner, last_name="Kollege")
    services.relationship_create(
        actor=users.owner,
        data={"relationship_type": "knows", "from_person": person, "to_person": other},
    )
    with CaptureQueriesContext(connection) as ctx:
        response = owner_client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 10, [q["sql"][:120] for q in ctx.captured_queries]
