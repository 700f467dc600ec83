"""Test data for cases and service levels."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from accord.parties.models import Organization, Person
from accord.servicedesk.models import Case, ServiceHours, ServiceLevelPolicy
from accord.servicedesk.services.cases import case_create
from accord.servicedesk.services.servicelevels import restore_servicedesk_defaults

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def make_organization(*, owner=None, team=None, name: str = "Kälte Süd GmbH") -> Organization:
    return Organization.objects.create(name=name, owner=owner, team=team, is_client=True)


def make_person(*, organization=None, owner=None, team=None, last_name="Huber") -> Person:
    return Person.objects.create(
        first_name="Sepp", last_name=last_name, organization=organization, owner=owner, team=team
    )


def set_policy(
    priority: str = "normal", tier: str = "standard", first="4", resolution="16", warn=80
):
    """The policy of a priority and tier with these targets (business hours)."""
    restore_servicedesk_defaults()
    policy = ServiceLevelPolicy.objects.get(priority=priority, tier=tier)
    policy.first_response_hours = Decimal(first)
    policy.resolution_hours = Decimal(resolution)
    policy.warning_percent = warn
    policy.save()
    return policy


def set_hours(team=None, state: str = "", weekdays="0,1,2,3,4", start="08:00", end="17:00"):
    row, _ = ServiceHours.objects.update_or_create(
        team=team,
        defaults={
            "name": f"Servicezeiten {team or 'Unternehmen'}",
            "state": state,
            "weekdays": weekdays,
            "start_time": start,
            "end_time": end,
        },
    )
    return row


def make_case(*, owner=None, team=None, organization=None, actor=None, **kwargs: Any) -> Case:
    """A case opened by the service (clock included); `actor` None is a system write."""
    org = organization or make_organization(owner=owner or actor, team=team)
    data = {
        "organization": org,
        "subject": "Kühlzelle erreicht Solltemperatur nicht",
        "priority": "normal",
        "owner": owner,
        "team": team,
        **kwargs,
    }
    return case_create(actor=actor, data=data)
