"""Organizations of every role (several at once sometimes), their relationships and sharing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from accord.core.models import Share
from accord.parties.choices import Industry, OrganizationRole, OrganizationSize, RelationshipType
from accord.parties.models import Organization, Relationship
from accord.users.models import Team, User

from . import identifiers, names
from .accounts import PARTNERS, SALES
from .db import insert_rows
from .places import CITIES_BY_COUNTRY, COUNTRIES, GERMAN_CITIES, City

PRIMARY_ROLES = (
    (OrganizationRole.CLIENT, 34),
    (OrganizationRole.PROSPECT, 20),
    (OrganizationRole.SUPPLIER, 17),
    (OrganizationRole.SERVICE_PROVIDER, 8),
    (OrganizationRole.PARTNER, 6),
    (OrganizationRole.COMPETITOR, 4),
    (OrganizationRole.AUTHORITY, 9),
    (OrganizationRole.INTERNAL, 2),
)
# (extra role, probability) for organizations that hold several roles at once
EXTRA_ROLES = {
    OrganizationRole.CLIENT: ((OrganizationRole.SUPPLIER, 0.06), (OrganizationRole.PARTNER, 0.04)),
    OrganizationRole.PROSPECT: ((OrganizationRole.PARTNER, 0.05),),
    OrganizationRole.SUPPLIER: (
        (OrganizationRole.PARTNER, 0.15),
        (OrganizationRole.SERVICE_PROVIDER, 0.15),
    ),
    OrganizationRole.SERVICE_PROVIDER: ((OrganizationRole.SUPPLIER, 0.2),),
    OrganizationRole.PARTNER: ((OrganizationRole.CLIENT, 0.2),),
    OrganizationRole.COMPETITOR: (
        (OrganizationRole.PARTNER, 0.15),
        (OrganizationRole.SUPPLIER, 0.05),
    ),
}
SIZES = (
    (OrganizationSize.MICRO, 12),
    (OrganizationSize.SMALL, 30),
    (OrganizationSize.MEDIUM, 32),
    (OrganizationSize.LARGE, 18),
    (OrganizationSize.ENTERPRISE, 8),
)
SIZE_CONTACTS = {"micro": 1.0, "small": 2.0, "medium": 3.5, "large": 6.0, "enterprise": 9.0}
ROLE_CONTACTS = {"client": 1.3, "prospect": 0.8, "competitor": 0.15, "authority": 0.8}


@dataclass(slots=True)
class OrgPlan:
    """What the generator knows about one organization while it builds the rest."""

    obj: Organization
    kind: str  # primary role: decides rhythm, topics and titles
    country: str
    city: City
    language: str
    domain: str
    contact_weight: float = 1.0
    contacts: list[tuple[int, int, int, float]] = field(default_factory=list)
    # (person index, first day, last day (ordinals), weight) of each position held there


def authority_domain(name: str) -> str:
    """ "Stadt Würzburg" → wuerzburg.de, "Industrie- und Handelskammer Fulda" → ihk-fulda.de."""
    short = name.split(" – ")[0].replace("Industrie- und Handelskammer", "IHK")
    for prefix in ("Stadt ", "Gemeinde ", "Markt "):
        short = short.removeprefix(prefix)
    for suffix in (" GmbH", " mbH", " e. V."):
        short = short.removesuffix(suffix)
    return identifiers.ascii_slug(short) + ".de"


class OrganizationsMixin:
    """Organizations, then relationships between parties and a few shared records."""

    def owner_and_team(self, rng: random.Random, roles: set[str]) -> tuple[User, Team | None]:
        u, t = self.users, self.teams
        sellers = (u["julia.hoffmann@accord.example"], u["tobias.schroeder@accord.example"])
        if "internal" in roles:
            return u["admin@accord.example"], None
        if "authority" in roles:
            return u["manager@accord.example"], (t[PARTNERS] if rng.random() < 0.5 else None)
        if "competitor" in roles:
            return u["manager@accord.example"], t[SALES]
        if roles & {"client", "prospect"}:
            owner = rng.choice(sellers) if rng.random() < 0.9 else u["manager@accord.example"]
            team = t[SALES] if rng.random() > 0.03 else None  # a few private to their owner
            return owner, team
        owner = (
            u["sabine.krueger@accord.example"]
            if rng.random() < 0.85
            else u["manager@accord.example"]
        )
        return owner, t[PARTNERS]

    def create_organizations(self) -> None:
        rng = self.rng("organizations")
        country_codes = list(COUNTRIES)
        country_weights = [COUNTRIES[c].weight for c in country_codes]
        towns = [c for c in GERMAN_CITIES if not c.municipality]
        used_names: set[str] = set()
        used_domains: set[str] = set()
        internal_names = list(names.INTERNAL_UNITS) + [f"Niederlassung {c.name}" for c in towns]
        objs: list[Organization] = []
        tag_rows: list[tuple[int, int]] = []
        for i in range(self.n_orgs):
            # the first few cover every role, so that even a tiny data set shows them all
            kind = (
                PRIMARY_ROLES[i][0]
                if i < len(PRIMARY_ROLES)
                else names.weighted(rng, PRIMARY_ROLES)
            )
            if kind == OrganizationRole.INTERNAL and not internal_names:
                kind = OrganizationRole.CLIENT
            roles = {str(kind)}
            for extra, p in EXTRA_ROLES.get(kind, ()):
                if rng.random() < p:
                    roles.add(str(extra))
            size = names.weighted(rng, SIZES)
            country = "DE"
            if kind == OrganizationRole.INTERNAL:
                name = f"{names.OUR_COMPANY} – {internal_names.pop(0)}"
                city = next((c for c in towns if c.name in name), rng.choice(towns[:20]))
                industry, size, legal_name = Industry.MANUFACTURING, OrganizationSize.LARGE, ""
                domain = "nordlicht-technik.de"
            elif kind == OrganizationRole.AUTHORITY:
                city = rng.choice(GERMAN_CITIES)
                name, industry, also_client = names.authority_name(rng, city)
                for attempt in range(12):
                    if name not in used_names:
                        break
                    city = rng.choice(GERMAN_CITIES)
                    name, industry, also_client = names.authority_name(rng, city)
                    if attempt == 11:
                        name = f"{name} – Außenstelle {i}"
                if also_client:
                    roles.add("client")
                size = (
                    OrganizationSize.SMALL
                    if city.municipality
                    else rng.choice((OrganizationSize.LARGE, OrganizationSize.ENTERPRISE))
                )
                legal_name = ""
                domain = authority_domain(name)
            else:
                country = rng.choices(country_codes, weights=country_weights)[0]
                cities = CITIES_BY_COUNTRY[country]
                if country == "DE":
                    cities = towns if rng.random() < 0.92 else GERMAN_CITIES
                city = rng.choice(cities)
                # competitors make what we make
                sector = Industry.MANUFACTURING if kind == OrganizationRole.COMPETITOR else None
                for _attempt in range(20):
                    name, industry, base = names.company_name(rng, country, city, sector)
                    if name not in used_names:
                        break
                else:
                    name = f"{name} ({city.name}, {i})"
                if kind == OrganizationRole.COMPETITOR:
                    size = rng.choice((OrganizationSize.MEDIUM, OrganizationSize.LARGE))
                legal_name = name
                domain = identifiers.ascii_slug(base) + "." + COUNTRIES[country].tld
            used_names.add(name)
            if domain in used_domains and kind != OrganizationRole.INTERNAL:
                stem, _dot, tld = domain.partition(".")
                domain = f"{stem}-{identifiers.ascii_slug(city.name)}.{tld}"
                n = 2
                while domain in used_domains:
                    domain = f"{stem}{n}.{tld}"
                    n += 1
            used_domains.add(domain)
            owner, team = self.owner_and_team(rng, roles)
            street_name = rng.choice(COUNTRIES[country].streets)
            number = str(rng.randint(1, 180)) + (rng.choice("abc") if rng.random() < 0.08 else "")
            if kind == OrganizationRole.AUTHORITY and rng.random() < 0.6:
                street_name, number = rng.choice(("Marktplatz", "Rathausplatz")), "1"
            street = (
                f"{number} {street_name}"
                if COUNTRIES[country].number_first
                else f"{street_name} {number}"
            )
            mailbox = {"authority": "poststelle", "internal": "zentrale"}.get(str(kind), "info")
            if COUNTRIES[country].language == "en" and mailbox == "info":
                mailbox = rng.choice(("info", "hello", "contact", "office"))
            org = Organization(
                name=name,
                legal_name=legal_name,
                industry=industry,
                size=size,
                website=f"https://www.{domain}/",
                email=f"{mailbox}@{domain}",
                phone=identifiers.landline(city, rng),
                vat_id=(
                    identifiers.vat_id(country, rng)
                    if kind != OrganizationRole.INTERNAL and rng.random() < 0.85
                    else ""
                ),
                street=street,
                postal_code=rng.choice(city.postal_codes),
                city=city.name,
                region=city.region,
                country=country,
                notes=rng.choice(names.ORGANIZATION_NOTES) if rng.random() < 0.1 else "",
                owner=owner,
                team=team,
                is_archived=kind == OrganizationRole.PROSPECT and rng.random() < 0.08,
            )
            org.roles = roles
            self.stamp(org, self.days_ago(rng.uniform(740, 2200)), owner.pk)
            objs.append(org)
            weight = SIZE_CONTACTS[str(size)] * ROLE_CONTACTS.get(str(kind), 1.0)
            self.orgs.append(
                OrgPlan(org, str(kind), country, city, COUNTRIES[country].language, domain, weight)
            )
        self.bulk(Organization, objs)
        for plan in self.orgs:
            tags = self.organization_tags(rng, plan)
            tag_rows += [(plan.obj.pk, self.tags[t].pk) for t in tags]
        insert_rows(Organization.tags.through, ["organization", "tag"], tag_rows)
        self.progress("organizations", len(objs), self.n_orgs)

    def organization_tags(self, rng: random.Random, plan: OrgPlan) -> list[str]:
        org = plan.obj
        tags: list[str] = []
        if org.is_client:
            size_rank = ["micro", "small", "medium", "large", "enterprise"].index(str(org.size))
            if rng.random() < 0.7:
                tags.append(("C-Kunde", "C-Kunde", "B-Kunde", "A-Kunde", "A-Kunde")[size_rank])
            if size_rank >= 3 and rng.random() < 0.4:
                tags.append("Key Account")
            if rng.random() < 0.1:
                tags.append("Referenzkunde")
            if rng.random() < 0.15:
                tags.append("Wartungsvertrag")
        if org.is_supplier and rng.random() < 0.35:
            tags.append(
                rng.choice(
                    ("Rahmenvertrag", "Strategischer Lieferant", "Preferred Supplier", "ISO 9001")
                )
            )
        if org.is_prospect and rng.random() < 0.3:
            tags.append(rng.choice(("Messekontakt", "Ausschreibung")))
        if org.is_authority and rng.random() < 0.5:
            tags.append(
                rng.choice(("Bürgerbeteiligung", "Fördermittel", "Öffentlicher Auftraggeber"))
            )
        return tags

    # --- people ------------------------------------------------------------------------------

    def create_relationships(self) -> None:
        rng = self.rng("relationships")
        by_kind: dict[str, list[OrgPlan]] = {}
        by_city: dict[str, list[OrgPlan]] = {}
        for plan in self.orgs:
            for role in plan.obj.roles:
                by_kind.setdefault(role, []).append(plan)
            by_city.setdefault(plan.city.name, []).append(plan)
        big = [
            p
            for p in self.orgs
            if p.obj.size in ("large", "enterprise") and p.kind not in ("internal", "authority")
        ]
        seen: set[tuple] = set()
        rels: list[Relationship] = []

        def add(
            kind: str, a: Organization | int, b: Organization | int, *, people: bool = False
        ) -> None:
            key = (kind, a if people else a.pk, b if people else b.pk)  # type: ignore[union-attr]
            if key[1] == key[2] or key in seen or (kind, key[2], key[1]) in seen:
                return
            seen.add(key)
            since = self.today - timedelta(days=rng.randint(30, 3650))
            until = None
            if rng.random() < 0.08:
                until = min(self.today, since + timedelta(days=rng.randint(60, 1500)))
            if people:
                rel = Relationship(
                    relationship_type=kind,
                    from_person_id=self.people[a].id,
                    to_person_id=self.people[b].id,
                    start_date=since,
                    end_date=until,
                )
                source_owner, source_team = None, None
                for plan in self.orgs_of_person.get(a, ()):
                    source_owner, source_team = plan.obj.owner_id, plan.obj.team_id
                rel.owner_id, rel.team_id = source_owner, source_team
            else:
                rel = Relationship(
                    relationship_type=kind,
                    from_organization=a,
                    to_organization=b,
                    start_date=since,
                    end_date=until,
                    owner_id=a.owner_id,
                    team_id=a.team_id,
                )
            self.stamp(rel, self.days_ago(rng.uniform(1, 700)), rel.owner_id)
            rels.append(rel)

        for plan in self.orgs:
            org = plan.obj
            r = rng.random()
            if plan.kind not in ("internal", "authority") and big and r < 0.05:
                add(RelationshipType.SUBSIDIARY_OF, org, rng.choice(big).obj)
            if org.is_supplier and by_kind.get("client") and r < 0.3:
                for _ in range(rng.randint(1, 2)):
                    add(RelationshipType.SUPPLIES, org, rng.choice(by_kind["client"]).obj)
            if org.is_partner and r < 0.6:
                pool = by_kind.get("client", []) + by_kind.get("partner", [])
                for _ in range(rng.randint(1, 2)):
                    add(RelationshipType.PARTNERS_WITH, org, rng.choice(pool).obj)
            if org.is_competitor and len(by_kind.get("competitor", [])) > 1:
                for _ in range(rng.randint(1, 2)):
                    add(RelationshipType.COMPETES_WITH, org, rng.choice(by_kind["competitor"]).obj)
            if org.is_authority and not org.is_client:
                neighbours = [
                    p.obj
                    for p in by_city.get(plan.city.name, [])
                    if p.kind not in ("authority", "internal")
                ]
                for other in rng.sample(neighbours, k=min(3, len(neighbours))):
                    add(RelationshipType.AUTHORITY_OVER, org, other)
        # people: reports-to inside one organization, knows across organizations
        self.orgs_of_person: dict[int, list[OrgPlan]] = {}
        for plan in self.orgs:
            for person_index, *_rest in plan.contacts:
                self.orgs_of_person.setdefault(person_index, []).append(plan)
        for plan in self.orgs:
            current = [c for c in plan.contacts if c[2] >= 10**7]
            if len(current) < 2:
                continue
            boss = current[0][0]
            for person_index, *_rest in current[1:]:
                if rng.random() < 0.25:
                    add(RelationshipType.REPORTS_TO, person_index, boss, people=True)
        if len(self.people) > 1:
            for _ in range(len(self.people) // 20):
                a, b = rng.sample(range(len(self.people)), 2)
                add(RelationshipType.KNOWS, a, b, people=True)
        self.bulk(Relationship, rels)
        self.progress("relationships", len(rels), len(rels))

    def create_shares(self) -> None:
        rng = self.rng("shares")
        ct = ContentType.objects.get_for_model(Organization)
        shares = []
        for plan in self.orgs:
            if plan.kind == "authority" and rng.random() < 0.3:
                shares.append(Share(content_type=ct, object_id=plan.obj.pk, team=self.teams[SALES]))
            elif plan.obj.is_client and plan.obj.is_supplier and rng.random() < 0.5:
                shares.append(
                    Share(
                        content_type=ct,
                        object_id=plan.obj.pk,
                        user=self.users["sabine.krueger@accord.example"],
                    )
                )
        Share.objects.bulk_create(shares, batch_size=2000)
        self.count("shares", len(shares))
