"""Demo community relations: three stakeholder projects in towns where the demo company works
("Erweiterung Werk Nord", "Lärmschutz Logistikzentrum", "Abwärmenutzung Quartier Süd"), each
with the town's authorities from the demo (Stadt, Stadtentwicklungsgesellschaft, Landratsamt,
Umweltamt, Bürgerverein) plus a citizens' initiative, the local paper and a nature conservation
group created here; two to four assessments per stakeholder over the last eighteen months that
show movement on the grid and in attitude; engagement plans with planned contacts (some done in
an interaction); about forty concerns in every status, some with their answer overdue and some due
within three days; consultations that group interactions and the concerns raised there; and the
commitments made in return (contracts.Commitment).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from accord.community.choices import ConcernStatus
from accord.community.models import (
    Concern,
    Consultation,
    EngagementPlan,
    PlannedEngagement,
    StakeholderAssessment,
    StakeholderProject,
)
from accord.contracts.models import Commitment
from accord.intelligence.engine.salience import salience_class
from accord.interactions.models import InteractionOrganization
from accord.parties.models import Organization

from .accounts import PARTNERS, SALES
from .db import insert_rows

if TYPE_CHECKING:
    from .generator import Generator

PROJECTS = [
    {
        "name": "Erweiterung Werk Nord",
        "description": "Neue Fertigungshalle für Wärmepumpen (12.000 m²) mit Anlieferhof und "
        "Parkhaus; Bebauungsplanänderung und Genehmigung nach BImSchG erforderlich.",
        "location": "Gewerbegebiet Nord, an der Kreisstraße",
        "owner": "sabine.krueger@accord.example",
        "team": PARTNERS,
        "days": None,
    },
    {
        "name": "Lärmschutz Logistikzentrum",
        "description": "Nachtanlieferungen und Rückkühler des Logistikzentrums; Beschwerden aus "
        "dem angrenzenden Wohngebiet, Schallschutzmaßnahmen in Planung.",
        "location": "Logistikzentrum Hafenstraße",
        "owner": "manager@accord.example",
        "team": PARTNERS,
        "days": 10,
    },
    {
        "name": "Abwärmenutzung Quartier Süd",
        "description": "Abwärme der Kälteanlagen soll das neue Wohnquartier Süd über ein "
        "Nahwärmenetz versorgen; gemeinsam mit Stadtwerken und Stadtentwicklung.",
        "location": "Quartier Süd, ehemaliges Bahngelände",
        "owner": "julia.hoffmann@accord.example",
        "team": SALES,
        "days": None,
    },
]

# (category, power, interest, legitimacy, urgency, attitude) as a path over time per kind of
# stakeholder: the first entry is the earliest assessment
PATHS: dict[str, list[tuple[str, int, int, bool, bool, str]]] = {
    "Stadt": [
        ("municipality", 5, 3, True, False, "neutral"),
        ("municipality", 5, 4, True, False, "supportive"),
        ("municipality", 5, 4, True, True, "supportive"),
    ],
    "Stadtentwicklungsgesellschaft": [
        ("urban_development", 4, 2, True, False, "neutral"),
        ("urban_development", 4, 4, True, False, "supportive"),
        ("urban_development", 4, 5, True, True, "strongly_supportive"),
    ],
    "Landratsamt": [
        ("authority", 4, 2, True, False, "neutral"),
        ("authority", 4, 3, True, False, "neutral"),
    ],
    "Amt für Umwelt": [
        ("authority", 3, 3, True, False, "neutral"),
        ("authority", 4, 4, True, True, "sceptical"),
        ("authority", 4, 4, True, False, "neutral"),
    ],
    "Stadtwerke": [
        ("other", 3, 3, False, False, "neutral"),
        ("other", 3, 5, True, False, "supportive"),
        ("other", 3, 5, True, False, "strongly_supportive"),
    ],
    "Bürgerverein": [
        ("association", 1, 3, True, False, "neutral"),
        ("association", 2, 4, True, False, "sceptical"),
    ],
    "Bürgerinitiative": [
        ("neighbours", 1, 4, False, True, "sceptical"),
        ("neighbours", 2, 5, True, True, "opposed"),
        ("neighbours", 3, 5, True, True, "opposed"),
        ("neighbours", 3, 5, True, True, "sceptical"),
    ],
    "Anzeiger": [
        ("media", 2, 2, False, False, "neutral"),
        ("media", 3, 4, False, True, "sceptical"),
        ("media", 3, 3, False, False, "neutral"),
    ],
    "NABU": [
        ("association", 2, 3, True, False, "neutral"),
        ("association", 2, 4, True, True, "sceptical"),
        ("association", 2, 4, True, False, "supportive"),
    ],
    "person_mayor": [
        ("politics", 5, 3, True, False, "supportive"),
        ("politics", 5, 4, True, False, "strongly_supportive"),
    ],
    "person_planner": [
        ("urban_development", 3, 2, True, False, "neutral"),
        ("urban_development", 3, 4, True, False, "supportive"),
        ("urban_development", 3, 4, True, True, "supportive"),
    ],
}

CONCERNS = [
    ("Lkw-Verkehr in der Nacht", "Anwohner berichten von Lkw-Anlieferungen zwischen 22 und 6 Uhr."),
    ("Lärm der Rückkühler", "Das Brummen der Rückkühler ist abends in den Gärten zu hören."),
    (
        "Lichtverschmutzung durch Hofbeleuchtung",
        "Die neue Hofbeleuchtung strahlt in die Schlafzimmer.",
    ),
    ("Staub bei den Bauarbeiten", "Bei Trockenheit zieht Staub von der Baustelle in die Siedlung."),
    ("Schulweg wird unsicherer", "Mehr Lieferverkehr auf der Route zur Grundschule."),
    ("Baumfällungen am Grünzug", "Für die Zufahrt sollen zwölf alte Linden gefällt werden."),
    ("Parkdruck durch Mitarbeitende", "Beschäftigte parken in den Wohnstraßen."),
    ("Zu wenig Information zum Bauzeitenplan", "Niemand weiß, wann welche Bauabschnitte beginnen."),
    (
        "Versiegelung von Ackerflächen",
        "Die Erweiterung nimmt landwirtschaftliche Fläche in Anspruch.",
    ),
    ("Geruch bei Probebetrieb", "Beim Probebetrieb roch es nach Kältemittel."),
    ("Wertverlust der Grundstücke", "Eigentümer befürchten, dass ihre Häuser an Wert verlieren."),
    ("Kosten der Nahwärme für Mieter", "Mieter fragen, ob die Nahwärme teurer wird als Gas."),
    (
        "Leitungsbau in der Südstraße",
        "Die Straße soll für den Leitungsbau monatelang gesperrt werden.",
    ),
    ("Artenschutz Fledermäuse", "In der alten Halle wurden Fledermausquartiere gesichtet."),
    ("Rückstau an der Einfahrt", "Lkw stauen sich morgens bis auf die Kreisstraße."),
]

CONSULTATIONS = [
    ("public_meeting", "Bürgerinformationsabend", "Bürgerhaus {city}", 200),
    ("hearing", "Anhörung im Bauausschuss", "Rathaus {city}, Sitzungssaal", 120),
    ("round", "Online-Beteiligung zum Bebauungsplan", "Beteiligungsportal der Stadt {city}", 60),
]

COMMITMENTS = [
    ("Lärmgutachten veröffentlichen", "report"),
    ("Anlieferung nur zwischen 6 und 22 Uhr", "service_level"),
    ("Schallschutzwand an der Ostseite errichten", "deliverable"),
    ("Hofbeleuchtung auf abgeschirmte Leuchten umrüsten", "deliverable"),
    ("Monatlicher Baustellen-Newsletter", "report"),
    ("Ersatzpflanzung von 20 Bäumen", "deliverable"),
    ("Mitarbeiterparkplätze auf dem Werksgelände", "deliverable"),
    ("Ansprechpartner für Anwohner benennen", "other"),
    ("Fledermauskästen vor Abriss anbringen", "deliverable"),
    ("Preisgarantie Nahwärme für fünf Jahre", "other"),
]

STATUS_MIX = (
    [ConcernStatus.RECEIVED] * 9
    + [ConcernStatus.ACKNOWLEDGED] * 8
    + [ConcernStatus.IN_PROGRESS] * 9
    + [ConcernStatus.RESOLVED] * 7
    + [ConcernStatus.CLOSED] * 7
)


def _city_key(plan: Any) -> str:
    return plan.city.name


def _path_key(name: str) -> str | None:
    for key in PATHS:
        if not key.startswith("person_") and key in name:
            return key
    return None


def create_community(gen: Generator) -> None:
    """See the module docstring."""
    rng = gen.rng("community")
    today = gen.today
    tz = timezone.get_current_timezone()
    authorities = [p for p in gen.orgs if p.obj.is_authority and not p.obj.is_archived]
    if not authorities:
        return
    by_city: dict[str, list[Any]] = defaultdict(list)
    for plan in authorities:
        by_city[_city_key(plan)].append(plan)
    cities = sorted(by_city, key=lambda c: (-len(by_city[c]), c))[: len(PROJECTS)]
    while len(cities) < len(PROJECTS):
        cities.append(cities[len(cities) % max(1, len(cities))])

    def stamp(obj: Any, day: date, user_id: int | None) -> None:
        gen.stamp(
            obj,
            datetime.combine(day, dt_time(9), tzinfo=tz) + timedelta(hours=rng.uniform(0, 8)),
            user_id,
        )

    # --- projects and the stakeholders created here (initiative, paper, conservation group)
    projects: list[StakeholderProject] = []
    new_orgs: list[Organization] = []
    stakeholders: list[list[tuple[str, Any, str]]] = []  # per project: (kind, party, path key)
    for spec, city in zip(PROJECTS, cities, strict=True):
        owner = gen.users[spec["owner"]]
        team = gen.teams[spec["team"]]
        project = StakeholderProject(
            name=spec["name"],
            description=spec["description"],
            location=f"{spec['location']}, {city}",
            is_active=True,
            response_days=spec["days"],
            owner_id=owner.pk,
            team_id=team.pk,
        )
        stamp(project, today - timedelta(days=560), owner.pk)
        projects.append(project)
        sample = by_city[city][0]
        district = rng.choice(["Nord", "Süd", "Ost", "West", "Mitte", "Am Hafen"])
        made = [
            (f"Bürgerinitiative Lebenswertes {city}-{district}", "Bürgerinitiative"),
            (f"{city}er Anzeiger", "Anzeiger"),
            (f"NABU Ortsgruppe {city}", "NABU"),
        ]
        entries: list[tuple[str, Any, str]] = []
        for name, key in made:
            org = Organization(
                name=name,
                city=city,
                region=sample.obj.region,
                country=sample.obj.country,
                postal_code=sample.obj.postal_code,
                notes="Angelegt für die Bürgerbeteiligung.",
                owner_id=owner.pk,
                team_id=team.pk,
            )
            stamp(org, today - timedelta(days=600), owner.pk)
            new_orgs.append(org)
            entries.append(("org", org, key))
        for plan in by_city[city]:
            key = _path_key(plan.obj.name)
            if key is not None:
                entries.append(("org", plan.obj, key))
        # two people of the town hall: the mayor and a planner, where the demo has them
        contacts = [c for p in by_city[city] if p.obj.name.startswith("Stadt ") for c in p.contacts]
        for idx, key in zip(
            [c[0] for c in contacts[:2]], ("person_mayor", "person_planner"), strict=False
        ):
            entries.append(("person", gen.people[idx].id, key))
        stakeholders.append(entries)
    gen.bulk(StakeholderProject, projects)
    if new_orgs:
        gen.bulk(Organization, new_orgs)

    # --- assessments over time
    assessments: list[StakeholderAssessment] = []
    current_of: dict[tuple[int, str, Any], StakeholderAssessment] = {}
    for project, entries in zip(projects, stakeholders, strict=True):
        for kind, party, key in entries:
            path = PATHS[key]
            steps = min(len(path), rng.choice([2, 3, 4]))
            path = path[-steps:] if steps < len(path) else path
            start = 540 - rng.randint(0, 60)
            days = sorted((rng.randint(0, start) for _ in range(len(path) - 1)), reverse=True)
            dates = [today - timedelta(days=start)] + [
                today - timedelta(days=max(d, 3)) for d in days
            ]
            dates = sorted(set(dates))
            while len(dates) < len(path):
                dates.append(dates[-1] + timedelta(days=7))
            for i, (category, power, interest, legit, urgent, attitude) in enumerate(path):
                row = StakeholderAssessment(
                    organization_id=party.pk if kind == "org" else None,
                    person_id=party if kind == "person" else None,
                    project_id=project.pk,
                    category=category,
                    power=power,
                    interest=interest,
                    legitimacy=legit,
                    urgency=urgent,
                    attitude=attitude,
                    salience=salience_class(power, legit, urgent),
                    assessed_on=min(dates[i], today),
                    assessed_by_id=project.owner_id,
                    is_current=i == len(path) - 1,
                    note=""
                    if rng.random() < 0.6
                    else rng.choice(
                        [
                            "Einschätzung nach dem letzten Gespräch im Rathaus.",
                            "Haltung hat sich nach der Presseberichterstattung verändert.",
                            "Stellungnahme im Beteiligungsverfahren ausgewertet.",
                            "Telefonat mit der Sprecherin, Position unverändert kritisch.",
                        ]
                    ),
                    owner_id=project.owner_id,
                    team_id=project.team_id,
                )
                stamp(row, row.assessed_on, project.owner_id)
                assessments.append(row)
                if row.is_current:
                    current_of[(project.pk, kind, getattr(party, "pk", party))] = row
    gen.bulk(StakeholderAssessment, assessments)

    # interactions of the stakeholder organizations (for consultations and planned contacts)
    org_ids = {
        getattr(p, "pk", p) for entries in stakeholders for k, p, _key in entries if k == "org"
    }
    timeline: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for org_id, occurred, interaction_id in InteractionOrganization.objects.filter(
        organization_id__in=org_ids, occurred_at__gte=gen.anchor - timedelta(days=600)
    ).values_list("organization_id", "occurred_at", "interaction_id"):
        timeline[org_id].append((occurred, interaction_id))

    # --- engagement plans with planned contacts
    plans: list[EngagementPlan] = []
    plan_items: list[tuple[EngagementPlan, int | None]] = []
    levels = ["unaware", "resistant", "neutral", "supportive", "leading"]
    level_of = {
        "opposed": "resistant",
        "sceptical": "resistant",
        "neutral": "neutral",
        "supportive": "supportive",
        "strongly_supportive": "leading",
    }
    for project, entries in zip(projects, stakeholders, strict=True):
        for kind, party, _key in [e for e in entries if e[0] == "org"][:4]:
            current = current_of[(project.pk, kind, party.pk)]
            level = level_of[current.attitude]
            target = levels[min(len(levels) - 1, levels.index(level) + rng.choice([1, 1, 2]))]
            plan = EngagementPlan(
                organization_id=party.pk,
                project_id=project.pk,
                current_level=level,
                target_level=target,
                next_review_on=today + timedelta(days=rng.randint(-10, 75)),
                note=rng.choice(
                    [
                        "Regelmäßig informieren, vor jeder Bauphase persönlich.",
                        "Vertrauen zurückgewinnen: Gesprächsangebot und Ortstermin.",
                        "Als Fürsprecher im Ausschuss gewinnen.",
                        "",
                    ]
                ),
                owner_id=project.owner_id,
                team_id=project.team_id,
            )
            stamp(plan, today - timedelta(days=rng.randint(90, 300)), project.owner_id)
            plans.append(plan)
            plan_items.append((plan, party.pk))
    gen.bulk(EngagementPlan, plans)
    items: list[PlannedEngagement] = []
    purposes = [
        ("meeting", "Gespräch zum Stand der Planung"),
        ("visit", "Ortstermin auf dem Gelände"),
        ("letter", "Schriftliche Information zum Bauzeitenplan"),
        ("call", "Rückmeldung zu den Einwänden"),
        ("meeting", "Vorstellung des Lärmgutachtens"),
    ]
    for plan, org_id in plan_items:
        history = sorted(timeline.get(org_id, []))
        for _n in range(rng.randint(2, 4)):
            kind, purpose = rng.choice(purposes)
            planned = today + timedelta(days=rng.randint(-120, 60))
            interaction_id = None
            done = False
            if planned < today:
                done = rng.random() < 0.7
                if done and history:
                    interaction_id = min(history, key=lambda h: abs((h[0].date() - planned).days))[
                        1
                    ]
            item = PlannedEngagement(
                plan_id=plan.pk,
                planned_on=planned,
                kind=kind,
                purpose=purpose,
                done=done,
                interaction_id=interaction_id,
            )
            stamp(item, min(planned, today) - timedelta(days=20), plan.owner_id)
            item.created_at = datetime.combine(min(planned, today), dt_time(8), tzinfo=tz)
            items.append(item)
    gen.bulk(PlannedEngagement, items)

    # --- consultations grouping interactions
    consultations: list[Consultation] = []
    consultation_links: list[tuple[int, int]] = []
    for project, _entries, city in zip(projects, stakeholders, cities, strict=True):
        for kind, title, place, days_ago in CONSULTATIONS[: rng.choice([2, 3])]:
            day = today - timedelta(days=days_ago + rng.randint(0, 30))
            c = Consultation(
                title=f"{title}: {project.name}",
                kind=kind,
                project_id=project.pk,
                starts_on=day,
                ends_on=day + timedelta(days=28) if kind == "round" else None,
                place=place.format(city=city),
                note="Protokoll liegt vor; Fragen und Einwände im Nachgang beantwortet.",
                owner_id=project.owner_id,
                team_id=project.team_id,
            )
            stamp(c, day - timedelta(days=21), project.owner_id)
            consultations.append(c)
    gen.bulk(Consultation, consultations)
    for c in consultations:
        entries = stakeholders[[p.pk for p in projects].index(c.project_id)]
        near: list[tuple[int, int]] = []
        for k, p, _key in entries:
            if k != "org":
                continue
            for occurred, interaction_id in timeline.get(p.pk, []):
                gap = abs((occurred.date() - c.starts_on).days)
                if gap <= 45:
                    near.append((gap, interaction_id))
        for _gap, interaction_id in sorted(set(near))[:4]:
            consultation_links.append((c.pk, interaction_id))
    insert_rows(
        Consultation.interactions.through, ["consultation", "interaction"], consultation_links
    )

    # --- concerns in every status, some overdue, some due within three days
    statuses = list(STATUS_MIX)
    rng.shuffle(statuses)
    concerns: list[Concern] = []
    for n, status in enumerate(statuses):
        project_index = n % len(projects)
        project = projects[project_index]
        entries = stakeholders[project_index]
        days = project.response_days or 14
        title, description = CONCERNS[(n * 7) % len(CONCERNS)]
        own = [c for c in consultations if c.project_id == project.pk]
        consultation = own[n % len(own)] if own and n % 3 == 0 else None
        if status == ConcernStatus.RECEIVED:
            # a few overdue, a few due within three days, the rest still in time
            received = today - timedelta(days=[days + 6, days + 2, days - 2, days - 3, 4, 1][n % 6])
        else:
            received = today - timedelta(days=rng.randint(20, 260))
        if consultation is not None:
            received = (
                max(consultation.starts_on, received)
                if status != ConcernStatus.RECEIVED
                else received
            )
            received = min(received, today)
        raisers = [
            e for e in entries if e[2] in ("Bürgerinitiative", "NABU", "Bürgerverein", "Anzeiger")
        ] or entries
        kind, party, _key = rng.choice(raisers)
        due = received + timedelta(days=days)
        responded = None
        if status != ConcernStatus.RECEIVED:
            responded = received + timedelta(days=rng.choice([2, 5, 9, days + 4]))
            responded = min(responded, today)
        resolved = None
        if status in (ConcernStatus.RESOLVED, ConcernStatus.CLOSED):
            resolved = min(today, (responded or received) + timedelta(days=rng.randint(10, 60)))
        concern = Concern(
            title=title,
            description=description,
            organization_id=party.pk if kind == "org" else None,
            person_id=party if kind == "person" else None,
            project_id=project.pk,
            consultation_id=consultation.pk if consultation is not None else None,
            received_on=received,
            status=status,
            response_due_on=due,
            responded_on=responded,
            resolved_on=resolved,
            reopen_reason="Maßnahme wirkt nicht: erneute Beschwerden im Nachtbetrieb."
            if status == ConcernStatus.IN_PROGRESS and n % 4 == 0
            else "",
            owner_id=project.owner_id,
            team_id=project.team_id,
        )
        stamp(concern, received, project.owner_id)
        concerns.append(concern)
    gen.bulk(Concern, concerns)

    # --- commitments made in return
    commitments: list[Commitment] = []
    commitment_links: list[tuple[int, int]] = []
    answered = [c for c in concerns if c.status != ConcernStatus.RECEIVED]
    rng.shuffle(answered)
    for i, concern in enumerate(answered[: len(COMMITMENTS) + 2]):
        title, kind = COMMITMENTS[i % len(COMMITMENTS)]
        made_on = concern.responded_on or concern.received_on
        due = made_on + timedelta(days=rng.randint(30, 180))
        status = (
            "fulfilled"
            if concern.status == ConcernStatus.CLOSED
            else ("in_progress" if due >= today else rng.choice(["open", "fulfilled", "missed"]))
        )
        source = next(
            (
                f"{c.title}, {c.starts_on:%d.%m.%Y}"
                for c in consultations
                if c.pk == concern.consultation_id
            ),
            f"Antwort auf Anliegen vom {concern.received_on:%d.%m.%Y}",
        )
        commitment = Commitment(
            side="ours",
            kind=kind,
            title=title,
            description=f"Zusage im Projekt „{next(p.name for p in projects if p.pk == concern.project_id)}“.",
            due_date=due,
            status=status,
            fulfilled_on=min(due, today) if status == "fulfilled" else None,
            organization_id=concern.organization_id,
            person_id=concern.person_id,
            source=source[:200],
            owner_id=concern.owner_id,
            team_id=concern.team_id,
        )
        stamp(commitment, made_on, concern.owner_id)
        commitments.append(commitment)
    gen.bulk(Commitment, commitments)
    for commitment, concern in zip(commitments, answered, strict=False):
        commitment_links.append((concern.pk, commitment.pk))
    insert_rows(Concern.commitments.through, ["concern", "commitment"], commitment_links)
