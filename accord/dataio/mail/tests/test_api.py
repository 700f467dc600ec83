"""The mail API: uploads as jobs, accounts with a write-only password, suggested people."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accord.core.jobs import run_jobs_now
from accord.dataio.mail import crypto
from accord.dataio.mail.models import MailAccount, SenderStatus, UnknownSender
from accord.interactions.models import Interaction

from .conftest import capture
from .mails import mail, mbox
from .test_imap import PASSWORD, server  # noqa: F401 - the fake IMAP server fixture


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.anna)
    return client


def test_upload_starts_a_job_to_follow(api, world):
    data = mbox(mail(msgid="<a1@x>"), mail(msgid="<a2@x>"))
    response = api.post(
        "/api/mail/imports/", {"file": SimpleUploadedFile("x.mbox", data)}, format="multipart"
    )
    assert response.status_code == 202, response.data
    job_id = response.data["id"]
    assert response.data["status"] == "queued" and response.data["url"] == f"/jobs/{job_id}/"
    run_jobs_now()
    detail = api.get(f"/api/mail/imports/{job_id}/").data
    assert detail["status"] == "succeeded" and detail["counts"] == {"created": 2}
    assert [j["id"] for j in api.get("/api/mail/imports/").data] == [job_id]
    assert Interaction.objects.filter(source="mail").count() == 2


def test_upload_needs_a_file(api):
    response = api.post("/api/mail/imports/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.data


def test_another_users_import_is_not_found(api, world):
    other = APIClient()
    other.force_authenticate(world.ben)
    response = api.post(
        "/api/mail/imports/", {"file": SimpleUploadedFile("x.eml", mail())}, format="multipart"
    )
    assert other.get(f"/api/mail/imports/{response.data['id']}/").status_code == 404


def test_accounts_password_is_write_only(api, world, server):  # noqa: F811
    response = api.post(
        "/api/mail/accounts/",
        {
            "host": "imap.firma.example",
            "username": "anna",
            "password": PASSWORD,
            "security": "starttls",
            "folders": ["INBOX"],
            "own_addresses": ["vertrieb@firma.example"],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert "password" not in response.data and response.data["has_password"] is True
    assert response.data["port"] == 143
    account = MailAccount.objects.get(pk=response.data["id"])
    assert crypto.decrypt(account.password_encrypted) == PASSWORD
    listed = api.get("/api/mail/accounts/").data
    assert PASSWORD not in str(listed) and account.password_encrypted not in str(listed)
    response = api.patch(f"/api/mail/accounts/{account.pk}/", {"name": "Büro"}, format="json")
    assert response.status_code == 200 and response.data["name"] == "Büro"
    account.refresh_from_db()
    assert crypto.decrypt(account.password_encrypted) == PASSWORD
    response = api.post(f"/api/mail/accounts/{account.pk}/test/")
    assert response.status_code == 200
    assert {"name": "INBOX", "selected": True} in response.data
    server.add("INBOX", mail(msgid="<s@x>"))
    response = api.post(f"/api/mail/accounts/{account.pk}/sync/")
    assert response.status_code == 202
    run_jobs_now()
    assert Interaction.objects.filter(source_id="s@x").exists()
    assert api.delete(f"/api/mail/accounts/{account.pk}/").status_code == 204


def test_account_test_reports_the_reason(api, world, server):  # noqa: F811
    account = api.post(
        "/api/mail/accounts/",
        {"host": "imap.firma.example", "username": "anna", "password": "wrong"},
        format="json",
    ).data
    response = api.post(f"/api/mail/accounts/{account['id']}/test/")
    assert response.status_code == 400 and "refused the login" in response.data["detail"]


def test_account_validation_and_other_users(api, world, server):  # noqa: F811
    response = api.post("/api/mail/accounts/", {"host": "h", "username": "u"}, format="json")
    assert response.status_code == 400 and "password" in response.data
    account = api.post(
        "/api/mail/accounts/",
        {"host": "h.example", "username": "u", "password": "p"},
        format="json",
    ).data
    other = APIClient()
    other.force_authenticate(world.ben)
    assert other.get(f"/api/mail/accounts/{account['id']}/").status_code == 404
    assert (
        other.get("/api/mail/accounts/").data == []
        or other.get("/api/mail/accounts/").data["results"] == []
    )


def test_unknown_senders(api, world):
    capture(
        world.anna,
        mail(msgid="<a@x>", sender="Eva Neu <eva@kunde.example>"),
        mail(msgid="<b@x>", sender="spam@laden.example"),
    )
    listed = api.get("/api/mail/unknown-senders/").data
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {r["address"] for r in rows} == {"eva@kunde.example", "spam@laden.example"}
    spam = UnknownSender.objects.get(address="spam@laden.example")
    assert api.post(f"/api/mail/unknown-senders/{spam.pk}/ignore/").data["status"] == "ignored"
    eva = UnknownSender.objects.get(address="eva@kunde.example")
    response = api.post(
        f"/api/mail/unknown-senders/{eva.pk}/create-person/",
        {"first_name": "Eva", "last_name": "Neu", "organization": world.kunde.pk},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Interaction.objects.get(source_id="a@x").people.get().pk == response.data["person"]
    eva.refresh_from_db()
    assert eva.status == SenderStatus.CREATED
    again = api.post(
        f"/api/mail/unknown-senders/{eva.pk}/create-person/", {"last_name": "Neu"}, format="json"
    )
    assert again.status_code == 400
    invisible = api.post(
        f"/api/mail/unknown-senders/{spam.pk}/create-person/",
        {"last_name": "X", "organization": world.lieferant.pk},  # Carla's team's organization
        format="json",
    )
    assert invisible.status_code == 400 and "organization" in invisible.data


def test_interaction_api_shows_the_source(api, world):
    capture(world.anna, mail(msgid="<a@x>"))
    listed = api.get("/api/interactions/interactions/").data
    rows = listed["results"] if isinstance(listed, dict) else listed
    (row,) = rows
    assert row["source"] == "mail" and row["thread"] is not None
