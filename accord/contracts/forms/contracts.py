"""Forms of the contract pages: they validate input; the services write and apply the rules.

The counterparty, further parties and the opportunity are chosen with search boxes
(`core.widgets`); their querysets are limited to the rows the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from accord.parties.forms import (
    DATE_INPUT,
    OrganizationMultipleChoiceField,
    OwnerTeamMixin,
    organization_widget,
)
from accord.parties.models import Organization
from accord.pipeline.models import Opportunity

from ..models.contracts import Contract

OPPORTUNITY_AUTOCOMPLETE_URL = "contracts:opportunity_autocomplete"
PURCHASE_ORDER_AUTOCOMPLETE_URL = "contracts:purchaseorder_autocomplete"


def has_purchase_orders() -> bool:
    return any(f.name == "purchase_orders" for f in Contract._meta.many_to_many)


class OpportunityChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            AutocompleteSelect(
                OPPORTUNITY_AUTOCOMPLETE_URL,
                "opportunity",
                search_label=_("Search opportunities by title …"),
            ),
        )
        super().__init__(*args, **kwargs)


class ContractForm(OwnerTeamMixin, ServiceModelForm):
    further_parties = OrganizationMultipleChoiceField(
        label=_("Further parties"), queryset=Organization.objects.all(), required=False
    )
    opportunity = OpportunityChoiceField(
        label=_("Opportunity"),
        queryset=Opportunity.objects.all(),
        required=False,
        help_text=_("The won opportunity this contract came from."),
    )

    class Meta:
        model = Contract
        fields = [
            "title",
            "number",
            "side",
            "contract_type",
            "counterparty",
            "further_parties",
            "business_unit",
            "value",
            "currency",
            "start_date",
            "end_date",
            "auto_renewal",
            "renewal_term_months",
            "notice_period",
            "notice_unit",
            "status",
            "terminated_on",
            "opportunity",
            "notes",
            "owner",
            "team",
        ]
        widgets = {
            "counterparty": organization_widget(),
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "terminated_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        unit = self.fields["business_unit"]
        unit.queryset = unit.queryset.filter(is_internal=True).order_by("name")  # type: ignore[attr-defined]
        if has_purchase_orders():
            model = Contract._meta.get_field("purchase_orders").related_model
            field = forms.ModelMultipleChoiceField(
                label=_("Purchase orders"),
                queryset=model._default_manager.visible_to(self.user),  # type: ignore[attr-defined]
                required=False,
                widget=AutocompleteSelectMultiple(
                    PURCHASE_ORDER_AUTOCOMPLETE_URL,
                    "purchaseorder",
                    search_label=_("Search purchase orders …"),
                ),
            )
            self.fields["purchase_orders"] = field
            if self.instance.pk and not self.is_bound:
                self.initial["purchase_orders"] = list(
                    self.instance.purchase_orders.values_list("pk", flat=True)  # type: ignore[attr-defined]
                )

    def _post_clean(self) -> None:
        # The service applies the rules (dates, notice period, visibility of links).
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        for key in ("further_parties", "purchase_orders"):
            if key in data:
                data[key] = list(data[key])
        return data


class ContractDocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty: the file name."),
    )
    file = forms.FileField(label=_("File"))


class ContractCalendarForm(forms.Form):
    """Which month (default: this one), and whose contracts."""

    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    view = forms.ChoiceField(
        label=_("Show as"),
        choices=[("month", _("Month grid")), ("list", _("List"))],
        required=False,
    )
