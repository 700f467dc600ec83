"""The power–interest grid: current and earlier position per stakeholder, filters, visibility,
the chart and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.community.selectors.community import power_interest_grid, stakeholder_history

from .factories_community import make_assessment, make_org, make_person, make_project

pytestmark = pytest.mark.django_db


def ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def data(users):
    own = {"owner": users.owner, "team": users.team_a}
    project = make_project(**own)
    other_project = make_project(name="Lärmschutz Logistikzentrum", **own)
    stadt = make_org(name="Stadt Musterstadt", **own)
    initiative = make_org(name="Bürgerinitiative Nord", **own)
    mayor = make_person(last_name="Bürgermeisterin", **own)
    # Stadt: three assessments; the grid shows the last and the one before
    make_assessment(
        organization=stadt, project=project, power=5, interest=2, assessed_on=ago(300), **own
    )
    make_assessment(
        organization=stadt, project=project, power=5, interest=3, assessed_on=ago(200), **own
    )
    make_assessment(
        organization=stadt, project=project, power=5, interest=5, assessed_on=ago(10), **own
    )
    # initiative: two, moving up in power and interest; the earlier one hidden from others
    make_assessment(
        organization=initiative,
        project=project,
        category="neighbours",
        power=1,
        interest=3,
        attitude="sceptical",
        assessed_on=ago(100),
        owner=users.other,
        team=users.team_b,
    )
    make_assessment(
        organization=initiative,
        project=project,
        category="neighbours",
        power=3,
        interest=5,
        urgency=True,
        attitude="opposed",
        assessed_on=ago(5),
        **own,
    )
    # the mayor: one assessment only
    make_assessment(person=mayor, project=project, category="politics", power=4, interest=1, **own)
    # another project and no project: not on this project's grid
    make_assessment(organization=stadt, project=other_project, power=2, interest=2, **own)
    make_assessment(organization=stadt, power=3, interest=3, **own)
    return {"project": project, "stadt": stadt, "initiative": initiative, "mayor": mayor}


def _points(grid):
    return {
        p.name: (p.position, p.earlier_position, p.quadrant, p.current.salience)
        for p in grid.points
    }


def test_grid_has_current_and_earlier_positions(users, data):
    grid = power_interest_grid(users.manager, project=data["project"])
    assert _points(grid) == {
        "Stadt Musterstadt": ((5, 5), (3, 5), "manage_closely", "dominant"),
        "Bürgerinitiative Nord": ((5, 3), (3, 1), "manage_closely", "definitive"),
        "Jana Bürgermeisterin": ((1, 4), None, "keep_satisfied", "dominant"),
    }
    initiative = next(p for p in grid.points if p.name == "Bürgerinitiative Nord")
    assert (initiative.movement.power, initiative.movement.interest) == (2, 2)
    assert initiative.earlier.attitude == "sceptical"
    assert {q: len(v) for q, v in grid.by_quadrant().items()} == {
        "manage_closely": 2,
        "keep_satisfied": 1,
        "keep_informed": 0,
        "monitor": 0,
    }


def test_grid_filters_and_visibility(users, data):
    only = power_interest_grid(users.manager, project=data["project"], category="neighbours")
    assert [p.name for p in only.points] == ["Bürgerinitiative Nord"]
    # the owner does not see the other team's earlier assessment: no earlier position
    mine = power_interest_grid(users.owner, project=data["project"])
    assert _points(mine)["Bürgerinitiative Nord"][1] is None
    # the other team's member sees none of the current ones
    assert power_interest_grid(users.other, project=data["project"]).points == []
    # all projects: every current assessment (4 on the project grid's project, other, general)
    everything = power_interest_grid(users.manager)
    assert len(everything.points) == 5
    general = power_interest_grid(users.manager, general=True)
    assert [p.current.project_id for p in general.points] == [None]


def test_history_of_a_stakeholder(users, data):
    rows = stakeholder_history(users.manager, organization=data["stadt"], project=data["project"])
    assert [(r.power, r.interest) for r in rows] == [(5, 2), (5, 3), (5, 5)]
    assert len(stakeholder_history(users.manager, organization=data["stadt"])) == 5
    assert len(stakeholder_history(users.manager, organization=data["stadt"], project=None)) == 1


def test_grid_page_and_api(client, api, users, data):
    client.force_login(users.manager)
    response = client.get(reverse("community:overview"), {"project": data["project"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" id="chart-')
    svg = html[start : html.index("</svg>", start)]
    assert "<script" not in svg and "<title>" in svg
    assert "Bürgerinitiative Nord" in html and "Manage closely" in html
    assert html.count('data-quadrant="manage_closely"') == 2
    detail = client.get(data["project"].get_absolute_url())
    assert detail.status_code == 200
    assert detail.content.decode().count('data-quadrant="') == 3
    rows = (
        api(users.manager)
        .get("/api/community/assessments/grid/", {"project": data["project"].pk})
        .json()
    )
    by_name = {r["name"]: r for r in rows}
    assert by_name["Bürgerinitiative Nord"]["current"]["power"] == 3
    assert by_name["Bürgerinitiative Nord"]["earlier"]["interest"] == 3
    assert by_name["Jana Bürgermeisterin"]["earlier"] is None
    assert by_name["Stadt Musterstadt"]["quadrant"] == "manage_closely"
    hidden = api(users.other).get(
        "/api/community/assessments/grid/", {"project": data["project"].pk}
    )
    assert hidden.status_code == 400
    over_time = (
        api(users.manager)
        .get(
            "/api/community/assessments/over-time/",
            {"organization": data["stadt"].pk, "project": data["project"].pk},
        )
        .json()
    )
    assert [r["interest"] for r in over_time] == [2, 3, 5]
