"""The mail pages: home, upload with progress, accounts (never the password), suggested people."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accord.core.jobs import run_jobs_now
from accord.dataio.mail import crypto, services
from accord.dataio.mail.models import MailAccount, SenderStatus, UnknownSender
from accord.interactions.models import Interaction
from accord.interactions.tests.factories import UserFactory
from accord.parties.models import Person

from .conftest import capture
from .mails import mail, mbox
from .test_imap import PASSWORD, server  # noqa: F401 - the fake IMAP server fixture


@pytest.fixture
def anna_client(client, world):
    client.force_login(world.anna)
    return client


def test_home_with_empty_states(anna_client):
    response = anna_client.get(reverse("mail:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "No IMAP account yet" in body and "No uploads yet" in body
    assert reverse("mail:upload") in body


def test_mail_is_in_the_data_menu(anna_client):
    response = anna_client.get(reverse("core:data_hub"))
    assert reverse("mail:home") in response.content.decode()


def test_viewer_reads_but_may_not_upload(client, world):
    viewer = UserFactory(email="vera@example.test", role="viewer", teams=[world.team_a])
    client.force_login(viewer)
    assert client.get(reverse("mail:home")).status_code == 200
    assert reverse("mail:upload") not in client.get(reverse("mail:home")).content.decode()
    assert client.get(reverse("mail:upload")).status_code == 403


def test_upload_shows_progress_then_the_outcome(anna_client, world):
    page = anna_client.get(reverse("mail:upload"))
    assert 'type="file"' in page.content.decode()
    data = mbox(mail(msgid="<u1@x>"), mail(msgid="<u2@x>", date="kaputt"))
    response = anna_client.post(
        reverse("mail:upload"), {"file": SimpleUploadedFile("box.mbox", data)}
    )
    assert response.status_code == 302
    progress = anna_client.get(response["Location"]).content.decode()
    assert 'aria-live="polite"' in progress and "job-progress" in progress
    run_jobs_now()
    done = anna_client.get(response["Location"]).content.decode()
    assert "message 2" in done and "kaputt" in done
    assert Interaction.objects.filter(source_id="u1@x").exists()
    home = anna_client.get(reverse("mail:home")).content.decode()
    assert "box.mbox" in home


def test_upload_without_file_shows_the_error(anna_client):
    response = anna_client.post(reverse("mail:upload"), {})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_other_users_import_is_hidden(client, world):
    job = services.mail_import_start(actor=world.anna, upload=SimpleUploadedFile("a.eml", mail()))
    client.force_login(world.ben)
    assert client.get(reverse("mail:import_detail", args=[job.pk])).status_code == 404


def test_add_account_choose_folders_and_edit_without_the_password(anna_client, world, server):  # noqa: F811
    response = anna_client.post(
        reverse("mail:account_add"),
        {
            "name": "Büro",
            "host": "imap.firma.example",
            "port": "993",
            "security": "ssl",
            "username": "anna@example.test",
            "password": PASSWORD,
            "own_addresses": "vertrieb@firma.example, Info@Firma.example",
            "is_active": "on",
        },
    )
    account = MailAccount.objects.get(owner=world.anna)
    assert response.status_code == 302
    assert response["Location"] == reverse("mail:account_folders", args=[account.pk])
    assert account.own_addresses == ["vertrieb@firma.example", "info@firma.example"]
    assert crypto.decrypt(account.password_encrypted) == PASSWORD
    folders = anna_client.get(response["Location"]).content.decode()
    assert 'value="Sent"' in folders and 'value="INBOX"' in folders
    anna_client.post(response["Location"], {"folders": ["INBOX", "Sent"]})
    account.refresh_from_db()
    assert account.folders == ["INBOX", "Sent"]
    edit = anna_client.get(reverse("mail:account_edit", args=[account.pk])).content.decode()
    assert PASSWORD not in edit and account.password_encrypted not in edit
    assert 'type="password"' in edit


def test_account_test_sync_and_delete(anna_client, world, server):  # noqa: F811
    account = services.mail_account_create(
        actor=world.anna,
        data={"host": "imap.firma.example", "username": "anna", "password": PASSWORD},
    )
    response = anna_client.post(reverse("mail:account_test", args=[account.pk]), follow=True)
    assert "Connected and logged in" in response.content.decode()
    server.add("INBOX", mail(msgid="<s@x>"))
    response = anna_client.post(reverse("mail:account_sync", args=[account.pk]))
    assert response.status_code == 302
    run_jobs_now()
    assert Interaction.objects.filter(source_id="s@x").exists()
    anna_client.post(reverse("mail:account_delete", args=[account.pk]))
    assert not MailAccount.objects.exists()
    assert Interaction.objects.filter(source_id="s@x").exists()  # captured mail stays


def test_other_users_account_is_a_404(client, world, server):  # noqa: F811
    account = services.mail_account_create(
        actor=world.anna, data={"host": "h.example", "username": "anna", "password": PASSWORD}
    )
    client.force_login(world.ben)
    for name in ("account_edit", "account_folders", "account_delete"):
        assert client.get(reverse(f"mail:{name}", args=[account.pk])).status_code == 404
    assert client.post(reverse("mail:account_sync", args=[account.pk])).status_code == 404


def test_suggested_people_add_and_ignore(anna_client, world):
    capture(
        world.anna,
        mail(msgid="<a@x>", sender="Eva Neu <eva@kunde.example>"),
        mail(msgid="<b@x>", sender="Spam <werbung@laden.example>"),
    )
    page = anna_client.get(reverse("mail:senders")).content.decode()
    assert "eva@kunde.example" in page and "werbung@laden.example" in page
    spam = UnknownSender.objects.get(address="werbung@laden.example")
    response = anna_client.post(reverse("mail:sender_ignore", args=[spam.pk]), follow=True)
    assert "is no longer suggested" in response.content.decode()
    assert "werbung@laden.example" not in anna_client.get(reverse("mail:senders")).content.decode()
    eva = UnknownSender.objects.get(address="eva@kunde.example")
    form = anna_client.get(reverse("mail:sender_create", args=[eva.pk])).content.decode()
    assert 'value="Eva"' in form and 'value="Neu"' in form
    assert f'value="{world.kunde.pk}"' in form  # the organization suggested by the domain
    response = anna_client.post(
        reverse("mail:sender_create", args=[eva.pk]),
        {"first_name": "Eva", "last_name": "Neu", "organization": world.kunde.pk},
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Neu")
    assert person in Interaction.objects.get(source_id="a@x").people.all()
    eva.refresh_from_db()
    assert eva.status == SenderStatus.CREATED
    anna_client.post(reverse("mail:sender_restore", args=[spam.pk]))
    spam.refresh_from_db()
    assert spam.status == SenderStatus.NEW


def test_other_users_suggestion_is_a_404(client, world):
    capture(world.anna, mail(msgid="<a@x>", sender="eva@neu.example"))
    sender = UnknownSender.objects.get()
    client.force_login(world.ben)
    assert client.get(reverse("mail:sender_create", args=[sender.pk])).status_code == 404
    assert client.post(reverse("mail:sender_ignore", args=[sender.pk])).status_code == 404
