"""The organization/person timeline fragment: order, kind filter, cursor paging, visibility, cost."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.interactions import selectors

from .factories import InteractionFactory, OrganizationFactory, PersonFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = timezone.now()


def _url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('interactions:timeline')}?{query}"


@pytest.fixture
def org(people_and_teams):
    u = people_and_teams
    return OrganizationFactory(owner=u.anna, team=u.team_a, name="Stadtwerke Köln")


def _subjects(html: str) -> list[str]:
    return re.findall(r'<h3 class="timeline-title"><a href="[^"]+">([^<]+)</a>', html)


def test_newest_first_with_participants_and_excerpt(client, people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org, first_name="Jürgen", last_name="Weiß")
    InteractionFactory(
        owner=u.anna,
        team=u.team_a,
        organizations=[org],
        subject="Alt",
        occurred_at=NOW - dt.timedelta(days=10),
    )
    InteractionFactory(
        owner=u.anna,
        team=u.team_a,
        organizations=[org],
        people=[person],
        users=[u.ben],
        subject="Neu",
        kind="meeting",
        body="x" * 400,
        occurred_at=NOW - dt.timedelta(days=1),
    )
    client.force_login(u.anna)
    response = client.get(_url(organization=org.pk), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment for htmx
    assert _subjects(html) == ["Neu", "Alt"]
    assert "Jürgen Weiß" in html and str(u.ben) in html
    assert "x" * 300 + "…" in html and "x" * 301 not in html
    assert "icon-meeting" in html


def test_kind_filter(client, people_and_teams, org):
    u = people_and_teams
    InteractionFactory(
        owner=u.anna, team=u.team_a, organizations=[org], subject="Mail", kind="email"
    )
    InteractionFactory(
        owner=u.anna, team=u.team_a, organizations=[org], subject="Anruf", kind="call"
    )
    client.force_login(u.anna)
    html = client.get(_url(organization=org.pk, kind="email"), **HTMX).content.decode()
    assert _subjects(html) == ["Mail"]
    # Filter buttons for every kind, as htmx links that also work as plain links.
    assert f'hx-get="/timeline/?organization={org.pk}&amp;kind=visit"' in html


def test_cursor_paging_has_no_duplicates_or_gaps(client, people_and_teams, org):
    u = people_and_teams
    same_time = NOW - dt.timedelta(days=3)
    expected = []
    for i in range(60):
        # Every third interaction shares its time with others: the id breaks the tie.
        when = same_time if i % 3 == 0 else NOW - dt.timedelta(days=3, minutes=i)
        expected.append(
            InteractionFactory(
                owner=u.anna, team=u.team_a, organizations=[org], occurred_at=when, subject=f"S{i}"
            )
        )
    expected.sort(key=lambda x: (x.occurred_at, x.pk), reverse=True)
    client.force_login(u.anna)
    seen, url, pages = [], _url(organization=org.pk), 0
    while url:
        pages += 1
        html = client.get(url, **HTMX).content.decode()
        seen += _subjects(html)
        match = re.search(r'<li class="timeline-more" hx-get="([^"]+)"', html)
        url = match.group(1).replace("&amp;", "&") if match else None
    assert pages == 3
    assert seen == [x.subject for x in expected]
    # The selector agrees with the pages.
    page = selectors.timeline(u.anna, organization=org, limit=25)
    rest = selectors.timeline(u.anna, organization=org, before=page.next_cursor, limit=50)
    assert [i.pk for i in page.items + rest.items] == [x.pk for x in expected]
    assert rest.next_cursor is None


def test_person_timeline(client, people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org)
    InteractionFactory(owner=u.anna, team=u.team_a, people=[person], subject="Mit ihr")
    InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org], subject="Ohne sie")
    client.force_login(u.anna)
    html = client.get(_url(person=person.pk), **HTMX).content.decode()
    assert _subjects(html) == ["Mit ihr"]


def test_other_teams_interaction_with_same_org_is_not_shown(client, people_and_teams, org):
    u = people_and_teams
    InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org], subject="Unseres")
    InteractionFactory(owner=u.carla, team=u.team_b, organizations=[org], subject="Fremdes")
    client.force_login(u.ben)
    html = client.get(_url(organization=org.pk), **HTMX).content.decode()
    assert _subjects(html) == ["Unseres"]
    client.force_login(u.admin)
    html = client.get(_url(organization=org.pk), **HTMX).content.decode()
    assert sorted(_subjects(html)) == ["Fremdes", "Unseres"]


def test_participant_sees_interaction_of_other_team(client, people_and_teams, org):
    u = people_and_teams
    InteractionFactory(
        owner=u.carla, team=u.team_b, organizations=[org], users=[u.ben], subject="Mit Ben"
    )
    client.force_login(u.ben)
    assert _subjects(client.get(_url(organization=org.pk), **HTMX).content.decode()) == ["Mit Ben"]


def test_invisible_party_answers_404(client, people_and_teams, org):
    u = people_and_teams
    InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org])
    client.force_login(u.carla)
    assert client.get(_url(organization=org.pk), **HTMX).status_code == 404
    assert client.get(_url(organization=999999), **HTMX).status_code == 404
    assert (
        client.get(reverse("interactions:followup_panel") + f"?organization={org.pk}").status_code
        == 404
    )


def test_bad_parameters_answer_400(client, people_and_teams, org):
    client.force_login(people_and_teams.anna)
    assert client.get(reverse("interactions:timeline")).status_code == 400
    assert client.get(_url(organization="abc")).status_code == 400
    assert client.get(_url(organization=org.pk, before="garbage")).status_code == 400


def test_standalone_page_without_htmx(client, people_and_teams, org):
    u = people_and_teams
    for i in range(30):
        InteractionFactory(owner=u.anna, team=u.team_a, organizations=[org], subject=f"S{i}")
    client.force_login(u.anna)
    response = client.get(_url(organization=org.pk))
    html = response.content.decode()
    assert "<html" in html and "Stadtwerke Köln" in html
    assert len(_subjects(html)) == 25
    more = re.search(r'<a class="btn" href="([^"]+)"[^>]*>Load more', html).group(1)
    response = client.get(more.replace("&amp;", "&"))
    assert len(_subjects(response.content.decode())) == 5


def test_timeline_fragment_query_budget(client, people_and_teams, org):
    u = people_and_teams
    colleague = UserFactory(teams=[u.team_a])
    for i in range(30):
        InteractionFactory(
            owner=u.anna,
            team=u.team_a,
            organizations=[org],
            people=[PersonFactory(organization=org), PersonFactory(organization=org)],
            users=[u.ben, colleague],
            occurred_at=NOW - dt.timedelta(hours=i),
        )
    for user in (u.ben, u.admin):
        client.force_login(user)
        client.get(_url(organization=org.pk), **HTMX)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(organization=org.pk), **HTMX)
        assert len(_subjects(response.content.decode())) == 25
        assert len(ctx.captured_queries) <= 6, [q["sql"][:120] for q in ctx.captured_queries]
        with CaptureQueriesContext(connection) as ctx:
            cursor = selectors.timeline(user, organization=org).next_cursor
            client.get(_url(organization=org.pk, before=cursor), **HTMX)
        assert len(ctx.captured_queries) <= 6 + 4


def test_followup_panel_shows_open_with_overdue_marked(client, people_and_teams, org):
    from .factories import FollowUpFactory

    u = people_and_teams
    FollowUpFactory(
        owner=u.anna,
        team=u.team_a,
        organization=org,
        title="Zu spät",
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    FollowUpFactory(owner=u.anna, team=u.team_a, organization=org, title="Bald")
    FollowUpFactory(owner=u.anna, team=u.team_a, organization=org, title="Erledigt", status="done")
    client.force_login(u.anna)
    response = client.get(
        reverse("interactions:followup_panel") + f"?organization={org.pk}", **HTMX
    )
    html = response.content.decode()
    assert "Zu spät" in html and "Bald" in html and "Erledigt" not in html
    assert html.count("badge-overdue") == 1 and "overdue" in html
    assert "Complete" in html and "<html" not in html
    standalone = client.get(reverse("interactions:followup_panel") + f"?organization={org.pk}")
    assert "<html" in standalone.content.decode()
