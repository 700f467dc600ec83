"""Demo competitors and buying centers: a profile for every competitor organization, competitors
present on about a third of the opportunities (consistent with the outcome: a deal lost to a
competitor has that competitor "lost to"), incumbents at some client accounts, and buying centers
for the open and recently closed opportunities, taken from the people's positions.

Runs after `sales.create_sales`; reads what that wrote in a few queries and writes with bulk
inserts. Price pressure shows in the data: a won deal with a larger discount more likely had a
competitor at the table (the discounts themselves come from `sales`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import FloatField, Q, Sum
from django.db.models.functions import Cast

from accord.parties.models import Position
from accord.pipeline.choices import CompetitorStatus, PricePosition, StageKind
from accord.pipeline.models import (
    AccountCompetitor,
    BuyingCenterMember,
    CompetitorProfile,
    Opportunity,
    OpportunityCompetitor,
    OpportunityLine,
)

if TYPE_CHECKING:
    from .generator import Generator

PRODUCT_LINES = [
    "Kaltwassersätze bis 800 kW",
    "Luft-Wasser-Wärmepumpen für Gewerbe",
    "Sole-Wärmepumpen",
    "Lüftungsgeräte mit Wärmerückgewinnung",
    "Gebäudeautomation und Regeltechnik",
    "Fernüberwachung per Cloud-Portal",
    "Wartungsverträge mit 24/7-Notdienst",
    "Kompressoren und Ersatzteile",
    "Prozesskühlung für die Kunststoffindustrie",
    "Rechenzentrumskühlung",
]
STRENGTHS = [
    "Sehr aggressive Preise im Projektgeschäft",
    "Großes Servicenetz mit kurzen Anfahrtszeiten",
    "Bekannte Marke, oft auf der Herstellerliste der Planer",
    "Schnelle Lieferzeiten ab Lager",
    "Starke Referenzen in der Automobilindustrie",
    "Finanzierungs- und Mietmodelle",
    "Eigene Softwareplattform für das Monitoring",
    "Gute Kontakte zu Planungsbüros und TGA-Fachplanern",
]
WEAKNESSES = [
    "Service außerhalb der Ballungsräume dünn",
    "Lange Lieferzeiten bei Sondergeräten",
    "Wenig Erfahrung mit natürlichen Kältemitteln",
    "Hohe Folgekosten bei Ersatzteilen",
    "Häufige Wechsel der Ansprechpartner im Vertrieb",
    "Schwache Dokumentation, Inbetriebnahme dauert",
    "Keine eigene Regeltechnik, nur Fremdprodukte",
]
NOTES = [
    "Tritt zunehmend mit Paketangeboten aus Gerät und Wartung auf.",
    "Hat im letzten Jahr zwei Vertriebsleute aus unserer Region abgeworben.",
    "Bietet bei Ausschreibungen oft 10–15 % unter Liste an.",
    "Gehört seit kurzem zu einem internationalen Konzern.",
    "",
    "",
]
ACCOUNT_PRODUCTS = [
    "Kältemaschinen in Halle 2",
    "Wartungsvertrag für alle Standorte",
    "Lüftungsanlage Verwaltung",
    "Wärmepumpen Neubau",
    "Regeltechnik und Leitstand",
]
PRICE_WEIGHTS = (
    (PricePosition.MUCH_LOWER, 2),
    (PricePosition.LOWER, 4),
    (PricePosition.SAME, 3),
    (PricePosition.HIGHER, 2),
    (PricePosition.MUCH_HIGHER, 1),
)
RECENT_DAYS = 90  # closed deals this recent keep their buying center in the demo


def _weighted_discounts() -> dict[int, float]:
    """Each opportunity's discount weighted by its lines' gross value (one grouped query)."""
    gross = Cast("quantity", FloatField()) * Cast("unit_price", FloatField())
    rows = (
        OpportunityLine.objects.values("opportunity_id")
        .annotate(
            gross=Sum(gross, output_field=FloatField()),
            discounted=Sum(gross * Cast("discount", FloatField()), output_field=FloatField()),
        )
        .filter(gross__gt=0)
        .order_by()
    )
    return {r["opportunity_id"]: r["discounted"] / r["gross"] for r in rows}


def create_competitors(gen: Generator) -> None:
    rng = gen.rng("competitors")
    competitors = [p.obj for p in gen.orgs if p.obj.is_competitor]
    if not competitors:
        return

    # --- profiles ---------------------------------------------------------------------------
    profiles = []
    positions = [p for p, _w in PRICE_WEIGHTS]
    weights = [w for _p, w in PRICE_WEIGHTS]
    for org in competitors:
        profile = CompetitorProfile(
            organization_id=org.pk,
            products="\n".join(rng.sample(PRODUCT_LINES, rng.randint(2, 4))),
            strengths="\n".join(rng.sample(STRENGTHS, rng.randint(1, 3))),
            weaknesses="\n".join(rng.sample(WEAKNESSES, rng.randint(1, 2))),
            price_position=rng.choices(positions, weights=weights)[0],
            notes=rng.choice(NOTES),
        )
        gen.stamp(profile, gen.days_ago(rng.uniform(200, 700)), org.owner_id)
        profiles.append(profile)
    gen.bulk(CompetitorProfile, profiles)

    # --- presence on opportunities ----------------------------------------------------------
    discounts = _weighted_discounts()
    deals = list(
        Opportunity.objects.order_by("id").values_list(
            "pk",
            "organization_id",
            "owner_id",
            "created_at",
            "closed_at",
            "stage__kind",
            "won_competitor_id",
        )
    )
    presences: list[OpportunityCompetitor] = []
    for pk, _org_id, owner_id, created, _closed, kind, lost_to in deals:
        chosen: dict[int, str] = {}
        if kind == StageKind.LOST and lost_to is not None:
            chosen[lost_to] = CompetitorStatus.LOST_TO
            share = 0.2  # sometimes a second competitor was in the running too
        elif kind == StageKind.WON and pk in discounts:
            # price pressure: the bigger the discount we gave, the likelier a competitor was there
            share = min(0.5, 0.02 + 0.022 * discounts[pk])
        else:
            share = 0.12
        if rng.random() < share:
            count = 2 if rng.random() < 0.25 else 1
            for competitor in rng.sample(competitors, min(count, len(competitors))):
                if competitor.pk in chosen:
                    continue
                if kind == StageKind.WON and rng.random() < 0.25:
                    status = CompetitorStatus.REPLACED
                elif rng.random() < 0.2:
                    status = CompetitorStatus.INCUMBENT
                else:
                    status = CompetitorStatus.SHORTLISTED
                chosen[competitor.pk] = status
        for competitor_id, status in chosen.items():
            presence = OpportunityCompetitor(
                opportunity_id=pk, competitor_id=competitor_id, status=status
            )
            gen.stamp(presence, created + timedelta(days=rng.uniform(1, 20)), owner_id)
            presences.append(presence)
    gen.bulk(OpportunityCompetitor, presences)

    # --- incumbents at client accounts ------------------------------------------------------
    clients = [p.obj for p in gen.orgs if p.obj.is_client and not p.obj.is_competitor]
    at_accounts: list[AccountCompetitor] = []
    for org in clients:
        if rng.random() >= 0.25:
            continue
        wanted = 2 if rng.random() < 0.2 else 1
        for competitor in rng.sample(competitors, min(wanted, len(competitors))):
            since = gen.today - timedelta(days=rng.randint(200, 3000))
            presence = AccountCompetitor(
                account_id=org.pk,
                competitor_id=competitor.pk,
                status=(
                    CompetitorStatus.REPLACED if rng.random() < 0.15 else CompetitorStatus.INCUMBENT
                ),
                since=since,
                products=rng.choice(ACCOUNT_PRODUCTS),
            )
            gen.stamp(presence, gen.days_ago(rng.uniform(30, 600)), org.owner_id)
            at_accounts.append(presence)
    gen.bulk(AccountCompetitor, at_accounts)

    # --- buying centers of open and recent opportunities, from the positions ----------------
    recent = gen.now - timedelta(days=RECENT_DAYS)
    active = [d for d in deals if d[5] == StageKind.OPEN or (d[4] is not None and d[4] >= recent)]
    org_ids = {d[1] for d in active}
    by_org: dict[int, list[tuple[int, str]]] = {}
    current = (
        Position.objects.filter(organization_id__in=org_ids)
        .exclude(buying_role="")
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=gen.today))
        .order_by("organization_id", "person_id", "id")
        .values_list("organization_id", "person_id", "buying_role")
    )
    for org_id, person_id, role in current:
        roles = by_org.setdefault(org_id, [])
        if (person_id, role) not in roles:
            roles.append((person_id, role))
    members: list[BuyingCenterMember] = []
    for pk, org_id, owner_id, created, _closed, _kind, _lost_to in active:
        for person_id, role in by_org.get(org_id, []):
            if rng.random() < 0.15:
                continue  # not everyone is involved in every deal
            member = BuyingCenterMember(
                opportunity_id=pk, person_id=person_id, role=role, from_position=True
            )
            gen.stamp(member, created + timedelta(days=rng.uniform(0, 10)), owner_id)
            members.append(member)
    gen.bulk(BuyingCenterMember, members)
    gen.progress("competitors", 1, 1)
