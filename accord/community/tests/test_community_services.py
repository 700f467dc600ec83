"""Rules of the community services: assessments and what is current, stakeholder and link
checks, the concern workflow, response deadlines and reminders, engagement plans, consultations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from accord.community import services
from accord.community.choices import ConcernStatus
from accord.community.models import Concern, StakeholderAssessment
from accord.core.models import Notification

from .factories_community import (
    make_assessment,
    make_concern,
    make_consultation,
    make_interaction,
    make_org,
    make_person,
    make_plan,
    make_project,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- assessments ---------------------------------------------------------------------------------
def test_assessment_computes_salience_and_latest_is_current(users):
    org = make_org(owner=users.owner, team=users.team_a)
    project = make_project(owner=users.owner, team=users.team_a)
    first = services.assessment_create(
        actor=users.owner,
        data={
            "organization": org,
            "project": project,
            "power": 4,
            "interest": 2,
            "legitimacy": True,
            "urgency": True,
            "attitude": "sceptical",
            "assessed_on": TODAY() - days(30),
        },
    )
    assert first.salience == "definitive"
    assert first.is_current is True
    assert first.assessed_by == users.owner
    second = services.assessment_create(
        actor=users.owner,
        data={
            "organization": org,
            "project": project,
            "power": 2,
            "interest": 5,
            "legitimacy": True,
            "urgency": False,
            "attitude": "opposed",
            "assessed_on": TODAY() - days(2),
        },
    )
    first.refresh_from_db()
    assert second.salience == "discretionary"
    assert (first.is_current, second.is_current) == (False, True)
    # a back-dated assessment does not become current
    older = services.assessment_create(
        actor=users.owner,
        data={"organization": org, "project": project, "assessed_on": TODAY() - days(60)},
    )
    assert older.is_current is False
    # another project (or none) is another stakeholder key: current there too
    general = services.assessment_create(actor=users.owner, data={"organization": org})
    assert general.is_current is True
    assert StakeholderAssessment.objects.filter(is_current=True).count() == 2
    # deleting the current one makes the one before current again
    services.assessment_delete(actor=users.owner, instance=second)
    first.refresh_from_db()
    assert first.is_current is True
    # moving an assessment in time re-decides
    services.assessment_update(
        actor=users.owner, instance=older, data={"assessed_on": TODAY() - days(1)}
    )
    first.refresh_from_db()
    older.refresh_from_db()
    assert (first.is_current, older.is_current) == (False, True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "organization"),
        ({"organization": "ORG", "person": "PERSON"}, "person"),
        ({"organization": "ORG", "power": 6}, "power"),
        ({"organization": "ORG", "interest": 0}, "interest"),
        ({"organization": "ORG", "assessed_on": "TOMORROW"}, "assessed_on"),
    ],
)
def test_assessment_refusals_name_the_field(users, data, field):
    org = make_org(owner=users.owner, team=users.team_a)
    person = make_person(owner=users.owner, team=users.team_a)
    values = {
        k: {"ORG": org, "PERSON": person, "TOMORROW": TODAY() + days(1)}.get(v, v)
        if isinstance(v, str)
        else v
        for k, v in data.items()
    }
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(actor=users.owner, data=values)
    assert field in exc.value.error_dict
    assert not StakeholderAssessment.objects.exists()


def test_assessment_of_an_organization_the_actor_cannot_see_is_refused(users):
    hidden = make_org(owner=users.other, team=users.team_b)
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(actor=users.owner, data={"organization": hidden})
    assert "organization" in exc.value.error_dict


def test_viewer_cannot_assess(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=users.viewer, data={"organization": org})


def test_reassessment_starts_from_the_previous_values(users):
    row = make_assessment(owner=users.owner, team=users.team_a, power=5, attitude="opposed")
    initial = services.reassessment_initial(row)
    assert initial["power"] == 5
    assert initial["attitude"] == "opposed"
    assert initial["organization"] == row.organization_id
    assert initial["assessed_on"] == TODAY()


# --- concerns: deadlines and workflow ------------------------------------------------------------
def test_response_deadline_defaults_to_fourteen_days_or_the_projects(users):
    org = make_org(owner=users.owner, team=users.team_a)
    received = TODAY() - days(3)
    concern = services.concern_create(
        actor=users.owner, data={"title": "Lärm", "organization": org, "received_on": received}
    )
    assert concern.response_due_on == received + days(14)
    assert concern.status == ConcernStatus.RECEIVED
    project = make_project(owner=users.owner, team=users.team_a, response_days=5)
    concern = services.concern_create(
        actor=users.owner,
        data={"title": "Staub", "organization": org, "project": project, "received_on": received},
    )
    assert concern.response_due_on == received + days(5)
    with override_settings(ACCORD_CONCERN_RESPONSE_DAYS=30):
        concern = services.concern_create(
            actor=users.owner, data={"title": "Licht", "organization": org, "received_on": received}
        )
    assert concern.response_due_on == received + days(30)


def test_concern_needs_who_raised_it_and_a_sane_deadline(users):
    with pytest.raises(ValidationError) as exc:
        services.concern_create(actor=users.owner, data={"title": "Lärm"})
    assert "organization" in exc.value.error_dict
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.concern_create(
            actor=users.owner,
            data={
                "title": "Lärm",
                "organization": org,
                "received_on": TODAY(),
                "response_due_on": TODAY() - days(1),
            },
        )
    assert "response_due_on" in exc.value.error_dict
    # status is not set by create/update
    concern = services.concern_create(
        actor=users.owner, data={"title": "Lärm", "organization": org, "status": "closed"}
    )
    assert concern.status == ConcernStatus.RECEIVED


def test_concern_moves_forward_and_records_the_answer(users):
    concern = make_concern(owner=users.owner, team=users.team_a, received_on=TODAY() - days(4))
    assert services.allowed_transitions(concern) == [
        "acknowledged",
        "in_progress",
        "resolved",
        "closed",
    ]
    services.concern_transition(actor=users.owner, concern=concern, status="acknowledged")
    assert concern.status == "acknowledged"
    assert concern.responded_on == TODAY()
    services.concern_transition(actor=users.owner, concern=concern, status="resolved")
    assert concern.resolved_on == TODAY()
    assert services.allowed_transitions(concern) == ["in_progress", "closed"]
    # back to acknowledged: refused, with the allowed ones named
    with pytest.raises(ValidationError) as exc:
        services.concern_transition(actor=users.owner, concern=concern, status="acknowledged")
    assert "only forward" in exc.value.message_dict["status"][0]
    # reopen needs a reason
    with pytest.raises(ValidationError) as exc:
        services.concern_transition(actor=users.owner, concern=concern, status="in_progress")
    assert "reason" in exc.value.error_dict
    services.concern_transition(
        actor=users.owner, concern=concern, status="in_progress", reason="Wieder Lärm nachts"
    )
    concern.refresh_from_db()
    assert (concern.status, concern.reopen_reason, concern.resolved_on) == (
        "in_progress",
        "Wieder Lärm nachts",
        None,
    )
    assert concern.responded_on == TODAY()  # the first answer stays
    services.concern_transition(actor=users.owner, concern=concern, status="closed")
    with pytest.raises(ValidationError) as exc:
        services.concern_transition(actor=users.owner, concern=concern, status="resolved")
    assert "closed" in exc.value.message_dict["status"][0]
    assert services.allowed_transitions(concern) == []


def test_transition_refusals(users):
    concern = make_concern(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError):
        services.concern_transition(actor=users.owner, concern=concern, status="received")
    with pytest.raises(ValidationError):
        services.concern_transition(actor=users.owner, concern=concern, status="nonsense")
    with pytest.raises(PermissionDenied):
        services.concern_transition(actor=users.viewer, concern=concern, status="acknowledged")
    with pytest.raises(PermissionDenied):
        services.concern_transition(actor=users.other, concern=concern, status="acknowledged")
    concern.refresh_from_db()
    assert concern.status == "received"


def test_overdue_flag(users):
    today = TODAY()
    late = make_concern(
        owner=users.owner, received_on=today - days(20), response_due_on=today - days(6)
    )
    in_time = make_concern(owner=users.owner, received_on=today - days(2))
    answered = make_concern(
        owner=users.owner,
        received_on=today - days(20),
        response_due_on=today - days(6),
        responded_on=today - days(7),
        status="acknowledged",
    )
    assert [late.is_overdue, in_time.is_overdue, answered.is_overdue] == [True, False, False]
    from accord.community.selectors.community import overdue_q

    assert list(Concern.objects.filter(overdue_q(today))) == [late]


# --- reminders -----------------------------------------------------------------------------------
def test_reminders_three_days_before_and_when_overdue_once_each(users):
    today = TODAY()
    due_soon = make_concern(
        owner=users.owner,
        title="Bald fällig",
        received_on=today - days(11),
        response_due_on=today + days(3),
    )
    overdue = make_concern(
        owner=users.owner,
        title="Überfällig",
        received_on=today - days(20),
        response_due_on=today - days(1),
    )
    make_concern(  # due in four days: not yet
        owner=users.owner, received_on=today - days(10), response_due_on=today + days(4)
    )
    make_concern(  # answered: no reminder
        owner=users.owner,
        received_on=today - days(20),
        response_due_on=today - days(1),
        responded_on=today - days(2),
        status="acknowledged",
    )
    team_only = make_concern(  # no owner: the team hears of it
        team=users.team_a,
        received_on=today - days(20),
        response_due_on=today - days(2),
    )
    assert services.concern_reminders(today=today) == 4  # owner ×2, team A (owner, viewer)
    keys = set(Notification.objects.values_list("user__email", "key"))
    assert keys == {
        ("owner@example.test", f"concern:{due_soon.pk}:due:{due_soon.response_due_on}:3"),
        ("owner@example.test", f"concern:{overdue.pk}:overdue:{overdue.response_due_on}"),
        ("owner@example.test", f"concern:{team_only.pk}:overdue:{team_only.response_due_on}"),
        ("viewer@example.test", f"concern:{team_only.pk}:overdue:{team_only.response_due_on}"),
    }
    # idempotent: running again tells nobody anything new
    assert services.concern_reminders(today=today) == 0
    assert Notification.objects.count() == 4
    # four days later the one due soon is overdue, the one due in four days is due today
    assert services.concern_reminders(today=today + days(4)) == 2
    # a new deadline is a new reminder
    services.concern_update(
        actor=users.owner, instance=overdue, data={"response_due_on": today + days(2)}
    )
    assert services.concern_reminders(today=today) == 1


def test_reminder_job_runs_the_reminders(users):
    from accord.core.jobs import job_kind

    make_concern(
        owner=users.owner, received_on=TODAY() - days(20), response_due_on=TODAY() - days(1)
    )
    kind = job_kind("community.concern_reminders")
    assert kind.heavy is False
    from accord.core.jobs import periodic_jobs

    assert any(p.kind == "community.concern_reminders" for p in periodic_jobs())
    assert services.concern_reminders() == 1


# --- plans and consultations ---------------------------------------------------------------------
def test_plan_needs_one_stakeholder_and_items_mark_done(users):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=users.owner, data={"current_level": "neutral"})
    assert "organization" in exc.value.error_dict
    plan = make_plan(owner=users.owner, team=users.team_a)
    assert plan.gap == 2
    interaction = make_interaction(owner=users.owner, team=users.team_a)
    item = services.planned_engagement_create(
        actor=users.owner,
        data={"plan": plan, "planned_on": TODAY(), "purpose": "Ortstermin", "kind": "visit"},
    )
    assert item.done is False
    services.planned_engagement_update(
        actor=users.owner, instance=item, data={"interaction": interaction}
    )
    item.refresh_from_db()
    assert (item.done, item.interaction_id) == (True, interaction.pk)
    with pytest.raises(PermissionDenied):
        services.planned_engagement_create(
            actor=users.other, data={"plan": plan, "planned_on": TODAY(), "purpose": "x"}
        )
    with pytest.raises(ValidationError) as exc:
        services.planned_engagement_create(
            actor=users.owner, data={"plan": plan, "planned_on": TODAY(), "purpose": " "}
        )
    assert "purpose" in exc.value.error_dict


def test_consultation_dates_and_links(users):
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(
            actor=users.owner,
            data={"title": "Anhörung", "starts_on": TODAY(), "ends_on": TODAY() - days(1)},
        )
    assert "ends_on" in exc.value.error_dict
    hidden = make_interaction(owner=users.other, team=users.team_b)
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(
            actor=users.owner,
            data={"title": "Anhörung", "starts_on": TODAY(), "interactions": [hidden]},
        )
    assert "interactions" in exc.value.error_dict
    own = make_interaction(owner=users.owner, team=users.team_a)
    consultation = services.consultation_create(
        actor=users.owner, data={"title": "Anhörung", "starts_on": TODAY(), "interactions": [own]}
    )
    # the other team's member links theirs; the owner's edit keeps the link they cannot see
    services.consultation_update(
        actor=users.manager, instance=consultation, data={"interactions": [own, hidden]}
    )
    services.consultation_update(
        actor=users.owner, instance=consultation, data={"interactions": [own]}
    )
    assert set(consultation.interactions.values_list("pk", flat=True)) == {own.pk, hidden.pk}
    other = make_consultation(owner=users.owner, team=users.team_a)
    assert other.concerns.count() == 0
