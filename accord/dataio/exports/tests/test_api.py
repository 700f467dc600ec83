"""Export endpoints of the API: which lists, start a list export as a job, OpenAPI."""

from __future__ import annotations

import csv
import io

import pytest

from accord.core.jobs import run_jobs_now
from accord.core.models import Job
from accord.parties.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(users):
    for last in ("Adler", "Zander", "Berg"):
        Person.objects.create(first_name="Eva", last_name=last, owner=users.owner)
    Person.objects.create(first_name="Otto", last_name="Fremd", owner=users.other)


def test_lists_that_can_be_exported(users, api):
    response = api(users.owner).get("/api/exports/lists/")
    assert response.status_code == 200
    names = {row["list"]: row for row in response.json()}
    for name in (
        "parties:organization_list",
        "parties:person_list",
        "interactions:interaction_list",
        "interactions:followup_list",
    ):
        assert names[name]["formats"] == ["csv", "xlsx"]
    assert names["parties:person_list"]["title"] == "People"


def test_list_export_runs_as_a_job_with_the_filters_and_sort(users, api, people):
    client = api(users.owner)
    response = client.post(
        "/api/exports/lists/",
        {"list": "parties:person_list", "format": "csv", "filters": {"q": "Eva"}, "sort": "-name"},
        format="json",
    )
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.params["query"] == "q=Eva&sort=-name"
    run_jobs_now()
    body = client.get(f"/api/jobs/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded"
    download = body["download_url"].replace("http://testserver", "")
    content = b"".join(client.get(download).streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content[1:])))
    assert [r[0] for r in rows[1:]] == ["Eva Zander", "Eva Berg", "Eva Adler"]
    assert api(users.other).get(download).status_code == 404


def test_a_viewer_may_export(users, api, people):
    response = api(users.viewer).post(
        "/api/exports/lists/", {"list": "parties:person_list", "format": "xlsx"}, format="json"
    )
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"list": "parties:person_add", "format": "csv"}, "list"),
        ({"list": "nothing", "format": "csv"}, "list"),
        ({"list": "parties:person_list", "format": "pdf"}, "format"),
        ({"list": "parties:person_list", "format": "csv", "filters": {"archived": "x"}}, "filters"),
    ],
)
def test_bad_requests_say_which_field(users, api, payload, field):
    response = api(users.owner).post("/api/exports/lists/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Job.objects.exists()


def test_anonymous_is_refused(db):
    from rest_framework.test import APIClient

    assert APIClient().post("/api/exports/lists/", {}).status_code in (401, 403)
    assert APIClient().post("/api/exports/full/").status_code in (401, 403)


def test_export_endpoints_are_in_the_openapi_schema(users, client_for):
    response = client_for(users.owner).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    if schema is None:
        import yaml

        schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    assert "post" in paths["/api/exports/lists/"] and "get" in paths["/api/exports/lists/"]
    assert "post" in paths["/api/exports/full/"]
    assert "202" in paths["/api/exports/lists/"]["post"]["responses"]
