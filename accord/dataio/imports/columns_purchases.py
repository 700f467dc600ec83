"""The columns of purchase order and delivery imports (an ERP export): German and English headers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import ImportKind
from .columns import TargetField

_ORDER_NUMBER = (
    "bestellnummer",
    "bestellnr",
    "bestellung",
    "belegnummer",
    "ordernumber",
    "orderno",
    "purchaseorder",
    "po",
    "ponumber",
)
_LINE_NO = ("position", "pos", "posnr", "positionsnummer", "zeile", "line", "lineno", "linenumber")

PURCHASE_FIELDS: dict[str, tuple[TargetField, ...]] = {
    ImportKind.PURCHASE_ORDERS: (
        TargetField("order_number", _("Order number"), _ORDER_NUMBER, required=True),
        TargetField(
            "supplier",
            _("Supplier (name)"),
            ("lieferant", "lieferantenname", "supplier", "kreditor"),
        ),
        TargetField(
            "supplier_vat_id",
            _("Supplier's VAT id"),
            ("ustidnr", "ustid", "umsatzsteuerid", "vatid", "vat", "suppliervatid"),
        ),
        TargetField(
            "supplier_external_id",
            _("Supplier's external id"),
            ("lieferantennummer", "lieferantennr", "kreditorennummer", "kreditornr", "supplierid"),
        ),
        TargetField(
            "business_unit",
            _("Business unit (name)"),
            ("geschaeftsbereich", "bereich", "werk", "kostenstelle", "businessunit", "unit"),
        ),
        TargetField(
            "ordered_on",
            _("Ordered on"),
            ("bestelldatum", "datum", "belegdatum", "orderdate", "orderedon", "date"),
            required=True,
        ),
        TargetField("currency", _("Currency"), ("waehrung", "currency", "whg")),
        TargetField("status", _("Status"), ("status", "bestellstatus")),
        TargetField(
            "order_external_id", _("Order's external id"), ("erpid", "externeid", "externalid")
        ),
        TargetField("note", _("Note"), ("bemerkung", "notiz", "note", "kommentar")),
        TargetField("line_no", _("Line no."), _LINE_NO, required=True),
        TargetField(
            "description",
            _("Description"),
            ("beschreibung", "artikel", "bezeichnung", "text", "description", "item"),
            required=True,
        ),
        TargetField("category", _("Category"), ("kategorie", "warengruppe", "category")),
        TargetField(
            "quantity", _("Quantity"), ("menge", "anzahl", "quantity", "qty"), required=True
        ),
        TargetField("unit", _("Unit"), ("einheit", "me", "mengeneinheit", "unit", "uom")),
        TargetField(
            "unit_price",
            _("Agreed unit price"),
            ("preis", "einzelpreis", "stueckpreis", "unitprice", "price", "nettopreis"),
            required=True,
        ),
        TargetField(
            "delivery_date",
            _("Agreed delivery date"),
            ("liefertermin", "lieferdatum", "wunschtermin", "deliverydate", "duedate"),
        ),
    ),
    ImportKind.DELIVERIES: (
        TargetField("order_number", _("Order number"), _ORDER_NUMBER, required=True),
        TargetField("line_no", _("Line no."), _LINE_NO, required=True),
        TargetField(
            "delivered_on",
            _("Delivered on"),
            ("lieferdatum", "eingangsdatum", "wareneingang", "deliveredon", "date", "datum"),
            required=True,
        ),
        TargetField(
            "quantity_received",
            _("Quantity received"),
            ("menge", "eingangsmenge", "geliefert", "received", "quantityreceived", "qty"),
            required=True,
        ),
        TargetField(
            "quantity_rejected",
            _("Quantity rejected"),
            ("abgelehnt", "reklamiert", "ausschuss", "rejected", "quantityrejected"),
        ),
        TargetField(
            "unit_price_charged",
            _("Unit price charged"),
            ("berechneterpreis", "rechnungspreis", "preis", "pricecharged", "unitpricecharged"),
        ),
        TargetField(
            "delivery_note_number",
            _("Delivery note no."),
            ("lieferschein", "lieferscheinnummer", "lieferscheinnr", "deliverynote"),
        ),
        TargetField("note", _("Note"), ("bemerkung", "notiz", "note")),
    ),
}
