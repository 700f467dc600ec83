"""Demo market signals: about 300 over 24 months, linked to clients, with rising and falling
topics that the trend view shows, a few turned into opportunities; fast to load."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from accord.demo.generator import Generator
from accord.demo.signals import create_signals
from accord.pipeline.models import MarketSignal
from accord.pipeline.selectors.signals import signal_trends
from accord.users.models import User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 18, 14, 30, tzinfo=dt.UTC)


@pytest.fixture
def gen(db):
    generator = Generator(
        orgs=120,
        people=300,
        interactions=3000,
        seed=5,
        progress=None,
        now=NOW,
        follow_ups=0,
        history=True,
        opportunities=600,
    )
    generator.run()
    MarketSignal.objects.all().delete()  # in case the generator already makes them
    return generator


def test_demo_signals(gen):
    started = time.perf_counter()
    create_signals(gen)
    gen.inserter.reset_sequences()
    assert time.perf_counter() - started < 3
    signals = MarketSignal.objects.all()
    assert signals.count() == 300
    assert signals.values("topic").distinct().count() >= 15
    oldest = signals.order_by("observed_on").first().observed_on
    assert oldest >= dt.date(2023, 7, 1) and signals.filter(observed_on__gt=NOW.date()).count() == 0
    with_org = signals.filter(organizations__isnull=False).distinct()
    assert with_org.count() > 200
    assert all(o.is_client for s in with_org[:50] for o in s.organizations.all())
    assert signals.filter(people__isnull=False).distinct().count() > 50
    assert signals.filter(interactions__isnull=False).distinct().count() > 30
    turned = signals.filter(opportunity__isnull=False)
    assert 3 <= turned.count() <= 40
    for signal in turned[:10]:
        assert signal.opportunity.organization in signal.organizations.all()
        assert signal.opportunity.created_at.date() >= signal.observed_on
    assert signals.filter(owner__isnull=True).count() == 0
    assert signals.first().history.exists()

    admin = User.objects.get(email="admin@accord.example")
    trends = {t.topic: t for t in signal_trends(admin, today=NOW.date()).topics}
    assert trends["Fernwartung"].trend == "rising"
    assert trends["Kältemittel-Verordnung (F-Gase)"].trend == "rising"
    assert trends["Energiekosten"].trend == "falling"
    assert trends["Lieferzeiten Ersatzteile"].trend == "falling"
