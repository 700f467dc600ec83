"""Demo competitors and buying centers: consistent with the opportunities they belong to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, Q

from accord.core.testing.shared_data import module_data
from accord.demo.competitors import RECENT_DAYS
from accord.demo.generator import Generator
from accord.parties.models import Organization, Position
from accord.pipeline.models import (
    AccountCompetitor,
    BuyingCenterMember,
    CompetitorProfile,
    Opportunity,
    OpportunityCompetitor,
)
from accord.pipeline.selectors.competitors import WinLossFilters, win_loss_report
from accord.users.models import User

NOW = dt.datetime(2025, 6, 18, 14, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """One demo data set for the module (each test runs in a savepoint inside it)."""
    with module_data(django_db_blocker):
        yield _build()


def _build():
    gen = Generator(
        orgs=80,
        people=320,
        interactions=2000,
        seed=7,
        progress=None,
        now=NOW,
        follow_ups=None,
        history=True,
    )
    gen.run()
    return gen


@pytest.fixture
def demo(_demo, db):
    return _demo


def test_profiles_and_presence_follow_the_deals(demo):
    competitors = Organization.objects.filter(is_competitor=True)
    assert CompetitorProfile.objects.count() == competitors.count() > 0
    assert not CompetitorProfile.objects.filter(products="").exists()

    opportunities = Opportunity.objects.count()
    present = Opportunity.objects.filter(competitors__isnull=False).distinct().count()
    assert 0.2 < present / opportunities < 0.5  # about a third

    lost_to_them = Opportunity.objects.filter(stage__kind="lost", won_competitor__isnull=False)
    assert lost_to_them.exists()
    for opp in lost_to_them:
        statuses = dict(opp.competitors.values_list("competitor_id", "status"))
        assert statuses[opp.won_competitor_id] == "lost_to"
        assert list(statuses.values()).count("lost_to") == 1
    assert not OpportunityCompetitor.objects.filter(
        ~Q(opportunity__stage__kind="lost"), status="lost_to"
    ).exists()
    assert not OpportunityCompetitor.objects.filter(competitor__is_competitor=False).exists()
    assert not OpportunityCompetitor.objects.filter(
        competitor_id=F("opportunity__organization_id")
    ).exists()

    assert AccountCompetitor.objects.exists()
    assert not AccountCompetitor.objects.filter(account__is_client=False).exists()
    assert not AccountCompetitor.objects.filter(competitor__is_competitor=False).exists()


def test_buying_centers_come_from_current_positions(demo):
    members = BuyingCenterMember.objects.select_related("opportunity", "opportunity__stage")
    assert members.exists()
    recent = NOW - dt.timedelta(days=RECENT_DAYS)
    today = demo.today
    for m in members:
        opp = m.opportunity
        assert opp.stage.kind == "open" or opp.closed_at >= recent
        assert m.from_position
        assert (
            Position.objects.filter(
                person_id=m.person_id, organization_id=opp.organization_id, buying_role=m.role
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .exists()
        )


def test_price_pressure_shows(demo):
    admin = User.objects.get(email="admin@accord.example")
    period = WinLossFilters(date_from=dt.date(2023, 1, 1), date_to=NOW.date())
    pressure = win_loss_report(admin, period).price_pressure
    assert pressure.present_deals and pressure.absent_deals
    assert pressure.difference is not None and pressure.difference > 0
