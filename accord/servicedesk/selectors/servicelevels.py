"""Reads of the service-level configuration and the service standards.

* Service hours: a case's clock runs in the hours of its team, else in the company default,
  else Monday–Friday 08:00–17:00 Europe/Berlin with the nationwide holidays. Public holidays come
  from the `holidays` package (`holidays.Germany(subdiv=<state>)`), loaded per state and year and
  cached for the process; the arithmetic is `intelligence.engine.business_hours`.
* Policies: the active policy of the case's priority and its client's tier (standard when the
  client has no tier row).
* Service standards: the figures of `intelligence.engine.service_standards` over the cases the
  user may see, per month, per team and per client.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import holidays as holidays_lib
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accord.core import visibility
from accord.core.timezones import company_zone
from accord.intelligence.engine import business_hours as bh
from accord.intelligence.engine import periods
from accord.intelligence.engine import service_standards as standards
from accord.parties.models import Organization
from accord.users.models import Team

from ..models import (
    Case,
    CaseBreach,
    CaseCategory,
    ClientTier,
    OrganizationServiceTier,
    ServiceHours,
    ServiceLevelPolicy,
)

DEFAULT_WEEKDAYS = frozenset({0, 1, 2, 3, 4})
DEFAULT_START = dt.time(8, 0)
DEFAULT_END = dt.time(17, 0)
DEFAULT_ZONE = "Europe/Berlin"


def may_configure(user: Any) -> bool:
    """Administrators and managers change service hours, policies, tiers and categories."""
    return visibility.sees_everything(user) and visibility.may_write(user)


# --- holidays and schedules ----------------------------------------------------------------------
@lru_cache(maxsize=512)
def holidays_of(state: str, year: int) -> frozenset[dt.date]:
    """The public holidays of Germany (and of `state`, when given) in `year`."""
    found = holidays_lib.Germany(subdiv=state or None, years=year)
    return frozenset(found.keys())


@dataclass(frozen=True)
class StateHolidays:
    """A container of holiday dates that loads each year when first asked."""

    state: str = ""

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return day in holidays_of(self.state, day.year)


def schedule_of(hours: ServiceHours | None) -> bh.Schedule:
    """The business-hours schedule of a `ServiceHours` row (None: the built-in default)."""
    if hours is None:
        return bh.Schedule(
            weekdays=DEFAULT_WEEKDAYS,
            start=DEFAULT_START,
            end=DEFAULT_END,
            zone=zoneinfo.ZoneInfo(DEFAULT_ZONE),
            holidays=StateHolidays(""),
        )
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(hours.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(DEFAULT_ZONE)
    return bh.Schedule(
        weekdays=frozenset(hours.weekday_numbers) or DEFAULT_WEEKDAYS,
        start=hours.start_time,
        end=hours.end_time,
        zone=zone,
        holidays=StateHolidays(hours.state or ""),
    )


class ScheduleBook:
    """Schedules per team, read once (a periodic run or a recomputation of many cases)."""

    def __init__(self) -> None:
        rows = list(ServiceHours.objects.all())
        self.by_team = {h.team_id: h for h in rows if h.team_id is not None}
        self.default = next((h for h in rows if h.team_id is None), None)
        self._cache: dict[int | None, bh.Schedule] = {}

    def hours_for(self, team_id: int | None) -> ServiceHours | None:
        return self.by_team.get(team_id) or self.default  # type: ignore[arg-type]

    def schedule_for(self, team_id: int | None) -> bh.Schedule:
        if team_id not in self._cache:
            self._cache[team_id] = schedule_of(self.hours_for(team_id))
        return self._cache[team_id]


def schedule_for_team(team_id: int | None) -> bh.Schedule:
    return ScheduleBook().schedule_for(team_id)


class PolicyBook:
    """Active policies by (priority, tier) and client tiers, read once."""

    def __init__(self, organization_ids: Iterable[int] | None = None) -> None:
        self.policies = {
            (p.priority, p.tier): p for p in ServiceLevelPolicy.objects.filter(active=True)
        }
        tiers = OrganizationServiceTier.objects.all()
        if organization_ids is not None:
            tiers = tiers.filter(organization_id__in=list(organization_ids))
        self.tiers = dict(tiers.values_list("organization_id", "tier"))

    def tier_of(self, organization_id: int | None) -> str:
        return self.tiers.get(organization_id, ClientTier.STANDARD)  # type: ignore[arg-type]

    def policy_for(self, priority: str, organization_id: int | None) -> ServiceLevelPolicy | None:
        return self.policies.get((priority, self.tier_of(organization_id)))


def tier_of(organization_id: int | None) -> str:
    if organization_id is None:
        return ClientTier.STANDARD
    row = OrganizationServiceTier.objects.filter(organization_id=organization_id).first()
    return row.tier if row else ClientTier.STANDARD


# --- configuration lists -------------------------------------------------------------------------
def service_hours_list(user: Any) -> QuerySet[ServiceHours]:
    if not visibility.is_authenticated(user):
        return ServiceHours.objects.none()
    return ServiceHours.objects.select_related("team").order_by("team__name", "id")


def policy_list(user: Any) -> QuerySet[ServiceLevelPolicy]:
    if not visibility.is_authenticated(user):
        return ServiceLevelPolicy.objects.none()
    return ServiceLevelPolicy.objects.order_by("tier", "priority", "id")


def tier_list(user: Any) -> QuerySet[OrganizationServiceTier]:
    """Client tiers of the organizations the user may see."""
    return (
        OrganizationServiceTier.objects.filter(
            visibility.visibility_q(OrganizationServiceTier, user)
        )
        .select_related("organization")
        .order_by("organization__name", "id")
    )


def category_list(user: Any) -> QuerySet[CaseCategory]:
    if not visibility.is_authenticated(user):
        return CaseCategory.objects.none()
    return CaseCategory.objects.order_by("order", "name", "id")


# --- service standards ---------------------------------------------------------------------------
def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(company_zone()).date()


def _hours(seconds: int | None) -> float | None:
    return None if seconds is None else seconds / 3600


@dataclass
class GroupRow:
    key: Any
    label: str
    url: str
    figures: standards.Figures


@dataclass
class ServiceStandards:
    """The figures of the service-standards page."""

    start: dt.date
    end: dt.date
    months: list[dt.date]
    labels: list[str]
    total: standards.Figures
    monthly: list[standards.Figures]
    teams: list[GroupRow]
    clients: list[GroupRow]
    filters: dict[str, Any]


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today, whole months from the start."""
    first = periods.add_months(dt.date(today.year, today.month, 1), -11)
    return first, today


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    current, last = dt.date(start.year, start.month, 1), dt.date(end.year, end.month, 1)
    out = []
    while current <= last:
        out.append(current)
        current = periods.add_months(current, 1)
    return out


def service_standards(
    user: Any,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    team: int | None = None,
    priority: str = "",
    organization: int | None = None,
    today: dt.date | None = None,
    client_rows: int = 25,
) -> ServiceStandards:
    """The standards over the cases the user may see, opened or resolved from `start` to `end`
    (days in the company's zone; default: the last twelve months), optionally of one team,
    priority or client. Figures follow the rules of `engine.service_standards`."""
    today = today or timezone.localdate()
    end = end or today
    start = start or default_window(end)[0]
    if start > end:
        start, end = end, start
    zone = company_zone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    qs = Case.objects.visible_to(user).order_by()
    if team:
        qs = qs.filter(team_id=team)
    if priority:
        qs = qs.filter(priority=priority)
    if organization:
        qs = qs.filter(organization_id=organization)
    from django.db.models import Q

    qs = qs.filter(
        Q(opened_at__gte=lo, opened_at__lt=hi) | Q(resolved_at__gte=lo, resolved_at__lt=hi)
    )
    qs = qs.annotate(breached=Exists(CaseBreach.objects.filter(case=OuterRef("pk"))))
    facts = [
        standards.CaseFacts(
            opened_on=_local_day(opened),  # type: ignore[arg-type]
            resolved_on=_local_day(resolved),
            first_response_hours=_hours(first),
            resolution_hours=_hours(resolution) if resolved else None,
            breached=bool(breached),
            team=team_id,
            client=org_id,
            priority=case_priority,
        )
        for opened, resolved, first, resolution, breached, team_id, org_id, case_priority in (
            qs.values_list(
                "opened_at",
                "resolved_at",
                "first_response_seconds",
                "resolution_seconds",
                "breached",
                "team_id",
                "organization_id",
                "priority",
            ).iterator(chunk_size=2000)
        )
    ]
    months = month_starts(start, end)
    total = standards.window_figures(facts, start, end)
    monthly = standards.monthly_figures(facts, months)
    # months cut by the window count only the window's days
    if months:
        monthly[0] = standards.window_figures(
            facts, start, min(end, periods.add_months(months[0], 1) - dt.timedelta(days=1))
        )
        if len(months) > 1:
            monthly[-1] = standards.window_figures(facts, months[-1], end)

    by_team = standards.grouped_figures(facts, lambda c: c.team, start, end)
    team_names = dict(
        Team.objects.filter(pk__in=[k for k in by_team if k]).values_list("pk", "name")
    )
    teams = [
        GroupRow(
            key=k,
            label=team_names.get(k, "") if isinstance(k, int) else "",
            url="",
            figures=f,
        )
        for k, f in by_team.items()
    ]
    teams.sort(key=lambda r: (-r.figures.opened, r.label))

    by_client = standards.grouped_figures(facts, lambda c: c.client, start, end)
    ranked = sorted(by_client.items(), key=lambda kv: (-kv[1].opened, -kv[1].resolved))
    ranked = ranked[:client_rows]
    orgs = {
        o.pk: o
        for o in Organization.objects.filter(pk__in=[k for k, _f in ranked]).only("id", "name")
    }
    clients = [
        GroupRow(
            key=k,
            label=orgs[k].name if k in orgs else "",
            url=orgs[k].get_absolute_url() if k in orgs else "",
            figures=f,
        )
        for k, f in ranked
    ]
    return ServiceStandards(
        start=start,
        end=end,
        months=months,
        labels=[f"{m.year}-{m.month:02d}" for m in months],
        total=total,
        monthly=monthly,
        teams=teams,
        clients=clients,
        filters={"team": team, "priority": priority, "organization": organization},
    )
