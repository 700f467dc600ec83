"""Demo negotiations and requests between internal units.

About 60 negotiations over the last two years: sales negotiations on opportunities (their
client, owner and amount; agreed when the opportunity was won, broken off when lost), purchase
negotiations with suppliers (linked to one of the supplier's purchase orders when there is one),
a few with authorities (fees and conditions of a permit) and partners. Each has 1–6 rounds in
which the two sides' offers converge; the closed ones have an outcome and its reason.

About 40 requests between five internal units ("Einkauf Zentral", "Werk Nord", "Werk Süd",
"Vertrieb", "IT" — reused by name when the procurement demo created them, else created here),
some of them overdue.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.apps import apps

from accord.contracts.models import Negotiation, NegotiationRound
from accord.interactions.models import UnitRequest
from accord.parties.models import Organization, Position
from accord.pipeline.models import Opportunity

from .accounts import PARTNERS

if TYPE_CHECKING:
    from .generator import Generator

UNITS = ("Einkauf Zentral", "Werk Nord", "Werk Süd", "Vertrieb", "IT")
BUYER = "sabine.krueger@accord.example"
SALES_NEGOTIATIONS = 30
PURCHASE_NEGOTIATIONS = 24
AUTHORITY_NEGOTIATIONS = 4
PARTNER_NEGOTIATIONS = 2
UNIT_REQUESTS = 40

SALES_TITLES = (
    "Preisverhandlung {org}",
    "Konditionen Wartungsvertrag {org}",
    "Rahmenvertrag {org}",
    "Nachverhandlung Angebot {org}",
)
PURCHASE_TITLES = (
    "Jahresgespräch {org}",
    "Rahmenvertrag Ersatzteile {org}",
    "Preisanpassung {org}",
    "Liefervertrag {org}",
)
AUTHORITY_TITLES = (
    "Genehmigung Erweiterung Werk – {org}",
    "Sondernutzung und Gebühren – {org}",
    "Auflagen Schallschutz – {org}",
)
PARTNER_TITLES = ("Partnervertrag {org}", "Kooperation Service {org}")
SERVICE_LEVELS = ("Reaktion 8 h", "Reaktion 4 h", "Reaktion 24 h", "24/7-Bereitschaft", "")
CONCESSIONS_US = (
    "Zahlungsziel verlängert",
    "Kostenlose Schulung zugesagt",
    "Preis gesenkt",
    "Längere Gewährleistung",
    "",
)
CONCESSIONS_THEM = (
    "Höhere Abnahmemenge",
    "Längere Laufzeit akzeptiert",
    "Preisaufschlag akzeptiert",
    "Verzicht auf Vertragsstrafe",
    "",
)
OUTCOMES = {
    "agreed": (
        "Einigung in der Mitte, Laufzeit verlängert.",
        "Zuschlag nach Nachbesserung beim Service-Level.",
        "Einigung knapp unter dem Ziel, dafür höhere Menge.",
    ),
    "broken_off": (
        "Preisvorstellungen zu weit auseinander.",
        "Wettbewerber hat günstiger angeboten.",
        "Gegenseite hat Verhandlung abgebrochen.",
    ),
    "abandoned": ("Bedarf entfallen.", "Projekt intern gestoppt."),
}
REQUEST_TITLES = (
    "Neuen Lieferanten für Dichtungen freigeben",
    "Bedarfsmeldung Ersatzteile Q{q}",
    "Laptop für neue Kollegin",
    "Zugang zum ERP-System",
    "Rahmenvertrag Schmierstoffe verlängern",
    "Angebot für Kunde kalkulieren",
    "Prüfung Lieferantenbewertung",
    "Schulung Regeltechnik organisieren",
    "Ersatzmaschine beschaffen",
    "VPN für Fernwartung einrichten",
)


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, -2))).quantize(Decimal("0.01"))


def _units(gen: Generator) -> list[Organization]:
    existing = list(Organization.objects.filter(is_internal=True).order_by("id"))
    owner = gen.users.get(BUYER)
    team = gen.teams.get(PARTNERS)
    units, new = [], []
    for name in UNITS:
        found = next((o for o in existing if o.name == name or o.name.endswith(name)), None)
        if found is None:
            found = Organization(
                name=name,
                legal_name="",
                is_internal=True,
                owner_id=owner.pk if owner else None,
                team_id=team.pk if team else None,
                country="DE",
            )
            gen.stamp(found, gen.days_ago(850), found.owner_id)
            new.append(found)
        units.append(found)
    if new:
        gen.bulk(Organization, new)
    return units


def _rounds(
    gen: Generator,
    rng,
    negotiation: Negotiation,
    *,
    n: int,
    end: date,
    we_sell: bool,
) -> list[NegotiationRound]:
    """`n` rounds from the start to `end`, alternating sides, the offers converging."""
    target = float(negotiation.target_value or 10000)
    ours = target * (rng.uniform(1.05, 1.2) if we_sell else rng.uniform(0.8, 0.95))
    theirs = target * (rng.uniform(0.7, 0.9) if we_sell else rng.uniform(1.1, 1.3))
    side = "us" if rng.random() < 0.6 else "them"
    span = max(0, (end - negotiation.started_on).days)
    days = sorted(rng.randint(0, span) for _ in range(n))
    volume = rng.choice((50, 100, 200, 500, 1000))
    term, pay = rng.choice((12, 24, 36)), rng.choice((30, 45, 60))
    out = []
    for i in range(n):
        if side == "us":
            price = ours
            ours = ours - (ours - theirs) * rng.uniform(0.25, 0.5)
        else:
            price = theirs
            theirs = theirs + (ours - theirs) * rng.uniform(0.25, 0.5)
        r = NegotiationRound(
            negotiation_id=negotiation.pk,
            number=i + 1,
            date=negotiation.started_on + timedelta(days=days[i]),
            offered_by=side,
            price=_money(price),
            volume=Decimal(volume if side == "us" else int(volume * rng.choice((0.8, 1, 1)))),
            term_months=term if side == "us" else rng.choice((term, 12)),
            payment_days=pay if side == "us" else rng.choice((pay, 30, 60)),
            service_level=rng.choice(SERVICE_LEVELS),
            concessions_ours=rng.choice(CONCESSIONS_US) if side == "us" and i else "",
            concessions_theirs=rng.choice(CONCESSIONS_THEM) if side == "them" and i else "",
        )
        gen.stamp(r, gen.days_ago((gen.today - r.date).days))
        out.append(r)
        side = "them" if side == "us" else "us"
    return out


def _status(rng) -> str:
    return rng.choices(["agreed", "broken_off", "abandoned", "open"], weights=[55, 15, 10, 20])[0]


def _create_negotiations(gen: Generator) -> None:
    rng = gen.rng("negotiations")
    today = gen.today
    plans: list[tuple[Negotiation, str, bool]] = []  # negotiation, status, we sell

    def start_day(max_days: int = 700) -> date:
        return today - timedelta(days=rng.randint(30, max_days))

    def add(neg: Negotiation, status: str, we_sell: bool) -> None:
        plans.append((neg, status, we_sell))

    # sales: on opportunities
    opportunities = list(
        Opportunity.objects.select_related("stage", "organization")
        .filter(organization__is_client=True)
        .order_by("id")
    )
    rng.shuffle(opportunities)
    for opp in opportunities[:SALES_NEGOTIATIONS]:
        kind = opp.stage.kind
        status = "agreed" if kind == "won" else "broken_off" if kind == "lost" else "open"
        started = min(opp.created_at.date(), today - timedelta(days=10))
        amount = float(opp.amount or 0) or rng.uniform(5000, 80000)
        neg = Negotiation(
            title=rng.choice(SALES_TITLES).format(org=opp.organization.name),
            counterparty_id=opp.organization_id,
            kind="sales",
            opportunity_id=opp.pk,
            started_on=started,
            goal="Preis halten, Laufzeit mindestens 24 Monate.",
            target_value=_money(amount),
            walk_away_value=_money(amount * rng.uniform(0.8, 0.9)),
            currency=opp.currency or "EUR",
            owner_id=opp.owner_id,
            team_id=opp.team_id,
        )
        add(neg, status, True)

    # purchase: with suppliers (and their purchase orders when there are any)
    buyer = gen.users.get(BUYER)
    manager = gen.users.get("manager@accord.example")
    team = gen.teams.get(PARTNERS)
    suppliers = list(
        Organization.objects.filter(is_supplier=True, is_archived=False).order_by("id")[:200]
    )
    rng.shuffle(suppliers)
    orders: dict[int, int] = {}
    try:
        po_model = apps.get_model("procurement", "PurchaseOrder")
        for supplier_id, po_id in po_model.objects.filter(
            supplier_id__in=[s.pk for s in suppliers]
        ).values_list("supplier_id", "id"):
            orders.setdefault(supplier_id, po_id)
    except LookupError:
        pass

    def staff():
        return buyer if buyer and rng.random() < 0.8 else manager

    for supplier in suppliers[:PURCHASE_NEGOTIATIONS]:
        amount = rng.uniform(8000, 250000)
        user = staff()
        neg = Negotiation(
            title=rng.choice(PURCHASE_TITLES).format(org=supplier.name),
            counterparty_id=supplier.pk,
            kind="purchase",
            purchase_order_id=orders.get(supplier.pk) if rng.random() < 0.6 else None,
            started_on=start_day(),
            goal="Preissteigerung begrenzen, Zahlungsziel 60 Tage.",
            target_value=_money(amount),
            walk_away_value=_money(amount * rng.uniform(1.08, 1.2)),
            owner_id=user.pk if user else None,
            team_id=team.pk if team else None,
        )
        add(neg, _status(rng), False)

    authorities = list(Organization.objects.filter(is_authority=True).order_by("id")[:20])
    rng.shuffle(authorities)
    for org in authorities[:AUTHORITY_NEGOTIATIONS]:
        amount = rng.uniform(2000, 30000)
        neg = Negotiation(
            title=rng.choice(AUTHORITY_TITLES).format(org=org.name),
            counterparty_id=org.pk,
            kind="authority",
            started_on=start_day(),
            goal="Genehmigung mit tragbaren Auflagen und Gebühren.",
            target_value=_money(amount),
            walk_away_value=_money(amount * 1.5),
            owner_id=manager.pk if manager else None,
            team_id=team.pk if team else None,
        )
        add(neg, rng.choice(["agreed", "agreed", "open"]), False)

    partners = list(Organization.objects.filter(is_partner=True).order_by("id")[:20])
    for org in partners[:PARTNER_NEGOTIATIONS]:
        amount = rng.uniform(10000, 60000)
        neg = Negotiation(
            title=rng.choice(PARTNER_TITLES).format(org=org.name),
            counterparty_id=org.pk,
            kind="partnership",
            started_on=start_day(),
            goal="Provision von mindestens 10 %.",
            target_value=_money(amount),
            walk_away_value=_money(amount * 0.8),
            owner_id=manager.pk if manager else None,
            team_id=team.pk if team else None,
        )
        add(neg, _status(rng), True)

    negotiations = []
    for neg, status, _sell in plans:
        neg.status = status
        if status != "open":
            neg.closed_on = min(today, neg.started_on + timedelta(days=rng.randint(14, 120)))
            neg.outcome_reason = rng.choice(OUTCOMES[status])
        gen.stamp(neg, gen.days_ago((today - neg.started_on).days), neg.owner_id)
        negotiations.append(neg)
    if not negotiations:
        return
    gen.bulk(Negotiation, negotiations)
    rounds: list[NegotiationRound] = []
    for neg, _status_value, we_sell in plans:
        end = neg.closed_on or today
        rounds += _rounds(
            gen,
            rng,
            neg,
            n=rng.randint(1, 6),
            end=end,
            we_sell=we_sell,
        )
    gen.bulk(NegotiationRound, rounds)


def _create_unit_requests(gen: Generator) -> None:
    rng = gen.rng("unit-requests")
    units = _units(gen)
    if len(units) < 2:
        return
    today = gen.today
    buyer = gen.users.get(BUYER)
    manager = gen.users.get("manager@accord.example")
    team = gen.teams.get(PARTNERS)
    people: dict[int, list[int]] = {}
    for org_id, person_id in Position.objects.filter(
        organization__in=units, end_date__isnull=True
    ).values_list("organization_id", "person_id"):
        people.setdefault(org_id, []).append(person_id)
    objs = []
    for _i in range(UNIT_REQUESTS):
        requester, server = rng.sample(units, 2)
        created = today - timedelta(days=rng.randint(1, 180))
        status = rng.choices(["open", "in_progress", "done", "declined"], weights=[30, 25, 35, 10])[
            0
        ]
        due = created + timedelta(days=rng.randint(7, 60)) if rng.random() < 0.85 else None
        user = buyer if buyer and rng.random() < 0.7 else manager
        r = UnitRequest(
            requester_id=requester.pk,
            server_id=server.pk,
            title=rng.choice(REQUEST_TITLES).format(q=(created.month - 1) // 3 + 1),
            description="Bitte bis zum Fälligkeitstermin erledigen; Rückfragen an die Anfragenden.",
            status=status,
            due_on=due,
            requested_by_id=rng.choice(people[requester.pk]) if people.get(requester.pk) else None,
            closed_on=(
                min(today, created + timedelta(days=rng.randint(1, 40)))
                if status in ("done", "declined")
                else None
            ),
            owner_id=user.pk if user else None,
            team_id=team.pk if team else None,
        )
        gen.stamp(r, gen.days_ago((today - created).days), r.owner_id)
        objs.append(r)
    gen.bulk(UnitRequest, objs)


def create_negotiations(gen: Generator) -> None:
    """The demo's negotiations and the requests between its internal units."""
    _create_negotiations(gen)
    _create_unit_requests(gen)
