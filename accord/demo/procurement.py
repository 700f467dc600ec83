"""Demo procurement: supply categories, the qualification questionnaire, about 80 supplier
profiles (Kraljic classes, supply risk, qualification states, answers, certificates — some
expiring soon or expired) and two years of purchase orders from five internal business units
with their deliveries: most suppliers deliver mostly on time, some are chronically late; rejects
of 0–8 %, a few over-deliveries, prices charged sometimes above the agreed ones."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from accord.parties.models import Organization
from accord.procurement.models import (
    Delivery,
    DeliveryLine,
    PurchaseOrder,
    PurchaseOrderLine,
    QualificationAnswer,
    QualificationQuestion,
    SupplierDocument,
    SupplierProfile,
    SupplyCategory,
)

from .accounts import PARTNERS

if TYPE_CHECKING:
    from .generator import Generator

SUPPLIERS = 80
ORDERS = 2600
DAYS = 730
BUYER = "sabine.krueger@accord.example"
UNITS = ("Einkauf Zentral", "Werk Nord", "Werk Süd", "Vertrieb", "IT")

# category, unit, price range, typical quantity range, items
CATEGORIES: list[tuple[str, str, tuple[float, float], tuple[int, int], tuple[str, ...]]] = [
    (
        "Rohstoffe",
        "kg",
        (1.2, 9.5),
        (200, 5000),
        ("Stahlblech 2 mm", "Kupferrohr 15 mm", "Aluminiumprofil", "Edelstahl V2A"),
    ),
    (
        "Elektronik",
        "Stk",
        (2.0, 180.0),
        (20, 800),
        ("Steuerplatine", "Relais 24 V", "Temperaturfühler", "Frequenzumrichter"),
    ),
    (
        "Verpackung",
        "Stk",
        (0.15, 3.5),
        (500, 10000),
        ("Kartonage 60×40", "Palettenfolie", "Luftpolsterfolie", "Einwegpalette"),
    ),
    (
        "Logistik",
        "Fahrt",
        (180.0, 1400.0),
        (1, 20),
        ("Stückgutversand", "Komplettladung", "Expresszustellung"),
    ),
    (
        "IT-Dienstleistungen",
        "h",
        (85.0, 160.0),
        (8, 120),
        ("Support-Stunden", "Entwicklung Schnittstelle", "Netzwerkwartung"),
    ),
    (
        "Wartung",
        "Einsatz",
        (250.0, 2400.0),
        (1, 12),
        ("Wartung Kompressor", "Prüfung Druckbehälter", "Instandhaltung Förderband"),
    ),
    ("Büromaterial", "Pck", (2.0, 45.0), (5, 200), ("Kopierpapier A4", "Toner", "Ordner")),
    (
        "Kältetechnik-Komponenten",
        "Stk",
        (40.0, 950.0),
        (5, 120),
        ("Verdampfer", "Expansionsventil", "Verflüssiger"),
    ),
    (
        "Chemikalien",
        "l",
        (3.0, 28.0),
        (50, 1500),
        ("Kältemittel R290", "Reinigungsmittel", "Kühlerschutz"),
    ),
    ("Werkzeuge", "Stk", (8.0, 420.0), (2, 60), ("Drehmomentschlüssel", "Lötset", "Vakuumpumpe")),
]
QUESTIONS = [
    ("Ist das Unternehmen nach ISO 9001 zertifiziert?", True),
    ("Wurde unser Lieferantenverhaltenskodex unterzeichnet?", True),
    ("Gibt es einen Notfallplan (Business Continuity) für Lieferausfälle?", True),
    ("Ist eine Vereinbarung zur Auftragsverarbeitung (AVV) nötig und abgeschlossen?", False),
    ("Liegt ein Nachhaltigkeitsbericht vor?", False),
]
KRALJIC = ["strategic", "leverage", "bottleneck", "non_critical", ""]
QUALIFICATION = [("approved", 70), ("conditional", 14), ("candidate", 11), ("blocked", 5)]


def _money(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


def _units(gen: Generator, rng) -> list[Organization]:
    owner = gen.users.get(BUYER)
    team = gen.teams.get(PARTNERS)
    existing = {o.name: o for o in Organization.objects.filter(is_internal=True)}
    wanted = [f"{name}" for name in UNITS]
    new = []
    for name in wanted:
        if not any(n.endswith(name) or n == name for n in existing):
            org = Organization(
                name=name,
                legal_name="",
                is_internal=True,
                owner_id=owner.pk if owner else None,
                team_id=team.pk if team else None,
                country="DE",
            )
            gen.stamp(org, gen.days_ago(rng.uniform(800, 900)), org.owner_id)
            new.append(org)
    if new:
        gen.bulk(Organization, new)
    units = [o for n, o in existing.items() if any(n.endswith(u) for u in UNITS)] + new
    return units[:5] if len(units) >= 5 else units + list(existing.values())[: 5 - len(units)]


def _suppliers(gen: Generator, rng) -> list[Organization]:
    suppliers = list(
        Organization.objects.filter(is_archived=False).filter(is_supplier=True).order_by("id")
    ) + list(
        Organization.objects.filter(
            is_archived=False, is_supplier=False, is_service_provider=True
        ).order_by("id")
    )
    if len(suppliers) < SUPPLIERS:
        extra = list(
            Organization.objects.filter(
                is_archived=False,
                is_supplier=False,
                is_service_provider=False,
                is_client=False,
                is_competitor=False,
                is_authority=False,
                is_internal=False,
            ).order_by("id")[: SUPPLIERS - len(suppliers)]
        )
        if len(suppliers) + len(extra) < SUPPLIERS:
            extra += list(
                Organization.objects.filter(
                    is_archived=False,
                    is_supplier=False,
                    is_service_provider=False,
                    is_competitor=False,
                    is_authority=False,
                    is_internal=False,
                )
                .exclude(pk__in=[o.pk for o in extra])
                .order_by("-id")[: SUPPLIERS - len(suppliers) - len(extra)]
            )
        Organization.objects.filter(pk__in=[o.pk for o in extra]).update(is_supplier=True)
        for o in extra:
            o.is_supplier = True
        suppliers += extra
    return suppliers[:SUPPLIERS]


def create_procurement(gen: Generator) -> None:
    rng = gen.rng("procurement")
    today = gen.today
    buyer = gen.users.get(BUYER)
    team = gen.teams.get(PARTNERS)
    buyer_id = buyer.pk if buyer else None
    team_id = team.pk if team else None

    # --- configuration ----------------------------------------------------------------------
    cats = []
    for name, *_rest in CATEGORIES:
        cat = SupplyCategory(name=name, active=True, description="")
        gen.stamp(cat, gen.days_ago(900))
        cats.append(cat)
    gen.bulk(SupplyCategory, cats)
    questions = []
    for i, (text, required) in enumerate(QUESTIONS, start=1):
        q = QualificationQuestion(text=text, help="", required=required, order=i * 10, active=True)
        gen.stamp(q, gen.days_ago(900))
        questions.append(q)
    gen.bulk(QualificationQuestion, questions)

    units = _units(gen, rng)
    suppliers = _suppliers(gen, rng)
    if not suppliers:
        return

    # --- profiles, answers, documents -------------------------------------------------------
    profiles, answers, documents, links = [], [], [], []
    reliability: dict[int, tuple[float, int, float]] = {}  # org → late share, max days, reject
    supplier_cats: dict[int, list[int]] = {}
    statuses = [s for s, _w in QUALIFICATION]
    weights = [w for _s, w in QUALIFICATION]
    for org in suppliers:
        created = gen.days_ago(rng.uniform(760, 850))
        status = rng.choices(statuses, weights=weights)[0]
        profile = SupplierProfile(
            organization_id=org.pk,
            name=org.name,
            kraljic_class=rng.choices(KRALJIC, weights=[12, 22, 14, 32, 20])[0],
            supply_risk=rng.choices([1, 2, 3, 4, 5], weights=[20, 35, 25, 14, 6])[0],
            qualification_status=status,
            qualification_note=(
                "Lieferstopp nach wiederholten Qualitätsmängeln."
                if status == "blocked"
                else "Freigabe unter Auflage: Audit im nächsten Quartal."
                if status == "conditional"
                else ""
            ),
            qualified_on=(today - timedelta(days=rng.randint(30, 700)))
            if status != "candidate"
            else None,
            notes="",
            owner_id=org.owner_id or buyer_id,
            team_id=team_id,
        )
        gen.stamp(profile, created, profile.owner_id)
        profiles.append(profile)
        kind = rng.random()
        reliability[org.pk] = (
            (0.45, 21, 0.06)
            if kind < 0.06
            else (0.18, 9, 0.04)
            if kind < 0.25
            else (0.05, 4, 0.015)
        )
        supplier_cats[org.pk] = rng.sample(range(len(cats)), rng.choice([1, 1, 2]))
    gen.bulk(SupplierProfile, profiles)
    through = SupplierProfile.categories.through
    for profile in profiles:
        for index in supplier_cats[profile.organization_id]:
            links.append(through(supplierprofile_id=profile.pk, supplycategory_id=cats[index].pk))
    through.objects.bulk_create(links)
    for profile in profiles:
        if profile.qualification_status in ("approved", "conditional", "blocked"):
            for q in questions:
                if not q.required and rng.random() < 0.5:
                    continue
                a = QualificationAnswer(
                    profile_id=profile.pk,
                    question_id=q.pk,
                    answer="",
                    yes_no=rng.random() < 0.92,
                    answered_by_id=buyer_id,
                    answered_at=profile.created_at,
                )
                gen.stamp(a, profile.created_at, buyer_id)
                answers.append(a)
        for title, kind, share in (
            ("ISO 9001:2015", "certificate", 0.65),
            ("ISO 14001:2015", "certificate", 0.3),
            ("Betriebshaftpflichtversicherung", "insurance", 0.5),
        ):
            if rng.random() > share:
                continue
            r = rng.random()
            if r < 0.06:
                until = today - timedelta(days=rng.randint(1, 60))
            elif r < 0.18:
                until = today + timedelta(days=rng.randint(3, 60))
            else:
                until = today + timedelta(days=rng.randint(61, 1000))
            doc = SupplierDocument(
                profile_id=profile.pk,
                kind=kind,
                title=title,
                file="",
                issued_on=until - timedelta(days=3 * 365 if kind == "certificate" else 365),
                valid_until=until,
                note="",
            )
            gen.stamp(doc, profile.created_at, buyer_id)
            documents.append(doc)
    gen.bulk(QualificationAnswer, answers)
    gen.bulk(SupplierDocument, documents)

    # --- purchase orders and deliveries -----------------------------------------------------
    weights_by_supplier = [rng.paretovariate(1.2) for _ in suppliers]
    blocked = {p.organization_id for p in profiles if p.qualification_status == "blocked"}
    orders, lines, deliveries, dlines = [], [], [], []
    plans = []
    for n in range(gen.scaled(ORDERS)):
        supplier = rng.choices(suppliers, weights=weights_by_supplier)[0]
        ordered_on = today - timedelta(days=rng.randint(0, DAYS))
        if supplier.pk in blocked and ordered_on > today - timedelta(days=120):
            ordered_on -= timedelta(days=150)  # blocked: no new orders lately
        roll = rng.random()
        status = (
            "draft"
            if roll < 0.01 and ordered_on > today - timedelta(days=30)
            else ("cancelled" if roll < 0.03 else "ordered")
        )
        order = PurchaseOrder(
            number=f"PO-{n + 1:06d}",
            supplier_id=supplier.pk,
            business_unit_id=rng.choice(units).pk if units else None,
            ordered_on=ordered_on,
            currency="EUR",
            status=status,
            note="",
            external_id=f"45{n + 100001:08d}",
            owner_id=buyer_id,
            team_id=team_id,
        )
        gen.stamp(order, gen.days_ago((today - ordered_on).days), buyer_id)
        orders.append(order)
        plans.append(supplier.pk)
    gen.bulk(PurchaseOrder, orders)
    order_lines: dict[int, list[PurchaseOrderLine]] = {}
    for order, supplier_id in zip(orders, plans, strict=True):
        cat_indexes = supplier_cats.get(supplier_id) or [0]
        for no in range(1, rng.choice([1, 1, 2, 2, 3, 4]) + 1):
            ci = rng.choice(cat_indexes)
            name, unit, (low, high), (qlow, qhigh), items = CATEGORIES[ci]
            line = PurchaseOrderLine(
                order_id=order.pk,
                line_no=no,
                description=rng.choice(items),
                category_id=cats[ci].pk,
                quantity=Decimal(rng.randint(qlow, qhigh)),
                unit=unit,
                unit_price=_money(rng.uniform(low, high)),
                delivery_date=order.ordered_on + timedelta(days=rng.randint(7, 42)),
            )
            gen.stamp(line, order.created_at, buyer_id)
            lines.append(line)
            order_lines.setdefault(order.pk, []).append(line)
    gen.bulk(PurchaseOrderLine, lines)

    status_updates: list[PurchaseOrder] = []
    for order in orders:
        if order.status != "ordered":
            continue
        late_share, max_late, reject = reliability[order.supplier_id]
        mine = order_lines[order.pk]
        due = min(li.delivery_date for li in mine)
        late = rng.random() < late_share
        delivered_on = due + timedelta(
            days=rng.randint(1, max_late) if late else -rng.randint(0, 3)
        )
        if delivered_on > today:
            continue  # not delivered yet
        split = len(mine) > 1 and rng.random() < 0.15
        parts = (
            [
                (delivered_on, mine[: len(mine) // 2]),
                (delivered_on + timedelta(days=rng.randint(3, 12)), mine[len(mine) // 2 :]),
            ]
            if split
            else [(delivered_on, mine)]
        )
        complete = True
        for when, part in parts:
            if when > today:
                complete = False
                continue
            delivery = Delivery(
                order_id=order.pk,
                delivered_on=when,
                delivery_note_number=f"LS-{rng.randint(100000, 999999)}",
                note="",
            )
            gen.stamp(delivery, gen.days_ago(max((today - when).days, 0)), buyer_id)
            deliveries.append((delivery, part))
        order.status = "delivered" if complete else "partly_delivered"
        status_updates.append(order)
    gen.bulk(Delivery, [d for d, _p in deliveries])
    for delivery, part in deliveries:
        for line in part:
            received = line.quantity
            over = rng.random() < 0.012
            if over:
                received = (line.quantity * Decimal(str(rng.uniform(1.05, 1.12)))).quantize(
                    Decimal("1")
                )
            rejected = Decimal("0")
            if rng.random() < reject * 5:
                rejected = (
                    received * Decimal(str(rng.uniform(0.01, min(0.08, reject * 4))))
                ).quantize(Decimal("1"))
            price = None
            if rng.random() < 0.08:
                price = _money(float(line.unit_price) * rng.uniform(1.01, 1.06))
            accepted = received - rejected
            dl = DeliveryLine(
                delivery_id=delivery.pk,
                order_line_id=line.pk,
                quantity_received=received,
                quantity_rejected=rejected,
                unit_price_charged=price,
                is_over_delivery=accepted > line.quantity,
                over_delivery_note=(
                    f"Over-delivery: {accepted} {line.unit} accepted in all, {line.quantity} ordered."
                    if accepted > line.quantity
                    else ""
                ),
            )
            gen.stamp(dl, delivery.created_at, buyer_id)
            dlines.append(dl)
    gen.bulk(DeliveryLine, dlines)
    for status in ("delivered", "partly_delivered"):
        PurchaseOrder.objects.filter(
            pk__in=[o.pk for o in status_updates if o.status == status]
        ).update(status=status)
