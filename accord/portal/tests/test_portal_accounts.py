"""Portal accounts: invitation, acceptance, sign-in, and the wall between portal and staff pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accord.core.testing.matrix import make_users
from accord.parties.tests.factories import (
    OrganizationFactory,
    PersonEmailFactory,
    PersonFactory,
    PositionFactory,
)
from accord.portal import services
from accord.portal.models import PortalAccount
from accord.portal.testing import PASSWORD, make_account, portal_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sicheres-Kundenportal-42"


@pytest.fixture(autouse=True)
def _clear_lock():
    cache.clear()


@pytest.fixture
def users():
    return make_users()


@pytest.fixture
def client_person(users):
    org = OrganizationFactory(name="Müller Maschinenbau GmbH", owner=users.owner, team=users.team_a)
    person = PersonFactory(
        first_name="Jana", last_name="Kunde", organization=org, owner=users.owner, team=users.team_a
    )
    PositionFactory(person=person, organization=org)
    PersonEmailFactory(person=person, email="jana.kunde@mueller.example")
    return person


def test_invite_accept_and_sign_in(users, client_person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account, link = services.invite(
            actor=users.owner, person=client_person, base_url="https://accord.example/"
        )
    assert account.email == "jana.kunde@mueller.example" and not account.has_accepted
    assert link.startswith("https://accord.example/portal/accept/")
    assert mail.outbox[0].to == ["jana.kunde@mueller.example"] and link in mail.outbox[0].body

    browser = Client()
    path = link.removeprefix("https://accord.example")
    page = browser.get(path)
    assert page.status_code == 200 and "Müller Maschinenbau GmbH" in page.content.decode()
    short = browser.post(path, {"password": "kurz", "password_again": "kurz"})
    assert short.status_code == 400
    differs = browser.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "x"})
    assert "The two passwords differ." in differs.content.decode()
    done = browser.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("portal:home")
    assert browser.get(reverse("portal:home")).status_code == 200

    # the link works once
    again = Client().get(path)
    assert again.status_code == 400 and "has been used" in again.content.decode()

    # sign out, sign in with the new password
    browser.post(reverse("portal:logout"))
    assert browser.get(reverse("portal:home")).status_code == 302
    signed = browser.post(
        reverse("portal:login"), {"email": "Jana.Kunde@mueller.example", "password": NEW_PASSWORD}
    )
    assert signed.status_code == 302
    account.refresh_from_db()
    assert account.last_login is not None


def test_invitation_rules_name_the_field(users, client_person):
    supplier = OrganizationFactory(is_client=False, is_supplier=True, owner=users.owner)
    with pytest.raises(services.ValidationError) as not_client:
        services.invite(actor=users.owner, person=client_person, organization=supplier)
    assert "organization" in not_client.value.message_dict

    elsewhere = OrganizationFactory(owner=users.owner)
    with pytest.raises(services.ValidationError) as not_there:
        services.invite(actor=users.owner, person=client_person, organization=elsewhere)
    assert "holds no position" in not_there.value.message_dict["person"][0]

    nobody = PersonFactory(organization=client_person.organization, owner=users.owner)
    with pytest.raises(services.ValidationError) as no_mail:
        services.invite(actor=users.owner, person=nobody)
    assert "email" in no_mail.value.message_dict

    services.invite(actor=users.owner, person=client_person)
    with pytest.raises(services.ValidationError) as taken:
        services.invite(actor=users.owner, person=nobody, email="JANA.KUNDE@mueller.example")
    assert "Another portal account" in taken.value.message_dict["email"][0]

    with pytest.raises(services.PermissionDenied):
        services.invite(actor=users.viewer, person=client_person)
    with pytest.raises(services.PermissionDenied):
        services.invite(actor=users.other, person=client_person)
    assert PortalAccount.objects.count() == 1


def test_five_failed_sign_ins_lock_the_address(users, client_person):
    account = make_account(
        client_person.organization, email="a@kunde.example", person=client_person
    )
    browser = Client()
    for _ in range(5):
        wrong = browser.post(
            reverse("portal:login"), {"email": account.email, "password": "falsch"}
        )
        assert "is not right" in wrong.content.decode()
    locked = browser.post(reverse("portal:login"), {"email": account.email, "password": PASSWORD})
    assert locked.status_code == 400 and "Too many failed sign-ins" in locked.content.decode()


def test_switched_off_account_and_changed_password_end_sessions(users, client_person):
    account = make_account(
        client_person.organization, email="a@kunde.example", person=client_person
    )
    first, second = portal_client(account), portal_client(account)
    assert first.get(reverse("portal:home")).status_code == 200
    changed = first.post(
        reverse("portal:password"),
        {"current": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert first.get(reverse("portal:home")).status_code == 200  # this session stays
    assert second.get(reverse("portal:home")).status_code == 302  # the other one ended

    services.deactivate(actor=users.owner, account=account)
    assert first.get(reverse("portal:home")).status_code == 302
    refused = Client().post(
        reverse("portal:login"), {"email": account.email, "password": NEW_PASSWORD}
    )
    assert refused.status_code == 400


def test_portal_session_reaches_no_staff_page_or_api(users, client_person):
    account = make_account(
        client_person.organization, email="a@kunde.example", person=client_person
    )
    browser = portal_client(account)
    for url in (
        "/",
        reverse("parties:organization_list"),
        client_person.organization.get_absolute_url(),
        reverse("portal:portalaccount_list"),
        reverse("core:notification_list"),
    ):
        response = browser.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    assert browser.get("/api/parties/organizations/").status_code in (401, 403)


def test_next_only_leads_into_the_portal(users, client_person):
    account = make_account(
        client_person.organization, email="a@kunde.example", person=client_person
    )
    browser = Client()
    response = browser.post(
        reverse("portal:login") + "?next=/organizations/",
        {"email": account.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == "/portal/"


def test_staff_list_follows_the_person_visibility(users, client_person):
    make_account(client_person.organization, email="a@kunde.example", person=client_person)
    staff = Client()
    staff.force_login(users.owner)
    assert "a@kunde.example" in staff.get(reverse("portal:portalaccount_list")).content.decode()
    staff.force_login(users.other)
    assert "a@kunde.example" not in staff.get(reverse("portal:portalaccount_list")).content.decode()


def test_invite_page(users, client_person):
    staff = Client()
    staff.force_login(users.owner)
    url = reverse("portal:invite", args=[client_person.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(
        url,
        {
            "organization": client_person.organization.pk,
            "email": "",
            "language": "en",
            "can_order": "on",
            "can_open_cases": "on",
        },
    )
    account = PortalAccount.objects.get()
    assert response.status_code == 302 and response.url == account.get_absolute_url()
    assert account.language == "en" and account.can_order and not account.can_see_invoices
    staff.force_login(users.other)
    assert staff.get(url).status_code == 404


def test_api_invites_and_changes_permissions(users, client_person):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(users.owner)
    created = api.post(
        "/api/portal/accounts/invite/",
        {"person": client_person.pk, "language": "en"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["account"]["email"] == "jana.kunde@mueller.example"
    assert "/portal/accept/" in body["invitation_url"]
    pk = body["account"]["id"]
    changed = api.patch(f"/api/portal/accounts/{pk}/", {"can_order": False}, format="json")
    assert changed.status_code == 200 and changed.json()["can_order"] is False
    assert api.post("/api/portal/accounts/", {}, format="json").status_code == 405
    bad = api.post(
        "/api/portal/accounts/invite/",
        {"person": client_person.pk, "organization": OrganizationFactory(owner=users.owner).pk},
        format="json",
    )
    assert bad.status_code == 400 and "person" in bad.json()
    api.force_authenticate(users.other)
    assert api.get(f"/api/portal/accounts/{pk}/").status_code == 404


def test_invitation_and_acceptance_leave_history_without_the_password(users, client_person):
    from accord.core.signals import record_changed

    changes = []

    def listen(sender, instance, action, actor=None, **kwargs):
        if sender is PortalAccount:
            changes.append((action, actor))

    record_changed.connect(listen, dispatch_uid="test_portal_history")
    try:
        account, link = services.invite(actor=users.owner, person=client_person)
        services.invite(actor=users.owner, person=client_person, language="en")
        token = link.rstrip("/").rsplit("/", 1)[-1]
        services.accept_invitation(token=token, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    finally:
        record_changed.disconnect(dispatch_uid="test_portal_history")

    assert changes == [("created", users.owner), ("updated", users.owner), ("updated", None)]
    created, again, accepted = account.history.order_by("history_date", "history_id")
    assert created.history_type == "+" and created.history_user == users.owner
    assert created.invited_by == users.owner and created.email == "jana.kunde@mueller.example"
    assert again.history_type == "~" and again.language == "en"
    assert accepted.accepted_at is not None and accepted.history_user is None
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD) and account.password != NEW_PASSWORD
    recorded = {field.name for field in PortalAccount.history.model._meta.fields}
    assert "password" not in recorded and "email" in recorded
