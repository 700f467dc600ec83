"""Search probe: fill a database with size-M-like data and time `search()` against it.

A stress test for the full-text search, apart from `bench/run.py` (which times the search page on
the demo data): the interaction text here follows a steep Zipf law over 20,000 words, so the most
common words occur in nearly every interaction — harder on prefix queries than real text.

    DATABASE_URL=sqlite:////tmp/probe.sqlite3 .venv/bin/python bench/search_probe.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accord_probe .venv/bin/python bench/search_probe.py
    ... --skip-build            # reuse the data in that database
    ... --pages                 # also time /search/ (full page and htmx partial)

Data is bulk-inserted (the index triggers fire): 20,000 organizations, 100,000 people and
1,000,000 interactions by default (about 10 minutes on SQLite, 2 cores), owned by 20 members in
five teams. Prints, per query, for an admin, a member (sees about a fifth) and a member without a
team who owns nothing ("loner"): the median wall and CPU time of 15 calls (ms), the SQL queries of
one call and the hits per kind. CPU time is this process only (all of SQLite; not PostgreSQL's).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accord.core.search import search  # noqa: E402
from accord.interactions.models import Interaction  # noqa: E402
from accord.parties.models import Organization, Person  # noqa: E402
from accord.users.models import Team, User  # noqa: E402

FIRST = [
    "Anna",
    "Jonas",
    "Lea",
    "Lukas",
    "Marie",
    "Paul",
    "Sophie",
    "Felix",
    "Emma",
    "Leon",
    "Mia",
    "Max",
    "Hannah",
    "Elias",
    "Lena",
    "Noah",
    "Jürgen",
    "Björn",
    "Zoë",
    "José",
    "Ana",
    "Luca",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Ñúñez",
    "Smith",
    "Jones",
    "Brown",
]
CITIES = [
    "Berlin",
    "Hamburg",
    "München",
    "Köln",
    "Frankfurt",
    "Stuttgart",
    "Düsseldorf",
    "Leipzig",
    "Dortmund",
    "Essen",
    "Bremen",
    "Dresden",
    "Hannover",
    "Nürnberg",
    "Wien",
    "Zürich",
    "London",
    "Paris",
]
BASE_WORDS = [
    "angebot",
    "lieferung",
    "rechnung",
    "termin",
    "vertrag",
    "preis",
    "wartung",
    "schulung",
    "besprechung",
    "projekt",
    "anfrage",
    "bestellung",
    "reklamation",
    "kältemaschine",
    "ersatzteil",
    "montage",
    "abnahme",
    "budget",
    "rabatt",
    "quote",
    "delivery",
    "invoice",
    "meeting",
    "contract",
    "price",
    "maintenance",
    "training",
    "project",
    "request",
    "order",
    "complaint",
    "spare",
    "part",
    "installation",
    "acceptance",
    "discount",
    "renewal",
    "notice",
    "follow",
    "call",
    "visit",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    syll = [
        "ba",
        "be",
        "bi",
        "bo",
        "bu",
        "ka",
        "ke",
        "ki",
        "ko",
        "ku",
        "la",
        "le",
        "li",
        "lo",
        "lu",
        "ma",
        "me",
        "mi",
        "mo",
        "mu",
        "na",
        "ne",
        "ni",
        "no",
        "nu",
        "ra",
        "re",
        "ri",
        "ro",
        "ru",
        "sa",
        "se",
        "si",
        "so",
        "su",
        "ta",
        "te",
        "ti",
        "to",
        "tu",
        "ung",
        "er",
        "en",
        "ter",
        "lich",
        "keit",
        "schaft",
    ]
    words = list(BASE_WORDS)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


def build(n_orgs: int, n_people: int, n_interactions: int) -> None:
    rng = random.Random(42)
    teams = [Team.objects.create(name=f"Team {i}") for i in range(5)]
    users = []
    for i in range(20):
        u = User.objects.create_user(email=f"user{i}@probe.test", password="x", role="member")
        u.teams.add(teams[i % 5])
        users.append(u)
    User.objects.create_user(email="admin@probe.test", password="x", role="admin")
    User.objects.create_user(email="loner@probe.test", password="x", role="member")

    def owner_team():
        u = rng.choice(users)
        return u, teams[users.index(u) % 5]

    t0 = time.perf_counter()
    orgs = []
    for i in range(n_orgs):
        o, t = owner_team()
        orgs.append(
            Organization(
                name=f"{rng.choice(LAST)} {rng.choice(['GmbH', 'AG', 'KG', 'Bau', 'Handel', 'Technik', 'Ltd'])} {i}",
                city=rng.choice(CITIES),
                country="DE",
                vat_id=f"DE{rng.randint(100000000, 999999999)}",
                website=f"https://www.firma{i}.example",
                owner=o,
                team=t,
                is_client=rng.random() < 0.5,
            )
        )
    Organization.objects.bulk_create(orgs, batch_size=5000)
    people = []
    for i in range(n_people):
        o, t = owner_team()
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append(
            Person(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}{i}@firma.example".lower(),
                job_title=rng.choice(
                    ["Einkauf", "Geschäftsführer", "Head of Purchasing", "Technik", "CFO", ""]
                ),
                owner=o,
                team=t,
            )
        )
    Person.objects.bulk_create(people, batch_size=5000)
    print(f"orgs+people: {time.perf_counter() - t0:.1f} s", flush=True)

    vocab = vocabulary(rng, 20000)
    cum, acc = [], 0.0
    for r in range(len(vocab)):
        acc += 1 / (r + 1)
        cum.append(acc)
    now = timezone.now()
    t0 = time.perf_counter()
    batch = 20000
    for start in range(0, n_interactions, batch):
        rows = []
        for i in range(start, min(start + batch, n_interactions)):
            o, t = owner_team()
            body_words = rng.choices(vocab, cum_weights=cum, k=rng.randint(15, 60))
            subj = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(3, 7))).capitalize()
            rows.append(
                Interaction(
                    kind=rng.choice(["email", "call", "meeting", "visit", "note"]),
                    subject=subj,
                    body=" ".join(body_words),
                    occurred_at=now
                    - timedelta(minutes=(n_interactions - i) * 2 + rng.randint(0, 3000)),
                    owner=o,
                    team=t,
                )
            )
        with transaction.atomic():
            Interaction.objects.bulk_create(rows, batch_size=2000)
        if start % 200000 == 0:
            print(
                f"  {start + len(rows)} interactions, {time.perf_counter() - t0:.0f} s", flush=True
            )
    print(f"interactions: {time.perf_counter() - t0:.1f} s", flush=True)


def timeit(user, query, runs=15):
    search(user, query)  # warm
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        groups = search(user, query)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        search(user, query)
    counts = "/".join(groups[k].count_display for k in groups)
    return statistics.median(times), statistics.median(cpu), len(ctx.captured_queries), counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=20000)
    ap.add_argument("--people", type=int, default=100000)
    ap.add_argument("--interactions", type=int, default=1000000)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--pages", action="store_true", help="also time the /search/ page")
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    if not args.skip_build and not Interaction.objects.exists():
        build(args.orgs, args.people, args.interactions)
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as c:
                c.execute("ANALYZE")
    print(
        f"{connection.vendor}: {Interaction.objects.count()} interactions, "
        f"{Person.objects.count()} people, {Organization.objects.count()} organizations"
    )
    admin = User.objects.get(email="admin@probe.test")
    member = User.objects.get(email="user0@probe.test")
    loner = User.objects.get(email="loner@probe.test")
    queries = [
        "müller",
        "muller gmbh",
        "kältemaschine",
        "angebot",
        "an",
        "ang",
        "rechnung termin",
        "m",
        "schmidt anna",
        "bakelo",
        "zzyzx",
        "') OR 1=1 --",
    ]
    print(
        f"{'query':<18}{'user':<8}{'wall ms':>10}{'cpu ms':>8}{'queries':>8}  hits org/person/interaction"
    )
    for q in queries:
        for name, user in (("admin", admin), ("member", member), ("loner", loner)):
            med, mx, n, counts = timeit(user, q)
            print(f"{q:<18}{name:<8}{med:>10.2f}{mx:>8.2f}{n:>8}  {counts}", flush=True)
    if args.pages:
        for q in ("Müller", "Lieferung", "angebot", "kälte"):
            for name, user in (("admin", admin), ("member", member)):
                full, part = page_timing(user, q)
                print(f"page {q:<12}{name:<8} full {full:7.2f} ms   htmx partial {part:7.2f} ms")


def page_timing(user, query, runs=15):
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = "/search/"
    client.get(url, {"q": query})
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url, {"q": query})
        times.append((time.perf_counter() - t) * 1000)
    assert response.status_code == 200
    partial = []
    for _ in range(runs):
        t = time.perf_counter()
        client.get(url, {"q": query}, headers={"HX-Request": "true"})
        partial.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), statistics.median(partial)


if __name__ == "__main__":
    main()
