"""List exports: the list page's filter, search, sort and visibility; direct or as a job."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.jobs import run_jobs_now
from accord.core.models import Job
from accord.interactions.models import FollowUp, Interaction, InteractionOrganization
from accord.parties.models import Organization, Person

pytestmark = pytest.mark.django_db

PEOPLE_CSV = reverse("exports:list", args=["parties:person_list", "csv"])
PEOPLE_XLSX = reverse("exports:list", args=["parties:person_list", "xlsx"])


def _person(last: str, owner, team=None, **denormalised) -> Person:
    person = Person.objects.create(first_name="Eva", last_name=last, owner=owner, team=team)
    if denormalised:
        Person.objects.filter(pk=person.pk).update(**denormalised)
    return person


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def people(users):
    org = Organization.objects.create(name="Müller GmbH", owner=users.owner, team=users.team_a)
    mine = [
        _person("Zander", users.owner, users.team_a, organization=org, job_title="CFO"),
        _person("Adler", users.owner, users.team_a, email="adler@example.test"),
        _person("=HYPERLINK(1)", users.owner, users.team_a),
    ]
    formula = Person.objects.create(last_name="=1+2", owner=users.owner, team=users.team_a)
    mine.append(formula)
    theirs = [_person("Fremd", users.other, users.team_b)]
    return mine, theirs


# --- the list page ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "list_name",
    [
        "parties:organization_list",
        "parties:person_list",
        "parties:relationship_list",
        "interactions:interaction_list",
        "interactions:followup_list",
    ],
)
def test_every_list_page_offers_both_exports_with_its_query(users, client_for, list_name):
    response = client_for(users.owner).get(reverse(list_name) + "?q=abc")
    html = response.content.decode()
    for fmt in ("csv", "xlsx"):
        url = reverse("exports:list", args=[list_name, fmt])
        assert f'formaction="{url}?q=abc"' in html
    assert "Export CSV" in html and "Export Excel" in html
    assert 'id="export-form"' in html


# --- what is exported --------------------------------------------------------------------------
def test_csv_holds_the_visible_columns_of_my_rows_in_the_lists_order(users, client_for, people):
    response = client_for(users.owner).post(PEOPLE_CSV)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="people-' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == ["Name", "Organization", "Job title", "Email", "Owner", "Last interaction"]
    names = [r[0] for r in rows[1:]]
    # the list's order (last name), a formula neutralised, nobody of the other team
    assert names == ["'=1+2", "Eva =HYPERLINK(1)", "Eva Adler", "Eva Zander"]
    zander = rows[4]
    assert zander[1:3] == ["Müller GmbH", "CFO"]
    assert zander[4] == "Member"  # the owner's name, not HTML
    assert all("<" not in cell for row in rows for cell in row)


def test_export_applies_filter_search_and_sort(users, client_for, people):
    client = client_for(users.owner)
    rows = _csv_rows(client.post(PEOPLE_CSV + "?q=Zander"))
    assert [r[0] for r in rows[1:]] == ["Eva Zander"]
    rows = _csv_rows(client.post(PEOPLE_CSV + "?sort=-name"))
    assert [r[0] for r in rows[1:]][:2] == ["Eva Zander", "Eva Adler"]
    Person.objects.filter(last_name="Adler").update(is_archived=True)
    rows = _csv_rows(client.post(PEOPLE_CSV))
    assert "Eva Adler" not in [r[0] for r in rows[1:]]  # archived hidden, as on the page
    rows = _csv_rows(client.post(PEOPLE_CSV + "?archived=only"))
    assert [r[0] for r in rows[1:]] == ["Eva Adler"]


def test_member_of_another_team_does_not_get_my_rows(users, client_for, people):
    rows = _csv_rows(client_for(users.other).post(PEOPLE_CSV))
    assert [r[0] for r in rows[1:]] == ["Eva Fremd"]
    rows = _csv_rows(client_for(users.admin).post(PEOPLE_CSV))
    assert len(rows) == 6  # header + everyone


def test_xlsx_is_a_file_response_with_typed_cells_and_neutralised_text(users, client_for, people):
    when = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
    Person.objects.filter(last_name="Adler").update(last_interaction_at=when)
    response = client_for(users.owner).post(PEOPLE_XLSX)
    assert isinstance(response, FileResponse)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(b"".join(response.streaming_content))
    assert rows[0][0] == "Name"
    by_name = {r[0]: r for r in rows[1:]}
    assert "'=1+2" in by_name and "=1+2" not in by_name
    adler = by_name["Eva Adler"]
    assert adler[3] == "adler@example.test"
    assert adler[5] == datetime(2024, 5, 1, 12, 30)  # in the user's zone (Berlin), no zone


def test_headers_are_translated(users, client_for, people):
    client = client_for(users.owner)
    rows = _csv_rows(client.post(PEOPLE_CSV, HTTP_ACCEPT_LANGUAGE="de"))
    assert rows[0][:3] == ["Name", "Organisation", "Funktion"]


def test_text_starting_with_formula_characters_is_neutralised(users, client_for):
    for name in ["=1+2", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]:
        Organization.objects.create(name=name, owner=users.owner)
    url = reverse("exports:list", args=["parties:organization_list", "csv"])
    rows = _csv_rows(client_for(users.owner).post(url))
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted(["'=1+2", "'+1", "'-1+2", "'@SUM(A1)", "'\tx", "'\rx"])


def test_interactions_and_follow_ups_export_plain_text_of_template_columns(users, client_for):
    org = Organization.objects.create(name="Acme AG", owner=users.owner)
    interaction = Interaction.objects.create(
        kind="call",
        subject="Preise",
        owner=users.owner,
        occurred_at=datetime(2024, 1, 2, tzinfo=UTC),
    )
    InteractionOrganization.objects.create(
        interaction=interaction, organization=org, occurred_at=interaction.occurred_at
    )
    FollowUp.objects.create(
        title="Angebot schicken",
        due_date=datetime(2024, 1, 9).date(),
        owner=users.owner,
        assignee=users.owner,
        organization=org,
    )
    client = client_for(users.owner)
    url = reverse("exports:list", args=["interactions:interaction_list", "csv"])
    rows = _csv_rows(client.post(url))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["Kind"] == "Call"
    assert record["Subject"] == "Preise"
    assert record["Organizations"] == "Acme AG"
    url = reverse("exports:list", args=["interactions:followup_list", "csv"])
    rows = _csv_rows(client.post(url + "?q="))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Title"] == "Angebot schicken"
    assert record["Due"] == "2024-01-09"
    assert record["About"] == "Acme AG"
    assert all("<" not in value for value in record.values())


# --- direct or in the background ------------------------------------------------------------------
def test_the_get_page_says_what_will_be_exported(users, client_for, people):
    response = client_for(users.owner).get(PEOPLE_CSV + "?q=Adler")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 row will be exported" in html
    assert f'action="{PEOPLE_CSV}?q=Adler"' in html


def test_unknown_list_or_format_is_not_found(users, client_for):
    client = client_for(users.owner)
    assert (
        client.post(reverse("exports:list", args=["parties:person_add", "csv"])).status_code == 404
    )
    assert client.post(reverse("exports:list", args=["nothing:here", "csv"])).status_code == 404
    assert (
        client.post(reverse("exports:list", args=["parties:person_list", "pdf"])).status_code == 404
    )


def test_anonymous_is_sent_to_login(db):
    from django.test import Client

    response = Client().post(PEOPLE_CSV)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_large_export_runs_as_a_job_whose_file_only_its_owner_downloads(
    users, client_for, people, settings, fmt
):
    settings.ACCORD_EXPORT_DIRECT_MAX_ROWS = 2
    url = reverse("exports:list", args=["parties:person_list", fmt])
    response = client_for(users.owner).post(url + "?sort=name")
    job = Job.objects.get(kind="exports.list")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.params["query"] == "sort=name" and job.params["format"] == fmt
    [done] = run_jobs_now()
    done.refresh_from_db()
    assert done.status == Job.Status.SUCCEEDED, done.failure
    assert (done.total, done.done) == (4, 4)
    assert done.result_name.startswith("people-") and done.result_name.endswith(f".{fmt}")

    download = reverse("core:job_download", args=[job.pk])
    got = client_for(users.owner).get(download)
    content = b"".join(got.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8")[1:])))
    else:
        rows = _xlsx_rows(content)
    assert len(rows) == 5 and rows[0][0] == "Name"
    assert client_for(users.other).get(download).status_code == 404
    assert client_for(users.manager).get(download).status_code == 404
    page = client_for(users.owner).get(job.get_absolute_url())
    assert download in page.content.decode()


def test_the_job_limit_is_said_on_the_list_page(users, client_for, people, settings):
    settings.ACCORD_EXPORT_DIRECT_MAX_ROWS = 1
    settings.ACCORD_MAX_ACTIVE_JOBS_PER_USER = 1
    client = client_for(users.owner)
    client.post(PEOPLE_CSV)
    response = client.post(PEOPLE_CSV, follow=True)
    assert Job.objects.count() == 1
    assert "jobs queued or running" in response.content.decode()


def _export_queries(client, url: str, fmt: str) -> tuple[int, int]:
    """(queries, data rows) of one export."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url)
        body = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = len(list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))) - 1
    else:
        rows = len(_xlsx_rows(body)) - 1
    return len(ctx.captured_queries), rows


@pytest.mark.parametrize(
    "list_name",
    [
        "parties:person_list",
        "parties:organization_list",
        "interactions:interaction_list",
        "interactions:followup_list",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_does_not_grow_with_the_rows(users, client_for, list_name, fmt):
    owner = users.owner

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            org = Organization.objects.create(name=f"Org {i}", owner=owner, team=users.team_a)
            _person(f"P{i}", owner, users.team_a, organization=org, job_title="x")
            interaction = Interaction.objects.create(subject=f"S{i}", kind="call", owner=owner)
            InteractionOrganization.objects.create(
                interaction=interaction, organization=org, occurred_at=interaction.occurred_at
            )
            FollowUp.objects.create(
                title=f"F{i}",
                due_date=datetime(2024, 1, 9).date(),
                owner=owner,
                assignee=users.other,
                organization=org,
                person=Person.objects.get(last_name=f"P{i}"),
                interaction=interaction,
            )

    client = client_for(owner)
    url = reverse("exports:list", args=[list_name, fmt]) + "?q="
    add(10, 0)
    few, rows = _export_queries(client, url, fmt)
    assert rows == 10
    add(190, 10)
    many, rows = _export_queries(client, url, fmt)
    assert rows == 200
    assert few == many, (few, many)


def test_organization_export_has_roles_and_country_as_text(users, client_for):
    Organization.objects.create(
        name="Acme", owner=users.owner, is_client=True, is_supplier=True, country="DE"
    )
    url = reverse("exports:list", args=["parties:organization_list", "csv"])
    rows = _csv_rows(client_for(users.owner).post(url))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Roles"] == "Client, Supplier"
    assert record["Country"] == "Germany"


def test_export_command(users, people, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("accord_export", "--lists", stdout=out)
    assert "parties:person_list" in out.getvalue()
    target = tmp_path / "people.csv"
    call_command(
        "accord_export",
        "parties:person_list",
        "csv",
        "--user",
        users.other.email,
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8")[1:])))
    assert [r[0] for r in rows[1:]] == ["Eva Fremd"]
    target = tmp_path / "people.xlsx"
    call_command(
        "accord_export",
        "parties:person_list",
        "xlsx",
        "--user",
        users.owner.email,
        "--query",
        "q=Zander",
        "--language",
        "de",
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    rows = _xlsx_rows(target.read_bytes())
    assert rows[0][1] == "Organisation" and [r[0] for r in rows[1:]] == ["Eva Zander"]
    target = tmp_path / "all.json.zip"
    call_command(
        "accord_export",
        "--user",
        users.owner.email,
        "--all",
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    assert target.stat().st_size > 0
    with pytest.raises(CommandError, match="--user"):
        call_command("accord_export", "parties:person_list", "csv", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no list"):
        call_command(
            "accord_export", "nope", "csv", "--user", users.owner.email, stdout=io.StringIO()
        )
