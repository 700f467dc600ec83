"""Merging two people or two organizations: every related record reaches the survivor, nothing is
duplicated, history is kept, and only someone who may change both records may merge them."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from accord.core.search import search_ids
from accord.core.sharing import share_create
from accord.interactions import services as interaction_services
from accord.interactions.models import FollowUp, InteractionOrganization, InteractionPerson
from accord.parties import services
from accord.parties.choices import RelationshipType
from accord.parties.models import (
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    Position,
    Relationship,
)
from accord.parties.services import merge as merge_module

from .factories import OrganizationFactory, TagFactory, make_person

pytestmark = pytest.mark.django_db


def _interaction(actor, *, people=(), organizations=(), days_ago=1, subject="Gespräch"):
    return interaction_services.interaction_create(
        actor=actor,
        data={
            "kind": "call",
            "subject": subject,
            "occurred_at": timezone.now() - dt.timedelta(days=days_ago),
            "people": list(people),
            "organizations": list(organizations),
        },
    )


def _follow_up(actor, **links):
    return interaction_services.followup_create(
        actor=actor,
        data={"title": "Nachfassen", "due_date": timezone.localdate(), **links},
    )


@pytest.fixture
def pair(users):
    """Two records of the same Anna Roth, as an import would leave them."""
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller GmbH")
    other_org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Schmidt AG")
    survivor = make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="Anna",
        last_name="Roth",
        organization=org,
        title="Einkauf",
        email="anna.roth@mueller.test",
        notes="Kennt den Vorstand.",
    )
    loser = make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="Anna Maria",
        last_name="Roth",
        organization=other_org,
        title="Leitung Einkauf",
        email="a.roth@privat.test",
        salutation="Frau",
        notes="Bevorzugt Telefon.",
    )
    return survivor, loser, org, other_org


def test_every_relation_of_a_person_is_carried_without_duplicates(users, pair):
    survivor, loser, org, other_org = pair
    actor = users.owner
    # emails: one equal to the survivor's (dropped), one new
    services.person_email_add(
        actor=None, person=loser, email="anna.roth@mueller.test", confirm_duplicate=True
    )
    # phones: one equal, one new
    services.person_phone_add(actor=None, person=survivor, number="+49 30 1234567")
    services.person_phone_add(actor=None, person=loser, number="+49 30 1234567")
    services.person_phone_add(actor=None, person=loser, number="+49 40 7654321")
    # relationships: to a third person (carried), to the survivor (becomes self: dropped),
    # and one the survivor already has (duplicate: dropped), from either end
    third = make_person(owner=actor, team=users.team_a, last_name="Dritt")
    services.relationship_create(
        actor=None,
        data={"relationship_type": "knows", "from_person": loser, "to_person": third},
    )
    services.relationship_create(
        actor=None,
        data={"relationship_type": "reports_to", "from_person": third, "to_person": loser},
    )
    services.relationship_create(
        actor=None,
        data={"relationship_type": "knows", "from_person": loser, "to_person": survivor},
    )
    services.relationship_create(
        actor=None,
        data={"relationship_type": "reports_to", "from_person": third, "to_person": survivor},
    )
    # interactions: one with both (one link left), one with the loser alone
    both = _interaction(actor, people=[survivor, loser], days_ago=5)
    alone = _interaction(actor, people=[loser], days_ago=1)
    follow_up = _follow_up(actor, person=loser.pk)
    tag_a, tag_b = TagFactory(name="VIP"), TagFactory(name="Messe")
    survivor.tags.add(tag_a)
    loser.tags.add(tag_a, tag_b)
    share_create(actor=actor, obj=loser, user=users.other)
    share_create(actor=actor, obj=survivor, user=users.other)
    share_create(actor=actor, obj=loser, team=users.team_b)

    result = services.party_merge(actor=actor, survivor=survivor, loser=loser)

    assert not Person.objects.filter(pk=loser.pk).exists()
    survivor.refresh_from_db()
    assert sorted(PersonEmail.objects.filter(person=survivor).values_list("email", flat=True)) == [
        "a.roth@privat.test",
        "anna.roth@mueller.test",
    ]
    assert PersonEmail.objects.filter(person=survivor, is_primary=True).count() == 1
    assert sorted(PersonPhone.objects.filter(person=survivor).values_list("number", flat=True)) == [
        "+49301234567",
        "+49407654321",
    ]
    assert set(
        Position.objects.filter(person=survivor).values_list("organization__name", flat=True)
    ) == {"Müller GmbH", "Schmidt AG"}
    assert Position.objects.filter(person=survivor, is_primary=True).count() == 1
    edges = set(Relationship.objects.values_list("relationship_type", "from_person", "to_person"))
    assert edges == {
        ("knows", survivor.pk, third.pk),
        ("reports_to", third.pk, survivor.pk),
    }
    assert set(
        InteractionPerson.objects.filter(person=survivor).values_list("interaction", flat=True)
    ) == {both.pk, alone.pk}
    assert InteractionPerson.objects.filter(interaction=both).count() == 1
    assert FollowUp.objects.get(pk=follow_up.pk).person_id == survivor.pk
    assert set(survivor.tags.values_list("name", flat=True)) == {"VIP", "Messe"}
    from accord.core.sharing import shares_of

    assert {(s.user_id, s.team_id) for s in shares_of(survivor)} == {
        (users.other.pk, None),
        (None, users.team_b.pk),
    }
    assert shares_of(survivor).count() == 2
    # denormalised copies: the survivor's primary address and position, the newest interaction
    assert survivor.email == "anna.roth@mueller.test"
    assert survivor.organization == org and survivor.job_title == "Einkauf"
    assert survivor.last_interaction_at == alone.occurred_at
    assert result.dropped == {
        "email addresses": 1,
        "phone numbers": 1,
        "relationships": 2,
        "interactions": 1,
        "tags": 1,
        "shares": 1,
    }
    assert result.carried["interactions"] == 1
    assert result.carried["relationships"] == 1
    assert result.carried["follow-ups"] == 1


def test_field_choices_take_the_losers_values_and_both_notes(users, pair):
    survivor, loser, org, other_org = pair
    merged = services.party_merge(
        actor=users.owner,
        survivor=survivor,
        loser=loser,
        choices={
            "first_name": "loser",
            "notes": "both",
            "primary_email": "loser",
            "primary_position": "loser",
        },
    ).survivor
    merged.refresh_from_db()
    assert merged.first_name == "Anna Maria"
    assert merged.salutation == "Frau"  # empty on the survivor: the loser's by default
    assert merged.notes == "Kennt den Vorstand.\n\nBevorzugt Telefon."
    assert merged.email == "a.roth@privat.test"
    assert (merged.organization, merged.job_title) == (other_org, "Leitung Einkauf")


def test_merge_plan_shows_both_values_defaults_and_counts(users, pair):
    survivor, loser, *_ = pair
    _interaction(users.owner, people=[loser])
    plan = services.merge_plan(actor=users.owner, survivor=survivor, loser=loser)
    fields = {f.name: f for f in plan.fields}
    assert fields["first_name"].survivor_value == "Anna"
    assert fields["first_name"].loser_value == "Anna Maria"
    assert fields["first_name"].default == "survivor"
    assert fields["salutation"].default == "loser"
    assert fields["notes"].default == "both"
    assert fields["primary_email"].loser_value == "a.roth@privat.test"
    related = dict(plan.related)
    assert related["email addresses"] == 1
    assert related["positions"] == 1
    assert related["interactions"] == 1


def test_history_is_kept_and_the_merge_is_recorded(users, pair):
    survivor, loser, *_ = pair
    services.person_update(actor=users.owner, instance=loser, data={"notes": "geändert"})
    loser_history = loser.history.count()
    services.party_merge(actor=users.owner, survivor=survivor, loser=loser)
    survivor.refresh_from_db()
    record = survivor.history.order_by("-history_date", "-history_id").first()
    assert record.history_change_reason == f"merged with “Anna Maria Roth” (#{loser.pk})"
    assert record.history_user == users.owner
    # the loser's own rows stay, plus its deletion, which names the survivor
    rows = Person.history.filter(id=loser.pk).order_by("history_date", "history_id")
    assert rows.count() == loser_history + 1
    assert rows.last().history_type == "-"
    assert rows.last().history_change_reason == f"merged into “Anna Roth” (#{survivor.pk})"
    # carried rows record their move with the same reason
    email = PersonEmail.objects.get(email="a.roth@privat.test")
    assert {h.history_change_reason for h in email.history.all()[:2]} == {
        f"merged with “Anna Maria Roth” (#{loser.pk})"
    }
    # and the history page of the survivor shows it
    from accord.core.history import history_entries

    entries = history_entries(survivor)
    assert entries[0].reason.startswith("merged with")
    # … together with the merged record's own history, marked as such
    carried = [e for e in entries if e.reason.startswith(f"from the merged record #{loser.pk}")]
    assert len(carried) == loser_history
    assert carried[-1].action == "created"


def test_search_index_and_copies_follow(users, pair):
    survivor, loser, *_ = pair
    assert set(search_ids(Person, "Roth", limit=10)) == {survivor.pk, loser.pk}
    services.party_merge(
        actor=users.owner, survivor=survivor, loser=loser, choices={"first_name": "loser"}
    )
    assert search_ids(Person, "Roth", limit=10) == [survivor.pk]
    assert search_ids(Person, "Maria", limit=10) == [survivor.pk]


def test_organizations_carry_people_interactions_follow_ups_and_relationships(users):
    actor = users.owner
    survivor = OrganizationFactory(
        owner=actor, team=users.team_a, name="Müller GmbH", is_client=True, city="", country=""
    )
    loser = OrganizationFactory(
        owner=actor,
        team=users.team_a,
        name="Müller GmbH & Co. KG",
        is_client=False,
        is_supplier=True,
        city="Hamburg",
        street="Hafenstraße 1",
    )
    partner = OrganizationFactory(owner=actor, team=users.team_a, name="Partner AG")
    anna = make_person(owner=actor, organization=loser, title="Einkauf")
    # the same position on both: dropped as duplicate
    ben = make_person(owner=actor, organization=survivor, title="Technik", last_name="Beck")
    services.position_create(
        actor=None, data={"person": ben, "organization": loser, "title": "Technik"}
    )
    services.relationship_create(
        actor=None,
        data={
            "relationship_type": RelationshipType.SUPPLIES,
            "from_organization": loser,
            "to_organization": partner,
        },
    )
    services.relationship_create(
        actor=None,
        data={
            "relationship_type": RelationshipType.PARTNERS_WITH,
            "from_organization": survivor,
            "to_organization": loser,
        },
    )
    both = _interaction(actor, organizations=[survivor, loser])
    only = _interaction(actor, organizations=[loser], days_ago=0)
    follow_up = _follow_up(actor, organization=loser.pk)
    loser.tags.add(TagFactory(name="Lieferant"))

    result = services.party_merge(actor=actor, survivor=survivor, loser=loser)

    survivor.refresh_from_db()
    anna.refresh_from_db()
    assert not Organization.objects.filter(pk=loser.pk).exists()
    assert anna.organization == survivor and anna.job_title == "Einkauf"
    assert Position.objects.filter(person=ben).count() == 1
    assert set(survivor.roles) == {"client", "supplier"}  # roles: both by default
    assert survivor.city == "Hamburg" and survivor.street == "Hafenstraße 1"  # filled the gap
    assert list(Relationship.objects.values_list("from_organization", "to_organization")) == [
        (survivor.pk, partner.pk)
    ]
    assert set(
        InteractionOrganization.objects.filter(organization=survivor).values_list(
            "interaction", flat=True
        )
    ) == {both.pk, only.pk}
    assert InteractionOrganization.objects.filter(interaction=both).count() == 1
    assert FollowUp.objects.get(pk=follow_up.pk).organization == survivor
    assert list(survivor.tags.values_list("name", flat=True)) == ["Lieferant"]
    assert survivor.last_interaction_at == only.occurred_at
    assert result.dropped["positions"] == 1


def test_other_team_member_and_viewer_may_not_merge(users, pair):
    survivor, loser, *_ = pair
    foreign = make_person(owner=users.other, team=users.team_b, last_name="Fremd")
    with pytest.raises(PermissionDenied):
        services.party_merge(actor=users.owner, survivor=survivor, loser=foreign)
    with pytest.raises(PermissionDenied):
        services.party_merge(actor=users.other, survivor=foreign, loser=survivor)
    with pytest.raises(PermissionDenied):
        services.party_merge(actor=users.viewer, survivor=survivor, loser=loser)
    with pytest.raises(PermissionDenied):
        services.merge_plan(actor=users.other, survivor=survivor, loser=loser)
    assert Person.objects.filter(pk__in=[survivor.pk, loser.pk, foreign.pk]).count() == 3
    # a manager may change everything, so may merge across teams
    services.party_merge(actor=users.manager, survivor=survivor, loser=foreign)
    assert not Person.objects.filter(pk=foreign.pk).exists()


def test_mixed_or_same_records_are_refused(users, pair):
    survivor, loser, org, _ = pair
    with pytest.raises(ValidationError):
        services.party_merge(actor=users.owner, survivor=survivor, loser=survivor)
    with pytest.raises(ValidationError):
        services.party_merge(actor=users.owner, survivor=survivor, loser=org)
    with pytest.raises(ValidationError) as exc:
        services.party_merge(
            actor=users.owner, survivor=survivor, loser=loser, choices={"first_name": "both"}
        )
    assert "first_name" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.party_merge(
            actor=users.owner, survivor=survivor, loser=loser, choices={"shoe_size": "loser"}
        )


def test_a_failure_half_way_changes_nothing(users, pair):
    survivor, loser, *_ = pair
    interaction = _interaction(users.owner, people=[loser])
    with (
        mock.patch.object(merge_module.core, "model_delete", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.party_merge(actor=users.owner, survivor=survivor, loser=loser)
    assert InteractionPerson.objects.get(interaction=interaction).person_id == loser.pk
    assert PersonEmail.objects.filter(person=loser).count() == 1
    survivor.refresh_from_db()
    assert survivor.history.filter(history_change_reason__startswith="merged").count() == 0


def test_every_foreign_key_to_a_party_is_carried():
    """Whatever app adds a reference to a person or an organization later (mail threads,
    attachments, unknown senders …), the merge finds it: every non-history foreign key to the
    model is in the list the merge walks."""
    for party in (Person, Organization):
        walked = {(r.related_model, r.field.name) for r in merge_module._reverse_relations(party)}
        for model in apps.get_models(include_auto_created=True):
            if merge_module._is_historical(model):
                continue
            for f in model._meta.concrete_fields:
                if isinstance(f, models.ForeignKey) and f.related_model is party:
                    assert (model, f.name) in walked, (model, f.name)


def test_carried_records_are_announced(users, pair):
    from accord.core.signals import record_changed

    survivor, loser, *_ = pair
    follow_up = _follow_up(users.owner, person=loser.pk)
    seen = []

    def receiver(sender, instance, action, actor, **kwargs):
        seen.append((sender.__name__, instance.pk, action))

    record_changed.connect(receiver)
    try:
        services.party_merge(actor=users.owner, survivor=survivor, loser=loser)
    finally:
        record_changed.disconnect(receiver)
    assert ("FollowUp", follow_up.pk, "updated") in seen
    assert ("Person", survivor.pk, "updated") in seen
    assert ("Person", loser.pk, "deleted") in seen
