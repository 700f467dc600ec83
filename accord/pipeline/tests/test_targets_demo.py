"""Demo targets: for the last eight quarters, the current one and the year; attainment of the
finished quarters between 70 and 120 %."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db.models import Count
from django.db.models.functions import TruncQuarter

from accord.demo.generator import Generator
from accord.demo.targets import create_targets
from accord.pipeline.models import Opportunity, RevenueTarget
from accord.pipeline.selectors.targets import attainment, company_zone
from accord.users.models import User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 18, 14, 30, tzinfo=dt.UTC)


@pytest.fixture
def gen(db):
    generator = Generator(
        orgs=120,
        people=0,
        interactions=0,
        seed=3,
        progress=None,
        now=NOW,
        follow_ups=0,
        history=True,
        opportunities=800,
    )
    generator.run()
    # the generator makes them already: start again to time and check them alone
    RevenueTarget.objects.all().delete()
    RevenueTarget.history.all().delete()
    return generator


def test_demo_targets(gen):
    started = time.perf_counter()
    create_targets(gen)
    assert time.perf_counter() - started < 3
    company = RevenueTarget.objects.filter(scope="company", period_kind="quarter")
    starts = sorted(company.values_list("period_start", flat=True))
    assert starts[-1] == dt.date(2025, 4, 1)  # the current quarter
    # one per past quarter with won revenue (the demo's deals close within the last year or
    # so; with won revenue in all eight, all eight get one) and the current quarter
    won_quarters = {
        q.astimezone(company_zone()).date()
        for q in Opportunity.objects.filter(
            stage__kind="won",
            closed_at__lt=dt.datetime(2025, 4, 1, tzinfo=company_zone()),
            closed_at__gte=dt.datetime(2023, 4, 1, tzinfo=company_zone()),
        )
        .annotate(q=TruncQuarter("closed_at", tzinfo=company_zone()))
        .values_list("q", flat=True)
    }
    assert set(starts) == won_quarters | {dt.date(2025, 4, 1)}
    assert 5 <= len(starts) <= 9
    assert RevenueTarget.objects.filter(scope="company", period_kind="year").count() == 1
    by_scope = dict(RevenueTarget.objects.values_list("scope").annotate(n=Count("id")))
    assert by_scope["team"] >= 5 and by_scope["user"] >= 5 and by_scope["industry"] >= 2
    assert {t.user.role for t in RevenueTarget.objects.filter(scope="user")} == {"member"}
    admin = User.objects.get(email="admin@accord.example")
    finished = [t for t in company if t.period_start < dt.date(2025, 4, 1)]
    found = attainment(finished, admin)
    for target in finished:
        assert 70 <= found[target.pk].percent <= 121, (target, found[target.pk])
    assert all(t.amount % 5000 == 0 and t.amount > 0 for t in RevenueTarget.objects.all())
    assert RevenueTarget.history.count() == RevenueTarget.objects.count()
