"""The demo and benchmark data generator: `generate(orgs=…, people=…, interactions=…, seed=…)`.

Seeded and reproducible (the same seed gives the same data relative to the day it is loaded),
written with bulk inserts in batches so that the benchmark sizes load in minutes. Every denormalised
field is set as the services would set it: `Person.organization`, `job_title` and `email` from the
person's primary current position and primary address, `last_interaction_at` on people and
organizations, and `occurred_at` on the interaction link rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from faker import Faker

from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person, Tag
from accord.pipeline.models import MarketSignal, Opportunity
from accord.users.choices import Role
from accord.users.models import Team, User

from . import (
    activity,
    commerce,
    community,
    competitors,
    contracts,
    names,
    negotiations,
    portal,
    procurement,
    procurement_scores,
    sales,
    servicedesk,
    services,
    signals,
    targets,
)
from .accounts import DEMO_PASSWORD, DEMO_SIZE, DEMO_USERS, PARTNERS, SALES
from .db import Inserter, search_index_deferred
from .organizations import OrganizationsMixin, OrgPlan
from .people import PeopleMixin, PersonPlan

__all__ = ["DEMO_PASSWORD", "DEMO_SIZE", "DEMO_USERS", "Summary", "database_is_empty", "generate"]

Progress = Callable[[str, int, int], None]


@dataclass
class Summary:
    """What was loaded, how long it took and how to log in."""

    counts: dict[str, int]
    seconds: float
    users: list[tuple[str, str, str]]  # email, role, teams
    password: str = DEMO_PASSWORD
    portal_email: str = ""


def database_is_empty() -> bool:
    """True when no user, organization, person or interaction exists yet."""
    return not (
        User.objects.exists()
        or Organization.objects.exists()
        or Person.objects.exists()
        or Interaction.objects.exists()
    )


class Generator(OrganizationsMixin, PeopleMixin):
    """One run: users and teams, organizations, people, relationships, interactions, in order."""

    def __init__(
        self,
        *,
        orgs: int,
        people: int,
        interactions: int,
        seed: int,
        progress: Progress | None,
        now: datetime | None,
        follow_ups: int | None,
        history: bool,
        opportunities: int | None = None,
        business_scale: int = 1,
    ):
        self.business_scale = business_scale
        self.n_orgs, self.n_people, self.n_interactions = orgs, people, interactions
        self.n_follow_ups = round(interactions * 0.03) if follow_ups is None else follow_ups
        self.n_opportunities = min(1500, orgs * 5) if opportunities is None else opportunities
        self.seed = seed
        self.progress = progress or (lambda stage, done, total: None)
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        # Interactions are scheduled up to the start of today (local time), so that loading twice
        # on one day with one seed gives the same data.
        self.anchor = datetime.combine(
            self.today, dt_time.min, tzinfo=timezone.get_current_timezone()
        )
        self.history = history
        self.counts: dict[str, int] = {}
        self.fakers: dict[str, Faker] = {}
        self.orgs: list[OrgPlan] = []
        self.people: list[PersonPlan] = []
        self.users: dict[str, User] = {}
        self.users_by_id: dict[int, User] = {}
        self.teams: dict[str, Team] = {}
        self.tags: dict[str, Tag] = {}
        self.emails: set[str] = set()
        self.inserter = Inserter()

    # --- helpers ---------------------------------------------------------------------------
    def rng(self, stage: str) -> random.Random:
        """One random stream per stage: changing the people count leaves organizations alone."""
        return random.Random(f"accord-demo:{self.seed}:{stage}")

    def faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            fake = Faker(locale)
            fake.seed_instance(f"{self.seed}:{locale}")
            self.fakers[locale] = fake
        return self.fakers[locale]

    def scaled(self, n: int) -> int:
        """A business-side count (cases, orders, contracts, purchase orders) times
        `business_scale` (1 for the demo; larger for benchmarks)."""
        return n * self.business_scale

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def bulk(self, model: type[models.Model], objs: list) -> list:
        """Insert model instances (ids assigned here) and their "created" history rows."""
        self.inserter.assign_ids(model, objs)
        self.inserter.insert(model, objs)
        if self.history and hasattr(model, "history"):
            self.inserter.insert_history(model, objs)
        self.count(model._meta.verbose_name_plural.__str__(), len(objs))
        return objs

    def stamp(self, obj: models.Model, created: datetime, user_id: int | None = None) -> None:
        """Backdate a record: creation time, last change and its history entry."""
        created = min(created, self.now)
        obj.created_at = obj.updated_at = created  # type: ignore[attr-defined]
        obj._history_date = created  # type: ignore[attr-defined]
        obj._history_user_id = user_id  # type: ignore[attr-defined]

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    # --- the stages --------------------------------------------------------------------------
    def run(self) -> Summary:
        started = time.perf_counter()
        with search_index_deferred(
            (Organization, Person, *activity.MODELS, Opportunity, MarketSignal)
        ):
            with transaction.atomic():
                self.create_users()
                self.create_organizations()
            self.create_people()
            with transaction.atomic():
                self.create_relationships()
                self.create_shares()
            activity.create_interactions(self)
            with transaction.atomic():
                sales.create_sales(self, self.n_opportunities)
                competitors.create_competitors(self)
                signals.create_signals(self)
                community.create_community(self)
                procurement.create_procurement(self)
                procurement_scores.create_procurement_scores(self)
                contracts.create_contracts(self)
                negotiations.create_negotiations(self)
                servicedesk.create_servicedesk(self)
                commerce.create_commerce(self)
                targets.create_targets(self)  # after the orders: they count towards targets
                services.create_services(self)
                portal_email = portal.create_portal(self)
            with transaction.atomic():
                activity.update_last_interaction(self)
                self.inserter.reset_sequences()
        self.progress("search index", 1, 1)
        users = [(email, str(role), ", ".join(teams)) for email, _f, _l, role, teams in DEMO_USERS]
        return Summary(self.counts, time.perf_counter() - started, users, portal_email=portal_email)

    def create_users(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
        for name, description in (
            (SALES, "Vertrieb Region Nord: Kunden und Interessenten"),
            (PARTNERS, "Einkauf, Lieferanten, Partner und Behörden"),
        ):
            self.teams[name] = Team.objects.create(name=name, description=description)
        for email, first, last, role, teams in DEMO_USERS:
            user = User(
                email=email,
                username=email,
                first_name=first,
                last_name=last,
                role=role,
                password=password,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.save()
            user.teams.set([self.teams[t] for t in teams])
            self.users[email] = user
            self.users_by_id[user.pk] = user
        tag_names = dict.fromkeys(names.ORGANIZATION_TAGS + names.PERSON_TAGS)
        for tag in Tag.objects.bulk_create([Tag(name=n) for n in tag_names]):
            self.tags[tag.name] = tag
        self.count("users", len(DEMO_USERS))


def generate(
    *,
    orgs: int = DEMO_SIZE["orgs"],
    people: int = DEMO_SIZE["people"],
    interactions: int = DEMO_SIZE["interactions"],
    seed: int = 42,
    progress: Progress | None = None,
    now: datetime | None = None,
    follow_ups: int | None = None,
    history: bool = True,
    opportunities: int | None = None,
    business_scale: int = 1,
) -> Summary:
    """Build the demo data set into the (empty) default database and return what was loaded.

    `progress(stage, done, total)` is called as each stage advances. `opportunities` defaults to
    five per organization, at most 1,500, over the last 24 months. `follow_ups` defaults to 3 % of
    the interactions. `history=False` skips the change-history rows (faster, for benchmarks of
    pages that do not show history). `business_scale` multiplies the cases, orders, contracts
    and purchase orders (benchmarks).
    """
    if orgs < 1 or people < 0 or interactions < 0:
        raise ValueError("orgs must be at least 1; people and interactions not negative")
    return Generator(
        orgs=orgs,
        people=people,
        interactions=interactions,
        seed=seed,
        progress=progress,
        now=now,
        follow_ups=follow_ups,
        history=history,
        opportunities=opportunities,
        business_scale=business_scale,
    ).run()
