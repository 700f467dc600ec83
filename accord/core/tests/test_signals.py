"""`record_changed`: sent by the core services inside their transaction, cascades included."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from accord.core import services
from accord.core.signals import record_changed
from accord.core.testing import make_users
from accord.parties.models import Organization, Person, Position


@pytest.fixture
def heard():
    calls: list[tuple] = []

    def receiver(sender, instance, action, actor=None, origin=None, **kwargs):
        calls.append((sender, instance.pk, action, actor, origin, connection.in_atomic_block))

    record_changed.connect(receiver, dispatch_uid="test_signals")
    yield calls
    record_changed.disconnect(dispatch_uid="test_signals")


def test_create_update_delete_are_announced_in_the_transaction(db, heard):
    admin = make_users().admin
    org = services.model_create(Organization, actor=admin, data={"name": "Acme"})
    services.model_update(org, actor=admin, data={"city": "Köln"})
    pk = org.pk
    services.model_delete(org, actor=admin)
    assert [(s, p, a, u, o is org) for s, p, a, u, o, _ in heard] == [
        (Organization, pk, "created", admin, False),
        (Organization, pk, "updated", admin, False),
        (Organization, pk, "deleted", admin, True),
    ]
    assert all(in_atomic for *_, in_atomic in heard)


def test_cascaded_rows_are_announced_before_they_go(db, heard):
    org = services.model_create(Organization, actor=None, data={"name": "Acme"})
    person = services.model_create(Person, actor=None, data={"last_name": "Roth"})
    position = services.model_create(
        Position, actor=None, data={"person": person, "organization": org}
    )
    heard.clear()
    org_pk, position_pk = org.pk, position.pk
    services.model_delete(org, actor=None)
    deleted = {(s, p) for s, p, a, *_ in heard if a == "deleted"}
    assert deleted == {(Organization, org_pk), (Position, position_pk)}
    assert all(origin is org for *_, origin, _in in heard)
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_failing_receiver_rolls_the_change_back(db):
    def refuse(sender, **kwargs):
        raise RuntimeError("no")

    record_changed.connect(refuse, dispatch_uid="test_refuse")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.model_create(Organization, actor=None, data={"name": "Never"})
    finally:
        record_changed.disconnect(dispatch_uid="test_refuse")
    assert not Organization.objects.filter(name="Never").exists()


def test_batch_memo_lives_for_the_outermost_batch_only():
    from accord.core import signals

    assert signals.batch_cache() is None
    with signals.batch() as memo:
        memo["x"] = 1
        with signals.batch() as inner:
            assert inner is memo and signals.batch_cache() == {"x": 1}
        assert signals.batch_cache() == {"x": 1}
    assert signals.batch_cache() is None
