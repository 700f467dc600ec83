"""Case services: numbers, the visibility rules, the service-level clock (due times, pauses,
breaches, warnings) and the conversation."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accord.core.models import Notification
from accord.core.testing import make_users
from accord.servicedesk.models import Case, CaseBreach, CaseStatus, OrganizationServiceTier
from accord.servicedesk.services import cases as services
from accord.servicedesk.services import servicelevels as config

from .factories_cases import (
    berlin,
    make_case,
    make_organization,
    make_person,
    set_hours,
    set_policy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(db):
    return make_users()


def at(moment):
    """Freeze `timezone.now()` in the services and selectors."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


# --- creating -------------------------------------------------------------------------------------
def test_numbers_count_up_per_year(users):
    with at(berlin(2026, 3, 3, 10)):
        a = make_case(actor=users.owner)
        b = make_case(actor=users.owner)
    assert a.number == "C-2026-00001" and b.number == "C-2026-00002"
    assert a.owner == users.owner and a.team == users.team_a
    assert a.status == CaseStatus.NEW


def test_organization_the_user_may_not_see_is_refused(users):
    hidden = make_organization(owner=users.other, team=users.team_b, name="Fremd AG")
    with pytest.raises(ValidationError) as err:
        make_case(actor=users.owner, organization=hidden)
    assert "organization" in err.value.message_dict
    assert not Case.objects.exists()
    with pytest.raises(ValidationError) as err:
        services.case_create(actor=users.owner, data={"subject": "x"})
    assert "organization" in err.value.message_dict


def test_person_must_work_at_the_organization(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    elsewhere = make_organization(owner=users.owner, team=users.team_a, name="Andere GmbH")
    stranger = make_person(organization=elsewhere, owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as err:
        make_case(actor=users.owner, organization=org, person=stranger)
    assert "person" in err.value.message_dict
    colleague = make_person(organization=org, owner=users.owner, team=users.team_a)
    case = make_case(actor=users.owner, organization=org, person=colleague)
    assert case.person == colleague


def test_viewer_may_not_open_cases(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    with pytest.raises(PermissionDenied):
        make_case(actor=users.viewer, organization=org)


# --- the clock ------------------------------------------------------------------------------------
def test_due_times_follow_policy_and_team_hours(users):
    set_policy("high", "standard", first="2", resolution="12")
    set_hours(team=users.team_a, state="BY")
    org = make_organization(owner=users.owner, team=users.team_a)
    # Wednesday 3 June 2026 16:00; Fronleichnam (Thursday) is a holiday in Bayern
    with at(berlin(2026, 6, 3, 16)):
        case = make_case(actor=users.owner, organization=org, priority="high")
    assert case.first_response_due_at == berlin(2026, 6, 5, 9)
    # 12 h: 1 on Wednesday, 9 on Friday, 2 on Monday
    assert case.resolution_due_at == berlin(2026, 6, 8, 10)
    # 80 % of 2 h = 1.6 h: 1 h on Wednesday + 36 min on Friday
    assert case.first_response_warn_at == berlin(2026, 6, 5, 8, 36)


def test_client_tier_picks_the_policy(users):
    set_policy("normal", "key_account", first="1", resolution="4")
    org = make_organization(owner=users.owner, team=users.team_a)
    config.tier_create(actor=None, data={"organization": org, "tier": "key_account"})
    with at(berlin(2026, 3, 3, 10)):
        case = make_case(actor=users.owner, organization=org)
    assert case.policy.tier == "key_account"
    assert case.first_response_due_at == berlin(2026, 3, 3, 11)


def test_tier_change_recomputes_open_cases(users):
    set_policy("normal", "standard", first="8", resolution="40")
    set_policy("normal", "premium", first="2", resolution="10")
    org = make_organization(owner=users.owner, team=users.team_a)
    with at(berlin(2026, 3, 3, 10)):
        case = make_case(actor=users.owner, organization=org)
    assert case.first_response_due_at == berlin(2026, 3, 4, 9)
    config.tier_create(actor=users.admin, data={"organization": org, "tier": "premium"})
    case.refresh_from_db()
    assert case.first_response_due_at == berlin(2026, 3, 3, 12)
    with pytest.raises(PermissionDenied):
        config.tier_update(
            actor=users.owner,
            instance=OrganizationServiceTier.objects.get(),
            data={"tier": "standard"},
        )


def test_waiting_on_client_pauses_the_resolution_clock(users):
    set_policy("normal", "standard", first="4", resolution="16")
    set_hours(team=users.team_a)
    org = make_organization(owner=users.owner, team=users.team_a)
    with at(berlin(2026, 3, 2, 8)):  # Monday 08:00
        case = make_case(actor=users.owner, organization=org)
    assert case.resolution_due_at == berlin(2026, 3, 3, 15)  # 9 + 7 h
    with at(berlin(2026, 3, 2, 10)):
        case = services.case_set_status(actor=users.owner, case=case, status=CaseStatus.OPEN)
    assert case.first_responded_at == berlin(2026, 3, 2, 10)
    assert case.first_response_seconds == 2 * 3600
    with at(berlin(2026, 3, 2, 12)):
        case = services.case_set_status(actor=users.owner, case=case, status=CaseStatus.WAITING)
    assert case.resolution_due_at is None and case.paused_since == berlin(2026, 3, 2, 12)
    # the client answers on Tuesday at 11:00: 5 h + 3 h = 8 business hours paused
    with at(berlin(2026, 3, 3, 11)):
        case = services.case_set_status(actor=users.owner, case=case, status=CaseStatus.OPEN)
    assert case.paused_seconds == 8 * 3600
    assert case.resolution_due_at == berlin(2026, 3, 4, 14)  # 16 + 8 = 24 h after Monday 08:00
    with at(berlin(2026, 3, 4, 9)):
        case = services.case_set_status(actor=users.owner, case=case, status=CaseStatus.RESOLVED)
    # used: Monday 08–12 (4) + Tuesday 11–17 (6) + Wednesday 08–09 (1) = 11 h
    assert case.resolution_seconds == 11 * 3600
    assert case.resolved_at == berlin(2026, 3, 4, 9)
    assert not CaseBreach.objects.exists()
    # resolved → closed keeps the resolution; reopening clears it and adds the resolved time
    with at(berlin(2026, 3, 4, 10)):
        case = services.case_set_status(actor=users.owner, case=case, status=CaseStatus.OPEN)
    assert case.resolved_at is None and case.resolution_seconds is None
    assert case.paused_seconds == 9 * 3600


def test_breaches_are_recorded_on_status_change_and_by_the_check(users):
    set_policy("urgent", "standard", first="1", resolution="3")
    set_hours(team=users.team_a)
    org = make_organization(owner=users.owner, team=users.team_a)
    with at(berlin(2026, 3, 2, 9)):
        case = make_case(actor=users.owner, organization=org, priority="urgent")
    # the check before the warning point does nothing
    assert services.cases_check_service_levels(berlin(2026, 3, 2, 9, 30)) == {
        "breaches": 0,
        "warnings": 0,
    }
    # 48 minutes used of 60: warned once, however often the check runs
    counts = services.cases_check_service_levels(berlin(2026, 3, 2, 9, 50))
    assert counts == {"breaches": 0, "warnings": 1}
    assert services.cases_check_service_levels(berlin(2026, 3, 2, 9, 55))["warnings"] == 0
    note = Notification.objects.get(user=users.owner)
    assert note.key == f"case:{case.pk}:first_response:warning"
    assert case.number in note.title
    # past the due time: the breach is recorded once, at the due moment
    assert services.cases_check_service_levels(berlin(2026, 3, 2, 10, 5))["breaches"] == 1
    assert services.cases_check_service_levels(berlin(2026, 3, 2, 10, 10))["breaches"] == 0
    breach = CaseBreach.objects.get(case=case)
    assert (breach.kind, breach.breached_at) == ("first_response", berlin(2026, 3, 2, 10))
    assert Notification.objects.filter(key=f"case:{case.pk}:first_response:breach").count() == 1
    # resolved late (3 h target, 4 h used): recorded by the status change itself
    with at(berlin(2026, 3, 2, 13)):
        services.case_set_status(actor=users.owner, case=case, status=CaseStatus.RESOLVED)
    resolution = CaseBreach.objects.get(case=case, kind="resolution")
    assert resolution.breached_at == berlin(2026, 3, 2, 12)
    assert CaseBreach.objects.count() == 2


def test_outbound_message_is_the_first_response(users):
    set_policy("normal", "standard", first="4", resolution="16")
    org = make_organization(owner=users.owner, team=users.team_a)
    person = make_person(organization=org, owner=users.owner, team=users.team_a)
    with at(berlin(2026, 3, 2, 8)):
        case = make_case(actor=users.owner, organization=org, person=person)
    with at(berlin(2026, 3, 2, 9, 30)):
        interaction = services.case_add_interaction(
            actor=users.owner,
            case=case,
            data={"kind": "email", "direction": "outbound", "subject": "Re: Kühlzelle"},
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.first_responded_at == berlin(2026, 3, 2, 9, 30)
    assert case.first_response_seconds == 5400
    assert list(case.interactions.all()) == [interaction]
    assert set(interaction.organizations.all()) == {org}
    assert set(interaction.people.all()) == {person}


def test_member_of_other_team_may_not_change(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    case = make_case(actor=users.owner, organization=org)
    with pytest.raises(PermissionDenied):
        services.case_set_status(actor=users.other, case=case, status=CaseStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.case_note_create(actor=users.other, case=case, text="Hallo")
    note = services.case_note_create(actor=users.owner, case=case, text="Ersatzteil bestellt")
    assert note.author == users.owner
    with pytest.raises(ValidationError) as err:
        services.case_note_create(actor=users.owner, case=case, text="  ")
    assert "text" in err.value.message_dict


def test_config_rules(users):
    config.restore_servicedesk_defaults()
    with pytest.raises(ValidationError) as err:
        config.policy_create(
            actor=users.admin,
            data={
                "name": "Doppelt",
                "priority": "normal",
                "tier": "standard",
                "first_response_hours": "1",
                "resolution_hours": "2",
            },
        )
    assert "tier" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        config.service_hours_create(
            actor=users.admin,
            data={
                "name": "Nacht",
                "team": users.team_b,
                "weekdays": [],
                "start_time": dt.time(18),
                "end_time": dt.time(8),
            },
        )
    assert {"weekdays", "end_time"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        config.service_hours_create(actor=users.admin, data={"name": "Zweiter Standard"})
    assert "team" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        config.category_create(actor=users.owner, data={"name": "Neu"})
    hidden = make_organization(owner=users.other, team=users.team_b, name="Versteckt AG")
    with pytest.raises(PermissionDenied):
        config.tier_create(actor=users.owner, data={"organization": hidden})
    with pytest.raises(ValidationError) as err:
        config.tier_create(actor=users.manager, data={"organization": None})
    assert "organization" in err.value.message_dict


def test_linked_order_must_belong_to_the_case_organization(db):
    from accord.commerce.tests.factories_sales import make_order

    from .factories_cases import make_case as _make_case
    from .factories_cases import make_organization as _make_org

    client_org = _make_org(name="Kunde Nord GmbH")
    elsewhere = make_order(owner=None, team=None)
    with pytest.raises(ValidationError) as refused:
        _make_case(organization=client_org, order=elsewhere)
    assert "of the case's organization" in refused.value.message_dict["order"][0]
    own = make_order(owner=None, team=None, organization=client_org)
    assert _make_case(organization=client_org, order=own).order == own
