"""Printable quotes and invoices as PDF (reportlab, built-in Helvetica: WinAnsi covers €, ä, ö,
ü and ß) and the values of their HTML print pages — in the document's language (German or
English), whatever the reader's interface language.

The texts of a document are fixed per language here (`LABELS`), not gettext: they are what the
client receives, and the legal wording must not depend on a translation file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from .choices import REVERSE_CHARGE_NOTE, VatRate
from .pricing import Totals, document_totals

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "quote": "Angebot",
        "invoice": "Rechnung",
        "order": "Auftragsbestätigung",
        "number": "Nummer",
        "date": "Datum",
        "valid_until": "Gültig bis",
        "due_on": "Zahlbar bis",
        "customer_vat": "USt-IdNr. des Kunden",
        "our_vat": "USt-IdNr.",
        "pos": "Pos.",
        "description": "Beschreibung",
        "quantity": "Menge",
        "unit_price": "Einzelpreis",
        "discount": "Rabatt",
        "vat": "USt.",
        "amount": "Betrag",
        "net": "Nettobetrag",
        "vat_of": "USt. %(rate)s %% auf %(net)s",
        "rc_line": "Steuerschuldnerschaft des Leistungsempfängers auf %(net)s",
        "gross": "Gesamtbetrag",
        "share": "Teilrechnung: %(share)s %% des Auftrags %(order)s",
        "order_ref": "Auftrag",
        "terms": "Zahlbar innerhalb von %(days)s Tagen ohne Abzug bis zum %(date)s.",
        "validity": "Dieses Angebot ist gültig bis zum %(date)s.",
        "bank": "Bankverbindung",
        "contact": "Ansprechpartner",
        "page": "Seite",
        "paid": "Bereits bezahlt",
        "open": "Offen",
    },
    "en": {
        "quote": "Quote",
        "invoice": "Invoice",
        "order": "Order confirmation",
        "number": "Number",
        "date": "Date",
        "valid_until": "Valid until",
        "due_on": "Due on",
        "customer_vat": "Customer VAT id",
        "our_vat": "VAT id",
        "pos": "Pos.",
        "description": "Description",
        "quantity": "Qty",
        "unit_price": "Unit price",
        "discount": "Discount",
        "vat": "VAT",
        "amount": "Amount",
        "net": "Net amount",
        "vat_of": "VAT %(rate)s %% on %(net)s",
        "rc_line": "Reverse charge on %(net)s",
        "gross": "Total",
        "share": "Partial invoice: %(share)s %% of order %(order)s",
        "order_ref": "Order",
        "terms": "Payable within %(days)s days without deduction by %(date)s.",
        "validity": "This quote is valid until %(date)s.",
        "bank": "Bank details",
        "contact": "Contact",
        "page": "Page",
        "paid": "Paid so far",
        "open": "Open",
    },
}


def money(value: Decimal, currency: str, language: str) -> str:
    """1.234,56 € (German) or EUR 1,234.56 (English)."""
    text = f"{value:,.2f}"
    if language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return f"{text} €" if currency == "EUR" else f"{text} {currency}"
    return f"€{text}" if currency == "EUR" else f"{currency} {text}"


def number(value: Decimal, language: str) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if language == "de" else text


def day(value: date | None, language: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y") if language == "de" else value.isoformat()


@dataclass
class DocumentLineRow:
    position: int
    description: str
    quantity: str
    unit_price: str
    discount: str
    vat: str
    amount: str


@dataclass
class Document:
    """Everything a printed quote or invoice shows, already formatted."""

    kind: str  # quote | invoice
    language: str
    number: str
    title: str
    company: dict[str, str]
    recipient: list[str]
    facts: list[tuple[str, str]]
    lines: list[DocumentLineRow]
    totals_rows: list[tuple[str, str]]
    gross: str
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def _recipient(organization: Any, contact: Any = None) -> list[str]:
    lines = [organization.legal_name or organization.name]
    if contact is not None:
        lines.append(str(contact))
    if organization.street:
        lines.append(organization.street)
    place = " ".join(p for p in (organization.postal_code, organization.city) if p)
    if place:
        lines.append(place)
    if organization.country and str(organization.country) != "DE":
        lines.append(str(organization.country.name))
    return lines


def _rows(lines: list[Any], currency: str, lang: str) -> list[DocumentLineRow]:
    rates = {VatRate.REVERSE_CHARGE: "RC"}
    return [
        DocumentLineRow(
            position=i,
            description=line.description or str(line.product or ""),
            quantity=number(line.quantity, lang),
            unit_price=money(line.unit_price, currency, lang),
            discount=f"{number(line.discount, lang)} %" if line.discount else "",
            vat=rates.get(line.vat_rate, f"{line.vat_rate} %"),
            amount=money(line.net, currency, lang),
        )
        for i, line in enumerate(lines, start=1)
    ]


def _totals_rows(totals: Totals, currency: str, lang: str) -> list[tuple[str, str]]:
    labels = LABELS[lang]
    rows = [(labels["net"], money(totals.net, currency, lang))]
    for rate in totals.rates:
        net = money(rate.net, currency, lang)
        if rate.rate == VatRate.REVERSE_CHARGE:
            rows.append((labels["rc_line"] % {"net": net}, money(Decimal("0"), currency, lang)))
        else:
            rows.append(
                (
                    labels["vat_of"] % {"rate": f"{rate.percent.normalize():f}", "net": net},
                    money(rate.vat, currency, lang),
                )
            )
    return rows


def _company() -> dict[str, str]:
    return {k: str(v) for k, v in getattr(settings, "ACCORD_COMPANY", {}).items()}


def quote_document(quote: Any) -> Document:
    lang = quote.language if quote.language in LABELS else "de"
    labels = LABELS[lang]
    lines = list(quote.lines.select_related("product").order_by("position", "id"))
    totals = document_totals(lines)
    facts = [
        (labels["number"], quote.number),
        (labels["date"], day(quote.issued_on, lang)),
        (labels["valid_until"], day(quote.valid_until, lang)),
    ]
    if quote.organization.vat_id:
        facts.append((labels["customer_vat"], quote.organization.vat_id))
    if quote.owner is not None:
        facts.append((labels["contact"], quote.owner.get_full_name() or quote.owner.get_username()))
    notes = (
        [labels["validity"] % {"date": day(quote.valid_until, lang)}] if quote.valid_until else []
    )
    if totals.reverse_charge:
        notes.append(REVERSE_CHARGE_NOTE[lang])
    if quote.notes:
        notes.append(quote.notes)
    return Document(
        kind="quote",
        language=lang,
        number=quote.number,
        title=f"{labels['quote']} {quote.number}",
        company=_company(),
        recipient=_recipient(quote.organization, quote.contact),
        facts=facts,
        lines=_rows(lines, quote.currency, lang),
        totals_rows=_totals_rows(totals, quote.currency, lang),
        gross=money(totals.gross, quote.currency, lang),
        notes=notes,
        labels=labels,
    )


def invoice_document(invoice: Any) -> Document:
    lang = invoice.language if invoice.language in LABELS else "de"
    labels = LABELS[lang]
    order = invoice.order
    lines = list(order.lines.select_related("product").order_by("position", "id"))
    totals = document_totals(lines, invoice.share_percent)
    facts = [
        (labels["number"], invoice.number),
        (labels["date"], day(invoice.issued_on, lang)),
        (labels["due_on"], day(invoice.due_on, lang)),
        (labels["order_ref"], order.number),
    ]
    if invoice.organization.vat_id:
        facts.append((labels["customer_vat"], invoice.organization.vat_id))
    notes = []
    if invoice.share_percent < 100:
        notes.append(
            labels["share"] % {"share": number(invoice.share_percent, lang), "order": order.number}
        )
    notes.append(
        labels["terms"] % {"days": invoice.payment_terms_days, "date": day(invoice.due_on, lang)}
    )
    if totals.reverse_charge:
        notes.append(REVERSE_CHARGE_NOTE[lang])
    if invoice.notes:
        notes.append(invoice.notes)
    rows = _totals_rows(totals, invoice.currency, lang)
    return Document(
        kind="invoice",
        language=lang,
        number=invoice.number,
        title=f"{labels['invoice']} {invoice.number}",
        company=_company(),
        recipient=_recipient(invoice.organization),
        facts=facts,
        lines=_rows(lines, invoice.currency, lang),
        totals_rows=rows,
        gross=money(totals.gross, invoice.currency, lang),
        notes=notes,
        labels=labels,
    )


def render_pdf(document: Document) -> bytes:
    """The document as an A4 PDF."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.grey)
    title = ParagraphStyle("title", parent=base, fontName="Helvetica-Bold", fontSize=15, leading=19)
    bold = ParagraphStyle("bold", parent=base, fontName="Helvetica-Bold")
    company = document.company
    labels = document.labels

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
        title=document.title,
        author=company.get("name", ""),
    )
    sender = " · ".join(
        v
        for v in (
            company.get("name"),
            company.get("street"),
            " ".join(x for x in (company.get("postal_code"), company.get("city")) if x),
        )
        if v
    )
    story: list[Any] = [p(company.get("name", ""), title), Spacer(1, 8 * mm), p(sender, small)]
    head = Table(
        [
            [
                [p(line) for line in document.recipient],
                Table(
                    [[p(k, bold), p(v)] for k, v in document.facts],
                    colWidths=[38 * mm, 42 * mm],
                    style=[
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ],
                ),
            ]
        ],
        colWidths=[90 * mm, 80 * mm],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )
    story += [head, Spacer(1, 10 * mm), p(document.title, title), Spacer(1, 5 * mm)]
    header = [
        labels["pos"],
        labels["description"],
        labels["quantity"],
        labels["unit_price"],
        labels["discount"],
        labels["vat"],
        labels["amount"],
    ]
    data: list[list[Any]] = [[p(h, bold) for h in header]]
    for row in document.lines:
        data.append(
            [
                p(str(row.position)),
                p(row.description),
                p(row.quantity),
                p(row.unit_price),
                p(row.discount),
                p(row.vat),
                p(row.amount),
            ]
        )
    table = Table(
        data,
        colWidths=[10 * mm, 62 * mm, 15 * mm, 25 * mm, 15 * mm, 13 * mm, 30 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    totals = [[p(k), p(v)] for k, v in document.totals_rows]
    totals.append([p(labels["gross"], bold), p(document.gross, bold)])
    story.append(
        Table(
            totals,
            colWidths=[80 * mm, 30 * mm],
            hAlign="RIGHT",
            style=[
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
            ],
        )
    )
    story.append(Spacer(1, 6 * mm))
    for note in document.notes:
        story += [p(note), Spacer(1, 2 * mm)]

    footer_lines = [
        " · ".join(
            v
            for v in (
                company.get("name"),
                company.get("street"),
                " ".join(x for x in (company.get("postal_code"), company.get("city")) if x),
                company.get("register"),
            )
            if v
        ),
        " · ".join(
            v
            for v in (
                f"{labels['our_vat']} {company.get('vat_id', '')}".strip(),
                company.get("email"),
                company.get("phone"),
            )
            if v
        ),
        " · ".join(
            v
            for v in (
                labels["bank"] + ":",
                company.get("bank"),
                f"IBAN {company.get('iban', '')}",
                f"BIC {company.get('bic', '')}",
            )
            if v
        ),
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        y = 14 * mm
        for line in footer_lines:
            canvas.drawString(20 * mm, y, line)
            y -= 3.4 * mm
        canvas.drawRightString(190 * mm, 14 * mm, f"{labels['page']} {doc.page}")
        canvas.restoreState()

    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
