"""The full JSON export: everything a user may see, and nothing else; page and API."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.core.jobs import run_jobs_now
from accord.core.models import Job
from accord.dataio.exports.services import write_full_export
from accord.interactions.models import (
    FollowUp,
    Interaction,
    InteractionOrganization,
    InteractionPerson,
)
from accord.parties.models import (
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    Position,
    Relationship,
    Tag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(users):
    """Records of team A (owner) and team B (other), linked the way the app links them."""
    tag = Tag.objects.create(name="Key account")
    mine = Organization.objects.create(
        name="Müller GmbH", owner=users.owner, team=users.team_a, is_client=True
    )
    mine.tags.add(tag)
    theirs = Organization.objects.create(name="Fremd AG", owner=users.other, team=users.team_b)
    eva = Person.objects.create(first_name="Eva", last_name="Schäfer", owner=users.owner)
    PersonEmail.objects.create(person=eva, email="eva@mueller.test", is_primary=True)
    PersonPhone.objects.create(person=eva, number="+4930123456")
    Position.objects.create(person=eva, organization=mine, title="Einkauf", is_primary=True)
    hidden = Person.objects.create(first_name="Otto", last_name="Geheim", owner=users.other)
    PersonEmail.objects.create(person=hidden, email="otto@fremd.test")
    Relationship.objects.create(
        from_organization=mine,
        to_organization=theirs,
        relationship_type="competes_with",
        owner=users.owner,
    )
    Relationship.objects.create(
        from_organization=theirs,
        to_organization=mine,
        relationship_type="supplies",
        owner=users.other,
        team=users.team_b,
    )
    when = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    call = Interaction.objects.create(
        kind="call", subject="Preise", owner=users.owner, team=users.team_a, occurred_at=when
    )
    InteractionOrganization.objects.create(interaction=call, organization=mine, occurred_at=when)
    InteractionPerson.objects.create(interaction=call, person=eva, occurred_at=when)
    call.users.add(users.owner)
    Interaction.objects.create(kind="note", subject="Geheimsache", owner=users.other)
    FollowUp.objects.create(
        title="Angebot", due_date=when.date(), owner=users.owner, assignee=users.owner
    )
    FollowUp.objects.create(
        title="Fremde Aufgabe", due_date=when.date(), owner=users.other, assignee=users.other
    )
    return {"mine": mine, "theirs": theirs, "eva": eva}


def _export(user) -> dict:
    out = io.BytesIO()
    write_full_export(user, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.namelist() == ["accord-export.json"]
        return json.loads(archive.read("accord-export.json"))


def test_member_gets_what_they_may_see_and_nothing_else(users, graph):
    data = _export(users.owner)
    assert data["format"] == "accord-export" and data["version"] == 1
    assert data["user"]["email"] == users.owner.email
    assert [o["name"] for o in data["organizations"]] == ["Müller GmbH"]
    assert [p["last_name"] for p in data["people"]] == ["Schäfer"]
    assert [r["relationship_type"] for r in data["relationships"]] == ["competes_with"]
    assert [i["subject"] for i in data["interactions"]] == ["Preise"]
    assert [f["title"] for f in data["follow_ups"]] == ["Angebot"]
    assert data["counts"] == {
        "tags": 1,
        "organizations": 1,
        "people": 1,
        "relationships": 1,
        "interactions": 1,
        "follow_ups": 1,
    }
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("Fremd AG", "Otto", "otto@fremd.test", "Geheimsache", "Fremde Aufgabe"):
        if secret == "Fremd AG":
            continue  # named as the other end of my own relationship, as its page shows it
        assert secret not in text


def test_records_carry_their_children_and_participants(users, graph):
    data = _export(users.owner)
    org = data["organizations"][0]
    assert org["roles"] == ["client"] and org["tags"] == ["Key account"]
    assert org["owner"]["email"] == users.owner.email and org["team"]["name"] == "Team A"
    person = data["people"][0]
    assert person["full_name"] == "Eva Schäfer"
    assert [e["email"] for e in person["emails"]] == ["eva@mueller.test"]
    assert [p["number"] for p in person["phones"]] == ["+4930123456"]
    [position] = person["positions"]
    assert position["title"] == "Einkauf"
    assert position["organization"] == {"id": graph["mine"].pk, "name": "Müller GmbH"}
    call = data["interactions"][0]
    assert call["occurred_at"] == "2024-03-01T09:00:00+00:00"
    assert call["organizations"] == [{"id": graph["mine"].pk, "name": "Müller GmbH"}]
    assert [p["id"] for p in call["people"]] == [graph["eva"].pk]
    assert [u["email"] for u in call["users"]] == [users.owner.email]


def test_admin_gets_everything(users, graph):
    data = _export(users.admin)
    assert data["counts"]["organizations"] == 2 and data["counts"]["people"] == 2
    assert data["counts"]["interactions"] == 2 and data["counts"]["follow_ups"] == 2


def test_query_count_does_not_grow_with_the_records(users, graph):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            write_full_export(users.owner, io.BytesIO())
        return len(ctx.captured_queries)

    queries()  # warm the per-user caches (team ids), as a running worker has them
    few = queries()
    for i in range(30):
        person = Person.objects.create(last_name=f"P{i}", owner=users.owner)
        PersonEmail.objects.create(person=person, email=f"p{i}@example.test")
        org = Organization.objects.create(name=f"O{i}", owner=users.owner)
        Position.objects.create(person=person, organization=org)
    assert queries() == few


def test_page_starts_the_job_and_the_owner_downloads_the_file(users, graph, client_for):
    client = client_for(users.owner)
    page = client.get(reverse("exports:my_data"))
    assert page.status_code == 200
    assert "You have not exported your data yet" in page.content.decode()
    response = client.post(reverse("exports:my_data"))
    job = Job.objects.get(kind="exports.full_json")
    assert response["Location"] == job.get_absolute_url()
    [done] = run_jobs_now()
    done.refresh_from_db()
    assert done.status == Job.Status.SUCCEEDED, done.failure
    assert done.done == done.total == 6
    assert done.result_name.endswith(".json.zip")
    download = reverse("core:job_download", args=[job.pk])
    content = b"".join(client.get(download).streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data = json.loads(archive.read("accord-export.json"))
    assert [o["name"] for o in data["organizations"]] == ["Müller GmbH"]
    assert client_for(users.other).get(download).status_code == 404
    assert download in client.get(reverse("exports:my_data")).content.decode()


def test_api_starts_the_full_export(users, graph, api):
    response = api(users.viewer).post("/api/exports/full/")
    assert response.status_code == 202, response.content
    assert response.json()["kind"] == "exports.full_json"
    run_jobs_now()
    listed = api(users.viewer).get("/api/exports/full/").json()
    assert listed[0]["status"] == "succeeded" and listed[0]["download_url"]
    data_url = listed[0]["download_url"].replace("http://testserver", "")
    assert api(users.viewer).get(data_url).status_code == 200
    assert api(users.other).get(data_url).status_code == 404
    assert api(users.other).get("/api/exports/full/").json() == []
