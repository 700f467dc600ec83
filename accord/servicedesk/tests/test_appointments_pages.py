"""Permission matrix and query budgets of the appointment, schedule and training pages and API;
the calendar, the organization fragment, export and search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.core import testing
from accord.core.search import search
from accord.core.views import list_export_table
from accord.parties.models import Organization, Person
from accord.servicedesk.models import ServiceAppointment, ServiceSchedule, Training

from .factories_appointments import (  # noqa: F401  (fixtures)
    make_appointment,
    make_organization,
    make_person,
    make_schedule,
    make_training,
    users_fixture,
)


class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(
            ServiceAppointment, ServiceSchedule, Training, Organization, Person
        )


def _in_days(days: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _local_input(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


class AppointmentPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = ServiceAppointment
    namespace = "servicedesk"
    list_query_budget = 8
    detail_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_appointment(owner=owner, team=team)

    def form_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="Neukunde AG")
        return {
            "organization": org.pk,
            "kind": "visit",
            "title": "Antrittsbesuch",
            "starts_at": _local_input(_in_days(4)),
            "ends_at": _local_input(_in_days(4, 11)),
            "status": "planned",
        }

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "kind": "maintenance",
            "title": "Wartung (verschoben)",
            "starts_at": _local_input(_in_days(6)),
            "ends_at": _local_input(_in_days(6, 12)),
            "status": "confirmed",
        }


class AppointmentApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = ServiceAppointment
    api_list_url = "/api/servicedesk/appointments/"
    # rows, count, their visible people and our staff (prefetched), the visibility lookups
    api_query_budget = 12

    @classmethod
    def make_object(cls, *, owner, team):
        return make_appointment(owner=owner, team=team)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        return {
            "organization": org.pk,
            "kind": "onboarding",
            "title": "Onboarding Leitstand",
            "starts_at": _in_days(3).isoformat(),
            "ends_at": _in_days(3, 12).isoformat(),
        }

    def api_update_data(self, obj):
        return {"outcome": "Anlage läuft, Filter getauscht."}

    def test_api_refuses_ending_before_start(self):
        client = self.api(self.u.owner)
        response = client.patch(
            self.detail_url(self.obj),
            {"ends_at": (self.obj.starts_at - dt.timedelta(hours=1)).isoformat()},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("ends_at", response.json())


class SchedulePages(WarmContentTypes, testing.PageMatrixTestCase):
    model = ServiceSchedule
    namespace = "servicedesk"
    list_query_budget = 8
    detail_query_budget = 14

    @classmethod
    def make_object(cls, *, owner, team):
        return make_schedule(owner=owner, team=team)

    def form_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="Wartungskunde KG")
        return {
            "organization": org.pk,
            "kind": "maintenance",
            "title": "Quartalswartung",
            "starts_at": _local_input(_in_days(5)),
            "repeat": "MONTHLY",
            "interval": "3",
            "duration_minutes": "90",
            "is_active": "on",
        }

    def edit_data(self, obj):
        return {
            "organization": obj.organization_id,
            "kind": "maintenance",
            "title": "Jährliche Wartung",
            "starts_at": _local_input(obj.starts_at),
            "repeat": "RAW",
            "rule": "FREQ=YEARLY",
            "duration_minutes": "120",
            "is_active": "on",
        }

    def test_created_schedule_generates_and_bad_raw_rule_is_shown(self):
        self.login(self.u.other)
        data = self.form_data()
        data.update({"repeat": "WEEKLY", "interval": "2", "weekday": "TU"})
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 302)
        schedule = ServiceSchedule.objects.get(title="Quartalswartung")
        self.assertEqual(schedule.rule, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")
        # 90 days at most 7 two-weekly Tuesdays from five days ahead
        self.assertIn(schedule.appointments.count(), (6, 7))
        data.update({"repeat": "RAW", "rule": "FREQ=MONTHLY;BYDAY=XX", "title": "Kaputt"})
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("rule", response.context["form"].errors)
        self.assertFalse(ServiceSchedule.objects.filter(title="Kaputt").exists())

    def test_generate_now_button(self):
        self.login(self.u.owner)
        response = self.client.post(
            reverse("servicedesk:serviceschedule_generate", args=[self.obj.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.obj.appointments.count(), 1)  # every 6 months: one in 90 days
        self.login(self.u.other)
        response = self.client.post(
            reverse("servicedesk:serviceschedule_generate", args=[self.obj.pk])
        )
        self.assertEqual(response.status_code, 404)


class ScheduleApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = ServiceSchedule
    api_list_url = "/api/servicedesk/schedules/"
    api_query_budget = 9

    @classmethod
    def make_object(cls, *, owner, team):
        return make_schedule(owner=owner, team=team)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Wartung AG")
        return {
            "organization": org.pk,
            "title": "Wartung alle 12 Monate",
            "rule": "FREQ=YEARLY",
            "starts_at": _in_days(20).isoformat(),
        }

    def api_update_data(self, obj):
        return {"notes": "Schlüssel beim Pförtner."}

    def test_generate_action_and_bad_rule(self):
        client = self.api(self.u.owner)
        url = f"{self.detail_url(self.obj)}generate/"
        first = client.post(url, {"horizon_days": 400}, format="json")
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first.json()["created"], 3)  # 10 days ahead, then every 6 months
        again = client.post(url, {"horizon_days": 400}, format="json")
        self.assertEqual(again.json()["created"], 0)
        bad = client.patch(self.detail_url(self.obj), {"rule": "FREQ=NEVER"}, format="json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("rule", bad.json())


class TrainingPages(WarmContentTypes, testing.PageMatrixTestCase):
    model = Training
    namespace = "servicedesk"
    has_create = False
    list_query_budget = 8
    detail_query_budget = 14

    @classmethod
    def make_object(cls, *, owner, team):
        return make_training(owner=owner, team=team)

    def form_data(self):  # pragma: no cover - trainings are planned as appointments
        return {}

    def edit_data(self, obj):
        return {"topic": "Neue F-Gase-Regeln", "capacity": "10"}


class TrainingApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = Training
    api_list_url = "/api/servicedesk/trainings/"

    @classmethod
    def make_object(cls, *, owner, team):
        return make_training(owner=owner, team=team)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="Schulungskunde")
        return {
            "organization": org.pk,
            "title": "Schulung Wärmepumpen",
            "starts_at": _in_days(12).isoformat(),
            "ends_at": _in_days(12, 16).isoformat(),
            "topic": "Wärmepumpen im Bestand",
            "capacity": 14,
        }

    def api_update_data(self, obj):
        return {"capacity": 5, "title": "Schulung (neu)"}


# --- calendar, fragment, export, search ---------------------------------------------------------


@pytest.mark.django_db
def test_calendar_month_and_week_with_filters(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    when = _in_days(1)
    visit = make_appointment(
        owner=users.owner,
        team=users.team_a,
        organization=org,
        kind="visit",
        title="Besuch X",
        starts_at=when,
        ends_at=when + dt.timedelta(hours=1),
    )
    make_appointment(
        owner=users.owner,
        team=users.team_a,
        organization=org,
        title="Wartung Y",
        starts_at=when,
        ends_at=when + dt.timedelta(hours=2),
    )
    make_appointment(owner=users.other, team=users.team_b, title="Fremd Z", starts_at=when)
    client = Client()
    client.force_login(users.owner)
    url = reverse("servicedesk:calendar")
    day = timezone.localtime(when).date().isoformat()
    page = client.get(url, {"date": day}).content.decode()
    assert "Besuch X" in page and "Wartung Y" in page and "Fremd Z" not in page
    assert '<th scope="col">' in page and 'aria-current="date"' in page
    week = client.get(url, {"view": "week", "date": day, "kind": "visit"}).content.decode()
    assert "Besuch X" in week and "Wartung Y" not in week
    assert visit.get_absolute_url() in week
    assert 'rel="prev"' in week and 'rel="next"' in week
    client.force_login(users.other)
    page = client.get(url, {"date": day}).content.decode()
    assert "Fremd Z" in page and "Besuch X" not in page


@pytest.mark.django_db
def test_organization_fragment_list_export_and_search(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    make_appointment(owner=users.owner, team=users.team_a, organization=org, title="Filterwechsel")
    make_schedule(owner=users.owner, team=users.team_a, organization=org, title="Halbjahresdienst")
    make_training(owner=users.owner, team=users.team_a, organization=org, topic="Kältemittelkunde")
    client = Client()
    client.force_login(users.owner)
    fragment = client.get(reverse("servicedesk:organization_services", args=[org.pk]))
    text = fragment.content.decode()
    assert "Filterwechsel" in text and "Halbjahresdienst" in text
    listing = client.get(reverse("servicedesk:serviceappointment_list"), {"q": "Filter"})
    assert "Filterwechsel" in listing.content.decode()
    assert "Schulung Kältemittel" not in listing.content.decode()
    table = list_export_table("servicedesk:serviceappointment_list", users.owner, "q=Filter")
    assert [row.record.title for row in table.rows] == ["Filterwechsel"]
    assert len(list_export_table("servicedesk:serviceappointment_list", users.other, "").rows) == 0
    export_page = client.get(
        reverse(
            "exports:list",
            kwargs={"list_name": "servicedesk:serviceappointment_list", "fmt": "xlsx"},
        ),
        {"q": "Filter"},
    )
    assert export_page.status_code == 200
    found = search(users.owner, "Kältemittelkunde")
    assert [r.title for r in found["training"].results] == ["Kältemittelkunde"]
    assert [
        r.title for r in search(users.owner, "Filterwechsel")["serviceappointment"].results
    ] == ["Filterwechsel"]
    assert not search(users.other, "Filterwechsel")["serviceappointment"].results
    other = Client()
    other.force_login(users.other)
    assert (
        "Filterwechsel"
        not in other.get(
            reverse("servicedesk:organization_services", args=[org.pk])
        ).content.decode()
    )
