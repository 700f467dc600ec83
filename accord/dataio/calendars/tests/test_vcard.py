"""vCard 3.0 and 4.0: import as people (duplicates by email as chosen), export (one person, a
filtered list, a selection), round trips, and hostile files that end in a clear report."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from accord.core.jobs import run_jobs_now
from accord.core.models import Job
from accord.dataio.calendars import services
from accord.dataio.calendars.parsing import (
    MAX_LINE_BYTES,
    iter_blocks,
    parse_vcard,
)
from accord.parties import services as parties
from accord.parties.models import Organization, Person, PersonEmail, PersonPhone, Position
from accord.parties.tests.factories import OrganizationFactory, make_person

from .conftest import sample

pytestmark = pytest.mark.django_db


def _cards(content: bytes):
    return [parse_vcard(b) for b in iter_blocks(io.BytesIO(content), ["VCARD"])]


# --- parsing -------------------------------------------------------------------------------


def test_apple_style_3_0_card_is_read_whole():
    anna, joerg = _cards(sample("apple_3_0.vcf"))
    assert (anna.first_name, anna.last_name, anna.academic_title) == ("Anna Maria", "Müller", "Dr.")
    assert anna.emails == [
        ("anna.mueller@mueller-soehne.example", "work"),
        ("anna@privat.example", "private"),
    ]
    assert anna.phones == [("+49 30 1234567", "work"), ("0171 2345678", "mobile")]
    assert (anna.organization, anna.department) == ("Müller & Söhne GmbH", "Einkauf")
    assert anna.title == "Leiterin Einkauf"
    assert anna.notes == "Kennt den Vorstand, spricht Englisch.\nBevorzugt Telefon."
    assert anna.tags == ["Kunde", "Messe 2024"]
    assert (joerg.first_name, joerg.last_name) == ("Jörg", "Schmidt")


def test_rfc_6350_4_0_cards_and_an_organization_card():
    blocks = list(iter_blocks(io.BytesIO(sample("rfc6350_4_0.vcf")), ["VCARD"]))
    francoise = parse_vcard(blocks[0])
    assert francoise.salutation == "Mme"
    assert francoise.emails[0] == ("francoise@dupont.example", "work")
    assert francoise.phones == [("+33-1-42-68-53-00", "work"), ("+33612345678", "mobile")]
    with pytest.raises(ValueError, match="organization, not a person"):
        parse_vcard(blocks[1])
    kim = parse_vcard(blocks[2])
    assert (kim.first_name, kim.last_name) == ("✨ Kim Lee", "🎉")


# --- import ----------------------------------------------------------------------------------


def test_import_creates_people_with_positions_emails_and_phones(users, run_import):
    job = run_import(users.owner, "vcard", sample("apple_3_0.vcf"), name="kontakte.vcf")
    assert job.status == "succeeded", job.failure
    assert job.counts == {"created": 2}
    anna = Person.objects.get(last_name="Müller")
    assert anna.owner == users.owner and anna.team == users.team_a
    assert anna.email == "anna.mueller@mueller-soehne.example"
    assert anna.organization.name == "Müller & Söhne GmbH"
    assert anna.job_title == "Leiterin Einkauf"
    assert Position.objects.get(person=anna).department == "Einkauf"
    assert set(PersonPhone.objects.filter(person=anna).values_list("number", flat=True)) == {
        "+49301234567",
        "+491712345678",
    }
    assert set(anna.tags.values_list("name", flat=True)) == {"Kunde", "Messe 2024"}


def test_existing_organization_is_used_not_duplicated(users, run_import):
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="schmidt ag")
    run_import(users.owner, "vcard", sample("apple_3_0.vcf"))
    assert Organization.objects.filter(name__iexact="schmidt ag").count() == 1
    assert Person.objects.get(last_name="Schmidt").organization == org


def test_missing_organization_goes_to_notes_when_not_created(users, run_import):
    run_import(users.owner, "vcard", sample("apple_3_0.vcf"), create_organizations=False)
    assert not Organization.objects.exists()
    assert "Organization: Schmidt AG" in Person.objects.get(last_name="Schmidt").notes


@pytest.mark.parametrize(
    ("mode", "people", "counts"),
    [
        ("skip", 2, {"created": 1, "skipped": 1}),
        ("update", 2, {"created": 1, "updated": 1}),
        ("create", 3, {"created": 2}),
    ],
)
def test_duplicates_by_email_skip_update_or_create(users, run_import, mode, people, counts):
    existing = make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="J.",
        last_name="Schmidt",
        email="joerg.schmidt@schmidt-ag.example",
    )
    job = run_import(users.owner, "vcard", sample("apple_3_0.vcf"), on_duplicate=mode)
    assert job.counts == counts
    assert Person.objects.count() == people
    existing.refresh_from_db()
    if mode == "update":
        assert existing.first_name == "Jörg"
        assert existing.organization.name == "Schmidt AG"
        assert PersonPhone.objects.filter(person=existing).count() == 1
    else:
        assert existing.first_name == "J."


def test_duplicate_check_sees_only_visible_people(users, run_import):
    make_person(owner=users.other, team=users.team_b, email="joerg.schmidt@schmidt-ag.example")
    job = run_import(users.owner, "vcard", sample("apple_3_0.vcf"), on_duplicate="skip")
    assert job.counts == {"created": 2}


def test_a_match_one_may_not_change_is_reported(users, run_import):
    from accord.core.sharing import share_create

    other = make_person(
        owner=users.other, team=users.team_b, email="joerg.schmidt@schmidt-ag.example"
    )
    share_create(actor=users.other, obj=other, user=users.owner)
    job = run_import(users.owner, "vcard", sample("apple_3_0.vcf"), on_duplicate="update")
    assert job.counts == {"created": 1, "failed": 1}
    assert job.errors[0]["where"] == "card 2 (Jörg Schmidt)"
    assert "may not change" in job.errors[0]["message"]


def test_importing_the_same_file_twice_with_update_creates_nobody_twice(users, run_import):
    run_import(users.owner, "vcard", sample("rfc6350_4_0.vcf"))
    first = Person.objects.count()
    job = run_import(users.owner, "vcard", sample("rfc6350_4_0.vcf"))
    assert Person.objects.count() == first == 2
    assert job.counts == {"updated": 2, "failed": 1}
    assert PersonEmail.objects.count() == 3


def test_viewer_cannot_import(users):
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(PermissionDenied):
        services.calendar_import_start(
            actor=users.viewer,
            file_format="vcard",
            uploaded_file=SimpleUploadedFile("a.vcf", sample("apple_3_0.vcf")),
        )


# --- hostile and broken files ----------------------------------------------------------------

GOOD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Gut;Anna;;;\r\nFN:Anna Gut\r\nEND:VCARD\r\n"


def test_broken_cards_are_named_and_the_others_imported(users, run_import):
    content = b"".join(
        [
            GOOD,
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kaputt;\xff\xfeX;;;\r\nEND:VCARD\r\n",  # not UTF-8
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:"
            + b"x" * (MAX_LINE_BYTES + 10)
            + b"\r\nEND:VCARD\r\n",
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:nobody@example.org\r\nEND:VCARD\r\n",  # no name
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bin\x00r;;;;\r\nEND:VCARD\r\n",
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Mail;Max;;;\r\nEMAIL:not an address\r\nEND:VCARD\r\n",
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Offen;Olga;;;\r\n",  # never closed
        ]
    )
    job = run_import(users.owner, "vcard", content, name="hostile.vcf")
    assert job.status == "succeeded"
    assert job.counts == {"created": 2, "failed": 5}
    by_where = {e["where"]: e["message"] for e in job.errors}
    assert "not UTF-8" in by_where["card 2 (line 6)"]
    assert "line 12 is longer than 64 KB" in by_where["card 3 (line 10)"]
    assert "no name" in by_where["card 4 (line 14)"]
    assert "binary" in by_where["card 5 (line 18)"]
    assert "not an email address" in by_where["card 6 (Max Mail)"]
    assert "not closed" in by_where["card 7 (line 27)"]
    assert set(Person.objects.values_list("last_name", flat=True)) == {"Gut", "Mail"}


def test_a_huge_single_line_file_fails_clearly(users):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as exc:
        services.calendar_import_start(
            actor=users.owner,
            file_format="vcard",
            uploaded_file=SimpleUploadedFile("big.vcf", b"A" * (3 * 1024 * 1024)),
        )
    assert "not a vCard file" in exc.value.message_dict["file"][0]


def test_a_file_with_a_header_but_no_card_fails_the_job(users, run_import):
    job = run_import(users.owner, "vcard", b"BEGIN:VCARD\r\n" + b"x" * 200_000, name="x.vcf")
    assert job.status == "succeeded"
    assert job.counts == {"failed": 1}
    assert "longer than" in job.errors[0]["message"] or "not closed" in job.errors[0]["message"]


def test_wrong_file_kinds_are_refused_before_upload(users):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    for content in (b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"name,email\nAnna,a@b.c\n"):
        with pytest.raises(ValidationError):
            services.calendar_import_start(
                actor=users.owner,
                file_format="vcard",
                uploaded_file=SimpleUploadedFile("x.vcf", content),
            )


def test_a_retried_job_goes_on_after_its_checkpoint(users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"".join(GOOD.replace(b"Gut", f"Gut{i}".encode()) for i in range(5))
    upload = services.calendar_import_start(
        actor=users.owner,
        file_format="vcard",
        uploaded_file=SimpleUploadedFile("five.vcf", content),
    )
    # a worker committed the first three cards (and their checkpoint), then died
    parties.person_create(actor=users.owner, data={"last_name": "Gut0"})
    parties.person_create(actor=users.owner, data={"last_name": "Gut1"})
    parties.person_create(actor=users.owner, data={"last_name": "Gut2"})
    Job.objects.filter(pk=upload.job_id).update(checkpoint={"card": 3}, done=3, total=5)
    run_jobs_now()
    upload.job.refresh_from_db()
    assert upload.job.status == "succeeded"
    assert upload.job.done == 5
    assert sorted(Person.objects.values_list("last_name", flat=True)) == [
        "Gut0",
        "Gut1",
        "Gut2",
        "Gut3",
        "Gut4",
    ]


# --- export ----------------------------------------------------------------------------------


@pytest.fixture
def anna(users):
    org = OrganizationFactory(owner=users.owner, team=users.team_a, name="Müller; Söhne, GmbH")
    person = make_person(
        owner=users.owner,
        team=users.team_a,
        first_name="Anna",
        last_name="Müller",
        salutation="Frau",
        academic_title="Dr.",
        organization=org,
        title="Leitung, Einkauf",
        email="anna@mueller.example",
        notes="Zeile 1\nZeile 2; mit Semikolon",
    )
    parties.person_email_add(actor=None, person=person, email="anna@privat.example", kind="private")
    parties.person_phone_add(actor=None, person=person, number="+49 171 2345678", kind="mobile")
    person.tags.add(*parties.resolve_tags(actor=None, values=["VIP"]))
    return person


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_person_card_download_and_round_trip(users, client_for, anna, version, run_import):
    client = client_for(users.owner)
    page = client.get(anna.get_absolute_url())
    assert reverse("calendars:person_vcard", args=[anna.pk]) in page.content.decode()
    response = client.get(reverse("calendars:person_vcard", args=[anna.pk]), {"version": version})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dr-anna-muller.vcf"'
    text = response.content.decode()
    assert f"VERSION:{version}\r\n" in text
    # round trip: the card read back is the same person
    (card,) = _cards(response.content)
    assert (card.salutation, card.academic_title) == ("Frau", "Dr.")
    assert (card.first_name, card.last_name) == ("Anna", "Müller")
    assert card.organization == "Müller; Söhne, GmbH"
    assert card.title == "Leitung, Einkauf"
    assert card.notes == "Zeile 1\nZeile 2; mit Semikolon"
    assert card.emails == [("anna@mueller.example", "work"), ("anna@privat.example", "private")]
    assert card.phones == [("+491712345678", "mobile")]
    assert card.tags == ["VIP"]
    # and imported into an empty database it gives the same person again
    Person.objects.all().delete()
    Organization.objects.all().delete()
    job = run_import(users.owner, "vcard", response.content)
    assert job.counts == {"created": 1}
    again = Person.objects.get()
    assert (again.salutation, again.academic_title, again.first_name, again.last_name) == (
        "Frau",
        "Dr.",
        "Anna",
        "Müller",
    )
    assert again.email == "anna@mueller.example"
    assert again.organization.name == "Müller; Söhne, GmbH"
    assert again.job_title == "Leitung, Einkauf"
    assert again.notes == "Zeile 1\nZeile 2; mit Semikolon"
    assert list(PersonPhone.objects.filter(person=again).values_list("number", "kind")) == [
        ("+491712345678", "mobile")
    ]


def test_person_card_of_someone_invisible_is_404(users, client_for, anna):
    client = client_for(users.other)
    assert client.get(reverse("calendars:person_vcard", args=[anna.pk])).status_code == 404


def test_list_export_streams_what_the_filter_and_selection_say(users, client_for, anna):
    bert = make_person(owner=users.owner, team=users.team_a, last_name="Bertram")
    make_person(owner=users.other, team=users.team_b, last_name="Geheim")
    client = client_for(users.owner)
    url = reverse("calendars:vcard_export")
    everything = client.get(url)
    assert everything.streaming
    text = b"".join(everything.streaming_content).decode()
    assert text.count("BEGIN:VCARD") == 2 and "Geheim" not in text
    filtered = b"".join(client.get(url, {"q": "Bertram"}).streaming_content).decode()
    assert filtered.count("BEGIN:VCARD") == 1 and "Bertram" in filtered
    selected = client.post(url + "?version=4.0", {"pk": [str(anna.pk)]})
    body = b"".join(selected.streaming_content).decode()
    assert body.count("BEGIN:VCARD") == 1 and "VERSION:4.0" in body and "Müller" in body
    assert bert.pk


def test_person_list_offers_vcards_for_its_filter(users, client_for, anna):
    client = client_for(users.owner)
    page = client.get(reverse("parties:person_list"), {"q": "Müller"})
    html = page.content.decode()
    assert f"{reverse('calendars:vcard_export')}?q=M%C3%BCller" in html
    partial = client.get(reverse("parties:person_list"), {"q": "Anna"}, HTTP_HX_REQUEST="true")
    assert 'id="vcard-export"' in partial.content.decode()
    assert "hx-swap-oob" in partial.content.decode()


def test_import_page_starts_a_job(users, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users.owner)
    page = client.get(reverse("calendars:vcard_import"))
    assert page.status_code == 200
    response = client.post(
        reverse("calendars:vcard_import"),
        {
            "file": SimpleUploadedFile("k.vcf", sample("apple_3_0.vcf")),
            "on_duplicate": "skip",
            "create_organizations": "on",
        },
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    bad = client.post(
        reverse("calendars:vcard_import"),
        {"file": SimpleUploadedFile("k.vcf", b"hello"), "on_duplicate": "skip"},
    )
    assert "not a vCard file" in bad.content.decode()


def test_api_card_export_and_import(users, api, anna):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(users.owner)
    one = client.get(f"/api/calendar/vcards/{anna.pk}/", {"version": "4.0"})
    assert one.status_code == 200 and one["Content-Type"] == "text/vcard; charset=utf-8"
    assert b"VERSION:4.0" in one.content and "Müller".encode() in one.content
    assert api(users.other).get(f"/api/calendar/vcards/{anna.pk}/").status_code == 404
    assert client.get("/api/calendar/vcards/99999999999999999999/").status_code == 404
    many = client.get("/api/calendar/vcards/export/", {"q": "Müller"})
    assert b"".join(many.streaming_content).count(b"BEGIN:VCARD") == 1
    assert api(users.other).get("/api/calendar/vcards/export/").status_code == 200
    started = client.post(
        "/api/calendar/vcards/import/",
        {"file": SimpleUploadedFile("k.vcf", sample("rfc6350_4_0.vcf")), "on_duplicate": "skip"},
        format="multipart",
    )
    assert started.status_code == 202, started.content
    run_jobs_now()
    job = Job.objects.get(pk=started.json()["job"])
    assert job.counts == {"created": 2, "failed": 1}
    assert job.errors[0]["where"] == "card 2 (line 17)"
    assert "organization, not a person" in job.errors[0]["message"]
