"""The demo generator run on an empty database: the same seed gives the same data, and the
command refuses a database that holds data unless told to flush it. These tests flush the
database, so they live apart from the module that shares one demo data set among its tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.demo.generator import generate
from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person
from accord.users.models import User

from .test_generator import ADDED_ORGS

NOW = dt.datetime(2025, 6, 18, 14, 30, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)  # flush between the runs (PostgreSQL: no pending FKs)
def test_same_seed_same_data():
    generate(orgs=15, people=40, interactions=300, seed=3, now=NOW)
    first = _fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    generate(orgs=15, people=40, interactions=300, seed=3, now=NOW)
    assert _fingerprint() == first


@pytest.mark.django_db(transaction=True)
def test_command_refuses_a_database_with_data():
    User.objects.create_user(email="someone@example.com", password="x")
    with pytest.raises(CommandError, match="--flush"):
        call_command("load_demo", orgs=5, people=10, interactions=20, verbosity=0)
    call_command("load_demo", orgs=5, people=10, interactions=20, flush=True, verbosity=0)
    assert not User.objects.filter(email="someone@example.com").exists()
    assert 5 <= Organization.objects.count() <= 5 + ADDED_ORGS


def _fingerprint():
    return (
        list(Organization.objects.order_by("pk").values_list("name", "vat_id", "phone")),
        list(Person.objects.order_by("pk").values_list("first_name", "last_name", "email")),
        list(Interaction.objects.order_by("pk").values_list("occurred_at", "subject", "body")),
        list(FollowUp.objects.order_by("pk").values_list("title", "due_date", "status")),
    )
