"""IMAP accounts: password encrypted at rest, connection test, incremental sync by UID and
UIDVALIDITY, the periodic sync — against a fake server at IMAPClient's method boundary."""

from __future__ import annotations

import datetime as dt
import imaplib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accord.core.jobs import run_jobs_now
from accord.core.models import Job
from accord.dataio.mail import crypto, imap, services
from accord.dataio.mail.models import MailAccount, SyncStatus
from accord.interactions.models import Interaction

from .mails import BASE, mail

PASSWORD = "geheim-Passwort-42"


class FakeServer:
    """Folders with UIDVALIDITY and messages by UID; remembers what clients asked for."""

    def __init__(self):
        self.folders: dict[str, dict] = {
            "INBOX": {"uidvalidity": 7, "messages": {}},
            "Sent": {"uidvalidity": 9, "messages": {}},
            "[Gmail]": {"uidvalidity": 1, "messages": {}, "flags": (b"\\Noselect",)},
        }
        self.password = PASSWORD
        self.fetched: list[list[int]] = []
        self.logins: list[tuple[str, str]] = []
        self.refuse_connection = False

    def add(self, folder: str, raw: bytes) -> int:
        messages = self.folders[folder]["messages"]
        uid = max(messages, default=0) + 1
        messages[uid] = raw
        return uid


class FakeIMAPClient:
    server: FakeServer

    def __init__(self, host, port=None, ssl=True, ssl_context=None, timeout=None):
        if self.server.refuse_connection:
            raise ConnectionRefusedError("Connection refused")
        self.host, self.port, self.ssl = host, port, ssl
        self.selected: str | None = None
        self.normalise_times = True
        self.tls = False

    def starttls(self, context=None):
        self.tls = True

    def login(self, username, password):
        self.server.logins.append((username, password))
        if password != self.server.password:
            from imapclient.exceptions import LoginError

            raise LoginError("[AUTHENTICATIONFAILED] Invalid credentials")
        return b"OK"

    def logout(self):
        return b"BYE"

    def list_folders(self, directory="", pattern="*"):
        return [
            (info.get("flags", (b"\\HasNoChildren",)), b"/", name)
            for name, info in self.server.folders.items()
        ]

    def select_folder(self, folder, readonly=False):
        if folder not in self.server.folders:
            raise imaplib.IMAP4.error(f"[NONEXISTENT] Unknown Mailbox: {folder}")
        self.selected = folder
        info = self.server.folders[folder]
        return {b"UIDVALIDITY": info["uidvalidity"], b"EXISTS": len(info["messages"])}

    def search(self, criteria):
        assert criteria[0] == "UID"
        low = int(criteria[1].split(":")[0])
        uids = sorted(self.server.folders[self.selected]["messages"])
        found = [u for u in uids if u >= low]
        return found or uids[-1:]  # "n:*" answers the highest UID even when none is newer

    def fetch(self, uids, data):
        messages = self.server.folders[self.selected]["messages"]
        if "RFC822.SIZE" in data:
            return {u: {b"RFC822.SIZE": len(messages[u])} for u in uids if u in messages}
        self.server.fetched.append(list(uids))
        return {
            u: {
                b"BODY[]": messages[u],
                b"INTERNALDATE": dt.datetime(2025, 3, 5, 8, 0, tzinfo=dt.UTC),
            }
            for u in uids
            if u in messages
        }


@pytest.fixture
def server(monkeypatch):
    fake = FakeServer()
    FakeIMAPClient.server = fake
    monkeypatch.setattr(imap, "IMAPClient", FakeIMAPClient)
    return fake


@pytest.fixture
def account(world, server):
    return services.mail_account_create(
        actor=world.anna,
        data={
            "host": "imap.firma.example",
            "username": "anna@example.test",
            "password": PASSWORD,
            "security": "ssl",
            "folders": ["INBOX", "Sent"],
            "own_addresses": "vertrieb@firma.example",
        },
    )


def _sync(account):
    job = services.mail_account_sync_start(actor=account.owner, instance=account)
    run_jobs_now()
    job.refresh_from_db()
    account.refresh_from_db()
    return job


# --- accounts and the password -------------------------------------------------------------------
def test_password_encrypted_at_rest_and_never_returned(world, account):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT password_encrypted FROM mail_mailaccount WHERE id = %s", [account.pk]
        )
        (stored,) = cursor.fetchone()
    assert PASSWORD not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert crypto.decrypt(stored) == PASSWORD
    assert account.port == 993 and account.own_addresses == ["vertrieb@firma.example"]


def test_empty_password_on_change_keeps_the_stored_one(world, account):
    before = account.password_encrypted
    services.mail_account_update(
        actor=world.anna, instance=account, data={"name": "Büro", "password": ""}
    )
    account.refresh_from_db()
    assert account.password_encrypted == before and account.name == "Büro"


def test_password_readable_after_a_field_key_is_set(settings):
    token = crypto.encrypt("s3cret")
    settings.ACCORD_FIELD_KEY = "a dedicated field key"
    assert crypto.decrypt(token) == "s3cret"
    new_token = crypto.encrypt("s3cret")
    settings.ACCORD_FIELD_KEY = ""
    settings.SECRET_KEY = "something else entirely"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(new_token)


def test_account_needs_a_password_and_is_unique(world, account):
    with pytest.raises(ValidationError) as exc:
        services.mail_account_create(actor=world.anna, data={"host": "h", "username": "u"})
    assert "password" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.mail_account_create(
            actor=world.anna,
            data={"host": "imap.firma.example", "username": "anna@example.test", "password": "x"},
        )
    assert "username" in exc.value.message_dict


def test_only_the_owner_changes_an_account(world, account):
    with pytest.raises(PermissionDenied):
        services.mail_account_update(actor=world.admin, instance=account, data={"name": "x"})


def test_test_connection(world, account, server):
    folders = services.mail_account_test(actor=world.anna, instance=account)
    assert [f.name for f in folders] == ["INBOX", "Sent"]  # \\Noselect left out
    assert server.logins == [("anna@example.test", PASSWORD)]
    server.password = "changed"
    with pytest.raises(imap.ImapError, match="refused the login"):
        services.mail_account_test(actor=world.anna, instance=account)
    account.refresh_from_db()
    assert account.last_sync_status == SyncStatus.ERROR
    server.refuse_connection = True
    with pytest.raises(imap.ImapError, match="Cannot connect"):
        services.mail_account_test(actor=world.anna, instance=account)


# --- sync ---------------------------------------------------------------------------------------
def test_sync_is_incremental(world, account, server):
    for n in range(3):
        server.add("INBOX", mail(msgid=f"<in{n}@kunde.example>", date=BASE + dt.timedelta(hours=n)))
    server.add(
        "Sent",
        mail(
            msgid="<out@firma.example>", sender="vertrieb@firma.example", to="joerg@kunde.example"
        ),
    )
    job = _sync(account)
    assert job.status == Job.Status.SUCCEEDED, job.failure
    assert job.counts == {"created": 4}
    assert account.folder_state == {
        "INBOX": {"uidvalidity": 7, "last_uid": 3},
        "Sent": {"uidvalidity": 9, "last_uid": 1},
    }
    assert account.last_sync_status == SyncStatus.OK and account.last_sync_at is not None
    assert Interaction.objects.get(source_id="out@firma.example").direction == "outbound"

    server.fetched.clear()
    server.add("INBOX", mail(msgid="<in3@kunde.example>"))
    server.add("INBOX", mail(msgid="<in4@kunde.example>"))
    job = _sync(account)
    assert server.fetched == [[4, 5]]  # only the new UIDs
    assert job.counts == {"created": 2}
    assert Interaction.objects.filter(source="mail").count() == 6

    server.fetched.clear()
    job = _sync(account)
    assert server.fetched == [] and job.counts == {}


def test_changed_uidvalidity_reads_again_without_doubles(world, account, server):
    server.add("INBOX", mail(msgid="<v1@x>"))
    _sync(account)
    server.folders["INBOX"]["uidvalidity"] = 8
    server.add("INBOX", mail(msgid="<v2@x>"))
    job = _sync(account)
    assert job.counts == {"created": 1, "duplicates": 1}
    assert account.folder_state["INBOX"] == {"uidvalidity": 8, "last_uid": 2}
    assert Interaction.objects.filter(source="mail").count() == 2


def test_same_mail_in_two_accounts_is_one_interaction(world, account, server):
    raw = mail(msgid="<shared@x>", to="anna@example.test, carla@example.test")
    server.add("INBOX", raw)
    _sync(account)
    carlas = services.mail_account_create(
        actor=world.carla,
        data={"host": "imap.firma.example", "username": "carla", "password": PASSWORD},
    )
    job = _sync(carlas)
    assert job.counts == {"duplicates": 1}
    (interaction,) = Interaction.objects.filter(source="mail")
    assert set(interaction.users.all()) == {world.anna, world.carla}


def test_bad_and_oversized_messages_reported_the_rest_synced(world, account, server, settings):
    settings.ACCORD_MAIL_MAX_MESSAGE_BYTES = 5000
    server.add("INBOX", mail(msgid="<ok@x>"))
    server.add("INBOX", mail(msgid="<big@x>", text="x" * 6000))
    server.add("INBOX", mail(msgid="<nodate@x>", date="kaputt"))  # INTERNALDATE is used instead
    server.add("INBOX", b"\x00\x01 no mail at all")
    job = _sync(account)
    assert job.status == Job.Status.SUCCEEDED
    assert sorted(Interaction.objects.values_list("source_id", flat=True)) == ["nodate@x", "ok@x"]
    assert Interaction.objects.get(source_id="nodate@x").occurred_at == dt.datetime(
        2025, 3, 5, 8, 0, tzinfo=dt.UTC
    )
    wheres = [e["where"] for e in job.errors]
    assert wheres[0] == "INBOX, UID 2" and "larger than" in job.errors[0]["message"]
    assert wheres[1].startswith("INBOX, UID 3 <nodate@x>")  # the date warning
    assert wheres[2] == "INBOX, UID 4"
    assert account.folder_state["INBOX"]["last_uid"] == 4


def test_same_mail_in_two_folders_counted_not_reported(world, account, server):
    raw = mail(msgid="<self@x>", sender="anna@example.test", to="anna@example.test")
    server.add("INBOX", raw)
    server.add("Sent", raw)
    job = _sync(account)
    assert job.counts == {"created": 1, "duplicates": 1} and job.errors == []


def test_missing_folder_reported_others_synced(world, account, server):
    services.mail_account_update(
        actor=world.anna, instance=account, data={"folders": ["Gone", "INBOX"]}
    )
    server.add("INBOX", mail(msgid="<f@x>"))
    job = _sync(account)
    assert job.status == Job.Status.SUCCEEDED
    assert job.errors[0]["where"] == "Gone"
    assert Interaction.objects.filter(source_id="f@x").exists()


def test_login_failure_fails_the_job_and_marks_the_account(world, account, server):
    server.password = "changed on the server"
    job = _sync(account)
    assert job.status == Job.Status.FAILED and "refused the login" in job.failure
    assert account.last_sync_status == SyncStatus.ERROR
    assert "refused the login" in account.last_sync_error


def test_periodic_sync_queues_each_account_once(world, account, server):
    idle = services.mail_account_create(
        actor=world.ben,
        data={
            "host": "imap.firma.example",
            "username": "ben",
            "password": PASSWORD,
            "is_active": False,
        },
    )
    started = services.mail_sync_all_start()
    assert [j.params for j in started] == [{"account_id": account.pk}]
    assert started[0].started_by is None
    assert services.mail_sync_all_start() == []  # still queued: not again
    server.add("INBOX", mail(msgid="<p@x>"))
    run_jobs_now()
    assert Interaction.objects.filter(source_id="p@x").exists()
    assert not Job.objects.filter(params__account_id=idle.pk).exists()


def test_sync_all_is_a_registered_periodic_job():
    from accord.core.jobs import job_kind, periodic_jobs

    assert job_kind(services.SYNC_ALL_KIND).heavy is False
    (periodic,) = [p for p in periodic_jobs() if p.kind == services.SYNC_ALL_KIND]
    assert periodic.every == dt.timedelta(minutes=5)


def test_starttls_and_plain_connections(world, server):
    account = MailAccount(host="h", port=143, security="starttls", username="u")
    account.password_encrypted = crypto.encrypt(PASSWORD)
    with imap.connect(
        host="h", port=143, security="starttls", username="u", password=PASSWORD
    ) as client:
        assert client.tls and not client.ssl and client.normalise_times is False
    with imap.connect(
        host="h", port=993, security="ssl", username="u", password=PASSWORD
    ) as client:
        assert client.ssl and not client.tls
