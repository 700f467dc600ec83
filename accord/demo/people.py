"""People with one to three positions over time, buying roles, addresses and phone numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from accord.parties.choices import BuyingRole, ContactKind
from accord.parties.models import Person, PersonEmail, PersonPhone, Position

from . import identifiers, names
from .db import insert_rows
from .organizations import OrgPlan
from .places import COUNTRIES, PRIVATE_MAIL_DOMAINS

SALUTATIONS = {"de": ("Herr", "Frau"), "en": ("Mr", "Ms")}


@dataclass(slots=True)
class PersonPlan:
    id: int
    greeting_de: str
    greeting_en: str
    short_name: str  # "Frau Dr. Müller"
    full_name: str


class PeopleMixin:
    """People of the organizations; fills `OrgPlan.contacts` for the interactions."""

    def allocate_people(self, rng: random.Random) -> list[int]:
        """Which organization each person works at now: one each first, then by size."""
        staffed = [i for i, p in enumerate(self.orgs) if p.kind != "competitor"]
        rng.shuffle(staffed)
        first = staffed[: self.n_people]
        weights = [p.contact_weight for p in self.orgs]
        rest = rng.choices(range(len(self.orgs)), weights=weights, k=self.n_people - len(first))
        allocation = first + rest
        rng.shuffle(allocation)
        return allocation

    def title_for(
        self, rng: random.Random, plan: OrgPlan, female: bool, *, junior: bool = False
    ) -> tuple[str, str, str]:
        """(title, department, buying role) fitting the organization's kind."""
        en = plan.language == "en"
        org = plan.obj
        if org.is_client or org.is_prospect:
            role = BuyingRole.USER if junior else names.weighted(rng, names.BUYING_ROLE_WEIGHTS)
            m, f, english = rng.choice(names.ROLE_TITLES[role])
            department = names.ROLE_DEPARTMENTS[role][1 if en else 0]
            return (english if en else (f if female else m)), department, str(role)
        if plan.kind == "authority":
            m, f, department = rng.choice(names.AUTHORITY_TITLES)
            return (f if female else m), department, ""
        if plan.kind == "internal":
            m, f, department = rng.choice(names.INTERNAL_TITLES)
            return (f if female else m), department, ""
        m, f, department, english = rng.choice(names.SUPPLIER_TITLES)
        role = str(BuyingRole.INFLUENCER) if plan.kind == "partner" and rng.random() < 0.3 else ""
        return (english if en else (f if female else m)), ("" if en else department), role

    def unique_email(self, local: str, domain: str) -> str:
        address = f"{local}@{domain}"
        n = 2
        while address in self.emails:
            address = f"{local}{n}@{domain}"
            n += 1
        self.emails.add(address)
        return address

    def create_people(self) -> None:
        rng = self.rng("people")
        allocation = self.allocate_people(rng)
        movable = [i for i, p in enumerate(self.orgs) if p.kind not in ("internal", "authority")]
        chunk = 5000
        for start in range(0, self.n_people, chunk):
            with transaction.atomic():
                self.create_people_chunk(rng, allocation[start : start + chunk], movable)
            self.progress("people", min(start + chunk, self.n_people), self.n_people)

    def create_people_chunk(
        self, rng: random.Random, allocation: list[int], movable: list[int]
    ) -> None:
        today = self.today.toordinal()
        persons: list[Person] = []
        drafts: list[tuple] = []
        for org_index in allocation:
            plan = self.orgs[org_index]
            fake = self.faker(COUNTRIES[plan.country].locale)
            female = rng.random() < 0.45
            first = fake.first_name_female() if female else fake.first_name_male()
            if plan.country == "DE" and rng.random() < 0.5:
                last = names.surname(rng, "DE")
            else:
                last = fake.last_name()
            lang = plan.language
            salutation = "" if rng.random() < 0.03 else SALUTATIONS[lang][1 if female else 0]
            title = ""
            if rng.random() < (0.08 if lang == "de" else 0.02):
                title = "Prof. Dr." if rng.random() < 0.12 else "Dr."
            # positions, newest first: (org index, start ordinal, end ordinal | None, junior)
            shape = rng.random()
            left = rng.random() < 0.02
            if left:
                end = today - rng.randint(20, 500)
                current = (org_index, end - rng.randint(200, 3000), end, False)
            elif shape < 0.7:
                current = (org_index, today - rng.randint(60, 4000), None, False)
            else:
                recent = rng.random() < 0.4
                current = (
                    org_index,
                    today - (rng.randint(20, 700) if recent else rng.randint(400, 4000)),
                    None,
                    False,
                )
            positions = [current]
            for _ in range(0 if shape < 0.7 else (1 if shape < 0.92 else 2)):
                later_start = positions[-1][1]
                end = later_start - rng.randint(1, 45)
                moved = rng.random() < 0.55 and movable
                where = rng.choice(movable) if moved else positions[-1][0]
                if where == positions[-1][0] and moved:
                    where = movable[(movable.index(where) + 1) % len(movable)]
                positions.append((where, end - rng.randint(300, 2500), end, not moved))
            board = None
            if not left and rng.random() < 0.02:
                board = (
                    rng.choice(movable) if movable else org_index,
                    today - rng.randint(100, 2000),
                )
            owner_plan = self.orgs[positions[0][0]]
            person = Person(
                salutation=salutation,
                academic_title=title,
                first_name=first,
                last_name=last,
                owner_id=owner_plan.obj.owner_id,
                team_id=owner_plan.obj.team_id,
                is_archived=left and rng.random() < 0.3,
                notes=("Bevorzugt Kontakt per Telefon." if lang == "de" else "Prefers phone calls.")
                if rng.random() < 0.04
                else "",
            )
            titles = [
                self.title_for(rng, self.orgs[o], female, junior=j) for o, _s, _e, j in positions
            ]
            if not left:
                person.organization_id = plan.obj.pk
                person.job_title = titles[0][0]
            # addresses: the current work address first, an old work or a private one sometimes
            local = identifiers.mail_local_part(first, last)
            addresses: list[tuple[str, str]] = []
            if not left:
                addresses.append((self.unique_email(local, plan.domain), ContactKind.WORK))
            moved_from = [o for o, *_ in positions[1:] if o != positions[0][0]]
            if moved_from and rng.random() < 0.35:
                addresses.append(
                    (self.unique_email(local, self.orgs[moved_from[0]].domain), ContactKind.WORK)
                )
            if left or rng.random() < 0.2:
                domain = rng.choice(PRIVATE_MAIL_DOMAINS[lang])
                addresses.append((self.unique_email(local, domain), ContactKind.PRIVATE))
            person.email = addresses[0][0]
            created = min(self.orgs[o].obj.created_at for o, *_ in positions)
            first_day = datetime.combine(
                date.fromordinal(min(p[1] for p in positions)),
                datetime.min.time(),
                tzinfo=self.now.tzinfo,
            )
            self.stamp(
                person,
                max(created, first_day) + timedelta(hours=rng.randint(8, 17)),
                person.owner_id,
            )
            persons.append(person)
            drafts.append((positions, titles, board, female, left, lang, addresses))
        self.bulk(Person, persons)
        self.finish_people(rng, persons, drafts)

    def finish_people(self, rng: random.Random, persons: list[Person], drafts: list[tuple]) -> None:
        positions_out: list[Position] = []
        emails_out: list[PersonEmail] = []
        phones_out: list[PersonPhone] = []
        tag_rows: list[tuple[int, int]] = []
        person_tags = [self.tags[t] for t in names.PERSON_TAGS]
        for person, draft in zip(persons, drafts, strict=True):
            positions, titles, board, female, left, lang, addresses = draft
            index = len(self.people)
            for n, ((org_index, start, end, _junior), (title, dept, role)) in enumerate(
                zip(positions, titles, strict=True)
            ):
                plan = self.orgs[org_index]
                position = Position(
                    person_id=person.pk,
                    organization_id=plan.obj.pk,
                    title=title,
                    department=dept,
                    buying_role=role,
                    start_date=date.fromordinal(start),
                    end_date=date.fromordinal(end) if end else None,
                    is_primary=n == 0 and not left,
                )
                began = datetime.combine(
                    date.fromordinal(start), datetime.min.time(), tzinfo=self.now.tzinfo
                )
                self.stamp(position, max(person.created_at, began), person.owner_id)
                positions_out.append(position)
                weight = (3.0 if not plan.contacts else 1.0) * (
                    1.5 if role in ("decision_maker", "economic_buyer") else 1.0
                )
                plan.contacts.append((index, start, end or 10**7, weight))
            if board is not None:
                org_index, start = board
                plan = self.orgs[org_index]
                m, f, english = rng.choice(names.BOARD_TITLES)
                position = Position(
                    person_id=person.pk,
                    organization_id=plan.obj.pk,
                    title=english if plan.language == "en" else (f if female else m),
                    buying_role=BuyingRole.INFLUENCER,
                    start_date=date.fromordinal(start),
                    is_primary=False,
                )
                self.stamp(position, person.created_at, person.owner_id)
                positions_out.append(position)
                plan.contacts.append((index, start, 10**7, 0.3))
            for n, (address, kind) in enumerate(addresses):
                email = PersonEmail(
                    person_id=person.pk, email=address, kind=kind, is_primary=n == 0
                )
                self.stamp(email, person.created_at, person.owner_id)
                emails_out.append(email)
            # phones: E.164, in the organization's dialling area
            plan = self.orgs[positions[0][0]]
            draw = rng.random()
            numbers: list[tuple[str, str]] = []
            if draw < 0.8:
                numbers.append((identifiers.landline(plan.city, rng), ContactKind.WORK))
            if draw > 0.55:
                numbers.append((identifiers.mobile(plan.country, rng), ContactKind.MOBILE))
            for number, kind in numbers:
                phone = PersonPhone(person_id=person.pk, number=number, kind=kind)
                self.stamp(phone, person.created_at, person.owner_id)
                phones_out.append(phone)
            if rng.random() < 0.08:
                tag_rows.append((person.pk, rng.choice(person_tags).pk))
            greeting_name = f"{person.salutation} {person.academic_title} {person.last_name}"
            greeting_name = " ".join(greeting_name.split())
            english = {"Frau": "Ms", "Herr": "Mr"}.get(person.salutation, person.salutation)
            english_name = f"{person.academic_title or english} {person.last_name}".strip()
            if person.salutation in ("Frau", "Ms"):
                de, en = f"Sehr geehrte {greeting_name},", f"Dear {english_name},"
            elif person.salutation:
                de, en = f"Sehr geehrter {greeting_name},", f"Dear {english_name},"
            else:
                de = f"Guten Tag {person.first_name} {person.last_name},"
                en = f"Dear {person.first_name} {person.last_name},"
            self.people.append(PersonPlan(person.pk, de, en, greeting_name, person.full_name))
        self.bulk(Position, positions_out)
        self.bulk(PersonEmail, emails_out)
        self.bulk(PersonPhone, phones_out)
        insert_rows(Person.tags.through, ["person", "tag"], tag_rows)

    # --- relationships and sharing --------------------------------------------------------------
