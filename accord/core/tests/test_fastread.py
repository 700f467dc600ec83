"""Light records for exports: the same values as real instances, in two queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.core import fastread
from accord.core.testing import make_users
from accord.parties.models import Organization, Person, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    u = make_users()
    nameless = type(u.owner).objects.create_user(email="nameless@example.test", password="x")
    org = Organization.objects.create(name="Müller GmbH", owner=u.owner, country="DE")
    when = datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    for i in range(12):
        person = Person.objects.create(
            first_name=f"P{i}",
            last_name=f"{'Z' if i == 11 else 'A'}{i:02d}",
            academic_title="Dr." if i % 3 == 0 else "",
            owner=nameless if i == 11 else u.owner,
            last_interaction_at=when if i % 2 else None,
        )
        if i % 2:
            Person.objects.filter(pk=person.pk).update(organization=org, job_title="CFO")
    return u


def _queryset():
    return Person.objects.select_related("organization", "owner", "team").order_by(
        "last_name", "id"
    )


def _compute(person):
    owner = person.owner
    return [
        person.pk,
        person.full_name,
        str(person.organization) if person.organization else "",
        person.organization.country.name if person.organization else "",
        str(owner) if owner else "",
        person.last_interaction_at,
    ]


def test_light_records_give_what_real_instances_give(people):
    expected = [_compute(p) for p in _queryset()]
    assert list(fastread.light_records(_queryset(), _compute)) == expected
    assert expected[-1][4] == "nameless@example.test"  # a user without a name shows the address


def test_two_queries_however_many_rows(people):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(fastread.light_records(_queryset(), _compute))
    assert len(rows) == 12 and len(ctx.captured_queries) == 2
    sql = ctx.captured_queries[1]["sql"]
    assert "parties_organization" in sql  # one join, no query per row
    # only what the computation reads (and short texts): no notes, no password hash
    assert '"parties_person"."notes"' not in sql and "password" not in sql


def test_a_field_the_sample_did_not_read_is_loaded_right(people, monkeypatch):
    monkeypatch.setattr(fastread, "SAMPLE_SIZE", 3)  # the sample holds only A-people

    def compute(person):
        return person.notes if person.last_name.startswith("Z") else person.first_name

    Person.objects.filter(last_name__startswith="Z").update(notes="nur für Z")
    expected = [compute(p) for p in _queryset()]
    assert list(fastread.light_records(_queryset(), compute)) == expected
    assert expected[-1] == "nur für Z"


def test_a_computation_that_queries_uses_real_instances(people):
    tag = Tag.objects.create(name="VIP")
    Person.objects.first().tags.add(tag)

    def compute(person):
        return [person.last_name, ", ".join(t.name for t in person.tags.all())]

    expected = [compute(p) for p in _queryset()]
    assert list(fastread.light_records(_queryset(), compute)) == expected


def test_annotations_are_read(people):
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    qs = _queryset().annotate(label=Concat(F("last_name"), Value("!")))
    assert list(fastread.light_records(qs, lambda p: p.label)) == [p.last_name + "!" for p in qs]


def test_empty_queryset(people):
    assert list(fastread.light_records(Person.objects.none(), _compute)) == []
