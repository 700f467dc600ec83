"""Reads of contracts, visibility applied: the list, a contract's page with its key dates, an
organization's contracts, the contract calendar and the portfolio figures.

Key dates are computed (not stored) by `intelligence.engine.contract_dates`, so they are always
those of today. The portfolio sums values per currency: contracts in different currencies are never
added together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accord.intelligence.engine import contract_dates as dates
from accord.parties.models import Organization
from accord.pipeline.models import Opportunity

from ..models.commitments import OPEN_STATUSES, Commitment
from ..models.contracts import Contract, ContractDocument, ContractStatus, ContractType

RUNNING = (ContractStatus.ACTIVE, ContractStatus.DRAFT)
EXPIRY_WINDOWS = (30, 90, 180)
RISK_DAYS = 90
TOP_COUNTERPARTIES = 15
ORGANIZATION_CONTRACTS = 20


def contract_list(user: Any) -> QuerySet[Contract]:
    """Visible contracts with counterparty, business unit, owner and team."""
    return Contract.objects.visible_to(user).select_related(
        "counterparty", "business_unit", "owner", "team"
    )


def contract_api_list(user: Any) -> QuerySet[Contract]:
    return contract_list(user).prefetch_related("further_parties").order_by("-start_date", "-id")


def expiring_q(days: int, today: dt.date | None = None) -> Q:
    """Active contracts that do not renew and end within `days` days (today included)."""
    today = today or timezone.localdate()
    return Q(
        status=ContractStatus.ACTIVE,
        auto_renewal=False,
        end_date__gte=today,
        end_date__lte=today + dt.timedelta(days=days),
    )


def contract_key_dates(contract: Contract, *, today: dt.date | None = None) -> dates.KeyDates:
    """Current term end, notice deadline, renewal date (and the next term's) of one contract."""
    return dates.key_dates(
        start=contract.start_date,
        end=contract.end_date,
        auto_renewal=contract.auto_renewal,
        renewal_months=contract.renewal_term_months,
        notice_amount=contract.notice_period,
        notice_unit=contract.notice_unit,
        today=today or timezone.localdate(),
        running=contract.status in RUNNING,
    )


def contract_detail(user: Any, contract: Contract) -> dict[str, Any]:
    """What the contract's page shows besides its fields: key dates, documents, commitments,
    further parties, the opportunity and purchase orders the user may see."""
    ctx: dict[str, Any] = {"key_dates": contract_key_dates(contract)}
    ctx["documents"] = list(
        ContractDocument.objects.filter(contract=contract).select_related("uploaded_by")
    )
    ctx["commitments"] = list(
        Commitment.objects.visible_to(user)
        .filter(contract=contract)
        .select_related("owner")
        .order_by("status", "due_date", "id")
    )
    ctx["further_parties"] = list(
        Organization.objects.visible_to(user).filter(contracts_as_party=contract).order_by("name")
    )
    ctx["opportunity"] = (
        Opportunity.objects.visible_to(user).filter(pk=contract.opportunity_id).first()
        if contract.opportunity_id
        else None
    )
    ctx["purchase_orders"] = purchase_orders_of(user, contract)
    return ctx


def purchase_orders_of(user: Any, contract: Contract) -> list[Any]:
    if not any(f.name == "purchase_orders" for f in Contract._meta.many_to_many):
        return []
    related = contract.purchase_orders  # type: ignore[attr-defined]
    model = related.model
    return list(model.objects.visible_to(user).filter(pk__in=related.values("pk")))


def contracts_of_organization(user: Any, organization: Any) -> list[Contract]:
    """The organization's contracts (as counterparty or further party) the user may see, running
    ones first."""
    pk = getattr(organization, "pk", organization)
    rows = list(
        contract_list(user)
        .filter(Q(counterparty=pk) | Q(further_parties=pk))
        .distinct()
        .order_by("status", "-start_date", "-id")[:ORGANIZATION_CONTRACTS]
    )
    for row in rows:
        row.key_dates = contract_key_dates(row)  # type: ignore[attr-defined]
    return rows


# --- calendar ------------------------------------------------------------------------------------
NOTICE = "notice"
RENEWAL = "renewal"
END = "end"
DUE = "due"


@dataclass(frozen=True)
class CalendarEvent:
    day: dt.date
    kind: str  # notice, renewal, end, due
    title: str
    url: str
    contract_id: int | None = None
    commitment_id: int | None = None
    overdue: bool = False


def _term_ends(contract: Contract, until: dt.date) -> list[dt.date]:
    if contract.end_date is None:
        return []
    if not (contract.auto_renewal and contract.renewal_term_months):
        return [contract.end_date]
    ends, k = [], 0
    while k < 1200:
        end = dates.shift_months(contract.end_date, k * contract.renewal_term_months)
        if end > until:
            break
        ends.append(end)
        k += 1
    return ends


def contract_events(contract: Contract, start: dt.date, end: dt.date) -> list[CalendarEvent]:
    """Notice deadlines, renewals and ends of one running contract between start and end."""
    if contract.status not in RUNNING or contract.end_date is None:
        return []
    notice = contract.notice_period or 0
    span = dates.add_period(end, notice, contract.notice_unit) if notice else end
    url = contract.get_absolute_url()
    events = []
    renews = bool(contract.auto_renewal and contract.renewal_term_months)
    for term_end in _term_ends(contract, span):
        if notice:
            deadline = dates.subtract_period(term_end, notice, contract.notice_unit)
            if start <= deadline <= end:
                events.append(CalendarEvent(deadline, NOTICE, contract.title, url, contract.pk))
        if renews:
            renewal = term_end + dt.timedelta(days=1)
            if start <= renewal <= end:
                events.append(CalendarEvent(renewal, RENEWAL, contract.title, url, contract.pk))
        elif start <= term_end <= end:
            events.append(CalendarEvent(term_end, END, contract.title, url, contract.pk))
    return events


def calendar_events(
    user: Any,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
    owned_only: bool = False,
) -> list[CalendarEvent]:
    """Everything with a date between start and end (inclusive) the user may see: notice
    deadlines, renewals and ends of running contracts, due dates of open commitments.
    `owned_only`: only the user's own contracts and commitments (their calendar feed)."""
    today = today or timezone.localdate()
    mine = Q(owner=user) if owned_only else Q()
    contracts = (
        Contract.objects.visible_to(user)
        .filter(mine)
        .filter(status__in=RUNNING, end_date__isnull=False)
        .filter(Q(auto_renewal=True) | Q(end_date__gte=start))
        .only(
            "id",
            "title",
            "status",
            "start_date",
            "end_date",
            "auto_renewal",
            "renewal_term_months",
            "notice_period",
            "notice_unit",
        )
    )
    events: list[CalendarEvent] = []
    for contract in contracts.iterator(chunk_size=500):
        events.extend(contract_events(contract, start, end))
    due = (
        Commitment.objects.visible_to(user)
        .filter(mine)
        .filter(status__in=OPEN_STATUSES, due_date__gte=start, due_date__lte=end)
        .only("id", "title", "due_date", "status")
    )
    for c in due:
        assert c.due_date is not None
        events.append(
            CalendarEvent(
                c.due_date, DUE, c.title, c.get_absolute_url(), None, c.pk, c.due_date < today
            )
        )
    order = {NOTICE: 0, END: 1, RENEWAL: 2, DUE: 3}
    events.sort(key=lambda e: (e.day, order[e.kind], e.title))
    return events


# --- portfolio -----------------------------------------------------------------------------------
@dataclass
class Bucket:
    count: int = 0
    value: Decimal = Decimal("0")


@dataclass
class CurrencyPortfolio:
    """The figures of the active contracts in one currency."""

    currency: str
    total: Bucket = field(default_factory=Bucket)
    by_counterparty: list[tuple[Any, Bucket]] = field(default_factory=list)
    other_counterparties: Bucket = field(default_factory=Bucket)
    by_type: list[tuple[str, str, Bucket]] = field(default_factory=list)
    expiring: dict[int, Bucket] = field(default_factory=dict)
    at_risk: Bucket = field(default_factory=Bucket)
    at_risk_contracts: list[Contract] = field(default_factory=list)


def portfolio(
    user: Any, *, today: dt.date | None = None, side: str = ""
) -> list[CurrencyPortfolio]:
    """Value of the active contracts the user may see, per currency: by counterparty (the 15
    largest, the rest together), by type, expiring within 30/90/180 days (not renewing, ending in
    the window), and the value at risk: contracts not renewing whose notice deadline or end falls
    within the next 90 days."""
    today = today or timezone.localdate()
    base = Contract.objects.visible_to(user).filter(status=ContractStatus.ACTIVE)
    if side:
        base = base.filter(side=side)
    result: dict[str, CurrencyPortfolio] = {}

    def of(currency: str) -> CurrencyPortfolio:
        if currency not in result:
            result[currency] = CurrencyPortfolio(currency=currency)
        return result[currency]

    for row in base.values("currency").annotate(n=Count("id"), v=Sum("value")).order_by():
        of(row["currency"]).total = Bucket(row["n"], row["v"] or Decimal("0"))
    by_party = (
        base.values("currency", "counterparty_id")
        .annotate(n=Count("id"), v=Sum("value"))
        .order_by("currency", "-v", "counterparty_id")
    )
    names = {}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in by_party:
        grouped[row["currency"]].append(row)
    top_ids = {r["counterparty_id"] for rows in grouped.values() for r in rows[:TOP_COUNTERPARTIES]}
    names = Organization.objects.in_bulk(list(top_ids))
    for currency, rows in grouped.items():
        entry = of(currency)
        for r in rows[:TOP_COUNTERPARTIES]:
            entry.by_counterparty.append(
                (names.get(r["counterparty_id"]), Bucket(r["n"], r["v"] or Decimal("0")))
            )
        for r in rows[TOP_COUNTERPARTIES:]:
            entry.other_counterparties.count += r["n"]
            entry.other_counterparties.value += r["v"] or Decimal("0")
    labels = dict(ContractType.choices)
    for row in (
        base.values("currency", "contract_type")
        .annotate(n=Count("id"), v=Sum("value"))
        .order_by("currency", "-v", "contract_type")
    ):
        of(row["currency"]).by_type.append(
            (
                row["contract_type"],
                str(labels.get(row["contract_type"], row["contract_type"])),
                Bucket(row["n"], row["v"] or Decimal("0")),
            )
        )
    for days in EXPIRY_WINDOWS:
        for entry in result.values():
            entry.expiring[days] = Bucket()
        for row in (
            base.filter(expiring_q(days, today))
            .values("currency")
            .annotate(n=Count("id"), v=Sum("value"))
            .order_by()
        ):
            of(row["currency"]).expiring[days] = Bucket(row["n"], row["v"] or Decimal("0"))
    horizon = today + dt.timedelta(days=RISK_DAYS)
    candidates = base.filter(auto_renewal=False, end_date__gte=today).select_related("counterparty")
    for contract in candidates.order_by("end_date", "id"):
        keys = contract_key_dates(contract, today=today)
        deadline, end = keys.notice_deadline, keys.term_end
        in_window = (deadline is not None and today <= deadline <= horizon) or (
            end is not None and today <= end <= horizon
        )
        if in_window:
            entry = of(contract.currency)
            entry.at_risk.count += 1
            entry.at_risk.value += contract.value
            entry.at_risk_contracts.append(contract)
    return sorted(result.values(), key=lambda p: (-p.total.value, p.currency))
