"""Demo quotes, orders, invoices and payments: about 3,000 orders over the last two years for
client organizations — one per won opportunity (with its accepted quote), the rest reorders of
spare parts, consumables and service — plus open, declined and expired quotes, invoices that
were mostly paid on time, some late, about 5 % overdue now, a few overpayments kept as credit,
and recurring orders for consumables (their past orders carry the period).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from accord.commerce.choices import (
    InvoiceStatus,
    OrderStatus,
    PaymentMethod,
    QuoteStatus,
)
from accord.commerce.models import (
    CustomerCredit,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Quote,
    QuoteLine,
    RecurringOrder,
    RecurringOrderLine,
)
from accord.commerce.pricing import document_totals
from accord.commerce.services.recurring import add_interval
from accord.pipeline.choices import StageKind
from accord.pipeline.models import Opportunity, OpportunityLine

if TYPE_CHECKING:
    from .generator import Generator

ORDERS = 3000
DAYS = 730
CONSUMABLES = [
    ("FIL-P", "Filterpatrone F7 (10 Stück)", "89.00"),
    ("OEL-K", "Kältemaschinenöl POE 5 l", "145.00"),
    ("SEN-T", "Temperatursensor PT1000", "38.50"),
    ("KM-R", "Kältemittel R290 (Flasche)", "210.00"),
]
REORDER_SKUS = ("ERS-K", "SCH-T", "WV-S", "WV-P", "MON-Y", "INB-P")


class _Numbers:
    def __init__(self) -> None:
        self.seq: dict[tuple[str, int], int] = defaultdict(int)

    def next(self, prefix: str, day: date, width: int) -> str:
        self.seq[(prefix, day.year)] += 1
        return f"{prefix}-{day.year}-{self.seq[(prefix, day.year)]:0{width}d}"


def _at(day: date) -> datetime:
    return datetime.combine(day, dt_time(9, 0), tzinfo=timezone.get_current_timezone())


def create_commerce(gen: Generator) -> None:
    rng = gen.rng("commerce")
    today = gen.today
    clients = [p.obj for p in gen.orgs if p.obj.is_client]
    if not clients:
        return
    consumables = [
        Product(sku=sku, name=name, list_price=Decimal(price), currency="EUR", active=True)
        for sku, name, price in CONSUMABLES
    ]
    for product in consumables:
        gen.stamp(product, gen.days_ago(DAYS + 30))
    gen.bulk(Product, consumables)
    by_sku = {p.sku: p for p in Product.objects.all()}
    reorder_products = [by_sku[s] for s in REORDER_SKUS if s in by_sku] + consumables
    numbers = _Numbers()

    quotes: list[Quote] = []
    quote_lines: list[QuoteLine] = []
    orders: list[Order] = []
    order_lines: dict[int, list[OrderLine]] = {}
    pending_lines: list[tuple[Order, list[dict]]] = []

    def add_quote(
        org, owner_id, team_id, issued: date, status: str, lines: list[dict], opp_id=None
    ):
        quote = Quote(
            number=numbers.next("A", issued, 4),
            organization_id=org.pk if hasattr(org, "pk") else org,
            opportunity_id=opp_id,
            currency="EUR",
            issued_on=issued,
            valid_until=issued + timedelta(days=30),
            status=status,
            language="de" if rng.random() < 0.85 else "en",
            owner_id=owner_id,
            team_id=team_id,
        )
        gen.stamp(quote, _at(issued), owner_id)
        quotes.append(quote)
        return quote, lines

    def add_order(org_id, owner_id, team_id, day: date, lines: list[dict], **extra) -> Order:
        order = Order(
            number=numbers.next("AU", day, 5),
            organization_id=org_id,
            ordered_on=day,
            currency="EUR",
            language="de",
            owner_id=owner_id,
            team_id=team_id,
            status=OrderStatus.CONFIRMED,
            **extra,
        )
        gen.stamp(order, _at(day), owner_id)
        orders.append(order)
        pending_lines.append((order, lines))
        return order

    # 1. won opportunities → accepted quote → order
    won = list(
        Opportunity.objects.filter(stage__kind=StageKind.WON, closed_at__isnull=False)
        .values("id", "organization_id", "owner_id", "team_id", "amount", "closed_at")
        .order_by("id")
    )
    opp_lines: dict[int, list[dict]] = defaultdict(list)
    for row in OpportunityLine.objects.filter(opportunity_id__in=[w["id"] for w in won]).values(
        "opportunity_id", "product_id", "quantity", "unit_price", "discount"
    ):
        opp_lines[row["opportunity_id"]].append(row)
    quote_pending: list[tuple[Quote, list[dict]]] = []
    start = today - timedelta(days=DAYS)
    for w in won:
        day = timezone.localdate(w["closed_at"])
        if day < start:
            continue
        lines = [
            {
                "product_id": ln["product_id"],
                "description": "",
                "quantity": ln["quantity"],
                "unit_price": ln["unit_price"],
                "discount": ln["discount"],
                "vat_rate": "19",
            }
            for ln in opp_lines.get(w["id"], [])
        ] or [
            {
                "product_id": None,
                "description": "Lieferung und Leistung laut Angebot",
                "quantity": Decimal("1"),
                "unit_price": w["amount"] or Decimal("1000"),
                "discount": Decimal("0"),
                "vat_rate": "19",
            }
        ]
        quote, qlines = add_quote(
            w["organization_id"],
            w["owner_id"],
            w["team_id"],
            day - timedelta(days=rng.randint(7, 25)),
            QuoteStatus.ACCEPTED,
            lines,
            w["id"],
        )
        quote_pending.append((quote, qlines))
        add_order(
            w["organization_id"],
            w["owner_id"],
            w["team_id"],
            day,
            lines,
            opportunity_id=w["id"],
            quote=quote,
        )

    # 2. recurring orders for consumables, with their past periods ordered
    recurring: list[RecurringOrder] = []
    recurring_lines: list[RecurringOrderLine] = []
    for org in rng.sample(clients, min(40, len(clients))):
        unit = "months" if rng.random() < 0.8 else "weeks"
        interval = rng.choice((1, 2, 3)) if unit == "months" else rng.choice((4, 6))
        first = start + timedelta(days=rng.randint(0, 300))
        products = rng.sample(consumables, rng.randint(1, 2))
        lines = [
            {
                "product_id": p.pk,
                "description": p.name,
                "quantity": Decimal(rng.choice((2, 5, 10, 20))),
                "unit_price": p.list_price,
                "discount": Decimal(rng.choice((0, 0, 5))),
                "vat_rate": "19",
            }
            for p in products
        ]
        ro = RecurringOrder(
            name=f"Verbrauchsmaterial {org.name}"[:200],
            organization_id=org.pk,
            interval=interval,
            interval_unit=unit,
            next_on=first,
            active=rng.random() < 0.9,
            currency="EUR",
            language="de",
            owner_id=org.owner_id,
            team_id=org.team_id,
        )
        gen.stamp(ro, _at(first), org.owner_id)
        recurring.append(ro)
        period = first
        while period <= today and ro.active:
            add_order(
                org.pk,
                org.owner_id,
                org.team_id,
                period,
                lines,
                recurring=ro,
                recurring_period=period,
            )
            period = add_interval(period, interval, unit)
        ro.next_on = period
        recurring_lines.extend(
            RecurringOrderLine(recurring=ro, position=i, **ln)
            for i, ln in enumerate(lines, start=1)
        )
    gen.bulk(RecurringOrder, recurring)
    for ln in recurring_lines:
        ln.recurring_id = ln.recurring.pk
    gen.bulk(RecurringOrderLine, recurring_lines)

    # 3. reorders of spare parts, service and training up to ~3,000 orders
    weights = [1 + (i % 7 == 0) * 4 for i in range(len(clients))]  # some clients order often
    while len(orders) < gen.scaled(ORDERS):
        org = rng.choices(clients, weights)[0]
        day = start + timedelta(days=int(rng.triangular(0, DAYS, DAYS * 0.7)))
        lines = []
        for p in rng.sample(reorder_products, rng.randint(1, 3)):
            lines.append(
                {
                    "product_id": p.pk,
                    "description": p.name,
                    "quantity": Decimal(rng.choice((1, 1, 2, 3, 5))),
                    "unit_price": p.list_price,
                    "discount": Decimal(rng.choice((0, 0, 0, 5, 10))),
                    "vat_rate": "19" if rng.random() > 0.03 else "7",
                }
            )
        add_order(org.pk, org.owner_id, org.team_id, day, lines)

    # 4. quotes that did not (yet) become orders
    for _i in range(450):
        org = rng.choice(clients)
        issued = today - timedelta(days=rng.randint(0, DAYS))
        if issued + timedelta(days=30) < today:
            status = rng.choice((QuoteStatus.EXPIRED, QuoteStatus.EXPIRED, QuoteStatus.DECLINED))
        else:
            status = rng.choice((QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.SENT))
        p = rng.choice(list(by_sku.values()))
        lines = [
            {
                "product_id": p.pk,
                "description": p.name,
                "quantity": Decimal(rng.randint(1, 4)),
                "unit_price": p.list_price,
                "discount": Decimal(rng.choice((0, 5, 10))),
                "vat_rate": "19",
            }
        ]
        quote_pending.append(add_quote(org, org.owner_id, org.team_id, issued, status, lines))

    gen.bulk(Quote, quotes)
    for quote, lines in quote_pending:
        for i, ln in enumerate(lines, start=1):
            desc = ln["description"] or (by_id_name(by_sku, ln["product_id"]))
            quote_lines.append(
                QuoteLine(quote_id=quote.pk, position=i, **{**ln, "description": desc})
            )
    gen.bulk(QuoteLine, quote_lines)

    for order in orders:
        order.quote_id = order.quote.pk if order.quote is not None else None
        order.recurring_id = order.recurring.pk if order.recurring is not None else None
    gen.bulk(Order, orders)
    all_lines: list[OrderLine] = []
    for order, lines in pending_lines:
        rows = []
        for i, ln in enumerate(lines, start=1):
            desc = ln["description"] or by_id_name(by_sku, ln["product_id"])
            rows.append(
                OrderLine(
                    order_id=order.pk,
                    position=i,
                    delivery_date=order.ordered_on + timedelta(days=14),
                    **{**ln, "description": desc},
                )
            )
        order_lines[order.pk] = rows
        all_lines.extend(rows)
    gen.bulk(OrderLine, all_lines)

    # 5. invoices and payments
    invoices: list[Invoice] = []
    payments: list[Payment] = []
    credits: list[CustomerCredit] = []
    for order in sorted(orders, key=lambda o: o.ordered_on):
        age = (today - order.ordered_on).days
        if age < 5:
            continue
        if rng.random() < 0.01:
            order.status = OrderStatus.CANCELLED
            continue
        issued = order.ordered_on + timedelta(days=rng.randint(2, min(20, age)))
        if issued > today:
            order.status = OrderStatus.DELIVERED
            continue
        totals = document_totals(order_lines[order.pk])
        terms = rng.choice((14, 14, 30))
        due = issued + timedelta(days=terms)
        invoice = Invoice(
            number=numbers.next("RE", issued, 5),
            order_id=order.pk,
            organization_id=order.organization_id,
            issued_on=issued,
            payment_terms_days=terms,
            due_on=due,
            share_percent=Decimal("100"),
            currency="EUR",
            language="de",
            net_amount=totals.net,
            vat_amount=totals.vat,
            gross_amount=totals.gross,
            paid_amount=Decimal("0"),
            status=InvoiceStatus.OPEN,
            owner_id=order.owner_id,
            team_id=order.team_id,
        )
        gen.stamp(invoice, _at(issued), order.owner_id)
        invoices.append(invoice)
        order.status = OrderStatus.INVOICED
        roll = rng.random()
        if due < today and roll < 0.055:
            continue  # overdue now
        if roll < 0.85:
            paid_on = due - timedelta(days=rng.randint(0, terms - 1))
        else:
            paid_on = due + timedelta(days=rng.randint(1, 45))  # late
        if paid_on > today:
            continue  # not yet paid, not yet due (or late, still open)
        amount = totals.gross
        surplus = Decimal("0")
        if rng.random() < 0.01:
            surplus = Decimal(rng.choice((50, 100, 250)))
        payment = Payment(
            organization_id=order.organization_id,
            invoice=invoice,
            amount=amount + surplus,
            currency="EUR",
            received_on=paid_on,
            method=PaymentMethod.BANK_TRANSFER,
            reference=f"{invoice.number} {order.number}",
            applied_amount=amount,
            credited_amount=surplus,
            owner_id=order.owner_id,
            team_id=order.team_id,
        )
        gen.stamp(payment, _at(paid_on), order.owner_id)
        payments.append(payment)
        invoice.paid_amount = amount
        invoice.status = InvoiceStatus.PAID
        invoice.paid_on = paid_on
        order.status = OrderStatus.PAID
        if surplus:
            credits.append((payment, surplus))  # type: ignore[arg-type]
    by_status: dict[str, list[int]] = defaultdict(list)
    for order in orders:
        if order.status != OrderStatus.CONFIRMED:
            by_status[order.status].append(order.pk)
    for status, pks in by_status.items():  # statuses were decided after the orders went in
        for i in range(0, len(pks), 500):
            Order.objects.filter(pk__in=pks[i : i + 500]).update(status=status)
    gen.bulk(Invoice, invoices)
    for payment in payments:
        payment.invoice_id = payment.invoice.pk
    gen.bulk(Payment, payments)
    rows = []
    for payment, surplus in credits:  # type: ignore[misc]
        credit = CustomerCredit(
            organization_id=payment.organization_id,
            amount=surplus,
            currency="EUR",
            payment_id=payment.pk,
            note=f"Überzahlung der Rechnung {payment.invoice.number}",
        )
        credit.created_at = credit.updated_at = _at(payment.received_on)
        rows.append(credit)
    gen.bulk(CustomerCredit, rows)


def by_id_name(by_sku: dict[str, Product], product_id: int | None) -> str:
    for product in by_sku.values():
        if product.pk == product_id:
            return product.name
    return ""
