"""Importing people with positions: dry run, duplicates (each mode, exact and similar), visibility
of matches, denormalised fields and search, per-row errors, resume after a crash."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accord.core import jobs
from accord.core.jobs import run_jobs_now
from accord.core.search import search_ids
from accord.dataio.imports import services
from accord.dataio.imports.engine.people import PersonHandler
from accord.dataio.imports.services import runner
from accord.parties.models import Organization, Person, PersonEmail, PersonPhone, Position
from accord.parties.services import organization_create, person_create

from .conftest import check, import_all, upload

HEADER = "Vorname;Nachname;E-Mail;Telefon;Firma;Position;Seit;Externe ID\n"


def people_csv(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


@pytest.fixture
def anna(users):
    org = organization_create(actor=users.owner, data={"name": "Müller GmbH", "country": "DE"})
    return person_create(
        actor=users.owner,
        data={
            "first_name": "Anna",
            "last_name": "Roth",
            "emails": ["anna@roth.de"],
            "positions": [{"organization": org, "title": "Einkauf", "is_primary": True}],
        },
    )


def test_dry_run_writes_nothing_and_says_what_will_happen(users, anna):
    run = upload(
        users.owner,
        people_csv(
            "Jörg;Weiß;joerg@weiss.de;030 1234567;Müller GmbH;CTO;01.02.2024;P-1",
            "Anna;Roth;ANNA@roth.de;;;;;",
            "Kein;;kaputt;123;;;31.02.2024;",
        ).encode("cp1252"),
    )
    before = (Person.objects.count(), Organization.objects.count(), PersonEmail.objects.count())
    run = check(run)
    assert (
        Person.objects.count(),
        Organization.objects.count(),
        PersonEmail.objects.count(),
    ) == before
    assert run.status == "checked"
    counts = run.report["counts"]
    assert (counts["create"], counts["update"], counts["skip"], counts["error"]) == (1, 1, 0, 1)
    errors = {(e["row"], e["column"]) for e in run.report["errors"]}
    assert errors == {(4, "Nachname"), (4, "E-Mail"), (4, "Telefon"), (4, "Seit")}
    dates = [e for e in run.report["errors"] if e["column"] == "Seit"]
    assert "31.02.2024" in dates[0]["message"]
    assert run.report["samples"]["update"][0]["reason"] == "same email address anna@roth.de"


def test_import_creates_people_positions_addresses_and_keeps_summaries(users, anna):
    run = import_all(
        upload(
            users.owner,
            people_csv(
                "Jörg;Weiß;joerg@weiss.de;030 1234567;Müller GmbH;CTO;01.02.2024;P-1",
                "Lena;Groß;lena@gross.de;+49 89 12345678;Neue Firma AG;Einkauf;;P-2",
                "Tom;Kurz;;;;;;",
            ),
        )
    )
    assert run.status == "done", run.error
    assert run.result["counts"]["create"] == 3
    assert run.result["counts"]["organizations_created"] == 1
    joerg = Person.objects.get(email="joerg@weiss.de")
    assert (joerg.first_name, joerg.last_name, joerg.external_id) == ("Jörg", "Weiß", "P-1")
    assert joerg.organization.name == "Müller GmbH"  # the existing one, by name
    assert joerg.organization_id == anna.organization_id
    assert joerg.job_title == "CTO"
    assert joerg.owner == users.owner and joerg.team == users.team_a
    position = Position.objects.get(person=joerg)
    assert position.is_primary and str(position.start_date) == "2024-02-01"
    assert list(PersonPhone.objects.filter(person=joerg).values_list("number", flat=True)) == [
        "+49301234567"
    ]
    lena = Person.objects.get(external_id="P-2")
    assert lena.organization.name == "Neue Firma AG" and lena.organization.owner == users.owner
    assert Person.objects.get(last_name="Kurz").organization is None
    # history signed by the importer, search finds the new people
    entry = joerg.history.first()
    assert entry.history_user == users.owner and "people.csv" in entry.history_change_reason
    assert joerg.pk in search_ids(Person, "Weiß")
    assert lena.organization.pk in search_ids(Organization, "Neue Firma")


@pytest.mark.parametrize(
    ("mode", "expected_people", "expected"),
    [("update", 1, "update"), ("skip", 1, "skip"), ("create", 2, "create")],
)
def test_each_duplicate_mode(users, anna, mode, expected_people, expected):
    run = upload(
        users.owner,
        people_csv("Anna Maria;Roth;anna@roth.de;030 1234567;Müller GmbH;Leiterin Einkauf;;A-7"),
        on_duplicate=mode,
    )
    run = import_all(run)
    assert run.result["counts"][expected] == 1
    assert Person.objects.filter(last_name="Roth").count() == expected_people
    anna.refresh_from_db()
    if mode == "update":
        assert anna.first_name == "Anna Maria" and anna.external_id == "A-7"
        assert anna.job_title == "Leiterin Einkauf"  # the position at Müller GmbH was updated
        assert Position.objects.filter(person=anna).count() == 1
        assert anna.phones.get().number == "+49301234567"
        assert anna.history.first().history_type == "~"
    else:
        assert anna.first_name == "Anna" and anna.external_id == ""


def test_external_id_matches_before_email(users, anna):
    Person.objects.filter(pk=anna.pk).update(external_id="CRM-1")
    run = import_all(upload(users.owner, people_csv("Anna;Roth;neu@roth.de;;;;;CRM-1")))
    assert run.result["counts"]["update"] == 1
    anna.refresh_from_db()
    assert sorted(anna.emails.values_list("email", flat=True)) == ["anna@roth.de", "neu@roth.de"]
    assert anna.email == "anna@roth.de"  # the primary address stays primary


def test_same_person_twice_in_one_file_is_one_person(users):
    run = import_all(
        upload(
            users.owner,
            people_csv("Jörg;Weiß;joerg@weiss.de;;;;;", "Jörg;Weiß;joerg@weiss.de;030 1234567;;;;"),
        )
    )
    assert Person.objects.filter(last_name="Weiß").count() == 1
    assert run.result["counts"] == {"create": 1, "update": 1}
    assert Person.objects.get(last_name="Weiß").phones.count() == 1


def test_similar_names_are_listed_for_a_decision(users, anna):
    # no email given: "Anna Roth" at Müller GmbH is the same name → treated as the same person by
    # default; "Anna Rothe" is only similar → a new person unless decided otherwise
    run = check(upload(users.owner, people_csv("Anna;Roth;;;Müller GmbH;;;", "Anna;Rothe;;;;;;")))
    similar = {s["row"]: s for s in run.report["similar"]}
    assert similar[2]["identical"] and similar[2]["decision"] == "same"
    assert similar[2]["record_id"] == anna.pk and similar[2]["record_url"]
    assert 90 <= similar[3]["score"] < 100 and similar[3]["decision"] == "new"
    assert run.report["counts"]["update"] == 1 and run.report["counts"]["create"] == 1
    run = services.import_set_decisions(
        actor=users.owner, run=run, decisions={"2": "new", "3": "same"}
    )
    assert run.report["counts"]["update"] == 1 and run.report["counts"]["create"] == 1
    run = import_all(run)
    new = Person.objects.get(last_name="Roth")  # row 2 made a new person …
    assert new.pk != anna.pk
    anna.refresh_from_db()
    assert anna.last_name == "Rothe"  # … and row 3 updated Anna, name included
    assert run.result["counts"] == {"create": 1, "update": 1, "similar": 2}


def test_same_name_with_another_address_is_not_taken_for_the_same_person(users, anna):
    run = check(upload(users.owner, people_csv("Anna;Roth;anna.roth@andere-firma.de;;;;;")))
    assert run.report["similar"][0]["identical"] is False
    assert run.report["counts"]["create"] == 1


def test_matches_only_records_the_importer_may_see(users, anna):
    # anna belongs to team A; "other" (team B) cannot see her: their import creates a new person
    # and a new organization rather than touching, or even revealing, team A's records
    run = import_all(
        upload(users.other, people_csv("Anna;Roth;anna@roth.de;;Müller GmbH;;;")),
    )
    assert run.result["counts"]["create"] == 1 and "update" not in run.result["counts"]
    assert run.report["similar"] == []
    mine = Person.objects.filter(owner=users.other).get()
    assert mine.pk != anna.pk and mine.organization.pk != anna.organization_id
    anna.refresh_from_db()
    assert anna.history.count() == 1


def test_a_record_seen_but_not_changeable_is_an_error_in_update_mode(users, anna):
    from accord.core.sharing import share_create  # type: ignore[attr-defined]

    share_create(actor=users.owner, obj=anna, user=users.other)
    run = check(upload(users.other, people_csv("Anna;Roth;anna@roth.de;;;;;")))
    assert run.report["counts"]["error"] == 1
    assert "may not change" in run.report["errors"][0]["message"]


def test_a_file_that_cannot_be_read_is_refused_before_anything_is_stored(users):
    with pytest.raises(ValidationError) as exc:
        upload(users.owner, b"Vorname;Nachname\nAnna;Roth\n\x00\x00", name="kaputt.csv")
    assert "kaputt.csv" in exc.value.message_dict["file"][0]
    assert not Person.objects.exists()
    from accord.dataio.imports.models import ImportRun

    assert not ImportRun.objects.exists()


def test_resume_after_a_crash_imports_every_row_exactly_once(users, monkeypatch):
    rows = [f"Vorname{i};Nachname{i};p{i}@example.de;;Firma {i % 3};;;X{i}" for i in range(23)]
    rows.append("Falsch;Adresse;kaputt;;;;;")  # row 26, in the last batch
    rows.insert(12, "Auch;Falsch;nicht-da;;;;;")  # row 14, in the batch that crashes
    run = upload(users.owner, people_csv(*rows))
    check(run)
    monkeypatch.setattr(runner, "BATCH_SIZE", 5)
    original = PersonHandler.apply
    calls = {"n": 0}

    def crash_in_third_batch(self, planned):
        calls["n"] += 1
        result = original(self, planned)  # the third batch is written …
        if calls["n"] == 3:
            raise RuntimeError("worker killed")  # … and rolled back with its transaction
        return result

    monkeypatch.setattr(PersonHandler, "apply", crash_in_third_batch)
    services.import_start(actor=users.owner, run=run)
    (job,) = run_jobs_now()
    run.refresh_from_db()
    assert job.status == "failed" and run.status == "failed"
    assert run.rows_committed == 11  # rows 2–11: two batches of five
    assert Person.objects.count() == 10
    assert job.checkpoint["row"] == 11
    assert job.error_count == 0  # row 14 was in the batch rolled back: not reported yet …

    monkeypatch.setattr(PersonHandler, "apply", original)
    jobs.retry_job(users.owner, job)
    (job,) = run_jobs_now()
    run.refresh_from_db()
    assert job.status == "succeeded" and run.status == "done"
    assert Person.objects.count() == 23
    assert sorted(Person.objects.values_list("external_id", flat=True)) == sorted(
        f"X{i}" for i in range(23)
    )
    assert PersonEmail.objects.count() == 23 and Position.objects.count() == 23
    assert Organization.objects.count() == 3  # created once each, also across the crash
    counts = run.result["counts"]
    assert (counts["create"], counts["error"], counts["organizations_created"]) == (23, 2, 3)
    assert run.result["rows_done"] == 25 and job.done == 25
    assert job.counts == {"created": 23, "error": 2, "organizations_created": 3, "similar": 13}
    assert job.error_count == 2  # … and once only after it
    assert [e["where"] for e in job.errors] == ["row 14", "row 26"]

    # running the finished job's handler again changes nothing
    runner.run_import(run=run, progress=runner.NullProgress())
    assert Person.objects.count() == 23


def test_viewer_cannot_import(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(users.viewer, people_csv("Anna;Roth;;;;;;"))


def test_a_file_that_breaks_in_the_dry_run_fails_there_and_writes_nothing(users):
    huge_note = ("x" * 999 + "\n") * 1100  # 1.1 million characters in one quoted field
    rows = [f"Vorname{i};Nachname{i};;;;;;" for i in range(6)]
    text = people_csv(*rows) + f'Jörg;Weiß;;;;"{huge_note}";;\n'
    run = upload(users.owner, text, name="notizen.csv")  # short lines, fine first rows: accepted
    run = check(run)
    assert run.status == "failed"
    assert "notizen.csv" in run.error and "row 8" in run.error
    assert run.check_job.status == "failed" and "row 8" in run.check_job.failure
    with pytest.raises(ValidationError):
        services.import_start(actor=users.owner, run=run)
    assert not Person.objects.exists()
