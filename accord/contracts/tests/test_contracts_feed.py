"""The owner's contract dates appear in their calendar feed; other people's do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.contracts.feeds import contract_date_events
from accord.contracts.models import Contract
from accord.core.testing.matrix import make_users
from accord.parties.models import Organization

pytestmark = pytest.mark.django_db


def test_feed_holds_own_notice_deadline_and_end():
    users = make_users()
    org = Organization.objects.create(name="Lieferant GmbH", is_supplier=True, owner=users.owner)
    today = timezone.localdate()
    end = today + dt.timedelta(days=100)
    Contract.objects.create(
        title="Wartungsvertrag Kälte",
        counterparty=org,
        start_date=today - dt.timedelta(days=200),
        end_date=end,
        notice_period=1,
        notice_unit="months",
        status="active",
        owner=users.owner,
        team=users.team_a,
    )
    events = list(contract_date_events(users.owner, base_url="https://x", host="x"))
    summaries = sorted(str(e["summary"]) for e in events)
    assert summaries == [
        "Contract ends: Wartungsvertrag Kälte",
        "Notice deadline: Wartungsvertrag Kälte",
    ]
    days = sorted(e.decoded("dtstart") for e in events)
    assert days[-1] == end
    assert list(contract_date_events(users.manager, base_url="https://x", host="x")) == []
