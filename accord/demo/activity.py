"""Two years of interactions with realistic rhythms, and the follow-ups they lead to.

Clients hear from us about weekly, suppliers monthly, authorities a few times a year; some
relationships start within the two years, some go quiet three to six months before today, some are
one-sided (we write, nobody answers). Emails get replies within hours ("AW: …"). Everything happens
on working days between 8 and 18 o'clock, Berlin time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import OuterRef, Subquery

from accord.interactions.choices import Direction, FollowUpStatus, InteractionKind
from accord.interactions.models import (
    FollowUp,
    Interaction,
    InteractionOrganization,
    InteractionPerson,
)
from accord.parties.models import Organization, Person

from .accounts import USER_SALUTATIONS
from .db import datetime_adapter, insert_rows
from .names import OUR_COMPANY
from .texts import TOPICS, Writer

if TYPE_CHECKING:
    from .generator import Generator

MODELS = (Interaction, FollowUp)
BERLIN = ZoneInfo("Europe/Berlin")
WINDOW_DAYS = 730
DAY = 86400.0
CHUNK = 5000

# interactions per month a relationship of this kind has, before scaling to the requested total
RATES = {
    "client": 4.3,
    "prospect": 1.2,
    "supplier": 1.1,
    "service_provider": 0.8,
    "partner": 1.4,
    "competitor": 0.12,
    "authority": 0.25,
    "internal": 2.5,
}
KINDS = list(InteractionKind.values)
EMAIL, CALL, MEETING, VISIT, LETTER, NOTE = (
    KINDS.index(k) for k in ("email", "call", "meeting", "visit", "letter", "note")
)
DIRECTIONS = list(Direction.values)
INBOUND, OUTBOUND, INTERNAL = (DIRECTIONS.index(d) for d in ("inbound", "outbound", "internal"))
KIND_WEIGHTS = {
    "client": (45, 25, 12, 8, 3, 7),
    "prospect": (50, 25, 10, 5, 0, 10),
    "supplier": (55, 20, 8, 5, 5, 7),
    "service_provider": (55, 25, 8, 2, 3, 7),
    "partner": (45, 20, 20, 5, 0, 10),
    "competitor": (0, 0, 0, 0, 0, 1),
    "authority": (25, 10, 20, 5, 30, 10),
    "internal": (40, 15, 35, 0, 0, 10),
}
DURATIONS = {CALL: (5, 45), MEETING: (30, 120), VISIT: (60, 240)}
WORK_HOURS = (8, 9, 10, 11, 12, 13, 14, 15, 16, 17)
HOUR_WEIGHTS = (5, 10, 12, 11, 5, 8, 11, 10, 8, 5)
REPLY_PREFIX = {"de": "AW: ", "en": "Re: "}


def working_time(rng: random.Random, ts: float) -> float:
    """The same day (or the nearest weekday) at a plausible office hour."""
    local = datetime.fromtimestamp(ts, BERLIN)
    if local.weekday() == 5:
        local -= timedelta(days=1)
    elif local.weekday() == 6:
        local += timedelta(days=1)
    hour = rng.choices(WORK_HOURS, weights=HOUR_WEIGHTS)[0]
    local = local.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
    return local.timestamp()


def schedule(gen: Generator) -> list[tuple]:
    """(time, organization index, kind, direction, thread, is reply, has reply) per interaction."""
    rng = gen.rng("schedule")
    now = gen.anchor.timestamp()
    window_start = now - WINDOW_DAYS * DAY
    spans = []
    for index, plan in enumerate(gen.orgs):
        org = plan.obj
        rate = max(RATES[r] for r in org.roles)
        begin, end = window_start, now
        active = plan.kind in ("client", "prospect", "partner", "supplier", "service_provider")
        if active and rng.random() < 0.15:  # a relationship that began within the window
            begin = window_start + rng.uniform(0.1, 0.8) * WINDOW_DAYS * DAY
        if org.is_archived or (active and rng.random() < 0.12):  # gone quiet
            end = now - rng.uniform(90, 180) * DAY
            begin = min(begin, end - 120 * DAY)
        one_sided = active and rng.random() < 0.08
        expected = rate * (end - begin) / (30.4 * DAY) * rng.lognormvariate(0, 0.6)
        spans.append((index, begin, end, expected, one_sided))
    total = sum(s[3] for s in spans) or 1.0
    shares = [gen.n_interactions * s[3] / total for s in spans]
    counts = [int(x) for x in shares]
    missing = gen.n_interactions - sum(counts)
    for i in sorted(range(len(spans)), key=lambda i: shares[i] - counts[i], reverse=True)[:missing]:
        counts[i] += 1

    events: list[tuple] = []
    thread = 0
    for (index, begin, end, _expected, one_sided), n in zip(spans, counts, strict=True):
        if not n:
            continue
        plan = gen.orgs[index]
        weights = KIND_WEIGHTS[plan.kind]
        slot = (end - begin) / n
        for k in range(n):
            previous = events[-1] if k else None
            if (
                previous
                and previous[2] == EMAIL
                and previous[3] != INTERNAL
                and rng.random() < 0.25
            ):
                ts = working_time(rng, previous[0] + rng.uniform(1, 30) * 3600)
                if ts <= previous[0]:
                    ts = previous[0] + rng.uniform(0.5, 3) * 3600
                direction = OUTBOUND if one_sided or previous[3] == INBOUND else INBOUND
                events[-1] = previous[:6] + (True,)
                events.append(
                    (min(ts, now - 60), index, EMAIL, direction, previous[4], True, False)
                )
                continue
            jitter = rng.uniform(0.05, 0.95) if rng.random() < 0.85 else rng.random()
            ts = min(working_time(rng, begin + (k + jitter) * slot), now - rng.uniform(600, 7200))
            kind = rng.choices(range(6), weights=weights)[0]
            if plan.kind == "internal" or kind == NOTE:
                direction = INTERNAL
            elif one_sided:
                direction = OUTBOUND
            elif kind in (MEETING, VISIT):
                direction = OUTBOUND if rng.random() < 0.65 else INBOUND
            else:
                direction = OUTBOUND if rng.random() < 0.55 else INBOUND
            thread += 1
            events.append((ts, index, kind, direction, thread, False, False))
    events.sort()
    return events


def create_interactions(gen: Generator) -> None:
    events = schedule(gen)
    total = len(events)
    if not total:
        return
    rng = gen.rng("interactions")
    writer = Writer(rng)
    now = gen.anchor.timestamp()
    competitors = [p.obj.name for p in gen.orgs if p.kind == "competitor"] or ["Wettbewerber"]
    clients = [i for i, p in enumerate(gen.orgs) if p.obj.is_client]
    partners = [i for i, p in enumerate(gen.orgs) if p.obj.is_partner] or clients
    team_members: dict[int | None, list[int]] = {}
    for user in gen.users.values():
        if user.role != "viewer":
            for team in user.teams.all():
                team_members.setdefault(team.pk, []).append(user.pk)
    admin_id = gen.users["admin@accord.example"].pk
    manager_id = gen.users["manager@accord.example"].pk
    users_ = {}  # our user id → (full name, how they are greeted in German and English)
    for u in gen.users.values():
        salutation = USER_SALUTATIONS.get(u.first_name, "")
        title_en = {"Frau": "Ms", "Herr": "Mr"}.get(salutation, "")
        dear = "Sehr geehrte" if salutation == "Frau" else "Sehr geehrter"
        users_[u.pk] = (
            u.get_full_name(),
            {"de": f"{dear} {salutation} {u.last_name},", "en": f"Dear {title_en} {u.last_name},"},
        )

    def weight(ts: float) -> float:
        age = (now - ts) / DAY
        return 8.0 if age <= 30 else (2.0 if age <= 120 else 1.0)

    follow_up_p = gen.n_follow_ups / (sum(weight(e[0]) for e in events) or 1.0)
    threads: dict[int, tuple] = {}  # open email threads: subject, topic, language
    for start in range(0, total, CHUNK):
        chunk = events[start : start + CHUNK]
        interactions: list[Interaction] = []
        links: list[tuple[list[int], list[int], list[int]]] = []
        pending: list[tuple] = []  # follow-ups: (position in chunk, title, person, user, org)
        for position, (ts, index, kind, direction, thread, is_reply, has_reply) in enumerate(chunk):
            plan = gen.orgs[index]
            org = plan.obj
            when = datetime.fromtimestamp(ts, BERLIN)
            day = when.date().toordinal()
            language = (
                plan.language if rng.random() > 0.05 else ("en" if plan.language == "de" else "de")
            )
            org_ids = [org.pk]
            second = None
            if plan.kind == "competitor" and clients and rng.random() < 0.6:
                second = rng.choice(clients)
            elif plan.kind in ("client", "partner") and rng.random() < 0.08:
                second = rng.choice(partners)
            if second is not None and second != index:
                org_ids.append(gen.orgs[second].obj.pk)
            # their people: who held a position there that day
            pool = (
                plan.contacts
                if plan.kind != "competitor"
                else (gen.orgs[second].contacts if second is not None and second != index else [])
            )
            eligible = [c for c in pool if c[1] <= day <= c[2]]
            wanted = (
                rng.choices((1, 2, 3), weights=(40, 40, 20))[0]
                if kind in (MEETING, VISIT)
                else (1 if rng.random() < 0.85 else 2)
            )
            if plan.kind == "competitor":
                wanted = 1 if rng.random() < 0.4 else 0
            people: list[int] = []
            while eligible and len(people) < wanted:
                pick = rng.choices(eligible, weights=[c[3] for c in eligible])[0]
                eligible.remove(pick)
                people.append(pick[0])
            # our users: the owner, sometimes a colleague from the team
            owner_id = org.owner_id or manager_id
            if owner_id == admin_id and rng.random() < 0.5:
                owner_id = manager_id
            users = [owner_id]
            colleagues = [u for u in team_members.get(org.team_id, []) if u != owner_id]
            if colleagues and rng.random() < 0.2:
                users.append(rng.choice(colleagues))
            contact = gen.people[people[0]] if people else None
            ctx = writer.context(
                when=when,
                org_name=org.name,
                client_name=gen.orgs[second].obj.name if second is not None else org.name,
                competitor=rng.choice(competitors),
                city=plan.city.name,
                contact=contact.short_name if contact else "",
                me=users_[owner_id][0],
                language=language,
            )
            topic = rng.choice(TOPICS[plan.kind])
            if is_reply and thread in threads:
                # a reply keeps the thread's subject, topic and language
                base, topic, language = threads[thread] if has_reply else threads.pop(thread)
                prefix = REPLY_PREFIX[language]
                subject = base if base.startswith(("AW: ", "Re: ")) else prefix + base
            else:
                subject = writer.subject(topic, language, KINDS[kind], ctx)
                if has_reply:
                    threads[thread] = (subject, topic, language)
            me_name, me_greeting = users_[owner_id]
            if direction == INBOUND:
                greeting = me_greeting[language]
                signature = f"{contact.full_name}\n{org.name}" if contact else org.name
            else:
                greeting = (
                    (contact.greeting_de if language == "de" else contact.greeting_en)
                    if contact
                    else ""
                )
                signature = f"{me_name}\n{OUR_COMPANY}"
            body = writer.body(
                topic,
                language,
                KINDS[kind],
                DIRECTIONS[direction],
                ctx,
                greeting=greeting,
                signature=signature,
            )
            minutes = DURATIONS.get(kind)
            interaction = Interaction(
                kind=KINDS[kind],
                direction=DIRECTIONS[direction],
                occurred_at=datetime.fromtimestamp(ts, gen.now.tzinfo).replace(microsecond=0),
                duration_minutes=rng.randint(*minutes) // 5 * 5 if minutes else None,
                subject=subject[:300],
                body=body,
                owner_id=owner_id,
                team_id=org.team_id,
            )
            created = datetime.fromtimestamp(ts + rng.uniform(60, 7200), gen.now.tzinfo)
            gen.stamp(interaction, created.replace(microsecond=0), owner_id)
            interactions.append(interaction)
            links.append((org_ids, [gen.people[p].id for p in people], users))
            if rng.random() < follow_up_p * weight(ts):
                title = writer.follow_up_title(language, ctx)
                pending.append((position, title, people[0] if people else None, owner_id, org.pk))
        with transaction.atomic():
            gen.bulk(Interaction, interactions)
            org_rows, person_rows, user_rows = [], [], []
            db_datetime = datetime_adapter()
            for interaction, (org_ids, person_ids, user_ids) in zip(
                interactions, links, strict=True
            ):
                at = db_datetime(interaction.occurred_at)
                org_rows += [(interaction.pk, o, at) for o in org_ids]
                person_rows += [(interaction.pk, p, at) for p in person_ids]
                user_rows += [(interaction.pk, u) for u in user_ids]
            insert_rows(
                InteractionOrganization, ["interaction", "organization", "occurred_at"], org_rows
            )
            insert_rows(InteractionPerson, ["interaction", "person", "occurred_at"], person_rows)
            insert_rows(Interaction.users.through, ["interaction", "user"], user_rows)
            gen.count("interaction links", len(org_rows) + len(person_rows) + len(user_rows))
            gen.bulk(
                FollowUp, [_follow_up(gen, rng, interactions[pos], *rest) for pos, *rest in pending]
            )
        gen.progress("interactions", start + len(chunk), total)


def _follow_up(
    gen: Generator,
    rng: random.Random,
    interaction: Interaction,
    title: str,
    person: int | None,
    user_id: int,
    org_id: int,
) -> FollowUp:
    happened = interaction.occurred_at.astimezone(BERLIN)
    due = happened.date() + timedelta(days=rng.randint(2, 21))
    status, completed = FollowUpStatus.OPEN, None
    if due < gen.today:
        draw = rng.random()
        if draw < 0.78:
            status = FollowUpStatus.DONE
            took = rng.uniform(0.2, (due - happened.date()).days + 5)
            completed = min(gen.now, interaction.occurred_at + timedelta(days=took))
        elif draw < 0.83:
            status = FollowUpStatus.CANCELLED
    follow_up = FollowUp(
        title=title,
        due_date=due,
        assignee_id=user_id,
        status=status,
        completed_at=completed,
        organization_id=org_id,
        person_id=gen.people[person].id if person is not None else None,
        interaction=interaction,
        owner_id=user_id,
        team_id=interaction.team_id,
    )
    gen.stamp(follow_up, interaction.created_at, user_id)
    return follow_up


def update_last_interaction(gen: Generator) -> None:
    """`last_interaction_at` = the newest linked interaction, as the services keep it."""
    for model, link, field in (
        (Person, InteractionPerson, "person"),
        (Organization, InteractionOrganization, "organization"),
    ):
        latest = (
            link.objects.filter(**{field: OuterRef("pk")})
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        model.objects.update(last_interaction_at=Subquery(latest))
    gen.progress("last interaction dates", 1, 1)
