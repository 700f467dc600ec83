"""Record changes become deliveries: which events, for which endpoints, in which transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accord.dataio.webhooks.choices import DeliveryStatus
from accord.dataio.webhooks.models import WebhookDelivery
from accord.interactions import services as interactions
from accord.parties import services as parties

from .conftest import deliveries

URL = "http://127.0.0.1:9/hook"  # never contacted in this module


def events() -> list[str]:
    return [d.event for d in deliveries()]


def test_create_update_delete_of_each_main_record(users, make_endpoint):
    make_endpoint(URL)
    admin = users.admin
    org = parties.organization_create(actor=admin, data={"name": "Müller GmbH"})
    other = parties.organization_create(actor=admin, data={"name": "Schmidt AG"})
    person = parties.person_create(actor=admin, data={"last_name": "Weiß"})
    rel = parties.relationship_create(
        actor=admin,
        data={"relationship_type": "supplies", "from_organization": org, "to_organization": other},
    )
    interaction = interactions.interaction_create(
        actor=admin, data={"kind": "call", "subject": "Anruf", "organizations": [org]}
    )
    follow_up = interactions.followup_create(
        actor=admin, data={"title": "Angebot", "due_date": dt.date.today(), "organization": org}
    )
    assert events() == [
        "organization.created",
        "organization.created",
        "person.created",
        "relationship.created",
        "interaction.created",
        "followup.created",
    ]
    WebhookDelivery.objects.all().delete()
    parties.organization_update(actor=admin, instance=org, data={"city": "Köln"})
    interactions.followup_complete(actor=admin, instance=follow_up)
    interactions.interaction_delete(actor=admin, instance=interaction)
    parties.relationship_delete(actor=admin, instance=rel)
    parties.person_delete(actor=admin, instance=person)
    assert events() == [
        "organization.updated",
        "followup.updated",
        "interaction.deleted",
        "relationship.deleted",
        "person.deleted",
    ]
    # every delivery has its task on the webhooks queue, not a core.Job
    tasks = DBTaskResult.objects.filter(task_path__endswith="deliver_webhook")
    assert tasks.count() == 11
    assert set(tasks.values_list("queue_name", flat=True)) == {"webhooks"}


def test_endpoint_receives_only_the_events_it_chose(users, make_endpoint):
    people_only = make_endpoint(URL, all_events=False, events=["person.created", "person.deleted"])
    everything = make_endpoint(URL, name="All")
    org = parties.organization_create(actor=users.admin, data={"name": "Acme"})
    person = parties.person_create(actor=users.admin, data={"last_name": "Berg"})
    parties.person_update(actor=users.admin, instance=person, data={"first_name": "Ida"})
    parties.person_delete(actor=users.admin, instance=person)
    parties.organization_delete(actor=users.admin, instance=org)
    assert [d.event for d in deliveries(endpoint=people_only)] == [
        "person.created",
        "person.deleted",
    ]
    # the update joined the person's "created" delivery, still waiting for its first attempt
    assert [d.event for d in deliveries(endpoint=everything)] == [
        "organization.created",
        "person.created",
        "person.deleted",
        "organization.deleted",
    ]


def test_inactive_endpoint_gets_nothing(users, make_endpoint):
    make_endpoint(URL, is_active=False)
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    assert deliveries() == []


def test_rolled_back_change_leaves_no_delivery_and_no_task(users, make_endpoint):
    make_endpoint(URL)
    before = DBTaskResult.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        parties.organization_create(actor=users.admin, data={"name": "Rolled back"})
        assert len(deliveries()) == 1  # stored inside the transaction …
        raise RuntimeError
    assert deliveries() == []  # … and gone with it
    assert DBTaskResult.objects.count() == before


def test_refused_change_sends_nothing(users, make_endpoint):
    make_endpoint(URL)
    with pytest.raises(Exception):  # noqa: B017 - the service's validation error
        parties.organization_create(actor=users.admin, data={"name": ""})
    assert deliveries() == []


def test_owner_sees_only_events_of_records_they_may_see(users, make_endpoint):
    """The payload rule: an endpoint whose owner is a member (a manager who was demoted, say)
    gets events only for records that member may see."""
    endpoint = make_endpoint(URL, owner=users.manager)
    users.manager.role = "member"
    users.manager.save()
    users.manager.teams.add(users.team_a)
    mine = parties.organization_create(
        actor=users.owner, data={"name": "Team A's", "team": users.team_a}
    )
    theirs = parties.organization_create(
        actor=users.other, data={"name": "Team B's", "team": users.team_b}
    )
    parties.organization_update(actor=users.other, instance=theirs, data={"city": "Ulm"})
    parties.organization_delete(actor=users.other, instance=theirs)
    assert [(d.event, d.object_id) for d in deliveries(endpoint=endpoint)] == [
        ("organization.created", mine.pk)
    ]


def test_deactivated_owner_gets_nothing(users, make_endpoint):
    make_endpoint(URL, owner=users.manager)
    users.manager.is_active = False
    users.manager.save()
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    assert deliveries() == []


def test_parts_of_a_person_are_updates_of_the_person_joined_while_waiting(users, make_endpoint):
    make_endpoint(URL)
    org = parties.organization_create(actor=users.admin, data={"name": "Acme"})
    WebhookDelivery.objects.all().delete()
    person = parties.person_create(
        actor=users.admin,
        data={
            "last_name": "Krüger",
            "emails": ["k@example.test", "k2@example.test"],
            "phones": ["+49 30 1234567"],
            "positions": [{"organization": org, "title": "CEO", "is_primary": True}],
        },
    )
    # one delivery: the addresses, number and position join the waiting "created" event
    assert [(d.event, d.object_id) for d in deliveries()] == [("person.created", person.pk)]
    WebhookDelivery.objects.filter(pk=deliveries()[0].pk).update(prepared_at=timezone.now())
    email = person.emails.get(email="k2@example.test")
    parties.person_email_set_primary(actor=users.admin, instance=email)
    parties.person_email_remove(actor=users.admin, instance=email)
    # the first delivery was prepared (being sent): a new one, which the later changes join
    assert [(d.event, d.object_id) for d in deliveries()] == [
        ("person.created", person.pk),
        ("person.updated", person.pk),
    ]


def test_deleting_a_record_does_not_announce_its_parts_as_updates(users, make_endpoint):
    make_endpoint(URL)
    org = parties.organization_create(actor=users.admin, data={"name": "Acme"})
    person = parties.person_create(
        actor=users.admin,
        data={
            "last_name": "Lang",
            "emails": ["l@example.test"],
            "positions": [{"organization": org, "title": "CFO"}],
        },
    )
    WebhookDelivery.objects.all().delete()
    parties.person_delete(actor=users.admin, instance=person)
    assert events() == ["person.deleted"]


def test_deleting_an_organization_announces_what_goes_with_it(users, make_endpoint):
    make_endpoint(URL)
    admin = users.admin
    org = parties.organization_create(actor=admin, data={"name": "Acme"})
    partner = parties.organization_create(actor=admin, data={"name": "Partner"})
    person = parties.person_create(
        actor=admin, data={"last_name": "Roth", "positions": [{"organization": org}]}
    )
    rel = parties.relationship_create(
        actor=admin,
        data={
            "relationship_type": "supplies",
            "from_organization": org,
            "to_organization": partner,
        },
    )
    follow_up = interactions.followup_create(
        actor=admin, data={"title": "Call", "due_date": dt.date.today(), "organization": org}
    )
    WebhookDelivery.objects.update(prepared_at=timezone.now())  # earlier events being sent
    before = WebhookDelivery.objects.count()
    org_pk = org.pk
    parties.organization_delete(actor=admin, instance=org)
    new = list(WebhookDelivery.objects.order_by("id")[before:])
    assert {(d.event, d.object_id) for d in new} == {
        ("organization.deleted", org_pk),
        ("relationship.deleted", rel.pk),
        ("followup.deleted", follow_up.pk),
        ("person.updated", person.pk),  # lost the position it held there
    }
    deleted = next(d for d in new if d.event == "organization.deleted")
    assert deleted.payload["record"]["data"]["name"] == "Acme"  # taken before the row went


def test_system_writes_are_announced_without_actor(users, make_endpoint):
    make_endpoint(URL)
    parties.organization_create(actor=None, data={"name": "Demo"})
    (delivery,) = deliveries()
    assert delivery.actor is None


def test_deliveries_not_status_pending_are_not_joined(users, make_endpoint):
    make_endpoint(URL)
    org = parties.organization_create(actor=users.admin, data={"name": "Acme"})
    WebhookDelivery.objects.update(status=DeliveryStatus.SUCCEEDED, prepared_at=timezone.now())
    parties.organization_update(actor=users.admin, instance=org, data={"city": "Bonn"})
    parties.organization_update(actor=users.admin, instance=org, data={"city": "Jena"})
    assert events() == ["organization.created", "organization.updated"]


def test_a_batch_looks_the_endpoints_up_once(users, make_endpoint):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accord.core import signals

    make_endpoint(URL)
    with CaptureQueriesContext(connection) as queries, signals.batch():
        for n in range(5):
            parties.organization_create(actor=users.owner, data={"name": f"Batch {n}"})
    lookups = [q for q in queries.captured_queries if 'FROM "webhooks_webhookendpoint"' in q["sql"]]
    assert len(lookups) == 1
    assert len(deliveries()) == 5
