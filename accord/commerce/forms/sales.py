"""Forms of the quote, order, invoice, payment, recurring-order and bank-import pages: they
validate input; the services write (and apply the rules again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, organization_widget
from accord.parties.models import Organization

from ..models import (
    Invoice,
    Order,
    OrderLine,
    Payment,
    Quote,
    QuoteLine,
    RecurringOrder,
    RecurringOrderLine,
)


def _optional(field: forms.Field) -> None:
    field.required = False
    field.widget.attrs.pop("required", None)
    field.widget.attrs.pop("aria-required", None)


class _DocumentForm(OwnerTeamMixin, ServiceModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        # a document's own date defaults to today in its service: the field may stay empty
        for name in ("issued_on", "ordered_on"):
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = self.fields[name].help_text or _("Left empty: today.")
        if "organization" in self.fields:
            self.fields["organization"].widget = organization_widget()
            self.fields["organization"].queryset = Organization.objects.visible_to(self.user)


class QuoteForm(_DocumentForm):
    class Meta:
        model = Quote
        fields = [
            "organization",
            "contact",
            "opportunity",
            "issued_on",
            "valid_until",
            "status",
            "language",
            "currency",
            "notes",
            "owner",
            "team",
        ]
        widgets = {
            "issued_on": DATE_INPUT,
            "valid_until": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].help_text = _("Left empty: 30 days after the quote date.")
        _optional(self.fields["organization"])
        self.fields["organization"].help_text = _(
            "Left empty with an opportunity: the opportunity's organization."
        )
        from accord.parties.forms import person_widget

        self.fields["contact"].widget = person_widget()
        if not self.instance.pk:
            self.fields.pop("status")

    def _post_clean(self) -> None:  # the service validates the whole quote
        pass


class _LineForm(ServiceModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = self.fields["product"].queryset.filter(active=True)
        for name in ("product", "description", "unit_price", "discount"):
            _optional(self.fields[name])
        self.fields["description"].help_text = _("Left empty: the product's name.")
        self.fields["unit_price"].help_text = _("Left empty: the product's list price.")
        self.fields["quantity"].validators = []  # the service names the rule
        self.fields["quantity"].widget.attrs.pop("min", None)

    def _post_clean(self) -> None:
        pass


LINE_FIELDS = ["product", "description", "quantity", "unit_price", "discount", "vat_rate"]


class QuoteLineForm(_LineForm):
    class Meta:
        model = QuoteLine
        fields = LINE_FIELDS


class OrderLineForm(_LineForm):
    class Meta:
        model = OrderLine
        fields = [*LINE_FIELDS, "delivery_date"]
        widgets = {"delivery_date": DATE_INPUT}


class RecurringOrderLineForm(_LineForm):
    class Meta:
        model = RecurringOrderLine
        fields = LINE_FIELDS


class OrderForm(_DocumentForm):
    class Meta:
        model = Order
        fields = [
            "organization",
            "ordered_on",
            "status",
            "currency",
            "language",
            "customer_reference",
            "notes",
            "owner",
            "team",
        ]
        widgets = {"ordered_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields.pop("status")

    def _post_clean(self) -> None:
        pass


class InvoiceForm(_DocumentForm):
    apply_credit = forms.BooleanField(
        label=_("Use the organization's credit"), required=False, initial=True
    )

    class Meta:
        model = Invoice
        fields = [
            "order",
            "issued_on",
            "payment_terms_days",
            "share_percent",
            "language",
            "notes",
            "owner",
            "team",
        ]
        widgets = {"issued_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = (
            Order.objects.visible_to(self.user)
            .exclude(status__in=["cancelled", "paid"])
            .select_related("organization")
        )
        self.fields["order"].label_from_instance = lambda o: f"{o.number} · {o.organization}"
        _optional(self.fields["language"])
        self.fields["language"].help_text = _("Left empty: the order's language.")
        if self.instance.pk:
            for name in ("order", "share_percent", "apply_credit"):
                self.fields.pop(name)

    def _post_clean(self) -> None:
        pass


class PaymentForm(_DocumentForm):
    class Meta:
        model = Payment
        fields = [
            "invoice",
            "organization",
            "amount",
            "currency",
            "received_on",
            "method",
            "reference",
            "owner",
            "team",
        ]
        widgets = {"received_on": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = Invoice.objects.visible_to(self.user).select_related(
            "organization"
        )
        self.fields["invoice"].label_from_instance = lambda i: (
            f"{i.number} · {i.organization} · {i.open_amount} {i.currency}"
        )
        _optional(self.fields["organization"])
        self.fields["organization"].help_text = _("Left empty: the invoice's organization.")
        self.fields["invoice"].help_text = _(
            "Left empty: the whole amount becomes the organization's credit."
        )

    def _post_clean(self) -> None:
        pass


class RecurringOrderForm(_DocumentForm):
    class Meta:
        model = RecurringOrder
        fields = [
            "name",
            "organization",
            "interval",
            "interval_unit",
            "next_on",
            "end_on",
            "active",
            "currency",
            "language",
            "notes",
            "owner",
            "team",
        ]
        widgets = {"next_on": DATE_INPUT, "end_on": DATE_INPUT}

    def _post_clean(self) -> None:
        pass


class AcceptQuoteForm(forms.Form):
    ordered_on = forms.DateField(label=_("Ordered on"), required=False, widget=DATE_INPUT)
    customer_reference = forms.CharField(
        label=_("Customer reference"), max_length=100, required=False
    )


class OrderStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class BankStatementForm(forms.Form):
    file = forms.FileField(
        label=_("CSV bank statement"),
        help_text=_(
            "Columns: date, amount, reference, payer name, IBAN (German or English headers, "
            "“;” or “,”)."
        ),
    )


class BankRowAssignForm(forms.Form):
    invoice = forms.ModelChoiceField(
        label=_("Invoice"), queryset=Invoice.objects.none(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("or organization (as credit)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=organization_widget(),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = (
            Invoice.objects.visible_to(user)
            .exclude(status__in=["paid", "cancelled"])
            .select_related("organization")
        )
        self.fields["invoice"].label_from_instance = lambda i: (
            f"{i.number} · {i.organization} · {i.open_amount} {i.currency}"
        )
        self.fields["organization"].queryset = Organization.objects.visible_to(user)
