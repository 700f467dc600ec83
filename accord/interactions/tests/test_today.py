"""The Today page: my follow-ups (overdue apart from due), my recent interactions, quiet organizations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .factories import FollowUpFactory, InteractionFactory, OrganizationFactory

NOW = timezone.now()


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture
def anna_day(people_and_teams):
    u = people_and_teams
    today = timezone.localdate()
    org = OrganizationFactory(owner=u.anna, team=u.team_a, name="Recently Contacted AG")
    InteractionFactory(
        owner=u.anna,
        team=u.team_a,
        organizations=[org],
        subject="Mein Anruf letzte Woche",
        occurred_at=NOW - dt.timedelta(days=3),
    )
    InteractionFactory(
        owner=u.ben,
        team=u.team_a,
        organizations=[org],
        users=[u.anna],
        subject="Bens Termin mit mir",
        occurred_at=NOW - dt.timedelta(days=5),
    )
    InteractionFactory(
        owner=u.anna,
        team=u.team_a,
        organizations=[org],
        subject="Vor langer Zeit",
        occurred_at=NOW - dt.timedelta(days=20),
    )
    InteractionFactory(owner=u.ben, team=u.team_a, organizations=[org], subject="Bens eigenes")
    quiet = OrganizationFactory(owner=u.anna, team=u.team_a, name="Quiet Ventures GmbH")
    InteractionFactory(
        owner=u.ben, team=u.team_a, organizations=[quiet], occurred_at=NOW - dt.timedelta(days=90)
    )
    OrganizationFactory(owner=u.anna, team=u.team_a, name="Never Contacted KG")
    archived = OrganizationFactory(
        owner=u.anna, team=u.team_a, name="Archived Old AG", is_archived=True
    )
    InteractionFactory(
        owner=u.anna,
        team=u.team_a,
        organizations=[archived],
        occurred_at=NOW - dt.timedelta(days=200),
    )
    OrganizationFactory(owner=u.ben, team=u.team_a, name="Bens Quiet Org")
    almost = OrganizationFactory(owner=u.anna, team=u.team_a, name="Fifty Days SE")
    InteractionFactory(
        owner=u.ben, team=u.team_a, organizations=[almost], occurred_at=NOW - dt.timedelta(days=50)
    )
    for title, due, assignee, status in [
        ("Überfällig: Angebot", today - dt.timedelta(days=2), u.anna, "open"),
        ("Heute: Rückruf", today, u.anna, "open"),
        ("Diese Woche: Besuch", today + dt.timedelta(days=4), u.anna, "open"),
        ("Später: Jahresplanung", today + dt.timedelta(days=30), u.anna, "open"),
        ("Erledigt: Alt", today - dt.timedelta(days=5), u.anna, "done"),
        ("Bens Aufgabe", today - dt.timedelta(days=1), u.ben, "open"),
    ]:
        FollowUpFactory(
            owner=u.anna, team=u.team_a, assignee=assignee, title=title, due_date=due, status=status
        )
    return u


def test_today_shows_my_day(client, anna_day):
    client.force_login(anna_day.anna)
    response = client.get(reverse("today"))
    assert response.status_code == 200
    html = response.content.decode()
    overdue = _section(html, "today-overdue")
    assert "Überfällig: Angebot" in overdue and "badge-overdue" in overdue and "overdue" in overdue
    assert "Heute: Rückruf" not in overdue
    due = _section(html, "today-due")
    assert "Heute: Rückruf" in due and "Diese Woche: Besuch" in due
    assert "Überfällig" not in due
    for absent in ("Später: Jahresplanung", "Erledigt: Alt", "Bens Aufgabe"):
        assert absent not in html
    recent = _section(html, "today-recent")
    assert "Mein Anruf letzte Woche" in recent and "Bens Termin mit mir" in recent
    assert "Vor langer Zeit" not in recent and "Bens eigenes" not in recent
    quiet = _section(html, "today-quiet")
    assert "Quiet Ventures GmbH" in quiet and "90 days since the last interaction" in quiet
    assert "Never Contacted KG" in quiet and "never contacted" in quiet
    for absent in ("Recently Contacted AG", "Fifty Days SE", "Archived Old AG", "Bens Quiet Org"):
        assert absent not in quiet
    # Oldest first: never contacted, then 90 days.
    assert quiet.index("Never Contacted KG") < quiet.index("Quiet Ventures GmbH")


def test_today_for_another_user(client, anna_day):
    client.force_login(anna_day.ben)
    html = client.get(reverse("today")).content.decode()
    assert "Bens Aufgabe" in _section(html, "today-overdue")
    assert "Überfällig: Angebot" not in html
    assert "Bens Quiet Org" in _section(html, "today-quiet")
    assert "Quiet Ventures GmbH" not in html


def test_today_empty_states_say_what_to_do(client, people_and_teams):
    client.force_login(people_and_teams.carla)
    html = client.get(reverse("today")).content.decode()
    assert "Nothing overdue" in html
    assert "Nothing due this week" in html
    assert reverse("interactions:interaction_add") in _section(html, "today-recent")
    assert "Every organization you own has been in touch recently" in html


def test_today_is_the_home_page_and_in_the_menu(client, people_and_teams):
    assert reverse("today") == "/"
    assert client.get("/").status_code == 302  # anonymous: to the login
    client.force_login(people_and_teams.anna)
    html = client.get("/").content.decode()
    for name in ("interactions:interaction_list", "interactions:followup_list"):
        assert f'href="{reverse(name)}"' in html


def test_today_query_budget(client, anna_day):
    client.force_login(anna_day.anna)
    client.get(reverse("today"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("today"))
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 12, [q["sql"][:100] for q in ctx.captured_queries]


def test_complete_from_today_with_htmx(client, anna_day):
    from accord.interactions.models import FollowUp

    followup = FollowUp.objects.get(title="Überfällig: Angebot")
    client.force_login(anna_day.anna)
    response = client.post(
        reverse("interactions:followup_complete", args=[followup.pk]),
        {"next": "/"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="followup-{followup.pk}-status"' in html and "Done" in html and "Reopen" in html
    assert "badge-overdue" not in html
    followup.refresh_from_db()
    assert followup.status == "done"
    response = client.post(
        reverse("interactions:followup_reopen", args=[followup.pk]), {"next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    followup.refresh_from_db()
    assert followup.status == "open" and followup.completed_at is None
    # A redirect elsewhere is not followed.
    response = client.post(
        reverse("interactions:followup_complete", args=[followup.pk]), {"next": "//evil.test/"}
    )
    assert response["Location"] == followup.get_absolute_url()


def test_today_and_fragments_render_in_german(client, anna_day):
    from accord.parties.models import Organization

    org = Organization.objects.get(name="Quiet Ventures GmbH")
    client.force_login(anna_day.anna)
    for url in [
        "/",
        reverse("interactions:timeline") + f"?organization={org.pk}",
        reverse("interactions:followup_panel") + f"?organization={org.pk}",
        reverse("interactions:interaction_add"),
        reverse("interactions:followup_list"),
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 200, url
        assert response["Content-Language"] == "de"
