"""The organization and person fields of the interaction and follow-up forms and filters: only the
chosen rows are rendered (the search box of `core.widgets` finds the others), and a posted id the
user may not see is refused at its field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization

from .factories import FollowUpFactory, InteractionFactory, OrganizationFactory, PersonFactory

AUTOCOMPLETE = reverse("parties:autocomplete")


@pytest.fixture
def chosen(people_and_teams):
    """300 organizations Anna may see, none chosen, one chosen organization with its person."""
    u = people_and_teams
    Organization.objects.bulk_create(
        Organization(name=f"Unchosen {i:03d} AG", owner=u.anna, team=u.team_a) for i in range(300)
    )
    org = OrganizationFactory(owner=u.anna, team=u.team_a, name="Gewählt GmbH")
    person = PersonFactory(organization=org, first_name="Greta", last_name="Gewählt")
    return org, person


@pytest.fixture
def foreign(people_and_teams):
    """An organization and a person of team B: Anna (team A) may not see them."""
    u = people_and_teams
    org = OrganizationFactory(owner=u.carla, team=u.team_b, name="Fremdfirma KG")
    return org, PersonFactory(organization=org, first_name="Fritz", last_name="Fremd")


def test_form_and_filter_pages_render_the_chosen_rows_only(client, people_and_teams, chosen):
    u = people_and_teams
    org, person = chosen
    interaction = InteractionFactory(
        owner=u.anna, team=u.team_a, organizations=[org], people=[person]
    )
    followup = FollowUpFactory(owner=u.anna, team=u.team_a, organization=org, person=person)
    pages = [
        reverse("interactions:interaction_add") + f"?organizations={org.pk}&people={person.pk}",
        reverse("interactions:interaction_edit", args=[interaction.pk]),
        reverse("interactions:followup_add") + f"?organization={org.pk}&person={person.pk}",
        reverse("interactions:followup_edit", args=[followup.pk]),
        reverse("interactions:interaction_list") + f"?organization={org.pk}&person={person.pk}",
        reverse("interactions:followup_list") + f"?organization={org.pk}&person={person.pk}",
    ]
    client.force_login(u.anna)
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "Unchosen" not in html, url
        assert len(html) < 40_000, url
        assert f'<option value="{org.pk}" selected>Gewählt GmbH</option>' in html, url
        assert (
            f'<option value="{person.pk}" selected>Greta Gewählt (Gewählt GmbH)</option>' in html
            or f'<option value="{person.pk}" selected>Greta Gewählt</option>' in html  # filters
        ), url
        assert 'role="listbox"' in html and f"{AUTOCOMPLETE}?kind=person" in html, url


def test_followup_form_does_not_list_interactions(client, people_and_teams, chosen):
    u = people_and_teams
    org, _person = chosen
    for i in range(30):
        InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org], subject=f"Alt {i}")
    latest = InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org], subject="Neu")
    client.force_login(u.anna)
    url = reverse("interactions:followup_add") + f"?interaction={latest.pk}&organization={org.pk}"
    html = client.get(url).content.decode()
    assert "Alt 1" not in html
    assert f'<input type="hidden" name="interaction" value="{latest.pk}"' in html


def test_posted_invisible_parties_are_field_errors(client, people_and_teams, chosen, foreign):
    u = people_and_teams
    org, person = chosen
    foreign_org, foreign_person = foreign
    client.force_login(u.anna)
    when = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("interactions:interaction_add"),
        {
            "kind": "call",
            "direction": "outbound",
            "occurred_at": when,
            "subject": "Heimlich",
            "organizations": [org.pk, foreign_org.pk],
            "people": [foreign_person.pk],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "organizations" in errors and "people" in errors
    assert not Interaction.objects.exists()
    html = response.content.decode()
    assert "Fremdfirma" not in html and "Fritz" not in html
    assert f'<option value="{org.pk}" selected>Gewählt GmbH</option>' in html  # kept

    secret = InteractionFactory(owner=u.carla, team=u.team_b, organizations=[foreign_org])
    response = client.post(
        reverse("interactions:followup_add"),
        {
            "title": "Nachfassen",
            "due_date": timezone.localdate().isoformat(),
            "status": "open",
            "organization": foreign_org.pk,
            "person": foreign_person.pk,
            "interaction": secret.pk,
        },
    )
    assert response.status_code == 200
    assert {"organization", "person", "interaction"} <= set(response.context["form"].errors)
    assert not FollowUp.objects.exists()


def test_search_box_of_the_interaction_form_finds_people(client, people_and_teams, chosen, foreign):
    client.force_login(people_and_teams.anna)
    html = client.get(AUTOCOMPLETE, {"kind": "person", "q": "gew", "field": "people"}).content
    html = html.decode()
    assert 'data-label="Greta Gewählt (Gewählt GmbH)"' in html
    html = client.get(AUTOCOMPLETE, {"kind": "person", "q": "fritz"}).content.decode()
    assert "Fremd" not in html.replace("“fritz”", "")


def test_ids_beyond_any_range_are_wrong_choices_not_errors(client, people_and_teams):
    huge = "9" * 30
    client.force_login(people_and_teams.anna)
    response = client.post(
        reverse("interactions:interaction_add"),
        {"kind": "call", "subject": "x", "organizations": [huge], "people": [huge]},
    )
    assert response.status_code == 200
    assert {"organizations", "people"} <= set(response.context["form"].errors)
    for url in ("interactions:interaction_list", "interactions:followup_list"):
        response = client.get(reverse(url), {"organization": huge, "person": huge})
        assert response.status_code == 200
