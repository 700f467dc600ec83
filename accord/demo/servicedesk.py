"""Demo cases with service levels: about 1,500 cases over the last two years for the demo's
clients, handled by two service teams with their own service hours (Vertrieb Nord with the
holidays of Bayern, Einkauf & Partner with those of Nordrhein-Westfalen), the default policies
per priority and tier, some premium and key-account clients.

First-response and resolution times are drawn as business hours (log-normal around a share of
the target, so that most cases meet it and some miss it), some cases waited on the client for a
while (the resolution clock paused), and the cases of the last days are still open. Due times,
business seconds and breaches are computed with the same engine the services use; rows go in
with the generator's bulk inserts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from accord.intelligence.engine import business_hours as bh
from accord.parties.models import Person
from accord.servicedesk.models import (
    Case,
    CaseBreach,
    CaseCategory,
    CaseStatus,
    OrganizationServiceTier,
    ServiceHours,
)
from accord.servicedesk.selectors.servicelevels import PolicyBook, ScheduleBook
from accord.servicedesk.services.servicelevels import restore_servicedesk_defaults

from .accounts import PARTNERS, SALES

if TYPE_CHECKING:
    from .generator import Generator

CASES = 1500
DAYS = 730
PRIORITIES = (("low", 20), ("normal", 50), ("high", 22), ("urgent", 8))
SUBJECTS = {
    "Störung": [
        "Kühlzelle erreicht Solltemperatur nicht",
        "Verdichter schaltet ständig ab",
        "Alarm Hochdruck an Anlage 2",
        "Wärmepumpe zeigt Fehlercode E12",
        "Lüftungsanlage läuft nicht an",
    ],
    "Wartung": [
        "Wartungstermin für Kälteanlage vereinbaren",
        "Dichtheitsprüfung nach F-Gase-Verordnung fällig",
        "Filterwechsel Lüftung vorziehen",
    ],
    "Ersatzteil": [
        "Ersatzteil Expansionsventil benötigt",
        "Lieferzeit Lüftermotor erfragt",
        "Falsches Ersatzteil geliefert",
    ],
    "Reklamation": [
        "Rechnung für Notdiensteinsatz zu hoch",
        "Techniker kam nicht zum vereinbarten Termin",
        "Geräusche nach Reparatur",
    ],
    "Frage zur Bedienung": [
        "Frage zur Einstellung der Nachtabsenkung",
        "Zugang zur Fernüberwachung funktioniert nicht",
        "Schulung für neues Bedienpersonal gewünscht",
    ],
    "Rechnung": ["Rechnungskopie angefordert", "Abweichender Rechnungsempfänger"],
}
# What the client wrote when opening the case, per category.
DESCRIPTIONS = {
    "Störung": [
        "Seit heute früh läuft die Anlage nicht richtig, das Display zeigt eine Störung. Bitte "
        "schicken Sie möglichst schnell einen Techniker.",
        "Die Anlage ist in der Nacht mehrfach auf Störung gegangen. Ware ist noch in Ordnung, "
        "aber wir brauchen eine Prüfung vor Ort.",
    ],
    "Wartung": [
        "Die nächste Wartung steht an. Bitte schlagen Sie uns zwei Termine in den nächsten "
        "Wochen vor, möglichst vormittags.",
        "Wir möchten die Wartung wegen unserer Inventur um zwei Wochen vorziehen.",
    ],
    "Ersatzteil": [
        "Wir benötigen das Teil für die Anlage in Halle 2. Bitte Preis und Lieferzeit nennen.",
        "Das gelieferte Teil passt nicht zu unserer Anlage. Wie tauschen wir es um?",
    ],
    "Reklamation": [
        "Wir sind mit dem letzten Einsatz nicht zufrieden und bitten um Rückruf der "
        "Serviceleitung.",
        "Nach dem Einsatz der letzten Woche besteht das Problem weiter. Bitte prüfen Sie das.",
    ],
    "Frage zur Bedienung": [
        "Unser neues Personal kommt mit der Bedienung nicht zurecht. Gibt es eine Anleitung "
        "oder eine kurze Einweisung?",
        "Wie stellen wir die Zeiten am Regler um? Die Anleitung hilft uns nicht weiter.",
    ],
    "Rechnung": [
        "Bitte senden Sie uns die Rechnung noch einmal als PDF an unsere Buchhaltung.",
        "Die Rechnung muss an unsere Zentrale adressiert werden, nicht an den Standort.",
    ],
}


def _pick(rng, weighted):
    total = sum(w for _v, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


def _opened(gen: Generator, rng) -> datetime:
    """A moment in the last two years, more recent more often, mostly in office hours."""
    days = DAYS * (1 - math.sqrt(rng.random()))  # more cases lately (the client base grows)
    day = gen.today - timedelta(days=int(days))
    while rng.random() < 0.85 and day.weekday() >= 5:
        day -= timedelta(days=1)
    hour = rng.uniform(7, 18) if rng.random() < 0.85 else rng.uniform(0, 24)
    local = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    return min(local + timedelta(hours=hour), gen.now - timedelta(minutes=30))


def create_servicedesk(gen: Generator) -> None:
    rng = gen.rng("servicedesk")
    restore_servicedesk_defaults()
    teams = [gen.teams[SALES], gen.teams[PARTNERS]]
    for team, state, name in (
        (teams[0], "BY", "Service Süd (Bayern)"),
        (teams[1], "NW", "Service West (Nordrhein-Westfalen)"),
    ):
        ServiceHours.objects.update_or_create(
            team=team,
            defaults={
                "name": name,
                "state": state,
                "weekdays": "0,1,2,3,4",
                "start_time": "07:30",
                "end_time": "17:00",
            },
        )
    clients = [p.obj for p in gen.orgs if p.obj.is_client] or [p.obj for p in gen.orgs]
    if not clients:
        return
    # tiers: a few key accounts and premium clients
    ranked = clients[:]
    rng.shuffle(ranked)
    tiers = [
        OrganizationServiceTier(organization=org, tier="key_account" if i < 5 else "premium")
        for i, org in enumerate(ranked[:20])
    ]
    for row in tiers:
        gen.stamp(row, gen.now - timedelta(days=DAYS))
    gen.bulk(OrganizationServiceTier, tiers)

    people: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in Person.objects.filter(
        organization_id__in=[o.pk for o in clients]
    ).values_list("pk", "organization_id"):
        people[org_id].append(pk)
    categories = {c.name: c for c in CaseCategory.objects.all()}
    policies = PolicyBook([o.pk for o in clients])
    schedules = ScheduleBook()
    weights = [(org, 3.0 if policies.tier_of(org.pk) != "standard" else 1.0) for org in clients]
    members = {
        team.pk: [u for u in gen.users.values() if team.pk in {t.pk for t in u.teams.all()}]
        for team in teams
    }
    cases: list[Case] = []
    breaches: list[tuple[int, str, datetime]] = []
    for _ in range(gen.scaled(CASES)):
        org = _pick(rng, weights)
        team = org.team if org.team_id in members else teams[0 if rng.random() < 0.6 else 1]
        owner_choices = members.get(team.pk) or list(gen.users.values())
        owner = org.owner if org.owner in owner_choices else rng.choice(owner_choices)
        priority = _pick(rng, PRIORITIES)
        category_name = rng.choice(list(SUBJECTS))
        opened = _opened(gen, rng)
        case = Case(
            organization=org,
            person_id=rng.choice(people[org.pk])
            if people.get(org.pk) and rng.random() < 0.8
            else None,
            subject=rng.choice(SUBJECTS[category_name]),
            description=rng.choice(DESCRIPTIONS[category_name]),
            category=categories.get(category_name),
            priority=priority,
            owner=owner,
            team=team,
            opened_at=opened,
            status=CaseStatus.NEW,
        )
        _simulate(gen, rng, case, policies, schedules, breaches)
        gen.stamp(case, opened, owner.pk)
        cases.append(case)
    cases.sort(key=lambda c: c.opened_at)
    seq: dict[int, int] = defaultdict(int)
    for case in cases:
        year = timezone.localtime(case.opened_at).year
        seq[year] += 1
        case.number = f"C-{year}-{seq[year]:05d}"
    gen.bulk(Case, cases)
    rows = [CaseBreach(case=c, kind=kind, breached_at=at) for c, kind, at in breaches]
    for row in rows:
        row.recorded_at = min(row.breached_at + timedelta(minutes=5), gen.now)
    gen.bulk(CaseBreach, rows)


def _simulate(gen, rng, case: Case, policies, schedules, breaches) -> None:
    """Fill the case's times and clock as if it had been worked on."""
    policy = policies.policy_for(case.priority, case.organization_id)
    schedule = schedules.schedule_for(case.team_id)
    case.policy = policy
    if policy is None:
        return
    opened = case.opened_at
    first_target = float(policy.first_response_hours) * 3600
    res_target = float(policy.resolution_hours) * 3600
    share = policy.warning_percent / 100
    add = bh.add_business_seconds
    case.first_response_due_at = add(schedule, opened, first_target)
    case.first_response_warn_at = add(schedule, opened, first_target * share)
    first_used = first_target * rng.lognormvariate(math.log(0.35), 0.6)
    res_used = max(first_used, res_target * rng.lognormvariate(math.log(0.4), 0.65))
    paused = round(rng.uniform(2, 24) * 3600) if rng.random() < 0.2 else 0
    answered = add(schedule, opened, first_used)
    resolved = add(schedule, opened, res_used + paused)
    now = gen.now
    if answered <= now:
        case.first_responded_at = answered
        case.first_response_seconds = round(first_used)
        case.status = CaseStatus.OPEN
        if first_used > first_target:
            breaches.append((case, "first_response", case.first_response_due_at))
    elif case.first_response_due_at <= now:
        breaches.append((case, "first_response", case.first_response_due_at))
    if resolved <= now:
        case.resolved_at = resolved
        case.resolution_seconds = round(res_used)
        case.paused_seconds = paused
        case.paused_since = resolved
        case.status = CaseStatus.RESOLVED
        if resolved + timedelta(days=7) <= now:
            case.status = CaseStatus.CLOSED
            case.closed_at = resolved + timedelta(days=7)
        if res_used > res_target:
            breaches.append((case, "resolution", add(schedule, opened, res_target + paused)))
        return
    if case.status == CaseStatus.OPEN and paused and rng.random() < 0.5:
        case.status = CaseStatus.WAITING
        case.paused_seconds = 0
        case.paused_since = max(answered, now - timedelta(hours=rng.uniform(1, 30)))
        return
    case.paused_seconds = 0
    case.resolution_due_at = add(schedule, opened, res_target)
    case.resolution_warn_at = add(schedule, opened, res_target * share)
    if case.resolution_due_at <= now:
        breaches.append((case, "resolution", case.resolution_due_at))
