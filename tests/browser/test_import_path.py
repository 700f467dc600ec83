"""A German Excel file imported in the browser: upload, the guessed mapping, the dry run followed
live (htmx polling while a worker runs the job), confirm, the import's outcome."""

from __future__ import annotations

import re

import pytest

from accord.core.jobs import run_jobs_now
from accord.parties.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Browser-Test-1"
CSV = (
    "Vorname;Nachname;E-Mail;Telefon;Firma;PLZ;Ort\n"
    "Jörg;Weißmüller;joerg@groesser.example;+49 30 1234567;Größer & Söhne GmbH;10115;Berlin\n"
    "Änne;Schäfer;aenne@groesser.example;030 7654321;Größer & Söhne GmbH;10115;Berlin\n"
    "Kaputt;Zeile;keine-adresse;;Größer & Söhne GmbH;;\n"
).encode("cp1252")


@pytest.fixture
def member(django_user_model):
    from accord.users.models import Team

    user = django_user_model.objects.create_user(
        email="ines.vertrieb@accord.example", password=PASSWORD, role="member", first_name="Ines"
    )
    user.teams.add(Team.objects.create(name="Vertrieb Nord"))
    return user


def test_import_a_german_csv_and_follow_its_progress(page, live_server, member, tmp_path):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form.auth-form button[type=submit]")
    page.wait_for_url(f"{base}/")

    # the Data & settings page leads to the import
    page.goto(f"{base}/data/")
    page.get_by_role("link", name=re.compile("Import")).first.click()
    page.wait_for_url(re.compile(r"/imports/"))
    page.goto(f"{base}/imports/new/")
    path = tmp_path / "kontakte.csv"
    path.write_bytes(CSV)
    page.set_input_files("input[name=file]", str(path))
    page.check("input[name=kind][value=people]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/mapping/"))

    # headers guessed from the German names; start the dry run
    assert page.locator("select").count() >= 7
    page.get_by_role("button", name="Start the dry run").click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    page.locator(".job-progress [role=status]").first.wait_for()

    # a worker runs the dry run; the page follows by itself
    run_jobs_now()
    page.get_by_role("heading", name="Dry run: what the import will do").wait_for(timeout=15000)
    assert "keine-adresse" in page.inner_text("main")  # the bad row is named, with its value
    assert not Person.objects.exists()  # a dry run writes nothing

    page.get_by_role("button", name="Confirm and import").click()
    page.locator(".job-progress [role=status]").first.wait_for()
    run_jobs_now()
    page.get_by_role("heading", name="Imported", exact=True).wait_for(timeout=15000)
    people = Person.objects.order_by("last_name")
    assert [p.last_name for p in people] == ["Schäfer", "Weißmüller"]
    assert people[1].organization.name == "Größer & Söhne GmbH"
