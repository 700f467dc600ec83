"""Importing organizations (VAT id, domain, external id, similar names), interactions and
follow-ups (linked to visible parties only), and XLSX files end to end."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accord.interactions.models import FollowUp, Interaction
from accord.parties.models import Organization, Person
from accord.parties.services import organization_create, person_create

from .conftest import check, import_all, upload
from .files import xlsx

ORG_HEADER = "Firma;USt-IdNr.;Webseite;Telefon;Straße;PLZ;Ort;Land;Rolle;Externe ID\n"


def test_organizations_are_created_with_validated_fields(users):
    run = import_all(
        upload(
            users.owner,
            ORG_HEADER
            + "Müller GmbH;DE 136 695 976;www.mueller.de;030 1234567;Hauptstr. 1;10115;Berlin;Deutschland;Kunde, Lieferant;K-1\n"
            + "Falsch AG;DE123;;;;;;;Kunde;\n"
            + "Ohne Land;;;;;;;Atlantis;Freund;\n",
            name="firmen.csv",
            kind="organizations",
        )
    )
    assert run.result["counts"] == {"create": 1, "error": 2}
    org = Organization.objects.get()
    assert org.vat_id == "DE136695976" and org.website == "https://www.mueller.de"
    assert org.phone == "+49301234567" and org.country.code == "DE"
    assert org.roles == ["client", "supplier"] and org.external_id == "K-1"
    messages = {(e["row"], e["column"]) for e in run.result["errors"]}
    assert (3, "USt-IdNr.") in messages and (4, "Land") in messages and (4, "Rolle") in messages


def test_organizations_match_by_vat_domain_external_id_and_name(users):
    a = organization_create(actor=users.owner, data={"name": "Alpha", "vat_id": "DE136695976"})
    b = organization_create(actor=users.owner, data={"name": "Beta", "website": "https://beta.de"})
    c = organization_create(actor=users.owner, data={"name": "Gamma", "external_id": "G-1"})
    d = organization_create(
        actor=users.owner, data={"name": "Delta Logistik GmbH", "roles": ["supplier"]}
    )
    run = import_all(
        upload(
            users.owner,
            ORG_HEADER
            + "Alpha neu;DE136695976;;;;;;;;\n"
            + "Beta neu;;http://www.beta.de/impressum;;;;;;;\n"
            + "Gamma neu;;;;;;;;;G-1\n"
            + "Delta Logistik AG;;;;;;Hamburg;;Kunde;\n"
            + "Epsilon;;;;;;;;;\n",
            kind="organizations",
        )
    )
    assert run.report["counts"]["update"] == 4 and run.report["counts"]["create"] == 1
    for org, name in ((a, "Alpha neu"), (b, "Beta neu"), (c, "Gamma neu")):
        org.refresh_from_db()
        assert org.name == name
    d.refresh_from_db()
    assert d.city == "Hamburg" and d.roles == ["client", "supplier"]  # roles are added
    assert run.report["similar"][0]["row"] == 5 and run.report["similar"][0]["identical"]


def test_organizations_of_another_team_are_not_matched(users):
    theirs = organization_create(actor=users.other, data={"name": "Alpha", "vat_id": "DE136695976"})
    run = import_all(
        upload(users.owner, ORG_HEADER + "Alpha;DE136695976;;;;;;;;\n", kind="organizations")
    )
    assert run.result["counts"] == {"create": 1}
    theirs.refresh_from_db()
    assert theirs.history.count() == 1
    assert Organization.objects.filter(vat_id="DE136695976", owner=users.owner).exists()


def test_interactions_link_visible_parties_and_keep_their_times(users):
    org = organization_create(actor=users.owner, data={"name": "Müller GmbH"})
    person = person_create(
        actor=users.owner,
        data={
            "first_name": "Anna",
            "last_name": "Roth",
            "emails": ["anna@roth.de"],
            "positions": [{"organization": org, "is_primary": True}],
        },
    )
    hidden = organization_create(actor=users.other, data={"name": "Geheim AG"})
    future = (timezone.localtime() + dt.timedelta(days=3)).strftime("%d.%m.%Y %H:%M")
    csv_text = (
        "Datum;Art;Betreff;Text;Firma;E-Mail;Dauer\n"
        "03.02.2025 14:05;Anruf;Angebot besprochen;Will bis Freitag;Müller GmbH;;15\n"
        "04.02.2025 09:00;E-Mail;Nachfrage;;;anna@roth.de;\n"
        f"{future};Besuch;Werksbesuch;;Müller GmbH;;\n"
        f"{future};Notiz;Zukunft;;Müller GmbH;;\n"
        "05.02.2025;Anruf;Geheim;;Geheim AG;;\n"
        "31.02.2025;Anruf;Kaputt;;Müller GmbH;;\n"
        "06.02.2025;Brieftaube;Unbekannt;;Müller GmbH;;\n"
    )
    run = import_all(upload(users.owner, csv_text, name="log.csv", kind="interactions"))
    assert run.result["counts"] == {"create": 3, "error": 4}
    call = Interaction.objects.get(subject="Angebot besprochen")
    assert call.kind == "call" and call.duration_minutes == 15
    assert timezone.localtime(call.occurred_at).hour == 14
    assert list(call.organizations.all()) == [org]
    mail = Interaction.objects.get(subject="Nachfrage")
    assert list(mail.people.all()) == [person] and list(mail.organizations.all()) == [org]
    org.refresh_from_db()
    person.refresh_from_db()
    assert org.last_interaction_at == Interaction.objects.get(subject="Werksbesuch").occurred_at
    assert person.last_interaction_at == mail.occurred_at
    rows = {e["row"]: e["message"] for e in run.result["errors"]}
    assert "future" in rows[5] and "No organization you may see" in rows[6]
    assert "not a valid date" in rows[7] and "not one of" in rows[8]
    assert not hidden.interactions.exists()
    # the same file again: every row matches (same minute and subject) and is skipped
    again = import_all(
        upload(users.owner, csv_text, name="log.csv", kind="interactions", on_duplicate="skip")
    )
    assert again.result["counts"] == {"skip": 3, "error": 4}
    assert Interaction.objects.count() == 3


def test_follow_ups_with_assignee_status_and_due_date_rules(users):
    org = organization_create(actor=users.owner, data={"name": "Müller GmbH"})
    next_week = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    run = import_all(
        upload(
            users.owner,
            "Aufgabe;Fällig am;Zuständig;Firma;Status\n"
            f"Angebot nachfassen;{next_week};other@example.test;Müller GmbH;offen\n"
            f"Vertrag prüfen;{next_week};;Müller GmbH;erledigt\n"
            "Uralt;01.01.1999;;Müller GmbH;\n"
            f"Niemand;{next_week};nobody@example.test;Müller GmbH;\n",
            name="todo.csv",
            kind="follow_ups",
        )
    )
    assert run.result["counts"] == {"create": 2, "error": 2}
    first = FollowUp.objects.get(title="Angebot nachfassen")
    assert first.assignee == users.other and first.organization == org and first.status == "open"
    done = FollowUp.objects.get(title="Vertrag prüfen")
    assert done.assignee == users.owner and done.status == "done" and done.completed_at
    assert done.owner == users.owner


def test_xlsx_people_import_end_to_end(users):
    data = xlsx(
        [
            ["Vorname", "Nachname", "E-Mail", "Firma", "Position", "Seit"],
            ["Anna", "Müller", "anna@mueller.de", "Müller GmbH", "CEO", dt.datetime(2020, 5, 1)],
            ["Jörg", "Weiß", "joerg@weiss.de", "Müller GmbH", "CTO", "01.13.2020"],
        ]
    )
    run = check(upload(users.owner, data, name="kontakte.xlsx"))
    assert run.file_format == "xlsx"
    assert run.report["counts"]["create"] == 1 and run.report["counts"]["error"] == 1
    assert run.report["errors"][0]["row"] == 3 and run.report["errors"][0]["column"] == "Seit"
    run = import_all(run)
    anna = Person.objects.get()
    assert anna.organization.name == "Müller GmbH" and anna.positions.get().start_date == dt.date(
        2020, 5, 1
    )
