"""Interaction and follow-up pages: the form, its bad input, hostile text, choosing parties."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.interactions.models import FollowUp, Interaction

from .factories import FollowUpFactory, InteractionFactory, OrganizationFactory, PersonFactory

HOSTILE = '<script>alert("x")</script> Ärger & Öl — ß 😀 \u0007 \u202e'
LONG = ("Zeile mit <b>Umlauten</b> äöü 🎉\n" * 400)[:10000]


@pytest.fixture
def org(people_and_teams):
    u = people_and_teams
    return OrganizationFactory(owner=u.anna, team=u.team_a, name="Zahnärzte Müller")


def _form(**extra):
    data = {
        "kind": "call",
        "direction": "outbound",
        "occurred_at": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "subject": "Telefonat",
        "body": "",
    }
    data.update(extra)
    return data


def test_plain_post_with_repeated_ids_logs_interaction(client, people_and_teams, org):
    u = people_and_teams
    second = OrganizationFactory(owner=u.anna, team=u.team_a)
    person = PersonFactory(organization=org)
    client.force_login(u.anna)
    response = client.post(
        reverse("interactions:interaction_add"),
        _form(organizations=[org.pk, second.pk], people=[person.pk], users=[u.ben.pk]),
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert set(interaction.organizations.all()) == {org, second}
    assert list(interaction.people.all()) == [person]
    assert response["Location"] == interaction.get_absolute_url()
    org.refresh_from_db()
    assert org.last_interaction_at == interaction.occurred_at


def test_time_is_read_in_the_users_time_zone(client, people_and_teams, org):
    u = people_and_teams
    u.anna.time_zone = "America/New_York"
    u.anna.save()
    client.force_login(u.anna)
    client.post(
        reverse("interactions:interaction_add"),
        _form(occurred_at="2024-01-15T09:00", organizations=[org.pk]),
    )
    stored = Interaction.objects.get().occurred_at
    assert stored == dt.datetime(2024, 1, 15, 14, 0, tzinfo=dt.UTC)


def test_form_prefills_parties_from_query(client, people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org, first_name="Hannelore", last_name="Kühn")
    client.force_login(u.anna)
    html = client.get(
        reverse("interactions:interaction_add") + f"?organizations={org.pk}&people={person.pk}"
    ).content.decode()
    assert f'<option value="{org.pk}" selected>Zahnärzte Müller</option>' in html
    assert (
        f'<option value="{person.pk}" selected>Hannelore Kühn (Zahnärzte Müller)</option>' in html
    )
    assert reverse("parties:autocomplete") + "?kind=organization&amp;field=organizations" in html
    assert reverse("parties:autocomplete") + "?kind=person&amp;field=people" in html
    assert 'role="listbox"' in html and 'role="combobox"' in html


def test_form_does_not_list_every_organization(client, people_and_teams, org):
    u = people_and_teams
    for i in range(30):
        OrganizationFactory(owner=u.anna, team=u.team_a, name=f"Unchosen {i}")
    client.force_login(u.anna)
    html = client.get(reverse("interactions:interaction_add")).content.decode()
    assert "Unchosen" not in html


def test_future_email_refused_with_field_error(client, people_and_teams, org):
    client.force_login(people_and_teams.anna)
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("interactions:interaction_add"),
        _form(kind="email", occurred_at=tomorrow, organizations=[org.pk]),
    )
    assert response.status_code == 200
    assert "occurred_at" in response.context["form"].errors
    assert "cannot lie in the future" in response.content.decode()
    assert not Interaction.objects.exists()
    # A planned meeting is fine.
    response = client.post(
        reverse("interactions:interaction_add"),
        _form(kind="meeting", occurred_at=tomorrow, organizations=[org.pk]),
    )
    assert response.status_code == 302


def test_interaction_without_party_refused_on_organizations(client, people_and_teams):
    client.force_login(people_and_teams.anna)
    response = client.post(reverse("interactions:interaction_add"), _form())
    assert response.status_code == 200
    assert (
        "Choose at least one organization or person."
        in response.context["form"].errors["organizations"]
    )


def test_invisible_organization_refused(client, people_and_teams):
    u = people_and_teams
    foreign = OrganizationFactory(owner=u.carla, team=u.team_b)
    client.force_login(u.anna)
    response = client.post(
        reverse("interactions:interaction_add"), _form(organizations=[foreign.pk])
    )
    assert "organizations" in response.context["form"].errors
    assert not Interaction.objects.exists()


def test_inline_follow_up_from_the_form(client, people_and_teams, org):
    u = people_and_teams
    client.force_login(u.anna)
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("interactions:interaction_add"),
        _form(
            organizations=[org.pk],
            followup_title="Unterlagen schicken",
            followup_due_date=due,
            followup_assignee=u.ben.pk,
        ),
    )
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.interaction == Interaction.objects.get()
    assert followup.assignee == u.ben and followup.organization == org
    # A bad due date names the follow-up field and saves nothing.
    response = client.post(
        reverse("interactions:interaction_add"),
        _form(organizations=[org.pk], followup_title="x", followup_due_date="1990-01-01"),
    )
    assert "followup_due_date" in response.context["form"].errors
    assert Interaction.objects.count() == 1


def test_hostile_strings_stored_exactly_and_shown_escaped(client, people_and_teams, org):
    u = people_and_teams
    client.force_login(u.anna)
    response = client.post(
        reverse("interactions:interaction_add"),
        _form(subject=HOSTILE, body=LONG, organizations=[org.pk]),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    interaction = Interaction.objects.get()
    assert interaction.subject == HOSTILE
    assert interaction.body == LONG.replace("\n", "\r\n") or interaction.body == LONG
    pages = [
        interaction.get_absolute_url(),
        reverse("interactions:interaction_list"),
        reverse("interactions:timeline") + f"?organization={org.pk}",
        reverse("today"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, url
        assert "<b>Umlauten</b>" not in html, url
    followup = FollowUpFactory(owner=u.anna, team=u.team_a, title=HOSTILE, organization=org)
    for url in [
        followup.get_absolute_url(),
        reverse("interactions:followup_list"),
        reverse("interactions:followup_panel") + f"?organization={org.pk}",
    ]:
        html = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html, url
        assert "&lt;script&gt;" in html, url


def test_subject_too_long_named(client, people_and_teams, org):
    client.force_login(people_and_teams.anna)
    response = client.post(
        reverse("interactions:interaction_add"), _form(subject="x" * 301, organizations=[org.pk])
    )
    assert "subject" in response.context["form"].errors


def test_edit_keeps_parties_and_moves_time(client, people_and_teams, org):
    u = people_and_teams
    interaction = InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org])
    client.force_login(u.anna)
    edit = reverse("interactions:interaction_edit", args=[interaction.pk])
    html = client.get(edit).content.decode()
    assert f'<option value="{org.pk}" selected>' in html
    response = client.post(
        edit, _form(occurred_at="2024-03-01T10:00", subject="Verschoben", organizations=[org.pk])
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.last_interaction_at == dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_party_search_box_offers_visible_organizations_and_people(client, people_and_teams, org):
    """The form's search boxes ask the shared `parties:autocomplete` endpoint."""
    u = people_and_teams
    OrganizationFactory(owner=u.carla, team=u.team_b, name="Zahnärzte Fremd")
    for i in range(25):
        OrganizationFactory(owner=u.anna, team=u.team_a, name=f"Zahnlabor {i}")
    client.force_login(u.anna)
    url = reverse("parties:autocomplete")
    html = client.get(url, {"kind": "organization", "q": "zahn", "field": "organizations"})
    html = html.content.decode()
    assert html.count('role="option"') == 20 and "Zahnärzte Fremd" not in html
    html = client.get(url, {"kind": "organization", "q": "Zahnärzte"}).content.decode()
    assert f'data-value="{org.pk}" data-label="Zahnärzte Müller"' in html and "Fremd" not in html
    person = PersonFactory(organization=org, first_name="Özlem", last_name="Yıldız")
    html = client.get(url, {"kind": "person", "q": "özlem", "field": "people"}).content.decode()
    assert f'id="people-option-{person.pk}"' in html
    assert 'data-label="Özlem Yıldız (Zahnärzte Müller)"' in html
    # A hostile field name is not echoed.
    html = client.get(url, {"kind": "organization", "q": "Zahn", "field": '"><script>'})
    assert "<script>" not in html.content.decode()


def test_followup_list_defaults_to_my_open_ones_with_overdue_marked(client, people_and_teams):
    u = people_and_teams
    today = timezone.localdate()
    mine_late = FollowUpFactory(
        owner=u.anna,
        team=u.team_a,
        assignee=u.anna,
        title="Meins spät",
        due_date=today - dt.timedelta(days=1),
    )
    mine_done = FollowUpFactory(
        owner=u.anna, team=u.team_a, assignee=u.anna, title="Meins erledigt", status="done"
    )
    bens = FollowUpFactory(owner=u.anna, team=u.team_a, assignee=u.ben, title="Bens")
    client.force_login(u.anna)
    html = client.get(reverse("interactions:followup_list")).content.decode()
    assert mine_late.title in html and mine_done.title not in html and bens.title not in html
    assert re.search(r'class="badge badge-overdue">.*?\boverdue</span>', html, re.S)
    html = client.get(reverse("interactions:followup_list") + "?status=&q=").content.decode()
    assert mine_done.title in html and bens.title in html
    html = client.get(reverse("interactions:followup_list") + "?overdue=on").content.decode()
    assert mine_late.title in html and bens.title not in html


def test_complete_button_in_list_row_posts_without_js(client, people_and_teams):
    u = people_and_teams
    followup = FollowUpFactory(owner=u.anna, team=u.team_a, assignee=u.anna)
    client.force_login(u.anna)
    html = client.get(reverse("interactions:followup_list")).content.decode()
    action = reverse("interactions:followup_complete", args=[followup.pk])
    assert f'formaction="{action}"' in html and f'hx-post="{action}"' in html
    response = client.post(action, {"next": reverse("interactions:followup_list")})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == "done"


def test_viewer_sees_no_complete_button_and_may_not_post(client, people_and_teams):
    u = people_and_teams
    followup = FollowUpFactory(owner=u.anna, team=u.team_a, assignee=u.anna)
    client.force_login(u.viewer)
    html = client.get(followup.get_absolute_url()).content.decode()
    assert "Complete" not in html
    action = reverse("interactions:followup_complete", args=[followup.pk])
    assert client.post(action).status_code == 403
    client.force_login(u.carla)
    assert client.post(action).status_code == 404


def test_followup_form_prefill_and_due_date_error(client, people_and_teams, org):
    u = people_and_teams
    client.force_login(u.anna)
    html = client.get(
        reverse("interactions:followup_add") + f"?organization={org.pk}"
    ).content.decode()
    assert f'<option value="{org.pk}" selected>Zahnärzte Müller</option>' in html
    response = client.post(
        reverse("interactions:followup_add"),
        {"title": "x", "due_date": "2099-01-01", "status": "open", "organization": org.pk},
    )
    assert "due_date" in response.context["form"].errors
    response = client.post(
        reverse("interactions:followup_add"),
        {"title": "x", "due_date": timezone.localdate().isoformat(), "status": "open"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().assignee == u.anna


def test_interaction_list_filters(client, people_and_teams, org):
    u = people_and_teams
    other = OrganizationFactory(owner=u.anna, team=u.team_a)
    InteractionFactory(
        owner=u.anna, team=u.team_a, organizations=[org], subject="Angebot", kind="email"
    )
    InteractionFactory(
        owner=u.ben, team=u.team_a, organizations=[other], subject="Besuch", kind="visit"
    )
    client.force_login(u.anna)
    url = reverse("interactions:interaction_list")
    html = client.get(url, {"kind": "email"}).content.decode()
    assert "Angebot" in html and "Besuch" not in html
    html = client.get(url, {"organization": other.pk}).content.decode()
    assert "Besuch" in html and ">Angebot<" not in html
    html = client.get(url, {"owner": u.ben.pk}).content.decode()
    assert "Besuch" in html and ">Angebot<" not in html
    html = client.get(url, {"q": "angebot"}).content.decode()
    assert "Angebot" in html and "Besuch" not in html
    today = timezone.localdate().isoformat()
    html = client.get(url, {"occurred_after": today}).content.decode()
    assert "Angebot" not in html  # both were yesterday
