"""Reads of service appointments and schedules, visibility applied: the list, the calendar's
month and week, an appointment's and a schedule's page, an organization's upcoming services and
the appointments of a user's calendar feed."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accord.core import visibility
from accord.parties.models import Person

from ..models import AppointmentStatus, ServiceAppointment, ServiceSchedule, Training

CALENDAR_LIMIT = 1000
ORGANIZATION_UPCOMING = 10
FEED_PAST_DAYS = 90
FEED_MAX = 2000
PREVIEW_OCCURRENCES = 5


# --- lists ---------------------------------------------------------------------------------------
def appointment_list(user: Any) -> QuerySet[ServiceAppointment]:
    """Visible appointments with organization, owner, team and schedule."""
    return ServiceAppointment.objects.visible_to(user).select_related(
        "organization", "owner", "team", "schedule"
    )


def appointment_api_list(user: Any) -> QuerySet[ServiceAppointment]:
    """Visible appointments with the ids of their people the user may see and of our staff."""
    return (
        appointment_list(user)
        .prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.visible_to(user).only("id"),
                to_attr="visible_people",
            ),
            "staff",
        )
        .order_by("starts_at", "id")
    )


def schedule_list(user: Any) -> QuerySet[ServiceSchedule]:
    return ServiceSchedule.objects.visible_to(user).select_related("organization", "owner", "team")


def schedule_api_list(user: Any) -> QuerySet[ServiceSchedule]:
    return (
        schedule_list(user)
        .prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.visible_to(user).only("id"),
                to_attr="visible_people",
            ),
            "staff",
        )
        .order_by("organization__name", "title", "id")
    )


# --- one appointment / schedule ------------------------------------------------------------------
def _people(user: Any, related: Any) -> tuple[list[Person], int]:
    rows = list(related.select_related("organization").order_by("last_name", "first_name", "id"))
    visible = set(
        Person.objects.visible_to(user)
        .filter(pk__in=[p.pk for p in rows])
        .values_list("pk", flat=True)
    )
    shown = [p for p in rows if p.pk in visible]
    return shown, len(rows) - len(shown)


def appointment_detail(user: Any, appointment: ServiceAppointment) -> dict[str, Any]:
    """What the appointment's page shows: its people the user may see (and how many others),
    our staff, its training (for kind training)."""
    people, hidden = _people(user, appointment.people)
    training = Training.objects.filter(appointment=appointment).first()
    return {
        "people": people,
        "hidden_people": hidden,
        "staff": list(appointment.staff.order_by("first_name", "last_name", "id")),
        "training": training,
    }


def schedule_detail(
    user: Any, schedule: ServiceSchedule, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The schedule's next occurrences, its upcoming and its last appointments."""
    from ..recurrence import RuleError, first_occurrences

    now = now or timezone.now()
    people, hidden = _people(user, schedule.people)
    appointments = schedule.appointments.select_related("organization").order_by("starts_at")
    start = max(timezone.localtime(now), timezone.localtime(schedule.starts_at))
    try:
        naive = first_occurrences(
            schedule.rule, start=start.replace(tzinfo=None), n=PREVIEW_OCCURRENCES
        )
    except RuleError:
        naive = []
    local = timezone.get_current_timezone()
    preview = [timezone.make_aware(n, local) for n in naive]
    if schedule.until:
        preview = [p for p in preview if timezone.localtime(p).date() <= schedule.until]
    return {
        "people": people,
        "hidden_people": hidden,
        "staff": list(schedule.staff.order_by("first_name", "last_name", "id")),
        "upcoming": list(appointments.filter(starts_at__gte=now)[:20]),
        "past": list(appointments.filter(starts_at__lt=now).order_by("-starts_at")[:10]),
        "next_occurrences": preview if schedule.is_active else [],
    }


# --- calendar ------------------------------------------------------------------------------------
@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    is_today: bool
    appointments: list[ServiceAppointment] = field(default_factory=list)


@dataclass
class CalendarPage:
    """One month (weeks of seven days, Monday first) or one week of appointments."""

    mode: str  # "month" or "week"
    anchor: dt.date
    start: dt.date  # first day shown
    end: dt.date  # last day shown
    previous: dt.date
    next: dt.date
    weeks: list[list[CalendarDay]]
    total: int
    truncated: bool


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def calendar_page(
    queryset: QuerySet[ServiceAppointment],
    *,
    mode: str,
    anchor: dt.date,
    today: dt.date | None = None,
) -> CalendarPage:
    """Arrange the (already filtered, visible) appointments of the month or week of `anchor`."""
    today = today or timezone.localdate()
    if mode == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        end = start + dt.timedelta(days=6)
        previous, following = start - dt.timedelta(days=7), start + dt.timedelta(days=7)
        month = None
    else:
        mode = "month"
        first = anchor.replace(day=1)
        last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
        start = first - dt.timedelta(days=first.weekday())
        end = last + dt.timedelta(days=6 - last.weekday())
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        month = first.month
    rows = list(
        queryset.filter(
            starts_at__lt=_local_midnight(end + dt.timedelta(days=1)),
            ends_at__gt=_local_midnight(start),
        ).order_by("starts_at", "id")[: CALENDAR_LIMIT + 1]
    )
    truncated = len(rows) > CALENDAR_LIMIT
    rows = rows[:CALENDAR_LIMIT]
    days: dict[dt.date, CalendarDay] = {}
    day = start
    while day <= end:
        days[day] = CalendarDay(day, month is None or day.month == month, day == today)
        day += dt.timedelta(days=1)
    for appointment in rows:
        first_day = max(timezone.localtime(appointment.starts_at).date(), start)
        last_moment = timezone.localtime(appointment.ends_at) - dt.timedelta(microseconds=1)
        last_day = min(last_moment.date(), end)
        day = first_day
        while day <= last_day:
            days[day].appointments.append(appointment)
            day += dt.timedelta(days=1)
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    return CalendarPage(
        mode=mode,
        anchor=anchor,
        start=start,
        end=end,
        previous=previous,
        next=following,
        weeks=weeks,
        total=len(rows),
        truncated=truncated,
    )


# --- organization page, calendar feed ------------------------------------------------------------
def organization_services(
    user: Any, organization_id: int, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The organization's next appointments and its active schedules, as the user may see them."""
    now = now or timezone.now()
    upcoming = (
        appointment_list(user)
        .filter(organization_id=organization_id, ends_at__gte=now)
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("starts_at", "id")[:ORGANIZATION_UPCOMING]
    )
    schedules = (
        ServiceSchedule.objects.visible_to(user)
        .filter(organization_id=organization_id, is_active=True)
        .order_by("title", "id")
    )
    last_done = (
        appointment_list(user)
        .filter(organization_id=organization_id, status=AppointmentStatus.DONE)
        .order_by("-starts_at", "-id")
        .first()
    )
    return {"upcoming": list(upcoming), "schedules": list(schedules), "last_done": last_done}


def feed_appointments(user: Any, *, now: dt.datetime | None = None) -> QuerySet:
    """The user's appointments for the calendar feed: those they own or take part in as staff,
    from 90 days back on, not cancelled, that they may see."""
    if not visibility.is_authenticated(user):
        return ServiceAppointment.objects.none()
    now = now or timezone.now()
    since = now - dt.timedelta(days=FEED_PAST_DAYS)
    mine = Q(owner=user) | Q(staff=user)
    ids = ServiceAppointment.objects.filter(ends_at__gte=since).filter(mine).values("pk")
    return (
        ServiceAppointment.objects.visible_to(user)
        .filter(pk__in=ids)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("organization")
        .prefetch_related("people")
        .order_by("starts_at", "pk")[:FEED_MAX]
    )
