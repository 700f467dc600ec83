"""`accord backup` / `accord restore`: a round trip keeps every row and file; bad archives change
nothing and say why."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accord.core.models import Job, Share
from accord.dataio.exports.services.backup import (
    BackupError,
    backup_models,
    create_backup,
    database_is_empty,
    flush_data,
    restore_backup,
)
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
def data(users):
    """A little of everything: M2M links, history rows, a share (content type), a job's file."""
    tag = Tag.objects.create(name="Schlüsselkunde 🔑")
    org = Organization.objects.create(
        name="Müller & Söhne GmbH",
        owner=users.owner,
        team=users.team_a,
        is_client=True,
        country="DE",
        notes="Zeile 1\nZeile 2",
    )
    org.tags.add(tag)
    other = Organization.objects.create(name="Fremd AG", owner=users.other, team=users.team_b)
    eva = Person.objects.create(first_name="Eva", last_name="Schäfer", owner=users.owner)
    eva.tags.add(tag)
    PersonEmail.objects.create(person=eva, email="eva@mueller.test", is_primary=True)
    PersonPhone.objects.create(person=eva, number="+4930123456")
    Position.objects.create(person=eva, organization=org, title="Einkauf", is_primary=True)
    Relationship.objects.create(
        from_organization=other, to_organization=org, relationship_type="supplies"
    )
    when = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    call = Interaction.objects.create(
        kind="call", subject="Preise", owner=users.owner, occurred_at=when
    )
    InteractionOrganization.objects.create(interaction=call, organization=org, occurred_at=when)
    InteractionPerson.objects.create(interaction=call, person=eva, occurred_at=when)
    call.users.add(users.owner, users.viewer)
    FollowUp.objects.create(
        title="Angebot",
        due_date=when.date(),
        owner=users.owner,
        assignee=users.owner,
        interaction=call,
    )
    Share.objects.create(
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=org.pk,
        user=users.other,
    )
    group = Group.objects.create(name="Auditoren")
    group.permissions.add(Permission.objects.get(codename="view_organization"))
    users.owner.user_permissions.add(Permission.objects.get(codename="change_person"))
    job = Job.objects.create(kind="exports.list", label="people", started_by=users.owner)
    job.result_file.save("people.csv", ContentFile(b"Name\nEva\n"), save=True)
    return {"org": org, "job": job}


def snapshot() -> dict[str, list]:
    """Every row of every backed-up model, as Django serializes it (fields and M2M)."""
    out = {}
    for model in backup_models():
        rows = serializers.serialize("python", model._base_manager.order_by("pk"))
        for row in rows:
            for name, value in row["fields"].items():
                if isinstance(value, list):
                    row["fields"][name] = sorted(value)
        out[model._meta.label_lower] = rows
    return out


def test_round_trip_keeps_every_row_field_and_file(data, tmp_path):
    before = snapshot()
    media_before = default_storage.open(data["job"].result_file.name).read()
    target = tmp_path / "backup.zip"
    manifest = create_backup(target)
    assert manifest["format"] == "accord-backup"
    assert manifest["versions"]["database"] == connection.vendor
    assert "parties" in manifest["migrations"]
    counts = {m["model"]: m["count"] for m in manifest["models"]}
    assert counts["parties.organization"] == 2 and counts["parties.historicalorganization"] >= 2
    # (the test storage is shared by the test run: other tests' files may be there too)
    assert data["job"].result_file.name in [m["name"] for m in manifest["media"]]

    flush_data()
    default_storage.delete(data["job"].result_file.name)
    assert database_is_empty()

    result = restore_backup(target)
    assert result.counts == counts and result.media == len(manifest["media"])
    assert snapshot() == before
    assert default_storage.open(data["job"].result_file.name).read() == media_before
    org = Organization.objects.get(pk=data["org"].pk)
    assert org.name == "Müller & Söhne GmbH" and [t.name for t in org.tags.all()] == [
        "Schlüsselkunde 🔑"
    ]
    # new rows get ids after the restored ones (PostgreSQL sequences moved on)
    assert Organization.objects.create(name="Neu").pk > max(
        o["pk"] for o in before["parties.organization"]
    )
    assert Tag.objects.create(name="neu").pk > 0


def test_restore_finds_by_search_again(data, tmp_path):
    from accord.core.search import search_ids

    target = tmp_path / "b.zip"
    create_backup(target)
    restore_backup(target, force=True)
    assert search_ids(Organization, "Müller") == [data["org"].pk]


@pytest.fixture
def fresh_content_type_cache():
    """The test changes content type ids inside its transaction: forget them afterwards."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def test_content_type_and_permission_ids_are_translated(data, tmp_path, fresh_content_type_cache):
    target = tmp_path / "b.zip"
    create_backup(target)
    flush_data()
    # this database made its content types and permissions in another order: other ids
    old_ct = ContentType.objects.get_for_model(Organization)
    old_perm = Permission.objects.get(codename="view_organization")
    new_ct = ContentType.objects.create(app_label="parties", model="organization_new")
    Permission.objects.filter(content_type=old_ct).update(content_type=new_ct)
    old_ct.delete()
    ContentType.objects.filter(pk=new_ct.pk).update(model="organization")
    ContentType.objects.clear_cache()
    Permission.objects.filter(pk=old_perm.pk).update(id=old_perm.pk + 1000)
    restore_backup(target)
    share = Share.objects.get()
    assert share.content_type_id == new_ct.pk != old_ct.pk
    assert share.target == Organization.objects.get(pk=data["org"].pk)
    assert list(Group.objects.get().permissions.values_list("pk", flat=True)) == [
        old_perm.pk + 1000
    ]


def test_non_empty_database_is_refused_unless_forced(data, tmp_path):
    target = tmp_path / "b.zip"
    create_backup(target)
    Organization.objects.create(name="Nach dem Backup")
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(target)
    assert Organization.objects.filter(name="Nach dem Backup").exists()
    restore_backup(target, force=True)
    assert not Organization.objects.filter(name="Nach dem Backup").exists()
    assert Organization.objects.count() == 2


def _rewrite(source, target, change) -> None:
    """Copy an archive, letting `change(name, bytes)` alter (or drop: None) each entry."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = change(item.filename, old.read(item.filename))
            if content is not None:
                new.writestr(item.filename, content)


@pytest.fixture
def archive(data, tmp_path):
    target = tmp_path / "good.zip"
    create_backup(target)
    return target


def _manifest_change(**changes):
    def change(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest.update(changes)
        return json.dumps(manifest)

    return change


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b"Name;Email\nEva;eva@x\n"), "not a ZIP archive"),
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "not a ZIP archive"),
    ],
)
def test_a_file_that_is_no_zip_is_refused(archive, damage, message):
    damage(archive)
    flush_data()
    with pytest.raises(BackupError, match=message):
        restore_backup(archive)
    assert database_is_empty()


def test_foreign_and_damaged_archives_are_refused_and_nothing_is_changed(archive, tmp_path):
    cases = {
        "no manifest": (lambda n, c: None if n == "manifest.json" else c, "no manifest.json"),
        "other format": (_manifest_change(format="somebody-else"), "not an Accord backup"),
        "newer format": (_manifest_change(format_version=99), "backup format 99"),
        "manifest not json": (
            lambda n, c: b"{oops" if n == "manifest.json" else c,
            "manifest is not valid JSON",
        ),
        "line not json": (
            lambda n, c: c + b"{broken\n" if n.endswith("parties.organization.jsonl") else c,
            r"line 3 is not JSON",
        ),
        "row of another model": (
            lambda n, c: (
                c.replace(b'"parties.organization"', b'"parties.tag"')
                if n.endswith("parties.organization.jsonl")
                else c
            ),
            "another model",
        ),
        "rows missing": (
            lambda n, c: c.split(b"\n", 1)[1] if n.endswith("parties.organization.jsonl") else c,
            "manifest says 2",
        ),
        "data file missing": (
            lambda n, c: None if n.endswith("parties.person.jsonl") else c,
            "parties.person.jsonl is missing",
        ),
        "unknown model": (
            lambda n, c: (
                c.replace(b'"model": "parties.tag"', b'"model": "nowhere.thing"')
                if n == "manifest.json"
                else c
            ),
            "a model this Accord does not have",
        ),
    }
    flush_data()
    for label, (change, message) in cases.items():
        bad = tmp_path / f"{label}.zip"
        _rewrite(archive, bad, change)
        with pytest.raises(BackupError, match=message):
            restore_backup(bad)
        assert database_is_empty(), label


def test_a_dangling_reference_is_reported_and_rolled_back(archive, tmp_path):
    def drop_users(name, content):
        if name.endswith("-users.user.jsonl"):
            return b""
        if name == "manifest.json":
            manifest = json.loads(content)
            for entry in manifest["models"]:
                if entry["model"] == "users.user":
                    entry["count"] = 0
            return json.dumps(manifest)
        return content

    bad = tmp_path / "dangling.zip"
    _rewrite(archive, bad, drop_users)
    flush_data()
    with pytest.raises(BackupError):
        restore_backup(bad)
    assert database_is_empty()


def test_migration_state_must_match(archive, tmp_path):
    def older(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["migrations"]["parties"] = manifest["migrations"]["parties"][:-1]
        return json.dumps(manifest)

    def newer(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["migrations"]["parties"].append("9999_from_the_future")
        return json.dumps(manifest)

    flush_data()
    for change, message in ((older, "older Accord"), (newer, "newer Accord")):
        bad = tmp_path / "m.zip"
        _rewrite(archive, bad, change)
        with pytest.raises(BackupError, match=message):
            restore_backup(bad)
        assert database_is_empty()


def test_older_archive_loads_when_told_to_ignore_migrations(archive, tmp_path):
    def older(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["migrations"]["parties"] = manifest["migrations"]["parties"][:-1]
        return json.dumps(manifest)

    bad = tmp_path / "older.zip"
    _rewrite(archive, bad, older)
    restore_backup(bad, force=True, ignore_migrations=True)
    assert Organization.objects.count() == 2


def test_media_names_cannot_leave_the_media_folder(archive, tmp_path):
    def escape(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["media"] = [{"name": "../../etc/passwd", "size": 1}]
        return json.dumps(manifest)

    bad = tmp_path / "escape.zip"
    _rewrite(archive, bad, escape)
    flush_data()
    with pytest.raises(BackupError, match="outside the media folder"):
        restore_backup(bad)
    assert database_is_empty()


def test_commands(data, tmp_path):
    target = tmp_path / "cmd.zip"
    out = io.StringIO()
    call_command("accord_backup", str(target), stdout=out)
    assert "Backup written to" in out.getvalue() and target.exists()
    with pytest.raises(CommandError, match="not empty"):
        call_command("accord_restore", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("accord_restore", str(target), "--force", stdout=out)
    assert "Restored" in out.getvalue()
    junk = tmp_path / "junk.zip"
    junk.write_text("not a backup")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("accord_restore", str(junk), "--force", stdout=io.StringIO())
    assert Organization.objects.count() == 2
