"""Time in stage, computed from a constructed stage history: counts, median and average days,
stuck deals (and the list they link to), the period, and the visibility rule."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.pipeline.models import StageChange
from accord.pipeline.selectors.stagetimes import stage_times

from .factories import make_opportunity, new_business, stage

pytestmark = pytest.mark.django_db


def history(opp, steps, now):
    """Replace the opportunity's stage history by `steps`: [(stage name, days ago), …]; the
    opportunity ends in the last stage."""
    StageChange.objects.filter(opportunity=opp).delete()
    previous = None
    for name, days_ago in steps:
        st = stage(name)
        StageChange.objects.create(
            opportunity=opp,
            from_stage=previous,
            to_stage=st,
            changed_at=now - dt.timedelta(days=days_ago),
        )
        previous = st
    type(opp).objects.filter(pk=opp.pk).update(stage=previous)


def row(result, name):
    rows = {r.stage.name: r for entry in result for r in entry.rows}
    return rows[name]


@pytest.fixture
def deals(users):
    now = timezone.now()
    a = make_opportunity(owner=users.owner, team=users.team_a, title="A")
    b = make_opportunity(owner=users.owner, team=users.team_a, title="B")
    c = make_opportunity(owner=users.owner, team=users.team_a, title="C")
    old = make_opportunity(owner=users.owner, team=users.team_a, title="Old")
    history(a, [("Qualification", 30), ("Needs analysis", 20), ("Proposal", 14)], now)
    history(b, [("Qualification", 25), ("Needs analysis", 21), ("Won", 10)], now)
    history(c, [("Qualification", 12)], now)
    # outside the last twelve months: not counted (it left Qualification long ago)
    history(old, [("Qualification", 400), ("Needs analysis", 390), ("Lost", 380)], now)
    return {"now": now, "a": a, "b": b, "c": c}


def test_numbers_on_a_constructed_history(users, deals):
    now = deals["now"]
    today = timezone.localdate(now)
    result = stage_times(
        users.owner,
        pipelines=[new_business()],
        start=today - dt.timedelta(days=364),
        end=today,
        now=now,
    )
    qual = row(result, "Qualification")  # A 10 days, B 4 days, C 12 days and counting
    assert qual.deals == 3
    assert qual.median_days == pytest.approx(10, abs=1e-6)
    assert qual.average_days == pytest.approx(26 / 3, abs=1e-6)
    assert qual.stuck == 1  # C: 12 days > 8.7 on average
    needs = row(result, "Needs analysis")  # A 6 days, B 11 days
    assert (needs.deals, needs.median_days, needs.average_days) == (
        2,
        pytest.approx(8.5),
        pytest.approx(8.5),
    )
    assert needs.stuck == 0
    proposal = row(result, "Proposal")  # A: 14 days so far, exactly the average: not stuck
    assert (proposal.deals, proposal.median_days, proposal.stuck) == (1, pytest.approx(14), 0)
    negotiation = row(result, "Negotiation")
    assert (negotiation.deals, negotiation.median_days, negotiation.average_days) == (0, None, None)
    # won and lost are end points: no row for them
    assert {r.stage.name for entry in result for r in entry.rows} == {
        "Qualification",
        "Needs analysis",
        "Proposal",
        "Negotiation",
    }


def test_a_deal_entering_a_stage_twice_counts_once_with_both_stays(users):
    now = timezone.now()
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    history(
        opp,
        [("Qualification", 50), ("Needs analysis", 45), ("Qualification", 40), ("Proposal", 38)],
        now,
    )
    today = timezone.localdate(now)
    result = stage_times(
        users.owner,
        pipelines=[new_business()],
        start=today - dt.timedelta(days=90),
        end=today,
        now=now,
    )
    qual = row(result, "Qualification")
    assert qual.deals == 1
    assert qual.average_days == pytest.approx(7)  # 5 + 2 days


def test_the_period_decides_which_stays_count(users, deals):
    now = deals["now"]
    today = timezone.localdate(now)
    # entered between 26 and 15 days ago: A's Qualification (30) is out, B's (25) and A's
    # Needs analysis (20) are in
    result = stage_times(
        users.owner,
        pipelines=[new_business()],
        start=today - dt.timedelta(days=26),
        end=today - dt.timedelta(days=15),
        now=now,
    )
    assert row(result, "Qualification").deals == 1
    assert row(result, "Qualification").average_days == pytest.approx(4)
    assert row(result, "Needs analysis").deals == 2
    assert row(result, "Proposal").deals == 0  # A entered it 14 days ago


def test_only_visible_deals_count(users, deals):
    now = deals["now"]
    today = timezone.localdate(now)
    theirs = make_opportunity(owner=users.other, team=users.team_b, title="Fremd")
    history(theirs, [("Qualification", 100)], now)
    mine = stage_times(
        users.owner,
        pipelines=[new_business()],
        start=today - dt.timedelta(days=364),
        end=today,
        now=now,
    )
    everyone = stage_times(
        users.admin,
        pipelines=[new_business()],
        start=today - dt.timedelta(days=364),
        end=today,
        now=now,
    )
    assert row(mine, "Qualification").deals == 3
    assert row(everyone, "Qualification").deals == 4
    assert row(mine, "Qualification").average_days == pytest.approx(26 / 3)
    # 100 days of the other team's deal raise everyone's average: only that deal is stuck
    assert row(everyone, "Qualification").average_days == pytest.approx(126 / 4)
    assert row(everyone, "Qualification").stuck == 1


def test_the_report_page_shows_the_numbers_and_links_the_stuck_deals(client, users, deals):
    client.force_login(users.owner)
    response = client.get(reverse("pipeline:stage_times"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Time in stage" in body and "New business" in body and "Renewals" in body
    qual = re.search(rf'<tr data-stage="{stage("Qualification").pk}">(.*?)</tr>', body, re.S).group(
        1
    )
    cells = re.findall(r"<td[^>]*>(.*?)</td>", qual, re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells] == ["3", "10.0", "8.7", "1"]
    link = re.search(r'href="([^"]*in_stage_before=[^"]*)"', qual).group(1).replace("&amp;", "&")
    listed = client.get(link)
    titles = [o.title for o in listed.context["table"].data]
    assert titles == ["C"]
    assert "<svg" in body  # the chart, beside the table


def test_a_bad_period_is_refused_with_a_message(client, users):
    client.force_login(users.owner)
    response = client.get(reverse("pipeline:stage_times") + "?start=2026-05-01&end=2026-01-01")
    assert "The end of the period must not be before its start." in response.content.decode()
