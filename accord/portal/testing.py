"""Test helpers for portal pages: a signed-in client of one organization, and the isolation check
every portal page must pass (a client of another organization gets 404)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accord.parties.models import Organization, Person

from . import auth
from .models import PortalAccount

PASSWORD = "Portal-Passwort-2026"  # noqa: S105 - a test fixture


def make_account(
    organization: Organization, *, email: str, person: Person | None = None, **fields: Any
) -> PortalAccount:
    """An active portal account that has accepted its invitation (written directly: a fixture)."""
    if person is None:
        person = Person.objects.create(
            first_name="Kunde", last_name=email.split("@")[0], organization=organization
        )
    account = PortalAccount(person=person, organization=organization, email=email, **fields)
    account.set_password(PASSWORD)
    from django.utils import timezone

    account.accepted_at = timezone.now()
    account.save()
    return account


def portal_client(account: PortalAccount) -> Client:
    """A test client signed in to the portal as `account`."""
    client = Client()
    session = client.session
    session[auth.SESSION_KEY] = account.pk
    session[auth.SESSION_HASH] = auth._session_hash(account)
    session.save()
    return client
