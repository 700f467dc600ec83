"""Forms of the purchase order pages: the order, one line, one delivery with a row per order
line. They validate input; the services write and apply the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, organization_widget
from accord.parties.models import Organization

from ..models import PurchaseOrder, PurchaseOrderLine, SupplyCategory


class PurchaseOrderForm(OwnerTeamMixin, ServiceModelForm):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Organization.objects.all(),
        widget=organization_widget(),
        help_text=_("An organization with the supplier or service-provider role."),
    )

    class Meta:
        model = PurchaseOrder
        fields = [
            "number",
            "supplier",
            "business_unit",
            "ordered_on",
            "currency",
            "status",
            "note",
            "external_id",
            "owner",
            "team",
        ]
        widgets = {"ordered_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Left empty: the next free number (PO-000123).")
        units = self.fields["business_unit"]
        units.queryset = units.queryset.filter(is_internal=True).order_by("name")

    def _post_clean(self) -> None:
        pass


class PurchaseOrderLineForm(ServiceModelForm):
    class Meta:
        model = PurchaseOrderLine
        fields = [
            "line_no",
            "description",
            "category",
            "quantity",
            "unit",
            "unit_price",
            "delivery_date",
        ]
        widgets = {"delivery_date": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line_no"].required = False
        self.fields["line_no"].help_text = _("Left empty: the next number.")
        cats = SupplyCategory.objects.filter(active=True)
        if self.instance.pk and self.instance.category_id:
            cats = cats | SupplyCategory.objects.filter(pk=self.instance.category_id)
        self.fields["category"].queryset = cats.distinct().order_by("name")

    def _post_clean(self) -> None:
        pass


class DeliveryForm(forms.Form):
    """The delivery's date and note, and per order line: received, rejected, price charged."""

    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE_INPUT)
    delivery_note_number = forms.CharField(
        label=_("Delivery note no."), max_length=100, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, order_lines: list[PurchaseOrderLine], **kwargs: Any) -> None:
        existing: dict[int, Any] = kwargs.pop("existing", {}) or {}
        super().__init__(*args, **kwargs)
        self.order_lines = order_lines
        self.line_rows = []
        for line in order_lines:
            current = existing.get(line.pk)
            received = forms.DecimalField(
                label=_("Line %(n)s received") % {"n": line.line_no},
                max_digits=14,
                decimal_places=3,
                min_value=Decimal("0"),
                required=False,
                initial=current.quantity_received if current else None,
            )
            rejected = forms.DecimalField(
                label=_("Line %(n)s rejected") % {"n": line.line_no},
                max_digits=14,
                decimal_places=3,
                min_value=Decimal("0"),
                required=False,
                initial=current.quantity_rejected if current else None,
            )
            price = forms.DecimalField(
                label=_("Line %(n)s unit price charged") % {"n": line.line_no},
                max_digits=16,
                decimal_places=4,
                min_value=Decimal("0"),
                required=False,
                initial=current.unit_price_charged if current else None,
                help_text=_("Empty: the agreed price (%(price)s).") % {"price": line.unit_price},
            )
            self.fields[f"received_{line.pk}"] = received
            self.fields[f"rejected_{line.pk}"] = rejected
            self.fields[f"price_{line.pk}"] = price
            self.line_rows.append(
                {
                    "line": line,
                    "received": self[f"received_{line.pk}"],
                    "rejected": self[f"rejected_{line.pk}"],
                    "price": self[f"price_{line.pk}"],
                }
            )

    def delivery_data(self) -> dict[str, Any]:
        return {
            "delivered_on": self.cleaned_data["delivered_on"],
            "delivery_note_number": self.cleaned_data.get("delivery_note_number") or "",
            "note": self.cleaned_data.get("note") or "",
        }

    def line_data(self) -> list[dict[str, Any]]:
        """The lines with a quantity received (an empty row is no part of the delivery)."""
        rows = []
        for line in self.order_lines:
            received = self.cleaned_data.get(f"received_{line.pk}")
            rejected = self.cleaned_data.get(f"rejected_{line.pk}")
            if received is None and not rejected:
                continue
            rows.append(
                {
                    "order_line": line,
                    "quantity_received": received if received is not None else Decimal("0"),
                    "quantity_rejected": rejected or Decimal("0"),
                    "unit_price_charged": self.cleaned_data.get(f"price_{line.pk}"),
                }
            )
        return rows
