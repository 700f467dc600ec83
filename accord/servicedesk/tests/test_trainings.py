"""Trainings: capacity and the waitlist, deadline, attendance, and their page and API actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.servicedesk.models import ServiceAppointment, Training, TrainingRegistration
from accord.servicedesk.services import appointments as appointment_services
from accord.servicedesk.services import trainings as services

from .factories_appointments import (  # noqa: F401  (fixtures)
    api_fixture,
    make_organization,
    make_person,
    make_training,
    register,
    users_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    people = [
        make_person(organization=org, owner=users.owner, team=users.team_a, last_name=name)
        for name in ("Albers", "Brandt", "Claßen", "Dietz")
    ]
    training = make_training(owner=users.owner, team=users.team_a, organization=org, capacity=2)
    return org, people, training


def _statuses(training):
    return {
        r.person.last_name: r.status
        for r in TrainingRegistration.objects.filter(training=training).select_related("person")
    }


def test_full_training_puts_people_on_the_waitlist_and_a_freed_seat_moves_them_up(users, setup):
    _org, (a, b, c, d), training = setup
    for person in (a, b, c, d):
        services.registration_create(actor=users.owner, training=training, person=person)
    assert _statuses(training) == {
        "Albers": "registered",
        "Brandt": "registered",
        "Claßen": "waitlisted",
        "Dietz": "waitlisted",
    }
    first = TrainingRegistration.objects.get(training=training, person=a)
    moved = services.registration_cancel(actor=users.owner, registration=first)
    assert moved.person == c
    assert _statuses(training)["Claßen"] == "registered"
    assert _statuses(training)["Dietz"] == "waitlisted"
    # raising the capacity moves the next one up; lowering it below the seats taken is refused
    services.training_update(actor=users.owner, instance=training, data={"capacity": 3})
    assert _statuses(training)["Dietz"] == "registered"
    with pytest.raises(ValidationError) as exc:
        services.training_update(actor=users.owner, instance=training, data={"capacity": 2})
    assert "3 seats are taken" in exc.value.message_dict["capacity"][0]
    assert Training.objects.get(pk=training.pk).capacity == 3


def test_registration_is_refused_twice_after_the_deadline_and_for_hidden_people(users, setup):
    org, (a, b, _c, _d), training = setup
    services.registration_create(actor=users.owner, training=training, person=a)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=users.owner, training=training, person=a)
    assert "already on the list" in exc.value.message_dict["person"][0]
    hidden = make_person(organization=org, owner=users.other, team=users.team_b, last_name="Geheim")
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=users.owner, training=training, person=hidden)
    assert "person" in exc.value.message_dict
    training.registration_deadline = timezone.localdate() - dt.timedelta(days=1)
    training.save()
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=users.owner, training=training, person=b)
    assert "Registration closed" in exc.value.message_dict["person"][0]
    assert TrainingRegistration.objects.filter(training=training).count() == 1


def test_capacity_must_be_at_least_one(users, setup):
    org, _people, _training = setup
    starts = timezone.now() + dt.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        services.training_create(
            actor=users.owner,
            data={
                "organization": org,
                "title": "Schulung Regelung",
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=3),
                "capacity": 0,
            },
        )
    assert "capacity" in exc.value.message_dict
    assert not ServiceAppointment.objects.filter(title="Schulung Regelung").exists()


def test_attendance_marks_checked_people_and_the_others_no_show(users, setup):
    _org, (a, b, c, _d), training = setup
    for person in (a, b, c):
        register(training, person, "registered" if person != c else "waitlisted")
    with pytest.raises(ValidationError) as exc:
        services.training_record_attendance(actor=users.owner, training=training, attended=[a.pk])
    assert "once the training has started" in exc.value.message_dict["attended"][0]
    appointment = training.appointment
    appointment.starts_at = timezone.now() - dt.timedelta(hours=3)
    appointment.ends_at = timezone.now() - dt.timedelta(hours=1)
    appointment.save()
    with pytest.raises(ValidationError):
        services.training_record_attendance(actor=users.owner, training=training, attended=[c.pk])
    counts = services.training_record_attendance(
        actor=users.owner, training=training, attended=[a.pk]
    )
    assert counts == {"attended": 1, "no_show": 1}
    assert _statuses(training) == {
        "Albers": "attended",
        "Brandt": "no_show",
        "Claßen": "waitlisted",
    }
    appointment.refresh_from_db()
    assert appointment.status == "done"


def test_kind_cannot_change_while_people_are_registered(users, setup):
    _org, (a, *_rest), training = setup
    register(training, a)
    with pytest.raises(ValidationError) as exc:
        appointment_services.appointment_update(
            actor=users.owner, instance=training.appointment, data={"kind": "visit"}
        )
    assert "kind" in exc.value.message_dict


def test_appointment_of_kind_training_gets_its_training(users, setup):
    org, _people, _training = setup
    starts = timezone.now() + dt.timedelta(days=8)
    appointment = appointment_services.appointment_create(
        actor=users.owner,
        data={
            "organization": org,
            "kind": "training",
            "title": "Einweisung Leitstand",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=4),
            "capacity": 8,
        },
    )
    assert appointment.training.capacity == 8
    assert appointment.training.topic == "Einweisung Leitstand"
    appointment_services.appointment_update(
        actor=users.owner, instance=appointment, data={"kind": "onboarding"}
    )
    assert not Training.objects.filter(appointment=appointment).exists()


# --- pages and API ------------------------------------------------------------------------------
def test_training_page_registers_shows_the_waitlist_and_records_attendance(users, setup, client):
    _org, (a, b, c, _d), training = setup
    client.force_login(users.owner)
    url = reverse("servicedesk:training_register", args=[training.pk])
    for person in (a, b):
        assert client.post(url, {"person": person.pk}).status_code == 302
    response = client.post(url, {"person": c.pk}, follow=True)
    assert "waitlist" in response.content.decode()
    assert _statuses(training)["Claßen"] == "waitlisted"
    page = client.get(training.get_absolute_url())
    assert page.status_code == 200
    assert "Claßen" in page.content.decode()
    ServiceAppointment.objects.filter(pk=training.appointment_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    page = client.get(training.get_absolute_url())
    assert f'name="attended" value="{a.pk}"' in page.content.decode()
    response = client.post(
        reverse("servicedesk:training_attendance", args=[training.pk]), {"attended": [b.pk]}
    )
    assert response.status_code == 302
    assert _statuses(training) == {
        "Albers": "no_show",
        "Brandt": "attended",
        "Claßen": "waitlisted",
    }
    # a member of another team cannot reach the training
    client.force_login(users.other)
    assert client.get(training.get_absolute_url()).status_code == 404
    assert client.post(url, {"person": a.pk}).status_code == 404


def test_api_register_attendance_and_cancel(users, setup, api):
    _org, (a, b, c, _d), training = setup
    client = api(users.owner)
    base = f"/api/servicedesk/trainings/{training.pk}/"
    statuses = []
    for person in (a, b, c):
        response = client.post(f"{base}register/", {"person": person.pk}, format="json")
        assert response.status_code == 201, response.content
        statuses.append(response.json()["status"])
    assert statuses == ["registered", "registered", "waitlisted"]
    detail = client.get(base).json()
    assert (detail["seats_taken"], detail["waitlisted"], detail["capacity"]) == (2, 1, 2)
    first = TrainingRegistration.objects.get(training=training, person=a)
    response = client.post(f"/api/servicedesk/training-registrations/{first.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert _statuses(training)["Claßen"] == "registered"
    response = client.post(f"{base}attendance/", {"attended": [b.pk]}, format="json")
    assert response.status_code == 400
    assert "attended" in response.json()
    ServiceAppointment.objects.filter(pk=training.appointment_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    response = client.post(f"{base}attendance/", {"attended": [b.pk]}, format="json")
    assert response.json() == {"attended": 1, "no_show": 1}
    rows = client.get(f"{base}registrations/").json()
    assert [r["status"] for r in rows] == ["cancelled", "attended", "no_show"]
    assert (
        api(users.other).post(f"{base}register/", {"person": a.pk}, format="json").status_code
        == 404
    )
