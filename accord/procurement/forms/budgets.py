"""Forms of the budget pages and the cost trends: they validate input; the services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin
from accord.parties.models import Organization

from ..models import Budget, SupplyCategory
from ..selectors import budgets as selectors


class BudgetForm(OwnerTeamMixin, ServiceModelForm):
    class Meta:
        model = Budget
        fields = [
            "business_unit",
            "category",
            "period_kind",
            "period_start",
            "amount",
            "currency",
            "notes",
            "owner",
            "team",
        ]
        widgets = {"period_start": DATE_INPUT}
        help_texts = {
            "period_start": _(
                "The first day of the period: the 1st of the month; 1 January, April, July or "
                "October for a quarter; 1 January for a year. Other dates are refused."
            ),
            "owner": _("Hears when the spend passes 90 % or 100 % or is forecast to exceed it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        self.fields["business_unit"].queryset = selectors.business_units(self.user)
        self.fields["category"].queryset = selectors.categories()

    def _post_clean(self) -> None:
        # The service applies the rules (period start, unit, uniqueness) with their messages.
        pass


class CostTrendForm(forms.Form):
    """The cost trend page's choices: category, supplier, unit, per month or quarter, window."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=SupplyCategory.objects.order_by("name"), required=False
    )
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Organization.objects.none(), required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    period = forms.ChoiceField(
        label=_("Per"), choices=[("month", _("Month")), ("quarter", _("Quarter"))], required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = (
            Organization.objects.visible_to(user)
            .filter(purchase_orders__isnull=False)
            .distinct()
            .order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("“Until” must not be before “From”."))
        return data

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        category = (
            data.get("category")
            or SupplyCategory.objects.filter(order_lines__isnull=False).order_by("name").first()
        )
        end: dt.date | None = data.get("end")
        return {
            "category": category,
            "supplier": data.get("supplier"),
            "unit": data.get("unit") or None,
            "period": data.get("period") or "month",
            "start": data.get("start"),
            "end": end,
        }
