"""The import pages, the API and `accord import`, with who may do what: viewers import nothing,
nobody sees another user's import or mapping."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accord.core.jobs import run_jobs_now
from accord.dataio.imports.models import ImportRun, SavedMapping
from accord.parties.models import Person

from .conftest import check, upload
from .files import zip_bomb_xlsx

CSV = (
    "Vorname;Nachname;E-Mail;Firma\nAnna;Roth;anna@roth.de;Müller GmbH\nJörg;Weiß;joerg@weiss.de;\n"
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_upload(name: str = "kontakte.csv", content: str = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode("cp1252"), content_type="text/csv")


def test_the_whole_flow_through_the_pages(users):
    client = client_for(users.owner)
    page = client.get(reverse("imports:import_list"))
    assert page.status_code == 200 and "You have not imported a file yet" in page.content.decode()
    assert client.get(reverse("imports:import_upload")).status_code == 200

    response = client.post(
        reverse("imports:import_upload"),
        {"file": csv_upload(), "kind": "people", "on_duplicate": "update"},
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_mapping", args=[run.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Vorname" in page and "Anna" in page and 'value="first_name" selected' in page

    mapping = {f"column_{i}": key for i, key in run.mapping.items()}
    response = client.post(
        reverse("imports:import_mapping", args=[run.pk]),
        {**mapping, "on_duplicate": "skip", "fuzzy_default": "identical", "save_as": "Altes CRM"},
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "checking" and run.on_duplicate == "skip"
    assert SavedMapping.objects.get(owner=users.owner).name == "Altes CRM"
    page = client.get(run.get_absolute_url()).content.decode()
    assert "job-progress" in page and 'aria-live="polite"' in page

    run_jobs_now()
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Dry run: what the import will do" in page and "Confirm and import" in page
    partial = client.get(run.get_absolute_url() + "?part=state", HTTP_HX_REQUEST="true")
    assert (
        "<html" not in partial.content.decode() and 'id="import-state"' in partial.content.decode()
    )
    assert not Person.objects.exists()

    response = client.post(reverse("imports:import_start", args=[run.pk]))
    assert response.status_code == 302
    run_jobs_now()
    run.refresh_from_db()
    assert run.status == "done" and Person.objects.count() == 2
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Imported" in page
    listing = client.get(reverse("imports:import_list") + "?status=done&kind=people&q=kontakte")
    assert "kontakte.csv" in listing.content.decode()
    assert (
        "kontakte.csv"
        not in client.get(reverse("imports:import_list") + "?status=failed").content.decode()
    )

    mappings = client.get(reverse("imports:mapping_list")).content.decode()
    assert "Altes CRM" in mappings
    client.post(reverse("imports:mapping_delete", args=[SavedMapping.objects.get().pk]))
    assert not SavedMapping.objects.exists()
    client.post(reverse("imports:import_delete", args=[run.pk]))
    assert not ImportRun.objects.exists() and Person.objects.count() == 2


def test_upload_page_shows_why_a_file_is_refused(users):
    client = client_for(users.owner)
    response = client.post(
        reverse("imports:import_upload"),
        {
            "file": SimpleUploadedFile("bomb.xlsx", zip_bomb_xlsx()),
            "kind": "organizations",
            "on_duplicate": "update",
        },
    )
    assert response.status_code == 200
    assert "bomb.xlsx" in response.content.decode() and "ZIP bomb" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_mapping_page_refuses_a_mapping_without_required_fields(users):
    run = upload(users.owner, CSV)
    client = client_for(users.owner)
    response = client.post(
        reverse("imports:import_mapping", args=[run.pk]),
        {
            "column_0": "first_name",
            "column_1": "",
            "on_duplicate": "update",
            "fuzzy_default": "new",
        },
    )
    assert response.status_code == 200 and "Choose a column for" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "mapping"


def test_similar_name_decisions_on_the_dry_run_page(users):
    from accord.parties.services import person_create

    person_create(actor=users.owner, data={"first_name": "Anna", "last_name": "Roth"})
    run = check(upload(users.owner, "Vorname;Nachname\nAnna;Rothe\n"))
    client = client_for(users.owner)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Similar names" in page and "Anna Rothe" in page
    client.post(reverse("imports:import_decisions", args=[run.pk]), {"row_2": "same"})
    run.refresh_from_db()
    assert run.fuzzy_decisions == {"2": "same"} and run.report["counts"]["update"] == 1


def test_viewer_cannot_import_and_others_cannot_see_my_import(users):
    run = upload(users.owner, CSV)
    viewer = client_for(users.viewer)
    assert viewer.get(reverse("imports:import_list")).status_code == 200
    assert viewer.get(reverse("imports:import_upload")).status_code == 403
    response = viewer.post(
        reverse("imports:import_upload"),
        {"file": csv_upload(), "kind": "people", "on_duplicate": "update"},
    )
    assert response.status_code == 403
    other = client_for(users.other)
    for name in ("import_detail", "import_mapping"):
        assert other.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    for name in ("import_start", "import_decisions", "import_delete", "import_recheck"):
        assert other.post(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    assert "kontakte" not in other.get(reverse("imports:import_list")).content.decode()
    assert Client().get(reverse("imports:import_list")).status_code == 302  # sign in first


def test_menu_entry_on_the_data_page(users):
    page = client_for(users.owner).get(reverse("core:data_hub")).content.decode()
    assert reverse("imports:import_list") in page


# --- API -----------------------------------------------------------------------------------------


def test_api_flow(users, api):
    client = api(users.owner)
    response = client.post(
        "/api/imports/imports/",
        {"file": csv_upload(), "kind": "people", "on_duplicate": "update"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pk = body["id"]
    assert body["encoding"] == "cp1252" and body["delimiter"] == ";"
    assert body["mapping"] == {
        "0": "first_name",
        "1": "last_name",
        "2": "email",
        "3": "organization",
    }
    assert {"key": "last_name", "label": "Last name", "required": False} in body["target_fields"]

    response = client.post(
        f"/api/imports/imports/{pk}/mapping/",
        {"mapping": {"0": "first_name", "1": "last_name", "2": "email"}, "save_as": "API"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["mapping"] == {
        "0": "first_name",
        "1": "last_name",
        "2": "email",
    }
    bad = client.post(
        f"/api/imports/imports/{pk}/mapping/", {"mapping": {"0": "bogus"}}, format="json"
    )
    assert bad.status_code == 400 and "mapping" in bad.json()

    assert client.post(f"/api/imports/imports/{pk}/start/").status_code == 400  # dry run first
    response = client.post(f"/api/imports/imports/{pk}/dry-run/")
    assert response.status_code == 202 and response.json()["status"] == "checking"
    run_jobs_now()
    status = client.get(f"/api/imports/imports/{pk}/status/").json()
    assert status["status"] == "checked" and status["counts"]["create"] == 2
    assert status["job"]["status"] == "succeeded"
    assert (
        client.post(
            f"/api/imports/imports/{pk}/decisions/", {"decisions": {}}, format="json"
        ).status_code
        == 200
    )
    assert client.post(f"/api/imports/imports/{pk}/start/").status_code == 202
    run_jobs_now()
    detail = client.get(f"/api/imports/imports/{pk}/").json()
    assert detail["status"] == "done" and detail["result"]["counts"]["create"] == 2
    assert Person.objects.count() == 2
    assert client.get("/api/imports/mappings/").json()["results"][0]["name"] == "API"


def test_api_refuses_bad_files_and_strangers(users, api):
    client = api(users.owner)
    response = client.post(
        "/api/imports/imports/",
        {"file": SimpleUploadedFile("x.csv", b"a,b\n\x00"), "kind": "people"},
        format="multipart",
    )
    assert response.status_code == 400 and "x.csv" in response.json()["file"][0]
    run = upload(users.owner, CSV)
    assert api(users.other).get(f"/api/imports/imports/{run.pk}/").status_code == 404
    assert api(users.other).post(f"/api/imports/imports/{run.pk}/dry-run/").status_code == 404
    assert api(users.other).get("/api/imports/imports/").json()["results"] == []
    viewer = api(users.viewer)
    response = viewer.post(
        "/api/imports/imports/", {"file": csv_upload(), "kind": "people"}, format="multipart"
    )
    assert response.status_code == 403


def test_openapi_documents_the_import_endpoints(users, api):
    schema = api(users.owner).get("/api/schema/", HTTP_ACCEPT="application/json")
    if schema.status_code == 404:  # pragma: no cover - schema served elsewhere
        pytest.skip("no schema endpoint")
    text = schema.content.decode()
    assert "/api/imports/imports/{id}/dry-run/" in text and "ImportUpload" in text


# --- command line --------------------------------------------------------------------------------


def test_command_line_dry_run_then_import(users, tmp_path):
    path = tmp_path / "kontakte.csv"
    path.write_bytes(CSV.encode("cp1252"))
    out = io.StringIO()
    call_command(
        "accord_import",
        str(path),
        "--kind",
        "people",
        "--user",
        users.owner.email,
        "--dry-run",
        "--quiet",
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue()
    assert "CSV, cp1252" in text and "Vorname" in text and "create: 2" in text
    assert "Nothing written" in text and not Person.objects.exists()

    out = io.StringIO()
    call_command(
        "accord_import",
        str(path),
        "--kind",
        "people",
        "--user",
        users.owner.email,
        "--on-duplicate",
        "skip",
        "--save-mapping",
        "CLI",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "Imported: 2 rows" in out.getvalue() and Person.objects.count() == 2
    out = io.StringIO()
    call_command(
        "accord_import",
        str(path),
        "--kind",
        "people",
        "--user",
        users.owner.email,
        "--mapping",
        "CLI",
        "--on-duplicate",
        "skip",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "skip: 2" in out.getvalue() and Person.objects.count() == 2


def test_command_line_errors(users, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Name\n\x00")
    with pytest.raises(CommandError, match="bad.csv"):
        call_command("accord_import", str(path), "--kind", "people", "--user", users.owner.email)
    with pytest.raises(CommandError, match="No active user"):
        call_command("accord_import", str(path), "--kind", "people", "--user", "nobody@x.de")
    with pytest.raises(CommandError, match="only read"):
        call_command("accord_import", str(path), "--kind", "people", "--user", users.viewer.email)
    path.write_bytes(b"Farbe\nrot\n")
    with pytest.raises(CommandError, match="No column found for: Last name"):
        call_command(
            "accord_import",
            str(path),
            "--kind",
            "people",
            "--user",
            users.owner.email,
            stdout=io.StringIO(),
        )
