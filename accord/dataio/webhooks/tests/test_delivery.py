"""Sending: signed POST to a local receiver, payload content and caps, retries with back-off,
disabling after repeated failure, test events, lost tasks requeued."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accord.dataio.webhooks import conf, payloads, services
from accord.dataio.webhooks.choices import DeliveryStatus
from accord.dataio.webhooks.models import WebhookDelivery
from accord.interactions import services as interactions
from accord.parties import services as parties

from .conftest import deliveries, run_webhook_tasks

HOUR = dt.timedelta(hours=1)


def make_due(delivery: WebhookDelivery) -> None:
    """Let the clock pass to the delivery's next attempt (and its task's run_after)."""
    past = timezone.now() - dt.timedelta(seconds=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def test_signed_post_that_a_receiver_verifies(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    org = parties.organization_create(
        actor=users.admin,
        data={"name": "Müller & Söhne GmbH", "roles": ["client"], "tags": ["VIP"]},
    )
    assert run_webhook_tasks() == [DeliveryStatus.SUCCEEDED]
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hook"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Accord-Event"] == "organization.created"
    (delivery,) = deliveries()
    assert headers["X-Accord-Delivery"] == str(delivery.uuid)
    timestamp = headers["X-Accord-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    assert payloads.verify(endpoint.secret, timestamp, body, headers["X-Accord-Signature"])
    assert not payloads.verify("whsec_wrong", timestamp, body, headers["X-Accord-Signature"])
    assert not payloads.verify(
        endpoint.secret, timestamp, body + b" ", headers["X-Accord-Signature"]
    )
    # what a receiver computes by hand (docs/webhooks.md)
    import hashlib
    import hmac

    expected = hmac.new(
        endpoint.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Accord-Signature"] == f"sha256={expected}"
    data = json.loads(body)
    assert data["id"] == str(delivery.uuid)
    assert data["event"] == "organization.created"
    assert data["actor"] == {
        "id": users.admin.pk,
        "name": users.admin.get_full_name() or str(users.admin),
    }
    record = data["record"]
    assert (record["type"], record["id"]) == ("organization", org.pk)
    assert record["data"]["name"] == "Müller & Söhne GmbH"
    assert record["data"]["is_client"] is True
    assert record["data"]["tags"] == ["VIP"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert (delivery.attempts, delivery.response_status, delivery.response_body) == (1, 200, "ok")
    assert delivery.payload == data and delivery.duration_ms is not None


def test_payload_shows_the_record_as_the_transaction_left_it(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    org = parties.organization_create(actor=users.admin, data={"name": "Acme"})
    person = parties.person_create(
        actor=users.admin,
        data={
            "last_name": "Schäfer",
            "emails": ["s@example.test"],
            "positions": [{"organization": org, "title": "Einkauf", "is_primary": True}],
        },
    )
    interaction = interactions.interaction_create(
        actor=users.admin, data={"kind": "call", "subject": "Anruf", "people": [person]}
    )
    run_webhook_tasks()
    by_event = {receiver.json(i)["event"]: receiver.json(i) for i in range(len(receiver.requests))}
    data = by_event["person.created"]["record"]["data"]
    assert data["email"] == "s@example.test"  # summary refreshed after the signal was sent
    assert [e["email"] for e in data["emails"]] == ["s@example.test"]
    assert data["positions"][0]["title"] == "Einkauf"
    assert data["positions"][0]["organization_id"] == org.pk
    assert "person_id" not in data["positions"][0]
    idata = by_event["interaction.created"]["record"]["data"]
    assert idata["people"] == [person.pk] and idata["organizations"] == [org.pk]
    assert interaction.pk == by_event["interaction.created"]["record"]["id"]


def test_payload_leaves_out_references_the_owner_may_not_see(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url, owner=users.manager)
    users.manager.role = "member"
    users.manager.save()
    users.manager.teams.add(users.team_a)
    hidden = parties.organization_create(
        actor=users.other, data={"name": "Secret", "team": users.team_b}
    )
    visible = parties.organization_create(
        actor=users.owner, data={"name": "Shown", "team": users.team_a}
    )
    interactions.interaction_create(
        actor=users.admin,
        data={
            "kind": "meeting",
            "subject": "Both",
            "organizations": [hidden, visible],
            "owner": users.owner,
            "team": users.team_a,
        },
    )
    run_webhook_tasks()
    sent = [receiver.json(i) for i in range(len(receiver.requests))]
    assert [s["event"] for s in sent] == ["organization.created", "interaction.created"]
    assert sent[1]["record"]["data"]["organizations"] == [visible.pk]
    assert "Secret" not in json.dumps(sent)
    assert all(d.endpoint_id == endpoint.pk for d in deliveries())


def test_hostile_sizes_are_capped(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    huge = "x" * 200_000
    parties.organization_create(actor=users.admin, data={"name": "Big", "notes": huge})
    receiver.answer = b"A" * 100_000 + b"\x00"
    run_webhook_tasks()
    data = receiver.json()
    assert len(data["record"]["data"]["notes"]) == payloads.MAX_TEXT_CHARS
    assert data["truncated"] == ["notes"]
    assert len(receiver.requests[0]["body"]) < payloads.MAX_BODY_BYTES
    (delivery,) = deliveries()
    assert len(delivery.response_body) <= 2000 and "\x00" not in delivery.response_body


def test_nul_characters_never_reach_the_stored_payload():
    truncated: list[str] = []
    assert payloads._plain("a\x00b", "notes", truncated) == "a\ufffdb"
    assert truncated == []


def test_body_over_the_limit_carries_only_the_id(users, make_endpoint, receiver, monkeypatch):
    monkeypatch.setattr(payloads, "MAX_BODY_BYTES", 2000)
    make_endpoint(receiver.url)
    org = parties.organization_create(actor=users.admin, data={"name": "N", "notes": "y" * 5000})
    run_webhook_tasks()
    data = receiver.json()
    assert data["record"]["data"] == {"id": org.pk}
    assert data["truncated"] == ["data"]


def test_failed_attempts_are_retried_with_back_off_then_given_up(
    users, make_endpoint, receiver, settings
):
    settings.ACCORD_WEBHOOK_DISABLE_AFTER_FAILURES = 100
    make_endpoint(receiver.url)
    receiver.status = 503
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    (delivery,) = deliveries()
    delays = []
    for _attempt in range(conf.max_attempts()):
        before = timezone.now()
        run_webhook_tasks()
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.FAILED:
            delays.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
            # the retry is a task of its own, due at the next attempt, not before
            assert run_webhook_tasks() == []
            task = DBTaskResult.objects.filter(status="READY").get()
            assert task.run_after == delivery.next_attempt_at
            make_due(delivery)
    assert delays == [1, 5, 30, 120, 360, 720]
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == 7 == len(receiver.requests)
    assert delivery.response_status == 503 and "503" in delivery.error
    # every attempt carried the same payload, each signed with its own timestamp
    assert len({r["body"] for r in receiver.requests}) == 1
    assert [r["headers"]["X-Accord-Attempt"] for r in receiver.requests] == [
        str(n) for n in range(1, 8)
    ]


def test_success_after_failures_resets_the_endpoint_count(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    receiver.status = 500
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    run_webhook_tasks()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1 and endpoint.failing_since is not None
    receiver.status = 204
    receiver.answer = b""
    make_due(deliveries()[0])
    assert run_webhook_tasks() == [DeliveryStatus.SUCCEEDED]
    endpoint.refresh_from_db()
    assert (endpoint.consecutive_failures, endpoint.failing_since) == (0, None)


def test_endpoint_disabled_after_repeated_failure(users, make_endpoint, receiver, settings):
    settings.ACCORD_WEBHOOK_DISABLE_AFTER_FAILURES = 3
    endpoint = make_endpoint(receiver.url, owner=users.manager)
    receiver.status = 500
    for name in ("A", "B"):
        parties.organization_create(actor=users.admin, data={"name": name})
    run_webhook_tasks()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 2 and endpoint.is_active
    # failing for less than an hour: a short outage does not disable …
    parties.organization_create(actor=users.admin, data={"name": "C"})
    run_webhook_tasks()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 3 and endpoint.is_active
    # … failing for longer does
    type(endpoint).objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - 2 * HOUR)
    make_due(deliveries()[0])
    run_webhook_tasks(limit=1)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert "4 failed attempts in a row" in endpoint.disabled_reason
    assert "500" in endpoint.disabled_reason
    # open deliveries are given up; new changes are not queued for it
    assert {d.status for d in deliveries()} == {DeliveryStatus.GAVE_UP}
    parties.organization_create(actor=users.admin, data={"name": "D"})
    assert len(deliveries()) == 3
    # the owner is told
    assert len(mail.outbox) == 0  # sent on commit; the test transaction does not commit


def test_disabled_endpoint_mails_its_owner_on_commit(
    users, make_endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.ACCORD_WEBHOOK_DISABLE_AFTER_FAILURES = 1
    settings.ACCORD_WEBHOOK_DISABLE_MIN_FAILING = 0
    endpoint = make_endpoint(receiver.url, owner=users.manager)
    receiver.status = 500
    parties.organization_create(actor=users.admin, data={"name": "A"})
    with django_capture_on_commit_callbacks(execute=True):
        run_webhook_tasks()
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    (message,) = mail.outbox
    assert message.to == [users.manager.email] and endpoint.name in message.subject


def test_re_enable_resets_and_sends_again(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    services.disable_endpoint(endpoint, "broken")
    endpoint = services.endpoint_enable(actor=users.admin, instance=endpoint)
    assert endpoint.is_active and endpoint.disabled_at is None and endpoint.disabled_reason == ""
    assert endpoint.consecutive_failures == 0
    parties.organization_create(actor=users.admin, data={"name": "Back"})
    assert run_webhook_tasks() == [DeliveryStatus.SUCCEEDED]


def test_test_event_once_without_retry_even_when_disabled(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    services.disable_endpoint(endpoint, "broken")
    endpoint.refresh_from_db()
    delivery = services.endpoint_send_test(actor=users.admin, instance=endpoint)
    assert run_webhook_tasks() == [DeliveryStatus.SUCCEEDED]
    data = receiver.json()
    assert data["event"] == "webhook.test" and data["record"] is None
    assert receiver.requests[0]["headers"]["X-Accord-Event"] == "webhook.test"
    receiver.status = 500
    services.endpoint_send_test(actor=users.admin, instance=endpoint)
    assert run_webhook_tasks() == [DeliveryStatus.GAVE_UP]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0  # tests do not count
    assert delivery.is_test


def test_redirects_are_not_followed(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    receiver.status = 302
    receiver.extra_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    assert run_webhook_tasks() == [DeliveryStatus.FAILED]
    assert len(receiver.requests) == 1
    (delivery,) = deliveries()
    assert "redirect" in delivery.error and delivery.response_status == 302


def test_refused_connection_is_a_failure(users, make_endpoint):
    make_endpoint("http://127.0.0.1:9/closed")  # discard port: nothing listens
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    assert run_webhook_tasks() == [DeliveryStatus.FAILED]
    (delivery,) = deliveries()
    assert delivery.response_status is None and "refused" in delivery.error


def test_silent_receiver_times_out(users, make_endpoint, settings):
    """A receiver that accepts the connection and never answers costs one timeout, no more."""
    settings.ACCORD_WEBHOOK_TIMEOUT = 0.5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        make_endpoint(f"http://127.0.0.1:{silent.getsockname()[1]}/hook")
        parties.organization_create(actor=users.admin, data={"name": "Acme"})
        assert run_webhook_tasks() == [DeliveryStatus.FAILED]
    finally:
        silent.close()
    (delivery,) = deliveries()
    assert "No answer within 0.5 seconds" in delivery.error


def test_record_deleted_before_sending_is_skipped(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    org = parties.organization_create(actor=users.admin, data={"name": "Brief"})
    parties.organization_delete(actor=users.admin, instance=org)
    assert run_webhook_tasks() == [DeliveryStatus.SKIPPED, DeliveryStatus.SUCCEEDED]
    assert [receiver.json(i)["event"] for i in range(len(receiver.requests))] == [
        "organization.deleted"
    ]


def test_duplicate_task_does_not_send_twice(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    parties.organization_create(actor=users.admin, data={"name": "Once"})
    (delivery,) = deliveries()
    assert services.attempt_delivery(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert services.attempt_delivery(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert services.attempt_delivery(delivery_id=0) == "missing"
    assert len(receiver.requests) == 1


def test_sweep_requeues_lost_deliveries_and_prunes_the_old_log(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    parties.organization_create(actor=users.admin, data={"name": "Lost"})
    parties.organization_create(actor=users.admin, data={"name": "Old"})
    lost, old = deliveries()
    DBTaskResult.objects.all().delete()  # the worker died with the tasks
    WebhookDelivery.objects.filter(pk=lost.pk).update(next_attempt_at=timezone.now() - HOUR)
    WebhookDelivery.objects.filter(pk=old.pk).update(
        status=DeliveryStatus.SUCCEEDED, finished_at=timezone.now() - dt.timedelta(days=40)
    )
    assert services.sweep() == {"requeued": 1, "deleted": 1}
    assert run_webhook_tasks() == [DeliveryStatus.SUCCEEDED]
    assert [d.pk for d in deliveries()] == [lost.pk]


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 5), (3, 30), (4, 120), (6, 720)])
def test_retry_schedule(attempts, minutes):
    assert services.retry_delay(attempts) == dt.timedelta(minutes=minutes)


def test_no_retry_after_the_last_attempt():
    assert services.retry_delay(conf.max_attempts()) is None
