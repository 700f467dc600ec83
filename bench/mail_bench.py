#!/usr/bin/env python
"""Mail capture benchmark: import a realistic 10,000-message mbox, report messages/s and peak RSS.

    python bench/mail_bench.py                      # 10,000 messages on SQLite (temporary files)
    python bench/mail_bench.py --messages 2000
    python bench/mail_bench.py --db-url postgres://postgres@127.0.0.1:5432/accord_mailbench

Three processes: one loads a small CRM (the demo generator: organizations, people with addresses,
users, earlier interactions) into a fresh database; this one writes the mbox (threads with replies
that keep or drop In-Reply-To/References, "AW:"/"Re:"/"WG:" subjects, HTML alternatives, PDF/XLSX
attachments and inline images, umlauts in encoded headers, senders who are known people, unknown
people, colleagues and ourselves, a few messages without Message-ID, copies, broken MIME and invalid
dates); a third runs the capture job end to end (upload stored, job started, `run_jobs_now`) and
reports its time and its own peak RSS. The job is then run again on the same file: every message is
found already, nothing is written twice. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 500.0  # messages per second (issue 3)
TARGET_RSS_MB = 300.0

TOPICS_DE = [
    ("Angebot Rahmenvertrag {n}", "anbei wie besprochen unser Angebot für den Rahmenvertrag."),
    ("Lieferung KW {n}", "die Lieferung verschiebt sich leider um zwei Tage."),
    ("Rechnung {n}/2025", "bitte prüfen Sie die beigefügte Rechnung."),
    ("Termin Jahresgespräch", "passt Ihnen Dienstag um 10 Uhr für unser Jahresgespräch?"),
    ("Reklamation Auftrag {n}", "leider sind drei Paletten beschädigt angekommen."),
    ("Preisanpassung 2026", "zum 1. Januar passen wir unsere Preise um 3,5 % an."),
    ("Wartung Anlage {n}", "der Techniker kommt am Donnerstag zur Wartung."),
    ("Schulung Grüße aus Köln", "die Schulung für Ihr Team ist bestätigt."),
]
TOPICS_EN = [
    ("Quote for framework agreement {n}", "please find attached our quote as discussed."),
    ("Delivery week {n}", "the delivery is delayed by two days, sorry."),
    ("Invoice {n}", "please review the attached invoice."),
    ("Meeting next week", "would Tuesday at 10 work for our review meeting?"),
]
FILLER = (
    "Wir freuen uns auf die weitere Zusammenarbeit und stehen für Rückfragen gern zur Verfügung. "
    "Die Unterlagen liegen Ihrem Einkauf bereits vor; die Freigabe erwarten wir bis Monatsende. "
    "Bitte beachten Sie auch die geänderten Lieferbedingungen im Anhang. "
)
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


# --- worker stages (a fresh process each: Django set up against the bench database) ------------
def _django(db_url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["ACCORD_MEDIA_ROOT"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def stage_setup(db_url: str, media: str, out: str, people: int) -> None:
    _django(db_url, media)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accord.demo.generator import generate
    from accord.parties.models import Person, PersonEmail
    from accord.users.models import User

    generate(orgs=max(50, people // 6), people=people, interactions=people * 2, seed=7)
    owner = User.objects.filter(role="member").order_by("pk").first() or User.objects.first()
    emails = list(PersonEmail.objects.values_list("email", flat=True)[:5000])
    emails += list(Person.objects.exclude(email="").values_list("email", flat=True)[:500])
    users = list(User.objects.exclude(pk=owner.pk).values_list("email", flat=True))
    Path(out).write_text(
        json.dumps({"owner": owner.email, "people": sorted(set(emails)), "users": users})
    )


def stage_import(db_url: str, media: str, out: str, path: str, owner_email: str) -> None:
    _django(db_url, media)
    import resource

    from django.core.files import File
    from django.db import connection

    from accord.core.jobs import run_jobs_now
    from accord.dataio.mail.services import mail_import_start
    from accord.interactions.models import Interaction, Thread
    from accord.users.models import User

    owner = User.objects.get(email=owner_email)
    before = Interaction.objects.filter(source="mail").count()
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results = []
    for run in ("first import", "same file again"):
        queries = [0]

        def count(execute, sql, params, many, context, queries=queries):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count), open(path, "rb") as handle:
            job = mail_import_start(actor=owner, upload=File(handle, name=Path(path).name))
            run_jobs_now()
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        results.append(
            {
                "run": run,
                "status": job.status,
                "failure": job.failure,
                "messages": job.done,
                "seconds": seconds,
                "rate": job.done / seconds if seconds else 0.0,
                "counts": job.counts,
                "errors": job.error_count,
                "queries": queries[0],
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    mails = Interaction.objects.filter(source="mail")
    Path(out).write_text(
        json.dumps(
            {
                "runs": results,
                "rss_after_setup_mb": rss_start,
                "interactions": mails.count() - before,
                "threads": Thread.objects.count(),
                "linked_to_people": mails.filter(people__isnull=False).distinct().count(),
            }
        )
    )


# --- the mbox ---------------------------------------------------------------------------------------
class MailboxWriter:
    """Writes a realistic mailbox for one user, message by message (bounded memory)."""

    def __init__(self, rng: random.Random, owner: str, people: list[str], users: list[str]):
        self.rng = rng
        self.owner = owner
        self.people = people or ["kunde@example.com"]
        self.users = users or ["kollege@accord.example"]
        self.unknown = [f"kontakt{n}@firma{n % 97}.example" for n in range(400)]
        self.start = datetime(2024, 1, 8, 8, 0, tzinfo=UTC)
        self.threads: list[dict] = []
        self.written: list[bytes] = []
        self.last_when = self.start

    def _address(self) -> str:
        draw = self.rng.random()
        if draw < 0.65:
            return self.rng.choice(self.people)
        if draw < 0.9:
            return self.rng.choice(self.unknown)
        return self.rng.choice(self.users)

    def _name(self, address: str) -> str:
        local = address.partition("@")[0].replace(".", " ").replace("_", " ")
        return local.title().replace("Ue", "Ü").replace("Oe", "Ö")

    def message(self, n: int) -> bytes:
        rng = self.rng
        when = self.start + timedelta(minutes=n * 5 + rng.randint(0, 4))
        self.last_when = when
        reply_to = rng.choice(self.threads[-200:]) if self.threads and rng.random() < 0.4 else None
        if reply_to is not None:
            correspondent = reply_to["other"]
            prefix = rng.choice(["AW: ", "Re: ", "WG: "]) if reply_to["lang"] == "de" else "Re: "
            subject = prefix + reply_to["subject"]
            outbound = not reply_to["outbound"]
            lang = reply_to["lang"]
        else:
            correspondent = self._address()
            lang = "de" if rng.random() < 0.8 else "en"
            subject, _text = rng.choice(TOPICS_DE if lang == "de" else TOPICS_EN)
            subject = subject.format(n=rng.randint(1, 52))
            outbound = rng.random() < 0.45
        message = EmailMessage()
        me = formataddr(("Mitarbeiter Vertrieb", self.owner))
        other = formataddr((self._name(correspondent), correspondent))
        message["From"], message["To"] = (me, other) if outbound else (other, me)
        if rng.random() < 0.2:
            message["Cc"] = ", ".join(self._address() for _ in range(rng.randint(1, 3)))
        message["Subject"] = subject
        message["Date"] = format_datetime(when)
        msgid = f"<{n}.{rng.getrandbits(40):x}@{correspondent.partition('@')[2] or 'x'}>"
        if rng.random() > 0.01:  # one in a hundred comes without Message-ID
            message["Message-ID"] = msgid
        if reply_to is not None and rng.random() > 0.08:  # some clients drop these headers
            message["In-Reply-To"] = reply_to["id"]
            message["References"] = " ".join(reply_to["refs"] + [reply_to["id"]])[-900:]
        body = self._body(lang, subject, reply_to)
        message.set_content(body)
        if rng.random() < 0.35:
            html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.splitlines() if line)
            if rng.random() < 0.3:
                html += '<img src="https://tracker.example/open.gif"><img src="cid:logo@firma">'
            message.add_alternative(html + "</body></html>", subtype="html")
            if "cid:logo" in html:
                message.get_payload()[1].add_related(
                    PIXEL, maintype="image", subtype="png", cid="<logo@firma>"
                )
        if rng.random() < 0.08:
            name, maintype, subtype = rng.choice(
                [
                    ("Angebot.pdf", "application", "pdf"),
                    (
                        "Preise 2026.xlsx",
                        "application",
                        "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    ("Foto Schaden.jpg", "image", "jpeg"),
                ]
            )
            message.add_attachment(
                rng.randbytes(rng.randint(10_000, 120_000)),
                maintype=maintype,
                subtype=subtype,
                filename=name,
            )
        raw = message.as_bytes()
        draw = rng.random()
        if draw < 0.002:  # broken MIME: a boundary that never occurs
            raw = raw.replace(
                b"Content-Type: text/plain", b'Content-Type: multipart/mixed; boundary="nope"', 1
            )
        elif draw < 0.004:  # an invalid date
            raw = raw.replace(b"Date: ", b"Date: 31 Feb 20x5 ", 1)
        thread = {
            "id": msgid,
            "refs": (reply_to["refs"] + [reply_to["id"]])[-8:] if reply_to else [],
            "subject": reply_to["subject"] if reply_to else subject,
            "other": correspondent,
            "outbound": outbound,
            "lang": lang,
        }
        self.threads.append(thread)
        return raw

    def _body(self, lang: str, subject: str, reply_to: dict | None) -> str:
        rng = self.rng
        greeting = "Sehr geehrte Damen und Herren," if lang == "de" else "Dear colleagues,"
        closing = "Mit freundlichen Grüßen" if lang == "de" else "Kind regards"
        text = " ".join(FILLER for _ in range(rng.randint(1, 6)))
        quoted = ""
        if reply_to is not None:
            quoted = "\n\n> " + "\n> ".join(FILLER[i : i + 70] for i in range(0, len(FILLER), 70))
        return f"{greeting}\n\n{subject}: {text}\n\n{closing}\nVertrieb{quoted}\n"

    def write(self, path: Path, count: int) -> int:
        size = 0
        with path.open("wb") as out:
            for n in range(count):
                raw = self.message(n)
                if n % 200 == 199 and self.written:  # a copy of an earlier message
                    raw = self.rng.choice(self.written)
                if n % 500 == 0:
                    self.written.append(raw)
                delivered = self.last_when + timedelta(seconds=self.rng.randint(1, 90))
                out.write(
                    f"From bench@accord.example {delivered.strftime('%a %b %e %H:%M:%S %Y')}\n".encode()
                )
                for line in raw.split(b"\n"):
                    if line.lstrip(b">").startswith(b"From "):
                        line = b">" + line
                    out.write(line + b"\n")
                out.write(b"\n")
                size += len(raw)
        return size


# --- orchestration --------------------------------------------------------------------------------
def _run(stage: str, *args: str) -> None:
    subprocess.run([sys.executable, __file__, "--stage", stage, *args], check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=3_000, help="people in the CRM beforehand")
    parser.add_argument("--db-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("stage_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "setup":
        stage_setup(*args.stage_args[:3], people=int(args.stage_args[3]))
        return
    if args.stage == "import":
        stage_import(*args.stage_args)
        return

    with tempfile.TemporaryDirectory(prefix="accord-mailbench-") as tmp:
        db_url = args.db_url or f"sqlite:///{tmp}/bench.sqlite3"
        media = f"{tmp}/media"
        if db_url.startswith("postgres"):
            sys.path.insert(0, str(ROOT / "bench"))
            from run import recreate_postgres_database

            recreate_postgres_database(db_url)
        info_path, result_path, mbox_path = (
            f"{tmp}/setup.json",
            f"{tmp}/result.json",
            Path(tmp) / "bench.mbox",
        )
        print(
            f"setting up a CRM with {args.people:,} people in {db_url.split('/')[0]} …", flush=True
        )
        started = time.perf_counter()
        _run("setup", db_url, media, info_path, str(args.people))
        print(f"  {time.perf_counter() - started:.1f} s", flush=True)
        info = json.loads(Path(info_path).read_text())
        started = time.perf_counter()
        writer = MailboxWriter(
            random.Random(args.seed), info["owner"], info["people"], info["users"]
        )
        size = writer.write(mbox_path, args.messages)
        print(
            f"wrote {args.messages:,} messages ({size / 1048576:.1f} MiB) in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        _run("import", db_url, media, result_path, str(mbox_path), info["owner"])
        result = json.loads(Path(result_path).read_text())
    print()
    print(
        f"{'run':<18} {'status':<10} {'messages':>9} {'seconds':>8} {'msg/s':>7} {'queries':>8} {'peak RSS':>9}"
    )
    for run in result["runs"]:
        print(
            f"{run['run']:<18} {run['status']:<10} {run['messages']:>9,} {run['seconds']:>8.1f} "
            f"{run['rate']:>7.0f} {run['queries']:>8,} {run['peak_rss_mb']:>7.0f} MB"
        )
        print(f"{'':<18} counts {run['counts']}, {run['errors']} reported")
    first = result["runs"][0]
    print()
    print(
        f"captured {result['interactions']:,} interactions in {result['threads']:,} threads; "
        f"{result['linked_to_people']:,} linked to people; RSS after Django set-up "
        f"{result['rss_after_setup_mb']:.0f} MB"
    )
    ok_rate = first["rate"] >= TARGET_RATE
    ok_rss = first["peak_rss_mb"] <= TARGET_RSS_MB
    print(
        f"target ≥ {TARGET_RATE:.0f} messages/s: {'met' if ok_rate else 'MISSED'} "
        f"({first['rate']:.0f}); peak RSS ≤ {TARGET_RSS_MB:.0f} MB: {'met' if ok_rss else 'MISSED'} "
        f"({first['peak_rss_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    main()
