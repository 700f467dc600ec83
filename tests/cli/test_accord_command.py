"""The `accord` command line: import of every file kind, export, and the worker, as a user types them."""

from pathlib import Path

import pytest

from accord import cli
from accord.core.models import Job
from accord.core.testing.matrix import make_users
from accord.dataio.mail.tests.mails import mail, mbox
from accord.interactions.models import Interaction
from accord.parties.models import Person

SAMPLES = Path(__file__).resolve().parents[2] / "accord/dataio/calendars/tests/samples"

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    return make_users()


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """A command run from the command line closes the database connections when it ends, which
    would end the test's transaction on PostgreSQL."""
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)


def run(*argv: str) -> int:
    return cli.main(list(argv))


def test_import_people_csv_then_vcard_then_mail(users, tmp_path, capsys):
    csv_file = tmp_path / "kontakte.csv"
    csv_file.write_bytes(
        "Vorname;Nachname;E-Mail;Firma\nJörg;Weiß;joerg@weiss.example;Weiß GmbH\n".encode("cp1252")
    )
    assert run("import", str(csv_file), "--kind", "people", "--user", users.owner.email) == 0
    assert Person.objects.get(email="joerg@weiss.example").last_name == "Weiß"

    assert (
        run(
            "import", str(SAMPLES / "apple_3_0.vcf"), "--kind", "vcard", "--user", users.owner.email
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Done:" in out
    assert Job.objects.filter(kind="calendars.vcard_import", status="succeeded").exists()

    box = tmp_path / "archive.mbox"
    box.write_bytes(mbox(mail(sender="joerg@weiss.example", to=users.owner.email)))
    assert run("import", str(box), "--kind", "mail", "--user", users.owner.email) == 0
    assert Interaction.objects.filter(source="mail").count() == 1
    # the same archive again creates nothing twice
    assert run("import", str(box), "--kind", "mail", "--user", users.owner.email) == 0
    assert Interaction.objects.filter(source="mail").count() == 1


def test_import_refuses_a_viewer_with_a_clear_message(users, tmp_path, capsys):
    box = tmp_path / "archive.mbox"
    box.write_bytes(mbox(mail()))
    with pytest.raises(SystemExit) as exit_:
        run("import", str(box), "--kind", "mail", "--user", users.viewer.email)
    assert exit_.value.code == 1
    assert "Your role may only read." in capsys.readouterr().err
    assert not Interaction.objects.exists()


def test_export_and_backup_are_wired(users, tmp_path, capsys):
    archive = tmp_path / "accord-backup.zip"
    assert run("backup", str(archive)) == 0
    assert archive.stat().st_size > 0
    with pytest.raises(SystemExit):
        run("export", "--help")
    assert "usage" in capsys.readouterr().out.lower()
