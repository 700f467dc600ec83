"""CSV bank statement import: read the rows, match them to invoices, book the payments.

Columns (header names in English or German, any order; `;` or `,`): date (YYYY-MM-DD or
DD.MM.YYYY), amount (1234.56 or 1.234,56), reference, payer name, IBAN, optional currency.
Matching: an invoice number (RE-2026-00042) in the reference, of an invoice the importing user
can see —

* the amount equals the invoice's open amount → matched, paid;
* a different amount → booked anyway (partly paid, or the surplus as credit) and flagged;
* no invoice number → kept as unmatched, for manual assignment.

Every row has a fingerprint (date, amount, reference, account): a row imported before — in this
or an earlier statement — is not booked again. Rows that cannot be read are named in the errors
(row number and column) and nothing of them is stored; outgoing bookings (negative amounts) are
skipped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.parties.models import Organization

from ..choices import BankRowStatus, InvoiceStatus, PaymentMethod
from ..models import BankStatement, BankStatementRow, Invoice
from .common import require_visible
from .invoices import INVOICE_PREFIX, payment_create

INVOICE_NUMBER = re.compile(rf"\b{INVOICE_PREFIX}[-\s]?(\d{{4}})[-\s]?(\d{{1,6}})\b", re.I)

HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("date", "datum", "buchungstag", "booking date", "valuta", "wertstellung"),
    "amount": ("amount", "betrag", "umsatz"),
    "reference": ("reference", "verwendungszweck", "purpose", "zweck", "referenz"),
    "payer_name": ("payer name", "payer", "name", "auftraggeber", "zahler", "payer_name"),
    "payer_iban": ("iban", "payer iban", "konto", "account", "payer_iban"),
    "currency": ("currency", "währung", "waehrung"),
}
REQUIRED = ("date", "amount", "reference")


@dataclass
class ParsedRow:
    row_number: int
    booked_on: date
    amount: Decimal
    reference: str
    payer_name: str
    payer_iban: str
    currency: str

    @property
    def fingerprint(self) -> str:
        account = self.payer_iban.replace(" ", "").upper() or self.payer_name.strip().lower()
        text = " ".join(self.reference.split()).lower()
        raw = f"{self.booked_on.isoformat()}|{self.amount:.2f}|{text}|{account}"
        return hashlib.sha256(raw.encode()).hexdigest()


def parse_date(text: str) -> date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_amount(text: str) -> Decimal:
    text = text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,56
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.56
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def parse_statement(content: str) -> tuple[list[ParsedRow], list[dict[str, Any]]]:
    """The readable rows and the errors (row number, column, message) of a CSV statement."""
    content = content.lstrip("\ufeff")
    if not content.strip():
        raise ValidationError({"file": _("The file is empty.")})
    first = content.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, name in enumerate(header):
            if name in names and key not in columns:
                columns[key] = i
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The file needs the columns date, amount and reference (missing: %(cols)s)."
                )
                % {"cols": ", ".join(missing)}
            }
        )
    rows: list[ParsedRow] = []
    errors: list[dict[str, Any]] = []
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue

        def cell(key: str, record: list[str] = record) -> str:
            i = columns.get(key)
            return record[i].strip() if i is not None and i < len(record) else ""

        try:
            booked_on = parse_date(cell("date"))
        except ValueError:
            errors.append(
                _row_error(number, "date", _("“%(v)s” is not a date.") % {"v": cell("date")})
            )
            continue
        try:
            amount = parse_amount(cell("amount"))
        except ValueError:
            errors.append(
                _row_error(number, "amount", _("“%(v)s” is not an amount.") % {"v": cell("amount")})
            )
            continue
        rows.append(
            ParsedRow(
                row_number=number,
                booked_on=booked_on,
                amount=amount,
                reference=cell("reference")[:500],
                payer_name=cell("payer_name")[:200],
                payer_iban=cell("payer_iban").replace(" ", "").upper()[:40],
                currency=(cell("currency") or "EUR").upper()[:3],
            )
        )
    return rows, errors


def _row_error(number: int, column: str, message: str) -> dict[str, Any]:
    return {
        "where": _("Row %(n)d, %(column)s") % {"n": number, "column": column},
        "row": number,
        "column": column,
        "message": message,
    }


def statement_create(*, actor: Any, name: str, content: str) -> BankStatement:
    """Keep an uploaded statement (the job imports it); refused when its header cannot be read."""
    core.require_write(actor)
    parse_statement(content)  # header errors now, on the upload page
    return core.model_create(
        BankStatement,
        actor=actor,
        data={"name": name[:255] or "statement.csv", "content": content},
    )


def statement_attach_job(*, statement: BankStatement, job: Any) -> None:
    BankStatement.objects.filter(pk=statement.pk).update(job=job)
    statement.job = job


def _find_invoice(actor: Any, reference: str) -> Invoice | None:
    for year, seq in INVOICE_NUMBER.findall(reference):
        number = f"{INVOICE_PREFIX}-{year}-{int(seq):05d}"
        qs = Invoice.objects.filter(number=number)
        if actor is not None:
            qs = qs.filter(visibility.visibility_q(Invoice, actor))
        invoice = qs.first()
        if invoice is not None:
            return invoice
    return None


def import_statement(
    *, actor: Any, statement: BankStatement, progress: Callable[..., None] | None = None
) -> dict[str, int]:
    """Import the statement's rows; returns the counts. Safe to run again: rows already imported
    are recognised by their fingerprint."""
    rows, errors = parse_statement(statement.content)
    counts = {"matched": 0, "partial": 0, "unmatched": 0, "duplicates": 0, "skipped": 0}
    counts["failed"] = len(errors)
    for parsed in rows:
        outcome = _import_row(actor, statement, parsed)
        counts[outcome] += 1
        if progress is not None:
            progress(parsed, outcome)
    statement.counts = counts
    statement.errors = errors
    BankStatement.objects.filter(pk=statement.pk).update(counts=counts, errors=errors)
    return counts


def _import_row(actor: Any, statement: BankStatement, parsed: ParsedRow) -> str:
    if parsed.amount <= 0:
        return "skipped"
    fingerprint = parsed.fingerprint
    if BankStatementRow.objects.filter(fingerprint=fingerprint).exists():
        return "duplicates"
    invoice = _find_invoice(actor, parsed.reference)
    status, flag = BankRowStatus.UNMATCHED, ""
    try:
        with transaction.atomic():
            row = BankStatementRow.objects.create(
                statement=statement,
                row_number=parsed.row_number,
                booked_on=parsed.booked_on,
                amount=parsed.amount,
                currency=parsed.currency,
                reference=parsed.reference,
                payer_name=parsed.payer_name,
                payer_iban=parsed.payer_iban,
                fingerprint=fingerprint,
            )
            if invoice is not None and invoice.currency == parsed.currency:
                open_amount = invoice.open_amount
                if invoice.status == InvoiceStatus.CANCELLED:
                    status = BankRowStatus.PARTIAL
                    flag = _("The invoice was cancelled; the amount became credit.")
                elif parsed.amount == open_amount:
                    status = BankRowStatus.MATCHED
                else:
                    status = BankRowStatus.PARTIAL
                    flag = (
                        _("More than the open amount %(open)s: the surplus became credit.")
                        if parsed.amount > open_amount
                        else _("Less than the open amount %(open)s: the invoice stays open.")
                    ) % {"open": open_amount}
                payment = _book(actor, row, invoice, invoice.organization)
                row.status, row.flag, row.invoice, row.payment = status, flag, invoice, payment
                row.save(update_fields=["status", "flag", "invoice", "payment"])
    except IntegrityError:  # the same row imported by a concurrent run a moment ago
        return "duplicates"
    return str(status) if status != BankRowStatus.UNMATCHED else "unmatched"


def _book(actor: Any, row: BankStatementRow, invoice: Invoice | None, organization: Any):
    return payment_create(
        actor=actor,
        data={
            "invoice": invoice,
            "organization": organization,
            "amount": row.amount,
            "currency": row.currency,
            "received_on": row.booked_on,
            "method": PaymentMethod.CSV_IMPORT,
            "reference": row.reference[:300],
        },
    )


def bank_row_assign(
    *, actor: Any, row: BankStatementRow, invoice: Any = None, organization: Any = None
) -> BankStatementRow:
    """Book an unmatched row by hand: to an invoice, or to an organization as credit."""
    core.require_change(actor, row.statement)
    if row.payment_id is not None:
        raise ValidationError({"row": _("This row was booked already.")})
    if invoice in (None, "") and organization in (None, ""):
        raise ValidationError({"invoice": _("Choose an invoice or an organization.")})
    found_invoice = require_visible(
        actor, Invoice, invoice, "invoice", _("Choose an invoice you can see.")
    )
    found_org = (
        found_invoice.organization
        if found_invoice is not None
        else require_visible(
            actor,
            Organization,
            organization,
            "organization",
            _("Choose an organization you can see."),
        )
    )
    with transaction.atomic():
        payment = _book(actor, row, found_invoice, found_org)
        row.status = BankRowStatus.ASSIGNED
        row.invoice = found_invoice
        row.payment = payment
        if found_invoice is not None and row.amount != payment.applied_amount:
            row.flag = _("Booked %(applied)s to the invoice, %(credit)s as credit.") % {
                "applied": payment.applied_amount,
                "credit": payment.credited_amount,
            }
        row.save(update_fields=["status", "invoice", "payment", "flag"])
    return row


def bank_row_ignore(*, actor: Any, row: BankStatementRow) -> BankStatementRow:
    """Not a payment of a client (e.g. a refund): kept, marked ignored."""
    core.require_change(actor, row.statement)
    if row.payment_id is not None:
        raise ValidationError({"row": _("This row was booked already.")})
    row.status = BankRowStatus.IGNORED
    row.save(update_fields=["status"])
    return row


def statement_delete(*, actor: Any, instance: BankStatement) -> None:
    if instance.rows.filter(payment__isnull=False).exists():
        raise ValidationError(
            {"statement": _("Payments were booked from this statement; it is kept.")}
        )
    core.model_delete(instance, actor=actor)
