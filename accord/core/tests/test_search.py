"""Global search: what a user finds, what they may not find, and that the index stays current.

Runs on SQLite (FTS5) and PostgreSQL (GIN expression index) alike; data is built with the models.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.core.models import Share
from accord.core.search import entries, search, search_ids
from accord.core.search.query import fts5_query, parse_terms, tsquery
from accord.core.testing.matrix import make_users
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person

HOSTILE = [
    '"',
    '""',
    "*",
    "**",
    "NEAR(",
    "NEAR(a b, 2)",
    "') OR 1=1 --",
    '" OR 1=1 --',
    "müller) OR (1",
    "AND",
    "OR NOT",
    "name:müller",
    "{name legal_name}: x",
    "^mül",
    "-gmbh",
    "a & b | !c",
    "mül:*",
    "'':*",
    "\\",
    "%_%",
    "\x00\x01\x1f",
    "<script>alert(1)</script>",
    "🙂🙂",
    "x" * 10_000,
    "a " * 500,
]


def titles(group) -> list[str]:
    return [hit.title for hit in group]


class SearchDataMixin:
    @classmethod
    def setUpTestData(cls) -> None:
        cls.u = make_users()
        a, b = cls.u.team_a, cls.u.team_b
        own = {"owner": cls.u.owner, "team": a}
        cls.mueller = Organization.objects.create(
            name="Müller GmbH", city="Köln", country="DE", is_client=True, is_supplier=True, **own
        )
        cls.strasse = Organization.objects.create(name="Hauptstraße Bau", city="Berlin", **own)
        cls.acme = Organization.objects.create(
            name="Acme Corp",
            legal_name="Acme Corporation Ltd",
            vat_id="GB980780684",
            website="https://www.acme-widgets.example",
            **own,
        )
        cls.secret_org = Organization.objects.create(
            name="Müllerei Geheim", owner=cls.u.other, team=b
        )
        cls.anna = Person.objects.create(
            first_name="Anna",
            last_name="Schmidt",
            email="anna.schmidt@mueller.example",
            job_title="Head of Purchasing",
            organization=cls.mueller,
            **own,
        )
        cls.jose = Person.objects.create(first_name="José", last_name="Ñúñez", **own)
        now = timezone.now()
        cls.call = Interaction.objects.create(
            kind="call",
            subject="Quarterly review",
            occurred_at=now - timedelta(days=3),
            body="Talked about the Kältemaschine order.\nSecond line.",
            **own,
        )
        cls.visit = Interaction.objects.create(
            kind="visit",
            subject="Site visit",
            occurred_at=now - timedelta(days=1),
            body="Inspected the Kältemaschine on site.",
            **own,
        )
        cls.secret_call = Interaction.objects.create(
            kind="call",
            subject="Kältemaschine pricing",
            occurred_at=now,
            body="Confidential.",
            owner=cls.u.other,
            team=b,
        )


class SearchBehaviourTests(SearchDataMixin, TestCase):
    def test_umlauts_and_accents_are_ignored(self):
        for query in ("muller", "Müller", "MÜLLER", "muller gmbh"):
            with self.subTest(query=query):
                found = search(self.u.admin, query)["organization"]
                self.assertIn("Müller GmbH", titles(found))
        self.assertEqual(titles(search(self.u.admin, "nunez")["person"]), ["José Ñúñez"])
        self.assertEqual(titles(search(self.u.admin, "kolner koln")["organization"]), [])
        self.assertIn("Müller GmbH", titles(search(self.u.admin, "koln")["organization"]))

    def test_sharp_s_matches_ss_both_ways(self):
        # unicode61 does not fold ß; the index folds it to "ss", as PostgreSQL's unaccent does.
        self.assertEqual(
            titles(search(self.u.admin, "hauptstrasse")["organization"]), ["Hauptstraße Bau"]
        )
        self.assertEqual(
            titles(search(self.u.admin, "Hauptstraße")["organization"]), ["Hauptstraße Bau"]
        )

    def test_start_of_a_word_is_enough(self):
        self.assertIn("Müller GmbH", titles(search(self.u.admin, "mül")["organization"]))
        self.assertIn("Müller GmbH", titles(search(self.u.admin, "mu gm")["organization"]))
        self.assertEqual(titles(search(self.u.admin, "schm ann")["person"]), ["Anna Schmidt"])
        # "ue" is not "ü": the umlaut folds to "u", not to "ue".
        self.assertEqual(titles(search(self.u.admin, "mueller gmbh")["organization"]), [])

    def test_names_holding_the_words_come_first(self):
        Organization.objects.create(name="Beta Handel", city="Müllerstadt", owner=self.u.owner)
        Organization.objects.create(name="Alpha Müllerei", owner=self.u.owner)
        self.assertEqual(
            titles(search(self.u.admin, "müller")["organization"]),
            ["Müller GmbH", "Müllerei Geheim", "Alpha Müllerei", "Beta Handel"],
        )
        Person.objects.create(first_name="Schmidtke", last_name="Zander", owner=self.u.owner)
        self.assertEqual(
            titles(search(self.u.admin, "schmidt")["person"]), ["Anna Schmidt", "Schmidtke Zander"]
        )

    def test_all_words_must_match(self):
        self.assertEqual(titles(search(self.u.admin, "müller berlin")["organization"]), [])

    def test_other_fields_are_searched(self):
        admin = self.u.admin
        self.assertEqual(titles(search(admin, "corporation")["organization"]), ["Acme Corp"])
        self.assertEqual(titles(search(admin, "GB980780684")["organization"]), ["Acme Corp"])
        self.assertEqual(titles(search(admin, "acme-widgets")["organization"]), ["Acme Corp"])
        self.assertEqual(titles(search(admin, "purchasing")["person"]), ["Anna Schmidt"])
        self.assertEqual(
            titles(search(admin, "anna.schmidt@mueller.example")["person"]), ["Anna Schmidt"]
        )

    def test_interaction_text_matches_newest_first(self):
        found = search(self.u.admin, "kaltemaschine")["interaction"]
        self.assertEqual(titles(found), ["Kältemaschine pricing", "Site visit", "Quarterly review"])
        hit = next(h for h in found if h.title == "Quarterly review")
        self.assertIn("Call", hit.subtitle)
        self.assertIn("Talked about the Kältemaschine order.", hit.subtitle)
        self.assertNotIn("Second line", hit.subtitle)

    def test_subtitles_say_where_and_what(self):
        org = search(self.u.admin, "müller gmbh")["organization"].results[0]
        self.assertEqual(org.subtitle, "Köln, Germany · Client, Supplier")
        self.assertEqual(org.url, self.mueller.get_absolute_url())
        person = search(self.u.admin, "anna")["person"].results[0]
        self.assertEqual(person.subtitle, "Head of Purchasing at Müller GmbH")

    def test_member_of_another_team_does_not_find_team_records(self):
        other = search(self.u.other, "müll kältemaschine")
        self.assertEqual(titles(other["organization"]), [])
        self.assertEqual(titles(search(self.u.other, "mül")["organization"]), ["Müllerei Geheim"])
        self.assertEqual(titles(search(self.u.other, "anna")["person"]), [])
        self.assertEqual(
            titles(search(self.u.other, "kältemaschine")["interaction"]), ["Kältemaschine pricing"]
        )

    def test_team_member_and_viewer_find_team_records_only(self):
        for user in (self.u.owner, self.u.viewer):
            with self.subTest(user=user.email):
                self.assertEqual(titles(search(user, "mül")["organization"]), ["Müller GmbH"])
                self.assertEqual(
                    titles(search(user, "kältemaschine")["interaction"]),
                    ["Site visit", "Quarterly review"],
                )

    def test_manager_and_admin_find_everything(self):
        for user in (self.u.manager, self.u.admin):
            with self.subTest(user=user.email):
                self.assertEqual(
                    sorted(titles(search(user, "mül")["organization"])),
                    ["Müller GmbH", "Müllerei Geheim"],
                )
                self.assertEqual(len(search(user, "kältemaschine")["interaction"]), 3)

    def test_shared_records_and_participation_make_records_findable(self):
        Share.objects.create(
            content_type=ContentType.objects.get_for_model(Organization),
            object_id=self.mueller.pk,
            user=self.u.other,
        )
        self.visit.users.add(self.u.other)
        self.assertIn("Müller GmbH", titles(search(self.u.other, "müller")["organization"]))
        self.assertEqual(
            titles(search(self.u.other, "kältemaschine")["interaction"]),
            ["Kältemaschine pricing", "Site visit"],
        )

    def test_anonymous_finds_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        groups = search(AnonymousUser(), "müller")
        self.assertTrue(all(not g for g in groups.values()))

    def test_empty_queries_find_nothing(self):
        for query in ("", "   ", None, "***", "-- ;"):
            with self.subTest(query=query):
                groups = search(self.u.admin, query)
                # one (empty) group per registered kind, whatever apps register
                self.assertEqual(list(groups), [e.kind for e in entries()])
                self.assertEqual(list(groups)[:3], ["organization", "person", "interaction"])
                self.assertTrue(all(not g for g in groups.values()))

    def test_hostile_queries_neither_fail_nor_inject(self):
        for query in HOSTILE:
            with self.subTest(query=query[:30]):
                groups = search(self.u.admin, query)
                self.assertEqual(len(groups), len(entries()))
                self.assertEqual(len(search(self.u.other, query)), len(entries()))
        # An injected OR must not widen the search to every row.
        self.assertEqual(titles(search(self.u.admin, "') OR 1=1 --")["organization"]), [])
        self.assertEqual(titles(search(self.u.admin, "müller) OR (acme")["organization"]), [])

    def test_groups_are_limited_and_say_there_is_more(self):
        for i in range(12):
            Organization.objects.create(name=f"Zeppelin Werk {i:02d}", owner=self.u.owner)
        groups = search(self.u.admin, "zeppelin")
        group = groups["organization"]
        self.assertEqual(len(group), 10)
        self.assertTrue(group.has_more)
        self.assertEqual(group.count_display, "10+")
        self.assertEqual(groups["person"].count_display, "0")
        only = search(self.u.admin, "zeppelin", kinds=["organization"], limit=50)
        self.assertEqual(list(only), ["organization"])
        self.assertEqual(len(only["organization"]), 12)
        self.assertFalse(only["organization"].has_more)
        self.assertEqual(list(search(self.u.admin, "x", kinds=["nonsense"])), [])

    def test_index_follows_insert_update_delete(self):
        self.assertEqual(titles(search(self.u.admin, "zwieback")["organization"]), [])
        org = Organization.objects.create(name="Zwieback Söhne", owner=self.u.owner)
        self.assertEqual(
            titles(search(self.u.admin, "zwieback")["organization"]), ["Zwieback Söhne"]
        )
        org.name = "Knäckebrot Söhne"
        org.save()
        self.assertEqual(titles(search(self.u.admin, "zwieback")["organization"]), [])
        self.assertEqual(
            titles(search(self.u.admin, "knackebrot")["organization"]), ["Knäckebrot Söhne"]
        )
        # A change of a column that is not indexed leaves the index alone and correct.
        Organization.objects.filter(pk=org.pk).update(last_interaction_at=timezone.now())
        self.assertEqual(
            titles(search(self.u.admin, "sohne")["organization"]), ["Knäckebrot Söhne"]
        )
        org.delete()
        self.assertEqual(titles(search(self.u.admin, "knackebrot")["organization"]), [])
        interaction = Interaction.objects.create(
            kind="note", subject="Notiz", body="Straßenfest geplant", owner=self.u.owner
        )
        self.assertEqual(titles(search(self.u.admin, "strassenfest")["interaction"]), ["Notiz"])
        Interaction.objects.filter(pk=interaction.pk).update(body="abgesagt")
        self.assertEqual(titles(search(self.u.admin, "strassenfest")["interaction"]), [])
        self.assertEqual(titles(search(self.u.admin, "abgesagt")["interaction"]), ["Notiz"])

    def test_hostile_text_is_stored_and_found(self):
        org = Organization.objects.create(
            name="<script>alert('x')</script> 🙂 Ölmühle", owner=self.u.owner
        )
        found = search(self.u.admin, "olmuhle")["organization"]
        self.assertEqual(titles(found), [org.name])

    def test_search_ids_returns_matching_ids_without_visibility(self):
        self.assertEqual(
            sorted(search_ids(Organization, "mül")), sorted([self.mueller.pk, self.secret_org.pk])
        )
        self.assertEqual(search_ids(Interaction, "kältemaschine", limit=1), [self.secret_call.pk])
        self.assertEqual(search_ids(Person, ""), [])
        self.assertEqual(len(search_ids(Organization, "mül", limit=1)), 1)

    def test_query_count_is_bounded(self):
        self.u.other.refresh_from_db()
        # content types are cached for the life of a process; tests start with an empty cache
        ContentType.objects.get_for_models(*(entry.model for entry in entries()))
        with CaptureQueriesContext(connection) as ctx:
            search(self.u.owner, "müller kältemaschine anna")
            search(self.u.owner, "mül")
        # per search: one index query per registered kind; for each of the (at most three)
        # kinds with hits here, visibility and records as well — and the user's teams once.
        # Never a query per row.
        per_search = len(entries()) + 3 * 2
        self.assertLessEqual(len(ctx.captured_queries), 2 * per_search + 1)


class QueryParsingTests(TestCase):
    def test_words_are_letters_and_digits_folded(self):
        self.assertEqual(
            parse_terms('  Müller-Lüdenscheidt "GmbH" * NEAR( '),
            ["müller", "lüdenscheidt", "gmbh", "near"],
        )
        self.assertEqual(parse_terms("Straße STRASSE"), ["strasse"])
        self.assertEqual(parse_terms("mu\u0308ller"), ["müller"])  # decomposed umlaut
        self.assertEqual(parse_terms("') OR 1=1 --"), ["or", "1"])
        self.assertEqual(len(parse_terms("a b c d e f g h i j k")), 8)

    def test_queries_quote_every_word(self):
        self.assertEqual(fts5_query(["mül", "gmbh"]), '"mül"* "gmbh"*')
        self.assertEqual(fts5_query(["m"]), '"m"')
        self.assertEqual(tsquery(["mül", "x"]), "'mül':* & 'x':*")
        self.assertEqual(tsquery(["mül", "x"], weight="A"), "'mül':*A & 'x':*A")
        self.assertEqual(tsquery(["m"], weight="A"), "'m':A")
        self.assertEqual(
            fts5_query(["anna", "schmidt"], whole_from=5, columns=("first_name", "last_name")),
            '{first_name last_name} : "anna"* {first_name last_name} : "schmidt"',
        )
