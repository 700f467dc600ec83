"""Demo sales data: a small product catalogue and opportunities over the last 24 months.

Opportunities belong to client organizations and take their owner and team, walk their pipeline's
open stages (each step a stage change with its time), and end won, lost (with a reason, sometimes
to a competitor) or still open, with realistic shares: about a third of the closed deals are won.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from accord.commerce.models import Product
from accord.pipeline.choices import OpportunitySource, StageKind
from accord.pipeline.models import (
    LostReason,
    Opportunity,
    OpportunityLine,
    Pipeline,
    Stage,
    StageChange,
)

if TYPE_CHECKING:
    from .generator import Generator

PRODUCTS = [
    ("KM-200", "Kältemaschine KM 200", "48500"),
    ("KM-400", "Kältemaschine KM 400", "86000"),
    ("WP-L12", "Luft-Wasser-Wärmepumpe L 12", "14900"),
    ("WP-S30", "Sole-Wärmepumpe S 30", "31500"),
    ("LT-EC", "Lüftungsgerät EC-Line", "9800"),
    ("RT-PRO", "Regeltechnik Pro (Lizenz)", "4200"),
    ("MON-Y", "Fernüberwachung (Jahresabo)", "1800"),
    ("WV-S", "Wartungsvertrag Standard (Jahr)", "3600"),
    ("WV-P", "Wartungsvertrag Premium (Jahr)", "7900"),
    ("SCH-T", "Schulung Betriebspersonal (Tag)", "1450"),
    ("INB-P", "Inbetriebnahme-Paket", "5200"),
    ("ERS-K", "Ersatzteilpaket Kompressor", "2650"),
]
TITLES = [
    "Modernisierung Kälteanlage {site}",
    "Wärmepumpen für {site}",
    "Rahmenvertrag Wartung {year}",
    "Lüftungssanierung {site}",
    "Fernüberwachung aller Standorte",
    "Erweiterung Produktion {site}",
    "Energieeffizienz-Programm {year}",
    "Schulungspaket Technik {year}",
]
SITES = ["Halle 3", "Werk Nord", "Zentrale", "Lager Süd", "Neubau", "Rechenzentrum", "Werk 2"]
NEXT_STEPS = [
    "Angebot nachfassen",
    "Technische Klärung mit dem Betriebsleiter",
    "Termin mit dem Einkauf vereinbaren",
    "Referenzbesuch organisieren",
    "Finale Preisverhandlung",
]


# The demo company works in German: its sales process is named in German too (the migration's
# defaults are English, for an install in any language; administrators rename them).
GERMAN_NAMES = {
    "New business": "Neugeschäft",
    "Renewals": "Verlängerungen",
    "Qualification": "Qualifizierung",
    "Needs analysis": "Bedarfsanalyse",
    "Proposal": "Angebot",
    "Negotiation": "Verhandlung",
    "Won": "Gewonnen",
    "Lost": "Verloren",
    "Renewal due": "Verlängerung fällig",
    "Quote sent": "Angebot versendet",
    "Renewed": "Verlängert",
    "Churned": "Abgewandert",
    "Price": "Preis",
    "Product fit": "Produkt passt nicht",
    "Timing": "Zeitpunkt",
    "Competitor": "Wettbewerber",
    "No decision": "Keine Entscheidung",
}


def name_configuration_in_german() -> None:
    for model in (Pipeline, Stage, LostReason):
        for english, german in GERMAN_NAMES.items():
            model.objects.filter(name=english).update(name=german)


def create_sales(gen: Generator, opportunities: int) -> None:
    rng = gen.rng("sales")
    name_configuration_in_german()
    products = [
        Product(sku=sku, name=name, list_price=Decimal(price), currency="EUR", active=True)
        for sku, name, price in PRODUCTS
    ]
    for product in products:
        gen.stamp(product, gen.days_ago(800))
    gen.bulk(Product, products)

    pipelines = list(Pipeline.objects.prefetch_related("stages"))
    if not pipelines or opportunities <= 0:
        return
    reasons = list(LostReason.objects.filter(active=True))
    clients = [p.obj for p in gen.orgs if p.obj.is_client] or [p.obj for p in gen.orgs]
    competitors = [p.obj for p in gen.orgs if p.kind == "competitor"]
    default = next((p for p in pipelines if p.is_default), pipelines[0])

    opps: list[Opportunity] = []
    lines: list[OpportunityLine] = []
    changes: list[StageChange] = []
    for n in range(opportunities):
        pipeline = default if rng.random() < 0.75 or len(pipelines) == 1 else pipelines[1]
        stages = sorted(pipeline.stages.all(), key=lambda s: s.order)
        open_stages = [s for s in stages if s.kind == StageKind.OPEN]
        won = next((s for s in stages if s.kind == StageKind.WON), None)
        lost = next((s for s in stages if s.kind == StageKind.LOST), None)
        org = rng.choice(clients)
        age = rng.uniform(3, 850)  # days since opened: decided ones close over the last 24 months
        created = gen.days_ago(age)
        # older deals are mostly decided; a third of the decided ones are won
        decided = age > 45 and rng.random() < min(0.95, age / 150)
        if decided and won and lost:
            final = won if rng.random() < 0.33 else lost
            reached = rng.randint(1, len(open_stages)) if final is lost else len(open_stages)
        else:
            final = None
            reached = rng.randint(1, len(open_stages))
        path = open_stages[:reached] + ([final] if final else [])
        # a decided deal took its own sales cycle (1–5 months), so deals close all over the
        # 24 months, not all near today; an open one has been moving since it was opened
        span = min(rng.uniform(30, 150), age - 1) if final is not None else age - 1
        step_days = max(span, 1) / (len(path) + 1)
        when = created
        opp = Opportunity(
            organization_id=org.pk,
            owner_id=org.owner_id,
            team_id=org.team_id,
            title=rng.choice(TITLES).format(site=rng.choice(SITES), year=created.year + 1),
            pipeline_id=pipeline.pk,
            stage_id=path[-1].pk,
            currency="EUR",
            probability=path[-1].probability,
            source=rng.choice(OpportunitySource.values),
        )
        gen.stamp(opp, created, org.owner_id)
        opps.append(opp)
        opp_lines = []
        for product in rng.sample(products, rng.choice([0, 1, 1, 2, 3])):
            opp_lines.append(
                OpportunityLine(
                    opportunity=opp,
                    product=product,
                    quantity=Decimal(rng.choice([1, 1, 2, 3, 5, 10])),
                    unit_price=product.list_price,
                    discount=Decimal(rng.choice([0, 0, 5, 10, 12, 15, 20])),
                )
            )
        if opp_lines:
            amount = sum(
                (
                    line.quantity * line.unit_price * (100 - line.discount) / 100
                    for line in opp_lines
                ),
                Decimal(0),
            )
        else:
            amount = Decimal(rng.randrange(5_000, 250_000, 500))
        opp.amount = amount.quantize(Decimal("0.01"))
        lines.extend(opp_lines)
        previous = None
        for stage in path:
            changes.append(
                StageChange(
                    opportunity=opp,
                    from_stage=previous,
                    to_stage=stage,
                    changed_at=when,
                    changed_by_id=org.owner_id,
                )
            )
            previous = stage
            when = min(when + timedelta(days=step_days * rng.uniform(0.6, 1.4)), gen.now)
        if final is not None:
            opp.closed_at = changes[-1].changed_at
            opp.expected_close_date = opp.closed_at.date()
            if final is lost:
                opp.lost_reason = rng.choice(reasons) if reasons else None
                if competitors and rng.random() < 0.4:
                    opp.won_competitor = rng.choice(competitors)
        else:
            opp.expected_close_date = gen.today + timedelta(days=rng.randint(7, 200))
            opp.next_step = rng.choice(NEXT_STEPS)
            opp.next_step_date = gen.today + timedelta(days=rng.randint(1, 30))
        gen.progress("opportunities", n + 1, opportunities)
    gen.bulk(Opportunity, opps)
    for line in lines:
        line.opportunity_id = line.opportunity.pk
        line.product_id = line.product.pk
    gen.bulk(OpportunityLine, lines)
    for change in changes:
        change.opportunity_id = change.opportunity.pk
    gen.bulk(StageChange, changes)
