"""Demo contracts and commitments: about 300 contracts with clients (we sell: maintenance, supply
of heat pumps and refrigeration plants, remote monitoring, frameworks) and with suppliers and
service providers (we buy: frameworks for screws, copper pipes, refrigerants, compressors; IT,
cleaning, fleet, software licences), NDAs with partners; realistic values, 12–36-month terms,
notice periods of 4 weeks to 6 months, some renewing automatically, some expiring within the next
weeks and months, some expired or terminated. Sell-side contracts of clients with a won
opportunity are linked to it; buy-side contracts to some of the supplier's purchase orders.

About 400 commitments: obligations under the contracts (ours for clients, theirs for suppliers:
response times, reports, deliveries, payments), most fulfilled in the past, a few missed or still
open past their due date (overdue); and standalone promises: to municipalities and authorities at
public meetings ("Bürgerversammlung 12.3.") and concessions made to clients and suppliers in
negotiations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from accord.contracts.models import Commitment, Contract
from accord.intelligence.engine.contract_dates import shift_months
from accord.pipeline.models import Opportunity
from accord.procurement.models import PurchaseOrder

from .db import insert_rows

if TYPE_CHECKING:
    from .generator import Generator

CONTRACTS = 300
STANDALONE = 90

SELL_TEMPLATES = [
    # (type, title, value range in EUR, weight)
    ("maintenance", "Wartungsvertrag Kälteanlage {short}", (4_000, 60_000), 5),
    ("maintenance", "Wartungsvertrag Kältetechnik {city}", (3_000, 45_000), 3),
    ("service", "Servicevertrag 24/7-Bereitschaft {short}", (12_000, 90_000), 2),
    ("service", "Fernwartungsvertrag {short}", (2_500, 24_000), 2),
    ("supply", "Liefervertrag Wärmepumpen {year}", (40_000, 480_000), 2),
    ("supply", "Liefervertrag CO₂-Kälteanlage {short}", (80_000, 650_000), 1),
    ("framework", "Rahmenvertrag Service und Ersatzteile {year}", (60_000, 900_000), 2),
    ("licence", "Lizenzvertrag Anlagenmonitoring {short}", (3_000, 30_000), 1),
]
BUY_TEMPLATES = [
    ("framework", "Rahmenvertrag Schrauben {year}", (20_000, 120_000), 2),
    ("framework", "Rahmenvertrag Kupferrohre {year}", (60_000, 400_000), 2),
    ("supply", "Liefervertrag Kältemittel {year}", (30_000, 260_000), 2),
    ("supply", "Liefervertrag Verdichter {year}", (90_000, 900_000), 2),
    ("supply", "Liefervertrag Elektronikbauteile {year}", (25_000, 180_000), 1),
    ("service", "Dienstleistungsvertrag Gebäudereinigung", (18_000, 70_000), 1),
    ("service", "IT-Servicevertrag Rechenzentrum", (40_000, 220_000), 1),
    ("service", "Entsorgungsvertrag Altkältemittel", (6_000, 40_000), 1),
    ("maintenance", "Wartungsvertrag Fuhrpark", (15_000, 80_000), 1),
    ("maintenance", "Wartungsvertrag Druckluftanlage", (4_000, 25_000), 1),
    ("licence", "Softwarelizenz ERP {year}", (20_000, 150_000), 1),
    ("licence", "Lizenzvertrag CAD-Software", (8_000, 60_000), 1),
]
CODENAMES = [
    "Orion",
    "Atlas",
    "Nordlicht",
    "Phoenix",
    "Kepler",
    "Merkur",
    "Polaris",
    "Vega",
    "Lyra",
    "Andromeda",
    "Borealis",
    "Cassini",
]

OURS_UNDER_CONTRACT = [
    ("service_level", "Reaktionszeit 4 Stunden bei Störungen einhalten"),
    ("deliverable", "Jährliche Wartung durchführen"),
    ("report", "Prüfbericht Dichtheitskontrolle (F-Gase) übermitteln"),
    ("report", "Quartalsbericht Anlagenverfügbarkeit"),
    ("deliverable", "Ersatzteilpaket vor Ort bereitstellen"),
    ("deliverable", "Inbetriebnahme und Einweisung"),
    ("service_level", "Verfügbarkeit der Fernüberwachung 99,5 %"),
]
THEIRS_UNDER_CONTRACT = [
    ("deliverable", "Lieferung innerhalb von 10 Werktagen"),
    ("report", "Quartalsbericht Liefertreue"),
    ("service_level", "Reaktionszeit Hotline 2 Stunden"),
    ("report", "Zertifikate und Sicherheitsdatenblätter aktualisieren"),
    ("deliverable", "Konsignationslager auffüllen"),
    ("payment", "Bonuszahlung für Jahresumsatz"),
]
PAYMENT_OURS = ("payment", "Abschlagszahlung leisten")
PAYMENT_THEIRS = ("payment", "Zahlung der Jahrespauschale")
AUTHORITY_PROMISES = [
    ("deliverable", "Lärmschutzwand am Werksgelände errichten"),
    ("report", "Verkehrskonzept für Lieferverkehr vorlegen"),
    ("deliverable", "Blühstreifen entlang der Werksgrenze anlegen"),
    ("other", "Fünf Ausbildungsplätze zusätzlich schaffen"),
    ("report", "Schallgutachten für Rückkühler veröffentlichen"),
    ("deliverable", "Abwärme an das Nahwärmenetz abgeben"),
    ("other", "Nachtanlieferung nur bis 22 Uhr"),
    ("report", "Jährlichen Umweltbericht vorstellen"),
]
AUTHORITY_SOURCES = [
    "Bürgerversammlung",
    "Gemeinderatssitzung",
    "Ortstermin mit dem Bauamt",
    "Informationsabend im Rathaus",
    "Anhörung Planfeststellung",
]
CONCESSIONS_OURS = [
    ("payment", "Zahlungsziel 60 Tage gewährt"),
    ("other", "Preisbindung bis Jahresende zugesagt"),
    ("deliverable", "Kostenlose Schulung für zwei Mitarbeitende"),
    ("service_level", "Verlängerte Gewährleistung auf 36 Monate"),
]
CONCESSIONS_THEIRS = [
    ("payment", "Skonto 3 % bei Zahlung in 10 Tagen"),
    ("deliverable", "Sicherheitsbestand für uns vorhalten"),
    ("other", "Preiserhöhung erst ab dem nächsten Quartal"),
]
NOTICE_CHOICES = [
    ((3, "months"), 6),
    ((1, "months"), 2),
    ((6, "months"), 2),
    ((4, "weeks"), 1),
    ((30, "days"), 1),
    ((2, "months"), 1),
]


def _money(rng, low: int, high: int) -> Decimal:
    value = rng.uniform(low, high)
    step = 500 if value > 20_000 else 50
    return Decimal(int(value / step) * step)


def _short(name: str) -> str:
    for suffix in (" GmbH & Co. KG", " GmbH", " AG", " KG", " SE", " mbH", " e. K.", " e. V."):
        name = name.removesuffix(suffix)
    return name[:60]


def create_contracts(gen: Generator, contracts: int | None = None) -> None:
    contracts = gen.scaled(CONTRACTS) if contracts is None else contracts
    rng = gen.rng("contracts")
    today = gen.today
    tz = timezone.get_current_timezone()
    clients = [p for p in gen.orgs if p.obj.is_client and not p.obj.is_internal]
    suppliers = [
        p
        for p in gen.orgs
        if (p.obj.is_supplier or p.obj.is_service_provider) and not p.obj.is_internal
    ]
    partners = [p for p in gen.orgs if p.obj.is_partner and not p.obj.is_internal]
    authorities = [p for p in gen.orgs if p.obj.is_authority]
    units = [p.obj for p in gen.orgs if p.obj.is_internal]
    if not (clients or suppliers) or contracts <= 0:
        return
    staff = [u for u in gen.users.values() if u.role in ("member", "manager")]
    fallback_owner = staff[0] if staff else next(iter(gen.users.values()))
    fallback_team = next(iter(fallback_owner.teams.values_list("pk", flat=True)), None)

    won: dict[int, list[tuple[int, Decimal, date | None]]] = defaultdict(list)
    for opp_id, org_id, amount, closed in Opportunity.objects.filter(
        stage__kind="won", organization__in=[p.obj.pk for p in clients]
    ).values_list("id", "organization_id", "amount", "expected_close_date"):
        won[org_id].append((opp_id, amount, closed))
    orders: dict[int, list[int]] = defaultdict(list)
    for po_id, supplier_id in PurchaseOrder.objects.values_list("id", "supplier_id"):
        orders[supplier_id].append(po_id)

    n_sell = round(contracts * 0.52) if clients else 0
    n_nda = round(contracts * 0.06) if partners or clients else 0
    n_buy = contracts - n_sell - n_nda if suppliers else 0
    plans: list[tuple[str, object]] = (
        [("sell", p) for p in rng.choices(clients, k=n_sell)] if clients else []
    )
    plans += [("buy", p) for p in rng.choices(suppliers, k=n_buy)] if suppliers else []
    plans += [("other", p) for p in rng.choices(partners or clients, k=n_nda)]
    # about one in twelve contracts ends within the next six months (the "expiring" views)
    soon = set(rng.sample(range(len(plans)), k=max(1, len(plans) // 12)))

    objs: list[Contract] = []
    further: list[tuple[Contract, int]] = []
    po_links: list[tuple[Contract, int]] = []
    used_opps: set[int] = set()
    seq: dict[str, int] = defaultdict(int)
    for i, (side, plan) in enumerate(plans):
        org = plan.obj  # type: ignore[attr-defined]
        if side == "sell":
            ctype, template, (low, high), _w = rng.choices(
                SELL_TEMPLATES, [t[3] for t in SELL_TEMPLATES]
            )[0]
        elif side == "buy":
            ctype, template, (low, high), _w = rng.choices(
                BUY_TEMPLATES, [t[3] for t in BUY_TEMPLATES]
            )[0]
        else:
            ctype, template, (low, high) = "nda", "NDA Projekt {code}", (0, 0)
        term = rng.choice([12, 12, 12, 24, 24, 36]) if ctype != "nda" else rng.choice([24, 36])
        if i in soon:
            end = today + timedelta(days=rng.randint(5, 175))
            start = shift_months(end + timedelta(days=1), -term)
        else:
            start = today - timedelta(days=rng.randint(-30, 4 * 365))
            start = start.replace(day=1)
            end = shift_months(start, term) - timedelta(days=1)
        open_ended = ctype in ("maintenance", "service") and rng.random() < 0.08 and i not in soon
        auto = (
            ctype in ("maintenance", "service", "licence")
            and i not in soon
            and not open_ended
            and rng.random() < 0.55
        )
        (notice, unit) = rng.choices(
            [c[0] for c in NOTICE_CHOICES], [c[1] for c in NOTICE_CHOICES]
        )[0]
        if term <= 12 and unit == "months" and notice > 3:
            notice = 3
        renewal = 12 if auto else None
        if start > today:
            status = "draft" if rng.random() < 0.5 else "active"
        elif not auto and not open_ended and end < today:
            status = "terminated" if rng.random() < 0.2 else "expired"
        else:
            status = "active"
        terminated_on = None
        if status == "terminated":
            terminated_on = end - timedelta(days=rng.randint(20, 120))
        year = start.year if start.month < 10 else start.year + 1
        title = template.format(
            short=_short(org.name),
            city=plan.city.name if hasattr(plan, "city") else "",  # type: ignore[attr-defined]
            year=year,
            code=rng.choice(CODENAMES),
        ).strip()
        value = _money(rng, low, high) if high else Decimal("0")
        currency = "EUR"
        if side == "buy" and rng.random() < 0.06:
            currency = rng.choice(["USD", "CHF"])
        prefix = {"sell": "V", "buy": "E", "other": "N"}[side]
        seq[f"{prefix}{start.year}"] += 1
        owner_id = org.owner_id or fallback_owner.pk
        team_id = org.team_id or fallback_team
        contract = Contract(
            title=title,
            number=f"{prefix}-{start.year}-{seq[f'{prefix}{start.year}']:04d}",
            side=side,
            counterparty_id=org.pk,
            counterparty_name=org.name,
            business_unit_id=rng.choice(units).pk if units and rng.random() < 0.7 else None,
            contract_type=ctype,
            value=value,
            currency=currency,
            start_date=start,
            end_date=None if open_ended else end,
            auto_renewal=auto,
            renewal_term_months=renewal,
            notice_period=notice,
            notice_unit=unit,
            status=status,
            terminated_on=terminated_on,
            notes="",
            owner_id=owner_id,
            team_id=team_id,
        )
        if side == "sell" and won.get(org.pk) and rng.random() < 0.8:
            free = [w for w in won[org.pk] if w[0] not in used_opps]
            if free:
                opp_id, amount, _closed = free[0]
                used_opps.add(opp_id)
                contract.opportunity_id = opp_id
                if amount:
                    contract.value = Decimal(amount)
        created = datetime.combine(
            min(start, today) - timedelta(days=rng.randint(3, 40)), dt_time(10), tzinfo=tz
        )
        gen.stamp(contract, created, owner_id)
        objs.append(contract)
        if side == "other" and partners and clients and rng.random() < 0.3:
            further.append((contract, rng.choice(clients).obj.pk))
        if side == "buy" and orders.get(org.pk):
            for po_id in rng.sample(orders[org.pk], k=min(len(orders[org.pk]), rng.randint(1, 3))):
                po_links.append((contract, po_id))
    gen.bulk(Contract, objs)
    insert_rows(
        Contract.further_parties.through,
        ["contract", "organization"],
        [(c.pk, org_id) for c, org_id in further if org_id != c.counterparty_id],
    )
    if po_links:
        insert_rows(
            Contract.purchase_orders.through,  # type: ignore[attr-defined]
            ["contract", "purchaseorder"],
            list(dict.fromkeys((c.pk, po) for c, po in po_links)),
        )
        gen.count("contract purchase order links", len(po_links))

    _create_commitments(gen, rng, objs, authorities, clients, suppliers)


def _status_for(rng, due: date, today: date) -> tuple[str, date | None]:
    if due < today:
        roll = rng.random()
        if roll < 0.78:
            return "fulfilled", due - timedelta(days=rng.randint(0, 10))
        if roll < 0.86:
            return "missed", None
        if roll < 0.90:
            return "waived", None
        return rng.choice(["open", "in_progress"]), None  # overdue
    return ("in_progress" if rng.random() < 0.3 else "open"), None


def _create_commitments(gen, rng, contracts, authorities, clients, suppliers) -> None:
    today = gen.today
    tz = timezone.get_current_timezone()
    objs: list[Commitment] = []
    staff = [u for u in gen.users.values() if u.role in ("member", "manager")]
    fallback = staff[0].pk if staff else None

    def add(commitment: Commitment, made: date) -> None:
        created = datetime.combine(min(made, today), dt_time(11), tzinfo=tz)
        gen.stamp(commitment, created, commitment.owner_id)
        objs.append(commitment)

    # obligations under contracts: one or two for most running and past contracts
    for contract in contracts:
        if contract.contract_type == "nda" or contract.status == "draft" or rng.random() < 0.35:
            continue
        ours = contract.side == "sell"
        pool = OURS_UNDER_CONTRACT if ours else THEIRS_UNDER_CONTRACT
        picks = rng.sample(pool, k=rng.choice([1, 1, 2]))
        if rng.random() < 0.25:
            picks.append(PAYMENT_THEIRS if ours else PAYMENT_OURS)
        last = contract.end_date or today + timedelta(days=365)
        for kind, title in picks:
            span = max(1, (min(last, today + timedelta(days=240)) - contract.start_date).days)
            due = contract.start_date + timedelta(days=rng.randint(14, max(15, span)))
            status, fulfilled = _status_for(rng, due, today)
            side = "ours" if ours else "theirs"
            if kind == "payment":
                side = "theirs" if ours else "ours"
            add(
                Commitment(
                    side=side,
                    kind=kind,
                    title=title,
                    description="",
                    due_date=due,
                    status=status,
                    fulfilled_on=fulfilled,
                    contract_id=contract.pk,
                    organization_id=contract.counterparty_id,
                    source=f"Vertrag {contract.number}",
                    owner_id=contract.owner_id,
                    team_id=contract.team_id,
                ),
                contract.start_date,
            )

    # standalone promises to authorities (public meetings) and concessions in negotiations
    for n in range(STANDALONE):
        if authorities and n % 3 != 2:
            plan = rng.choice(authorities)
            kind, title = rng.choice(AUTHORITY_PROMISES)
            side = "ours"
            made = today - timedelta(days=rng.randint(10, 500))
            source = f"{rng.choice(AUTHORITY_SOURCES)} {made.day}.{made.month}.{made.year}"
        else:
            ours = rng.random() < 0.6
            plan = rng.choice(clients if ours and clients else suppliers or clients)
            kind, title = rng.choice(CONCESSIONS_OURS if ours else CONCESSIONS_THEIRS)
            side = "ours" if ours else "theirs"
            made = today - timedelta(days=rng.randint(5, 400))
            source = f"Verhandlung {made.day}.{made.month}.{made.year}"
        org = plan.obj
        due = made + timedelta(days=rng.randint(30, 270))
        status, fulfilled = _status_for(rng, due, today)
        person_id = None
        if plan.contacts and rng.random() < 0.6:
            person_id = gen.people[rng.choice(plan.contacts)[0]].id
        add(
            Commitment(
                side=side,
                kind=kind,
                title=title,
                description="",
                due_date=due,
                status=status,
                fulfilled_on=fulfilled,
                organization_id=org.pk,
                person_id=person_id,
                source=source,
                owner_id=org.owner_id or fallback,
                team_id=org.team_id,
            ),
            made,
        )
    gen.bulk(Commitment, objs)
