"""Captured mail as interactions: uploads of every kind, never twice, threads, links, direction,
suggested people, attachments, bad messages reported while the rest goes on, resumable jobs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.core.jobs import JobContext, run_jobs_now
from accord.core.models import Job
from accord.core.search import search_ids
from accord.dataio.mail import services
from accord.dataio.mail.models import MailAccount, SenderStatus, UnknownSender
from accord.interactions.models import Attachment, Interaction, Thread

from .conftest import capture, upload
from .mails import BASE, mail, maildir_zip, mbox


def _mails():
    return Interaction.objects.filter(source="mail")


def test_eml_upload_becomes_one_private_email_interaction(world):
    job = upload(world.anna, mail(), "angebot.eml")
    assert job.status == Job.Status.SUCCEEDED, job.failure
    assert job.counts == {"created": 1}
    (interaction,) = _mails()
    assert interaction.kind == "email" and interaction.direction == "inbound"
    assert interaction.owner == world.anna and interaction.team is None
    assert interaction.source_id == "m1@kunde.example"
    assert interaction.subject == "Angebot Rahmenvertrag"
    assert interaction.occurred_at == BASE
    assert list(interaction.people.all()) == [world.joerg]
    assert list(interaction.organizations.all()) == [world.kunde]
    assert set(interaction.users.all()) == {world.anna}
    assert [(a.role, a.address) for a in interaction.addresses.all()] == [
        ("from", "joerg@kunde.example"),
        ("to", "anna@example.test"),
    ]
    assert not default_storage.exists(job.params["path"])  # the upload is removed when done


def test_denormalised_times_and_search_index_kept(world):
    upload(world.anna, mail(text="Wir brauchen 40 Palettenregale."), "a.eml")
    world.joerg.refresh_from_db()
    world.kunde.refresh_from_db()
    assert world.joerg.last_interaction_at == BASE
    assert world.kunde.last_interaction_at == BASE
    (interaction,) = _mails()
    assert interaction.pk in search_ids(Interaction, "Palettenregale")
    assert interaction.history.count() == 1


def test_mbox_upload(world):
    data = mbox(*(mail(msgid=f"<n{i}@kunde.example>", subject=f"Nr. {i}") for i in range(7)))
    job = upload(world.anna, data, "export.mbox")
    assert job.status == Job.Status.SUCCEEDED, job.failure
    assert job.total == 7 and job.done == 7
    assert job.counts == {"created": 7}
    assert _mails().count() == 7


def test_maildir_zip_upload(world):
    data = maildir_zip(*(mail(msgid=f"<z{i}@kunde.example>") for i in range(3)))
    job = upload(world.anna, data, "Maildir.zip")
    assert job.status == Job.Status.SUCCEEDED, job.failure
    assert job.total == 3 and job.counts == {"created": 3}


def test_duplicate_message_id_within_one_file_imported_once_and_reported(world):
    data = mbox(mail(msgid="<dup@x>"), mail(msgid="<other@x>"), mail(msgid="<DUP@X>".lower()))
    job = upload(world.anna, data)
    assert _mails().count() == 2
    assert job.counts == {"created": 2, "duplicates": 1}
    (error,) = job.errors
    assert error["where"] == "message 3 <dup@x>"
    assert "occurred already (message 1 <dup@x>)" in error["message"]


def test_reimport_creates_nothing(world):
    data = mbox(mail(msgid="<a@x>"), mail(msgid="<b@x>"), mail(msgid=None))
    upload(world.anna, data)
    again = upload(world.anna, data)
    assert _mails().count() == 3
    assert again.counts == {"duplicates": 3}
    assert again.errors == []


def test_same_mail_in_two_accounts_captured_once_both_see_it(world):
    raw = mail(to="anna@example.test, carla@example.test")
    capture(world.anna, raw)
    outcome = capture(world.carla, raw)
    assert outcome.created == 0 and outcome.duplicates == 1
    (interaction,) = _mails()
    assert interaction.owner == world.anna
    assert set(interaction.users.all()) == {world.anna, world.carla}
    assert Interaction.objects.visible_to(world.carla).filter(pk=interaction.pk).exists()


def test_same_message_without_message_id_from_imap_and_mbox_is_one(world):
    raw = mail(msgid=None)
    capture(world.anna, raw)
    capture(world.anna, raw.replace(b"\n", b"\r\n"))
    assert _mails().count() == 1


def test_threads_by_references_and_by_subject(world):
    first = mail(msgid="<t1@x>", subject="Lieferung KW 12")
    reply = mail(
        msgid="<t2@x>",
        subject="AW: Lieferung KW 12",
        sender="anna@example.test",
        to="joerg@kunde.example",
        in_reply_to="<t1@x>",
        references="<t1@x>",
        date=BASE + dt.timedelta(hours=2),
    )
    # a client that dropped the headers: same subject (after prefixes) and same participants
    no_headers = mail(
        msgid="<t3@x>",
        subject="Re: AW: Lieferung KW 12",
        sender="joerg@kunde.example",
        to="anna@example.test",
        date=BASE + dt.timedelta(hours=3),
    )
    unrelated = mail(msgid="<u1@x>", subject="Lieferung KW 12", date=BASE + dt.timedelta(days=9))
    capture(world.anna, first, reply)
    capture(world.anna, no_headers, unrelated)  # a later run finds the stored thread
    by_id = {i.source_id: i.thread_id for i in _mails()}
    assert by_id["t1@x"] == by_id["t2@x"] == by_id["t3@x"]
    assert by_id["u1@x"] != by_id["t1@x"]  # same subject, but not a reply: its own thread
    thread = Thread.objects.get(pk=by_id["t1@x"])
    assert thread.normalized_subject == "lieferung kw 12" and thread.started_at == BASE


def test_reply_before_original_in_one_file_same_thread(world):
    reply = mail(msgid="<r2@x>", subject="Re: Termin", references="<r1@x>")
    original = mail(msgid="<r1@x>", subject="Termin", date=BASE - dt.timedelta(hours=1))
    capture(world.anna, reply, original)
    assert len({i.thread_id for i in _mails()}) == 1


def test_linking_by_any_address_person_email_and_domain(world):
    capture(
        world.anna,
        mail(msgid="<l1@x>", sender="j.mueller@privat.example"),  # a second PersonEmail
        mail(msgid="<l2@x>", sender="Neu <neu@kunde.example>"),  # nobody: the domain's org
        mail(msgid="<l3@x>", sender="Max <max@gmail.com>"),  # free mail: no organization
    )
    l1, l2, l3 = (_mails().get(source_id=f"l{n}@x") for n in (1, 2, 3))
    assert list(l1.people.all()) == [world.joerg] and list(l1.organizations.all()) == [world.kunde]
    assert list(l2.people.all()) == [] and list(l2.organizations.all()) == [world.kunde]
    assert list(l3.people.all()) == [] and list(l3.organizations.all()) == []


def test_linking_only_to_people_the_owner_may_see(world):
    # Lena (Person.email only, no PersonEmail row) belongs to Carla's team: Anna does not see her
    capture(world.anna, mail(msgid="<v1@x>", sender="lena@lieferant.example"))
    capture(
        world.carla, mail(msgid="<v2@x>", sender="lena@lieferant.example", to="carla@example.test")
    )
    anna_mail, carla_mail = _mails().get(source_id="v1@x"), _mails().get(source_id="v2@x")
    assert list(anna_mail.people.all()) == [] and list(anna_mail.organizations.all()) == []
    assert list(carla_mail.people.all()) == [world.lena]
    assert list(carla_mail.organizations.all()) == [world.lieferant]


def test_direction_from_own_addresses(world):
    MailAccount.objects.create(
        owner=world.anna,
        host="imap.example",
        username="anna",
        own_addresses=["vertrieb@firma.example"],
    )
    capture(
        world.anna,
        mail(msgid="<d1@x>", sender="joerg@kunde.example", to="anna@example.test"),
        mail(msgid="<d2@x>", sender="anna@example.test", to="joerg@kunde.example"),
        mail(msgid="<d3@x>", sender="vertrieb@firma.example", to="joerg@kunde.example"),
        mail(msgid="<d4@x>", sender="anna@example.test", to="ben@example.test"),
    )
    directions = {i.source_id: i.direction for i in _mails()}
    assert directions == {
        "d1@x": "inbound",
        "d2@x": "outbound",
        "d3@x": "outbound",
        "d4@x": "internal",
    }
    internal = _mails().get(source_id="d4@x")
    assert set(internal.users.all()) == {world.anna, world.ben}


def test_unknown_senders_offered_not_created(world):
    people_before = world.joerg.__class__.objects.count()
    capture(
        world.anna,
        mail(msgid="<s1@x>", sender="Eva Neu <eva@neu.example>", date=BASE),
        mail(msgid="<s2@x>", sender="eva@neu.example", date=BASE + dt.timedelta(days=2)),
        mail(msgid="<s3@x>", sender="anna@example.test", to="Otto <otto@neu.example>"),
        mail(msgid="<s4@x>", sender="noreply@shop.example"),
    )
    assert world.joerg.__class__.objects.count() == people_before
    senders = {s.address: s for s in UnknownSender.objects.filter(owner=world.anna)}
    assert set(senders) == {"eva@neu.example", "otto@neu.example"}
    eva = senders["eva@neu.example"]
    assert (eva.display_name, eva.message_count, eva.status) == ("Eva Neu", 2, SenderStatus.NEW)
    assert eva.first_seen == BASE and eva.last_seen == BASE + dt.timedelta(days=2)
    # counted again by later mail, not by a re-import
    capture(world.anna, mail(msgid="<s1@x>", sender="eva@neu.example"))
    assert UnknownSender.objects.get(owner=world.anna, address="eva@neu.example").message_count == 2


def test_creating_a_suggested_person_links_their_mails(world):
    capture(
        world.anna,
        mail(msgid="<p1@x>", sender="Eva Neu <eva@kunde.example>"),
        mail(msgid="<p2@x>", sender="anna@example.test", to="eva@kunde.example"),
    )
    sender = UnknownSender.objects.get(owner=world.anna, address="eva@kunde.example")
    person = services.unknown_sender_create_person(
        actor=world.anna,
        instance=sender,
        data={"first_name": "Eva", "last_name": "Neu", "organization": world.kunde.pk},
    )
    assert person.email == "eva@kunde.example" and person.organization == world.kunde
    for interaction in _mails():
        assert person in interaction.people.all()
        assert world.kunde in interaction.organizations.all()
    person.refresh_from_db()
    assert person.last_interaction_at is not None
    sender.refresh_from_db()
    assert sender.status == SenderStatus.CREATED and sender.person == person


def test_split_name():
    assert services.split_name("Müller, Jörg", "x@y") == ("Jörg", "Müller")
    assert services.split_name("Jörg Müller", "x@y") == ("Jörg", "Müller")
    assert services.split_name("", "eva.neu@y.de") == ("Eva", "Neu")


def test_attachments_stored_once_per_content(world):
    pdf = b"%PDF-1.4 " + b"x" * 5000
    capture(
        world.anna,
        mail(msgid="<f1@x>", attachments=[("Angebot.pdf", "application/pdf", pdf)]),
        mail(msgid="<f2@x>", attachments=[("Kopie.pdf", "application/pdf", pdf)]),
    )
    files = list(Attachment.objects.order_by("pk"))
    assert [(a.filename, a.size, a.content_type) for a in files] == [
        ("Angebot.pdf", len(pdf), "application/pdf"),
        ("Kopie.pdf", len(pdf), "application/pdf"),
    ]
    assert files[0].file.name == files[1].file.name
    assert files[0].file.read() == pdf


def test_bad_messages_reported_and_the_rest_goes_on(world):
    broken = (
        b"From: a@b.de\nSubject: kaputt\nMessage-ID: <broken@x>\n"
        b"Date: Mon, 3 Mar 2025 10:00:00 +0100\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\n\nno boundary anywhere\n'
    )
    data = mbox(
        mail(msgid="<ok1@x>"),
        broken,
        mail(msgid="<bad-date@x>", date="gestern"),
        mail(msgid="<ok2@x>"),
    )
    job = upload(world.anna, data)
    assert job.status == Job.Status.SUCCEEDED
    # the invalid date falls back to the time on the mbox's "From " line, with a warning
    assert sorted(_mails().values_list("source_id", flat=True)) == ["bad-date@x", "ok1@x", "ok2@x"]
    assert job.counts == {"created": 3, "failed": 1}
    assert [e["where"] for e in job.errors] == ["message 2", "message 3 <bad-date@x>"]
    assert "Malformed MIME" in job.errors[0]["message"]
    assert "“gestern” is not valid" in job.errors[1]["message"]


def test_file_that_is_no_mail_fails_the_job_with_a_reason(world):
    job = upload(world.anna, b"PK\x03\x04 this is not a zip", "x.zip")
    assert job.status == Job.Status.FAILED
    assert "x.zip" in job.failure and "ZIP" in job.failure
    assert _mails().count() == 0


def test_import_resumes_from_checkpoint_without_doubles(world, monkeypatch):
    from accord.dataio.mail.services import imports

    monkeypatch.setattr(imports, "IMPORT_BATCH", 2)
    data = mbox(*(mail(msgid=f"<k{i}@x>") for i in range(5)))
    job = services.mail_import_start(actor=world.anna, upload=SimpleUploadedFile("k.mbox", data))
    calls = {"n": 0}
    original = services.MailCapture.write

    def crash_on_third_batch(self, items, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return original(self, items, **kwargs)

    monkeypatch.setattr(services.MailCapture, "write", crash_on_third_batch)
    run_jobs_now()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.checkpoint["index"] == 4 and _mails().count() == 4
    monkeypatch.setattr(services.MailCapture, "write", original)
    # the retry runs the same handler with the saved checkpoint
    ctx = JobContext(job)
    services.mail_import_run(ctx)
    assert _mails().count() == 5
    assert sorted(_mails().values_list("source_id", flat=True)) == [f"k{i}@x" for i in range(5)]


def test_rerun_of_a_half_written_batch_writes_nothing_twice(world, monkeypatch):
    """A batch committed but not checkpointed (crash in between) is read again: nothing doubles."""
    from accord.dataio.mail.services import imports

    monkeypatch.setattr(imports.default_storage, "delete", lambda name: None)
    data = mbox(*(mail(msgid=f"<h{i}@x>") for i in range(3)))
    job = upload(world.anna, data)
    Job.objects.filter(pk=job.pk).update(checkpoint={}, status=Job.Status.FAILED)
    job.refresh_from_db()
    services.mail_import_run(JobContext(job))
    assert _mails().count() == 3


def test_empty_upload_refused(world):
    with pytest.raises(ValidationError, match="empty"):
        services.mail_import_start(actor=world.anna, upload=SimpleUploadedFile("e.eml", b""))


def test_job_limit_refuses_the_upload_and_keeps_no_file(world, settings, monkeypatch):
    from accord.core.jobs import JobLimitReached
    from accord.dataio.mail.services import imports

    settings.ACCORD_MAX_ACTIVE_JOBS_PER_USER = 1
    first = services.mail_import_start(actor=world.anna, upload=SimpleUploadedFile("a.eml", mail()))
    saved = []
    original = default_storage.save

    def remember(name, content, **kwargs):
        saved.append(original(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(imports.default_storage, "save", remember)
    with pytest.raises(JobLimitReached):
        services.mail_import_start(actor=world.anna, upload=SimpleUploadedFile("b.eml", mail()))
    assert saved and not default_storage.exists(saved[0])
    assert default_storage.exists(first.params["path"])


def test_captured_mail_announced_only_when_switched_on(world, monkeypatch):
    from accord.core.signals import record_changed
    from accord.dataio.mail.services import capture as capture_module

    seen = []

    def receiver(sender, instance, action, actor, **kwargs):
        seen.append((sender, instance.source_id, action, actor))

    record_changed.connect(receiver, dispatch_uid="mail_test")
    try:
        capture(world.anna, mail(msgid="<quiet@x>"))
        monkeypatch.setattr(capture_module, "ANNOUNCE_CAPTURED", True)
        capture(world.anna, mail(msgid="<w@x>"))
    finally:
        record_changed.disconnect(dispatch_uid="mail_test")
    assert seen == [(Interaction, "w@x", "created", world.anna)]


def test_a_message_the_database_refuses_is_reported_the_batch_kept(world, monkeypatch):
    from django.db import DatabaseError

    from accord.interactions.services import capture as bulk

    original = bulk.interactions_bulk_create

    def refuse_one(drafts, **kwargs):
        if any(d.source_id == "poison@x" for d in drafts):
            raise DatabaseError("value too long")
        return original(drafts, **kwargs)

    monkeypatch.setattr(bulk, "interactions_bulk_create", refuse_one)
    outcome = capture(
        world.anna, mail(msgid="<a@x>"), mail(msgid="<poison@x>"), mail(msgid="<b@x>")
    )
    assert sorted(_mails().values_list("source_id", flat=True)) == ["a@x", "b@x"]
    assert outcome.created == 2
    assert outcome.errors == [("message 2", "The message could not be stored: value too long")]
