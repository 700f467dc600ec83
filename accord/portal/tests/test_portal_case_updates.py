"""The client hears of their case by mail: when we answer in it, wait for them or resolve it —
the case's contact person only, through an active portal account, in its language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accord.core.testing.matrix import make_users
from accord.parties.models import Organization, Person
from accord.portal.testing import make_account, portal_client
from accord.servicedesk.services.cases import (
    case_add_interaction,
    case_note_create,
    case_set_status,
)
from accord.servicedesk.tests.factories_cases import make_case

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def world(settings):
    settings.ACCORD_BASE_URL = "https://crm.beispiel.de"
    users = make_users()
    org = Organization.objects.create(
        name="Kühlhaus Nord GmbH", is_client=True, owner=users.owner, team=users.team_a
    )
    person = Person.objects.create(
        first_name="Jana", last_name="Kälte", organization=org, owner=users.owner, team=users.team_a
    )
    account = make_account(
        org, email="technik@kuehlhaus-nord.example", person=person, language="de"
    )
    case = make_case(owner=users.owner, team=users.team_a, organization=org, person=account.person)
    return users, org, account, case


def _write(users, case, direction):
    return case_add_interaction(
        actor=users.owner,
        case=case,
        data={"kind": "email", "direction": direction, "subject": "Re", "body": "Wir prüfen das."},
    )


def test_our_reply_mails_the_contact_person_in_german_with_the_link(
    world, django_capture_on_commit_callbacks
):
    users, _org, account, case = world
    with django_capture_on_commit_callbacks(execute=True):
        _write(users, case, "outbound")
    [sent] = mail.outbox
    assert sent.to == [account.email]
    assert sent.subject == f"Neue Antwort in Ihrem Fall {case.number}: {case.subject}"
    assert f"https://crm.beispiel.de{reverse('portal:case_detail', args=[case.pk])}" in sent.body
    assert "Wir prüfen das." not in sent.body  # read after signing in


def test_waiting_and_resolved_mail_the_client_other_moves_do_not(
    world, django_capture_on_commit_callbacks
):
    users, _org, account, case = world
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(actor=users.owner, case=case, status="open")
        case_set_status(actor=users.owner, case=case, status="waiting")
        case_set_status(actor=users.owner, case=case, status="open")
        case_set_status(actor=users.owner, case=case, status="resolved")
        case_set_status(actor=users.owner, case=case, status="closed")
    assert [m.subject.split(" ")[0:3] for m in mail.outbox] == [
        ["Wir", "brauchen", "Ihre"],
        ["Ihr", "Fall", case.number],
    ]


def test_nothing_for_inbound_messages_notes_or_the_clients_own_answer(
    world, django_capture_on_commit_callbacks
):
    users, _org, account, case = world
    with django_capture_on_commit_callbacks(execute=True):
        _write(users, case, "inbound")
        case_note_create(actor=users.owner, case=case, text="intern")
        portal_client(account).post(
            reverse("portal:case_detail", args=[case.pk]), {"text": "Fehlercode E42"}
        )
    # the team hears of the client's answer; the client is not mailed about it
    assert mail.outbox and all(account.email not in m.to for m in mail.outbox)


@pytest.mark.parametrize(
    "change",
    ["no_account", "inactive", "not_accepted", "may_not_open_cases", "other_person"],
)
def test_nobody_without_a_portal_account_that_may_follow_the_case(
    world, change, django_capture_on_commit_callbacks
):
    users, org, account, case = world
    if change == "no_account":
        account.delete()
    elif change == "inactive":
        account.is_active = False
    elif change == "not_accepted":
        account.accepted_at = None
    elif change == "may_not_open_cases":
        account.can_open_cases = False
    if change in ("inactive", "not_accepted", "may_not_open_cases"):
        account.save()
    if change == "other_person":
        other = make_account(org, email="einkauf@kuehlhaus-nord.example")
        case.person = None
        case.save(update_fields=["person"])
        assert other.person_id != case.person_id
    with django_capture_on_commit_callbacks(execute=True):
        _write(users, case, "outbound")
    assert mail.outbox == []


def test_english_account_gets_english(world, django_capture_on_commit_callbacks):
    users, _org, account, case = world
    account.language = "en"
    account.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        _write(users, case, "outbound")
    assert mail.outbox[0].subject == f"New reply in your case {case.number}: {case.subject}"


def test_the_staff_case_page_says_who_follows_it_in_the_portal(world, client):
    users, org, account, case = world
    client.force_login(users.owner)
    page = client.get(case.get_absolute_url()).content.decode()
    url = reverse("portal:case_follower", args=[case.pk])
    assert url in page  # loaded into the conversation panel
    fragment = client.get(url).content.decode()
    assert "Jana Kälte" in fragment and account.email in fragment
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert "Jana Kälte" not in client.get(url).content.decode()
    client.force_login(users.other)  # another team's member may not see the case
    assert client.get(url).status_code == 404
