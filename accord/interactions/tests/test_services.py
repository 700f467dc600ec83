"""Writes: parties linked with their times, last-interaction dates kept right, bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accord.interactions import services
from accord.interactions.models import FollowUp, InteractionOrganization, InteractionPerson

from .factories import OrganizationFactory, PersonFactory

NOW = timezone.now()


def _data(**extra):
    data = {
        "kind": "call",
        "direction": "outbound",
        "occurred_at": NOW - dt.timedelta(days=2),
        "subject": "Preisgespräch",
    }
    data.update(extra)
    return data


@pytest.fixture
def org(people_and_teams):
    u = people_and_teams
    return OrganizationFactory(owner=u.anna, team=u.team_a, name="Bäckerei Körner")


def test_create_links_parties_with_time_and_sets_last_interaction(people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org)
    when = NOW - dt.timedelta(days=3)
    interaction = services.interaction_create(
        actor=u.anna,
        data=_data(occurred_at=when, organizations=[org], people=[person.pk], users=[u.ben]),
    )
    assert interaction.owner == u.anna and interaction.team == u.team_a
    link = InteractionOrganization.objects.get(interaction=interaction)
    assert link.organization == org and link.occurred_at == when
    assert InteractionPerson.objects.get(interaction=interaction).occurred_at == when
    assert list(interaction.users.all()) == [u.ben]
    org.refresh_from_db()
    person.refresh_from_db()
    assert org.last_interaction_at == when
    assert person.last_interaction_at == when


def test_people_without_organization_bring_their_current_organization(people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org)
    interaction = services.interaction_create(actor=u.anna, data=_data(people=[person]))
    assert list(interaction.organizations.all()) == [org]
    org.refresh_from_db()
    assert org.last_interaction_at == interaction.occurred_at


def test_update_moves_link_times_and_last_interaction(people_and_teams, org):
    u = people_and_teams
    other = OrganizationFactory(owner=u.anna, team=u.team_a)
    older = services.interaction_create(
        actor=u.anna, data=_data(occurred_at=NOW - dt.timedelta(days=30), organizations=[org])
    )
    newer = services.interaction_create(
        actor=u.anna, data=_data(occurred_at=NOW - dt.timedelta(days=5), organizations=[org])
    )
    org.refresh_from_db()
    assert org.last_interaction_at == newer.occurred_at
    # Moving the newer one before the older one: the organization's last time follows.
    moved_to = NOW - dt.timedelta(days=40)
    services.interaction_update(actor=u.anna, instance=newer, data={"occurred_at": moved_to})
    assert InteractionOrganization.objects.get(interaction=newer).occurred_at == moved_to
    org.refresh_from_db()
    assert org.last_interaction_at == older.occurred_at
    # Moving the older one to another organization: this one has only the moved interaction left.
    services.interaction_update(actor=u.anna, instance=older, data={"organizations": [other]})
    org.refresh_from_db()
    other.refresh_from_db()
    assert org.last_interaction_at == moved_to
    assert other.last_interaction_at == older.occurred_at


def test_update_through_a_model_form_that_already_changed_the_instance(people_and_teams, org):
    """The edit page's ModelForm sets the new time on the instance before the service runs."""
    u = people_and_teams
    interaction = services.interaction_create(actor=u.anna, data=_data(organizations=[org]))
    new_time = NOW - dt.timedelta(hours=1)
    interaction.occurred_at = new_time  # what ModelForm._post_clean does
    services.interaction_update(actor=u.anna, instance=interaction, data={"occurred_at": new_time})
    assert InteractionOrganization.objects.get(interaction=interaction).occurred_at == new_time
    org.refresh_from_db()
    assert org.last_interaction_at == new_time


def test_delete_falls_back_to_previous_interaction(people_and_teams, org):
    u = people_and_teams
    person = PersonFactory(organization=org)
    first = services.interaction_create(
        actor=u.anna,
        data=_data(occurred_at=NOW - dt.timedelta(days=9), organizations=[org], people=[person]),
    )
    second = services.interaction_create(
        actor=u.anna, data=_data(organizations=[org], people=[person])
    )
    services.interaction_delete(actor=u.anna, instance=second)
    org.refresh_from_db()
    person.refresh_from_db()
    assert org.last_interaction_at == first.occurred_at
    assert person.last_interaction_at == first.occurred_at
    services.interaction_delete(actor=u.anna, instance=first)
    org.refresh_from_db()
    assert org.last_interaction_at is None


@pytest.mark.parametrize("kind", ["email", "letter", "note"])
def test_email_letter_note_in_the_future_refused(people_and_teams, org, kind):
    with pytest.raises(ValidationError) as exc:
        services.interaction_create(
            actor=people_and_teams.anna,
            data=_data(kind=kind, occurred_at=NOW + dt.timedelta(days=1), organizations=[org]),
        )
    assert "occurred_at" in exc.value.error_dict


@pytest.mark.parametrize("kind", ["meeting", "visit", "call"])
def test_planned_meeting_visit_call_allowed(people_and_teams, org, kind):
    interaction = services.interaction_create(
        actor=people_and_teams.anna,
        data=_data(kind=kind, occurred_at=NOW + dt.timedelta(days=7), organizations=[org]),
    )
    assert interaction.pk


def test_interaction_without_party_refused_on_organizations(people_and_teams):
    with pytest.raises(ValidationError) as exc:
        services.interaction_create(actor=people_and_teams.anna, data=_data())
    assert "organizations" in exc.value.error_dict


def test_removing_every_party_refused(people_and_teams, org):
    u = people_and_teams
    interaction = services.interaction_create(actor=u.anna, data=_data(organizations=[org]))
    with pytest.raises(ValidationError) as exc:
        services.interaction_update(
            actor=u.anna, instance=interaction, data={"organizations": [], "people": []}
        )
    assert "organizations" in exc.value.error_dict


def test_naive_time_and_blank_subject_refused(people_and_teams, org):
    with pytest.raises(ValidationError) as exc:
        services.interaction_create(
            actor=people_and_teams.anna,
            data=_data(
                occurred_at=dt.datetime(2024, 5, 1, 10, 0), subject="  ", organizations=[org]
            ),
        )
    assert {"occurred_at", "subject"} <= set(exc.value.error_dict)


def test_invisible_organization_refused(people_and_teams):
    u = people_and_teams
    foreign = OrganizationFactory(owner=u.carla, team=u.team_b)
    with pytest.raises(ValidationError) as exc:
        services.interaction_create(actor=u.anna, data=_data(organizations=[foreign]))
    assert "organizations" in exc.value.error_dict


def test_viewer_may_not_log(people_and_teams, org):
    with pytest.raises(PermissionDenied):
        services.interaction_create(actor=people_and_teams.viewer, data=_data(organizations=[org]))


def test_inline_follow_up_created_in_the_same_transaction(people_and_teams, org):
    u = people_and_teams
    due = timezone.localdate() + dt.timedelta(days=4)
    interaction = services.interaction_create(
        actor=u.anna,
        data=_data(
            organizations=[org], follow_up={"title": "", "due_date": due, "assignee": u.ben}
        ),
    )
    followup = FollowUp.objects.get(interaction=interaction)
    assert followup.assignee == u.ben
    assert followup.organization == org
    assert followup.title == "Follow up: Preisgespräch"
    assert followup.due_date == due


def test_bad_inline_follow_up_leaves_nothing_behind(people_and_teams, org):
    u = people_and_teams
    with pytest.raises(ValidationError) as exc:
        services.interaction_create(
            actor=u.anna,
            data=_data(
                subject="Nicht gespeichert",
                organizations=[org],
                follow_up={"title": "x", "due_date": dt.date(1999, 12, 31)},
            ),
        )
    assert "followup_due_date" in exc.value.error_dict
    assert not InteractionOrganization.objects.exists()
    org.refresh_from_db()
    assert org.last_interaction_at is None


def test_follow_up_defaults_to_actor_and_completes(people_and_teams):
    u = people_and_teams
    followup = services.followup_create(
        actor=u.anna, data={"title": "Anrufen", "due_date": timezone.localdate()}
    )
    assert followup.assignee == u.anna and followup.status == "open"
    services.followup_complete(actor=u.anna, instance=followup)
    followup.refresh_from_db()
    assert followup.status == "done" and followup.completed_at is not None
    services.followup_reopen(actor=u.anna, instance=followup)
    followup.refresh_from_db()
    assert followup.status == "open" and followup.completed_at is None
    services.followup_cancel(actor=u.anna, instance=followup)
    assert FollowUp.objects.get(pk=followup.pk).status == "cancelled"


@pytest.mark.parametrize(
    "due", [dt.date(1999, 12, 31), timezone.localdate() + dt.timedelta(days=6 * 365)]
)
def test_unreasonable_due_dates_refused(people_and_teams, due):
    with pytest.raises(ValidationError) as exc:
        services.followup_create(actor=people_and_teams.anna, data={"title": "x", "due_date": due})
    assert "due_date" in exc.value.error_dict


def test_follow_up_status_done_through_update_sets_completed_at(people_and_teams):
    u = people_and_teams
    followup = services.followup_create(
        actor=u.anna, data={"title": "x", "due_date": timezone.localdate()}
    )
    services.followup_update(actor=u.anna, instance=followup, data={"status": "done"})
    followup.refresh_from_db()
    assert followup.completed_at is not None


def test_member_of_other_team_may_not_complete(people_and_teams):
    u = people_and_teams
    followup = services.followup_create(
        actor=u.anna, data={"title": "x", "due_date": timezone.localdate()}
    )
    with pytest.raises(PermissionDenied):
        services.followup_complete(actor=u.carla, instance=followup)
