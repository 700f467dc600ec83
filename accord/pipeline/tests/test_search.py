"""Opportunities in global search: found by title, only by those who may see them."""

from accord.core.search import search

from .factories import make_opportunity


def _titles(group) -> list[str]:
    return [r.title for r in group.results]


def test_opportunities_are_found_by_title_under_the_visibility_rule(users):
    make_opportunity(owner=users.owner, team=users.team_a, title="Kältemaschinen Rahmenvertrag")
    assert _titles(search(users.owner, "kältemaschinen")["opportunity"]) == [
        "Kältemaschinen Rahmenvertrag"
    ]
    assert _titles(search(users.admin, "rahmenvertrag")["opportunity"]) == [
        "Kältemaschinen Rahmenvertrag"
    ]
    assert _titles(search(users.other, "kältemaschinen")["opportunity"]) == []
