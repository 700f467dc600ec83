"""Demo market signals: about 300 over the last 24 months across 16 topics of the demo's
products (refrigeration, heat pumps, ventilation, controls, remote monitoring, service), with
trends that the trend view shows: some topics rise (heat-pump subsidies, F-gas rules, remote
maintenance, shortage of service technicians), some fall (energy costs, spare-part delivery
times), one peaks and fades (the building energy act), the rest stay level.

Signals come from client organizations (their industry, owner and team) and the people working
there at the time; client feedback is often linked to an interaction with that client around the
same day; some industry trends have no organization. A few opportunity signals were turned into
an opportunity the client opened shortly after.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING

from django.utils import timezone

from accord.interactions.models import InteractionOrganization
from accord.parties.choices import Industry
from accord.pipeline.choices import SignalDirection, SignalKind
from accord.pipeline.models import MarketSignal, Opportunity

from .db import insert_rows

if TYPE_CHECKING:
    from .generator import Generator

SIGNALS = 300
MONTHS = 24
OPP, THREAT, REQUEST = SignalDirection.OPPORTUNITY, SignalDirection.THREAT, SignalDirection.REQUEST
TREND, FEEDBACK = SignalKind.TREND, SignalKind.FEEDBACK
IND = Industry

# topic, weight, shape, share of industry trends (else client feedback), directions with weights,
# preferred industries (empty: any), titles (the first `trend_titles`, default 2, for industry
# trends; the others for client feedback)
TOPICS: list[dict] = [
    {
        "topic": "Wärmepumpen-Förderung",
        "weight": 1.4,
        "shape": "rising",
        "trend": 0.6,
        "directions": {OPP: 8, REQUEST: 2},
        "industries": [IND.CONSTRUCTION, IND.PUBLIC, IND.RETAIL, IND.HEALTHCARE, IND.EDUCATION],
        "titles": [
            "Neue Förderquoten für Wärmepumpen im Gewerbe",
            "BEG-Förderung: höhere Zuschüsse für Nichtwohngebäude",
            "Kunde plant Heizungstausch mit Förderantrag",
            "Anfrage: Begleitung beim Förderantrag Wärmepumpe",
        ],
    },
    {
        "topic": "Kältemittel-Verordnung (F-Gase)",
        "weight": 1.2,
        "shape": "rising",
        "trend": 0.5,
        "directions": {THREAT: 4, OPP: 5, REQUEST: 1},
        "industries": [IND.FOOD, IND.RETAIL, IND.CHEMICALS, IND.LOGISTICS],
        "titles": [
            "F-Gase-Verordnung: Verbot für Anlagen mit hohem GWP rückt näher",
            "Quotenabsenkung HFKW verteuert Kältemittel",
            "Bestandsanlage mit R404A: Kunde fragt nach Umrüstung",
            "Betreiber unsicher, ob Anlage weiter betrieben werden darf",
        ],
    },
    {
        "topic": "Fernwartung",
        "trend_titles": 1,
        "weight": 1.3,
        "shape": "rising",
        "trend": 0.2,
        "directions": {REQUEST: 6, OPP: 4},
        "industries": [],
        "titles": [
            "Betreiber erwarten Fernzugriff als Standard",
            "Kunde wünscht Fernwartung für alle Standorte",
            "Störungen sollen ohne Technikereinsatz behoben werden",
            "Anfrage: Fernüberwachung der Kälteanlage nachrüsten",
        ],
    },
    {
        "topic": "Energiekosten",
        "weight": 1.5,
        "shape": "falling",
        "trend": 0.5,
        "directions": {THREAT: 5, OPP: 5},
        "industries": [IND.MANUFACTURING, IND.CHEMICALS, IND.FOOD, IND.AUTOMOTIVE],
        "titles": [
            "Strompreise belasten energieintensive Betriebe",
            "Energiepreise: Investitionen werden verschoben",
            "Kunde will Verbrauch der Kälteanlage senken",
            "Budget für Modernisierung wegen Energiekosten gekürzt",
        ],
    },
    {
        "topic": "Fachkräftemangel Service",
        "weight": 1.0,
        "shape": "rising",
        "trend": 0.5,
        "directions": {THREAT: 6, OPP: 4},
        "industries": [],
        "titles": [
            "Kältetechniker fehlen in der Region",
            "Handwerksbetriebe nehmen keine Wartungsaufträge mehr an",
            "Kunde findet keinen Servicepartner vor Ort",
            "Eigenes Betriebspersonal soll mehr selbst übernehmen",
        ],
    },
    {
        "topic": "Predictive Maintenance",
        "trend_titles": 1,
        "weight": 0.9,
        "shape": "rising",
        "trend": 0.3,
        "directions": {REQUEST: 5, OPP: 5},
        "industries": [IND.MANUFACTURING, IND.AUTOMOTIVE, IND.CHEMICALS, IND.IT],
        "titles": [
            "Zustandsbasierte Wartung setzt sich durch",
            "Kunde fragt nach Ausfallprognose für Verdichter",
            "Wartung nach Zustand statt nach Kalender gewünscht",
            "Pilot für Schwingungsüberwachung angefragt",
        ],
    },
    {
        "topic": "Lieferzeiten Ersatzteile",
        "trend_titles": 1,
        "weight": 1.1,
        "shape": "falling",
        "trend": 0.2,
        "directions": {THREAT: 8, REQUEST: 2},
        "industries": [],
        "titles": [
            "Lieferketten für Elektronikbauteile weiter angespannt",
            "Kunde verärgert über Wartezeit auf Kompressor",
            "Ersatzteil seit Wochen nicht lieferbar",
            "Anfrage: Ersatzteilpaket auf Lager beim Kunden",
        ],
    },
    {
        "topic": "Natürliche Kältemittel (CO₂, Propan)",
        "weight": 0.8,
        "shape": "rising",
        "trend": 0.5,
        "directions": {OPP: 7, REQUEST: 3},
        "industries": [IND.FOOD, IND.RETAIL, IND.LOGISTICS],
        "titles": [
            "Handel stellt Kühlmöbel auf CO₂ um",
            "Propan-Wärmepumpen gewinnen Marktanteile",
            "Kunde will bei Neubau nur natürliche Kältemittel",
            "Anfrage: CO₂-Anlage für Tiefkühllager",
        ],
    },
    {
        "topic": "Preisdruck Wettbewerb",
        "trend_titles": 1,
        "weight": 0.9,
        "shape": "steady",
        "trend": 0.1,
        "directions": {THREAT: 10},
        "industries": [],
        "titles": [
            "Wettbewerber unterbietet bei Ausschreibungen",
            "Kunde legt günstigeres Angebot der Konkurrenz vor",
            "Einkauf fordert zehn Prozent Nachlass",
            "Wartungspreise des Wettbewerbs deutlich niedriger",
        ],
    },
    {
        "topic": "Wartungsverträge mit Reaktionszeit",
        "trend_titles": 1,
        "weight": 0.8,
        "shape": "steady",
        "trend": 0.1,
        "directions": {REQUEST: 7, OPP: 3},
        "industries": [IND.HEALTHCARE, IND.IT, IND.FOOD, IND.LOGISTICS],
        "titles": [
            "Garantierte Reaktionszeiten werden Ausschreibungskriterium",
            "Kunde verlangt Reaktionszeit von vier Stunden",
            "Anfrage: 24/7-Bereitschaft im Wartungsvertrag",
            "Vertragsstrafe bei Ausfall der Kühlung gewünscht",
        ],
    },
    {
        "topic": "Abwärmenutzung",
        "weight": 0.7,
        "shape": "rising",
        "trend": 0.5,
        "directions": {OPP: 9, REQUEST: 1},
        "industries": [IND.MANUFACTURING, IND.FOOD, IND.CHEMICALS, IND.IT],
        "titles": [
            "Energieeffizienzgesetz verlangt Abwärmenutzung",
            "Abwärme aus Kälteanlagen für Heizung nutzen",
            "Kunde will Abwärme der Druckluft nutzen",
            "Anfrage: Wärmerückgewinnung an der Kälteanlage",
        ],
    },
    {
        "topic": "Schulung Betriebspersonal",
        "trend_titles": 1,
        "weight": 0.6,
        "shape": "steady",
        "trend": 0.1,
        "directions": {REQUEST: 8, OPP: 2},
        "industries": [],
        "titles": [
            "Betreiberpflichten: Schulungsnachweise gefordert",
            "Neue Mitarbeitende sollen Anlage bedienen lernen",
            "Anfrage: Schulung zur Regeltechnik",
            "Kunde wünscht jährliche Unterweisung vor Ort",
        ],
    },
    {
        "topic": "Lärmschutz Außengeräte",
        "trend_titles": 1,
        "weight": 0.5,
        "shape": "steady",
        "trend": 0.2,
        "directions": {REQUEST: 5, THREAT: 5},
        "industries": [IND.PUBLIC, IND.HEALTHCARE, IND.EDUCATION, IND.RETAIL],
        "titles": [
            "Strengere Lärmwerte in Wohngebieten",
            "Nachbarn beschweren sich über Außengerät",
            "Anfrage: Schallschutzhaube für Rückkühler",
            "Genehmigung hängt am Schallgutachten",
        ],
    },
    {
        "topic": "Gebäudeenergiegesetz (GEG)",
        "weight": 1.1,
        "shape": "peak",
        "trend": 0.7,
        "directions": {OPP: 5, THREAT: 2, REQUEST: 3},
        "industries": [IND.CONSTRUCTION, IND.PUBLIC, IND.RETAIL, IND.SERVICES],
        "titles": [
            "GEG-Novelle: 65 Prozent erneuerbar beim Heizungstausch",
            "Verunsicherung durch GEG-Debatte bremst Aufträge",
            "Kunde fragt, was das GEG für seinen Neubau bedeutet",
            "Anfrage: Beratung zur Heizung im Bestandsgebäude",
        ],
    },
    {
        "topic": "Cybersecurity Fernzugriff",
        "trend_titles": 1,
        "weight": 0.6,
        "shape": "rising",
        "trend": 0.3,
        "directions": {THREAT: 4, REQUEST: 6},
        "industries": [IND.IT, IND.HEALTHCARE, IND.ENERGY, IND.FINANCE],
        "titles": [
            "NIS2 verschärft Anforderungen an Fernzugänge",
            "IT-Abteilung blockiert Fernzugriff auf die Steuerung",
            "Kunde verlangt Sicherheitskonzept für die Fernwartung",
            "Anfrage: VPN-Lösung für die Anlagenüberwachung",
        ],
    },
    {
        "topic": "Rechenzentrumskühlung",
        "weight": 0.7,
        "shape": "rising",
        "trend": 0.5,
        "directions": {OPP: 9, REQUEST: 1},
        "industries": [IND.IT, IND.TELECOM, IND.FINANCE],
        "titles": [
            "Neue Rechenzentren in der Region geplant",
            "KI-Server treiben die Kühllast hoch",
            "Kunde erweitert Serverraum und braucht mehr Kälteleistung",
            "Anfrage: Freikühlung für das Rechenzentrum",
        ],
    },
]

NOTES = [
    "Im Gespräch mehrfach angesprochen.",
    "Kam in der Ausschreibung zur Sprache.",
    "Laut Betriebsleitung ein Thema für das nächste Budget.",
    "Auf der Messe von mehreren Besuchern gehört.",
    "Aus dem Branchennewsletter; bei Kunden nachfragen.",
    "Einkauf und Technik sehen das unterschiedlich.",
    "",
    "",
]


def _shape(shape: str, t: float) -> float:
    """Relative frequency at t (0: 24 months ago, 1: now)."""
    if shape == "rising":
        return 0.25 + 1.75 * t
    if shape == "falling":
        return 1.8 - 1.5 * t
    if shape == "peak":
        return 0.3 + 1.7 * math.exp(-(((t - 0.45) / 0.18) ** 2))
    return 1.0


def create_signals(gen: Generator, signals: int = SIGNALS) -> None:
    """About `signals` signals over the last 24 months; see the module docstring."""
    rng = gen.rng("signals")
    clients = [p for p in gen.orgs if p.obj.is_client] or list(gen.orgs)
    if not clients or signals <= 0:
        return
    today = gen.today
    first = _month_add(today.replace(day=1), -(MONTHS - 1))
    months = [_month_add(first, i) for i in range(MONTHS)]
    cells, weights = [], []
    for ti, spec in enumerate(TOPICS):
        for mi, _month in enumerate(months):
            t = mi / (MONTHS - 1)
            cells.append((ti, mi))
            weights.append(spec["weight"] * _shape(spec["shape"], t))
    picks = rng.choices(cells, weights=weights, k=signals)

    by_industry: dict[str, list] = defaultdict(list)
    for plan in clients:
        by_industry[plan.obj.industry].append(plan)
    sales_users = [u for u in gen.users.values() if u.role in ("member", "manager")]
    user_team = {u.pk: next(iter(u.teams.values_list("pk", flat=True)), None) for u in sales_users}

    # the clients' interactions (time-ordered), to link a signal to one from around its day
    since = gen.anchor - timedelta(days=31 * (MONTHS + 1))
    client_ids = [p.obj.pk for p in clients]
    timeline: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    links = InteractionOrganization.objects.filter(
        organization_id__in=client_ids, occurred_at__gte=since
    ).values_list("organization_id", "occurred_at", "interaction_id")
    for org_id, occurred, interaction_id in links.iterator(chunk_size=5000):
        timeline[org_id].append((occurred, interaction_id))
    for rows in timeline.values():
        rows.sort()

    # opportunities the clients opened (to mark a few signals as turned into one)
    opened: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for opp_id, org_id, created in Opportunity.objects.filter(
        organization_id__in=client_ids
    ).values_list("id", "organization_id", "created_at"):
        opened[org_id].append((created, opp_id))
    used_opportunities: set[int] = set()

    objs: list[MarketSignal] = []
    org_rows: list[tuple[int, int]] = []
    person_rows: list[tuple[int, int]] = []
    interaction_rows: list[tuple[int, int]] = []
    pending: list[tuple[MarketSignal, list[int], list[int], list[int]]] = []
    for ti, mi in picks:
        spec = TOPICS[ti]
        month = months[mi]
        last_day = min(_month_add(month, 1) - timedelta(days=1), today)
        day = month + timedelta(days=rng.randint(0, (last_day - month).days))
        kind = TREND if rng.random() < spec["trend"] else FEEDBACK
        direction = rng.choices(list(spec["directions"]), list(spec["directions"].values()))[0]
        titles, split = spec["titles"], spec.get("trend_titles", 2)
        title = rng.choice(titles[:split] if kind == TREND else titles[split:])
        plan = None
        if kind == FEEDBACK or rng.random() < 0.7:
            pool = [p for i in spec["industries"] for p in by_industry.get(i, [])]
            if not pool or rng.random() < 0.25:
                pool = clients
            plan = rng.choice(pool)
        industry = (
            plan.obj.industry
            if plan is not None
            else rng.choice(spec["industries"] or [i for i in Industry.values if i != "other"])
        )
        owner_id = plan.obj.owner_id if plan is not None else None
        team_id = plan.obj.team_id if plan is not None else None
        if owner_id is None and sales_users:
            owner_id = rng.choice(sales_users).pk
            team_id = user_team[owner_id]
        signal = MarketSignal(
            title=title,
            topic=spec["topic"],
            kind=kind,
            direction=direction,
            industry=industry or "",
            observed_on=day,
            note=rng.choice(NOTES),
            owner_id=owner_id,
            team_id=team_id,
        )
        noon = datetime.combine(day, dt_time(12), tzinfo=timezone.get_current_timezone())
        gen.stamp(signal, noon + timedelta(hours=rng.uniform(0, 30)), owner_id)
        org_ids: list[int] = []
        person_ids: list[int] = []
        interaction_ids: list[int] = []
        if plan is not None:
            org_ids.append(plan.obj.pk)
            ordinal = day.toordinal()
            present = [c for c in plan.contacts if c[1] <= ordinal <= c[2]]
            for contact in rng.sample(present, min(len(present), rng.choice([0, 1, 1, 2]))):
                person_ids.append(gen.people[contact[0]].id)
            if kind == FEEDBACK and rng.random() < 0.6:
                found = _near(timeline.get(plan.obj.pk, []), noon, days=21)
                if found is not None:
                    interaction_ids.append(found)
            if direction in (OPP, REQUEST) and rng.random() < 0.12:
                opp_id = _opened_after(opened.get(plan.obj.pk, []), noon, used_opportunities)
                if opp_id is not None:
                    signal.opportunity_id = opp_id
                    used_opportunities.add(opp_id)
        objs.append(signal)
        pending.append((signal, org_ids, person_ids, interaction_ids))
    objs.sort(key=lambda s: (s.observed_on, s.created_at))
    gen.bulk(MarketSignal, objs)
    for signal, org_ids, person_ids, interaction_ids in pending:
        org_rows += [(signal.pk, pk) for pk in org_ids]
        person_rows += [(signal.pk, pk) for pk in dict.fromkeys(person_ids)]
        interaction_rows += [(signal.pk, pk) for pk in interaction_ids]
    insert_rows(MarketSignal.organizations.through, ["marketsignal", "organization"], org_rows)
    insert_rows(MarketSignal.people.through, ["marketsignal", "person"], person_rows)
    insert_rows(
        MarketSignal.interactions.through, ["marketsignal", "interaction"], interaction_rows
    )
    gen.count("market signal links", len(org_rows) + len(person_rows) + len(interaction_rows))


def _month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _near(rows: list[tuple[datetime, int]], when: datetime, *, days: int) -> int | None:
    """The interaction closest to `when` within `days` days (rows sorted by time)."""
    if not rows:
        return None
    i = bisect.bisect_left(rows, (when, -1))
    best = None
    for j in (i - 1, i):
        if 0 <= j < len(rows):
            gap = abs((rows[j][0] - when).total_seconds())
            if gap <= days * 86400 and (best is None or gap < best[0]):
                best = (gap, rows[j][1])
    return best[1] if best else None


def _opened_after(rows: list[tuple[datetime, int]], when: datetime, used: set[int]) -> int | None:
    """An opportunity the client opened within 90 days after `when`, not yet taken."""
    for created, opp_id in sorted(rows):
        if when <= created <= when + timedelta(days=90) and opp_id not in used:
            return opp_id
    return None
