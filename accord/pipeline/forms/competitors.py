"""Forms of the competitor pages and sections: they validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT

from ..choices import CompetitorStatus
from ..models import AccountCompetitor, CompetitorProfile, OpportunityCompetitor, Pipeline
from ..selectors import competitors as competitor_selectors
from ..selectors.competitors import WinLossFilters


class CompetitorProfileForm(ServiceModelForm):
    class Meta:
        model = CompetitorProfile
        fields = ["products", "strengths", "weaknesses", "price_position", "notes"]
        widgets = {
            "products": forms.Textarea(attrs={"rows": 3}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "weaknesses": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self) -> None:
        pass  # the service checks the rules (the organization holds the competitor role)


class _PresenceForm(ServiceModelForm):
    """The competitor is chosen among the competitor organizations the user may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "competitor" in self.fields:
            self.fields["competitor"].queryset = competitor_selectors.competitor_choices(self.user)

    def limit_choices(self, name: str, field: forms.ModelChoiceField) -> None:
        pass  # set in __init__: visible organizations with the competitor role

    def _post_clean(self) -> None:
        pass  # the service checks the rules on the complete record


class OpportunityCompetitorForm(_PresenceForm):
    class Meta:
        model = OpportunityCompetitor
        fields = ["competitor", "status", "notes"]


class AccountCompetitorForm(_PresenceForm):
    class Meta:
        model = AccountCompetitor
        fields = ["competitor", "status", "since", "products", "notes"]
        widgets = {"since": DATE_INPUT}


class CompetitorStatusForm(forms.Form):
    """Change one presence's status (a small form on each row)."""

    status = forms.ChoiceField(label=_("Status"), choices=CompetitorStatus.choices)


class WinLossFilterForm(forms.Form):
    """The report's filters; the same form parses the page's and the API's query string."""

    date_from = forms.DateField(label=_("Closed from"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Closed until"), required=False, widget=DATE_INPUT)
    pipeline = forms.ModelChoiceField(
        label=_("Pipeline"), queryset=Pipeline.objects.all(), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("Amounts are summed in one currency; deals in others are left out."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.apps import apps

        self.fields["owner"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
        )
        self.fields["team"].queryset = apps.get_model("users", "Team").objects.order_by("name")
        defaults = WinLossFilters.default()
        self.fields["date_from"].widget.attrs["placeholder"] = defaults.date_from.isoformat()
        self.fields["date_to"].widget.attrs["placeholder"] = defaults.date_to.isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        currency = (data.get("currency") or "").strip().upper()
        if currency and not (len(currency) == 3 and currency.isalpha()):
            self.add_error("currency", _("Enter a three-letter currency code, e.g. EUR."))
        data["currency"] = currency
        return data

    def report_filters(self) -> WinLossFilters:
        """The filters for the selector: the defaults (last twelve months) where left empty."""
        data = self.cleaned_data
        filters = WinLossFilters.default()
        if data.get("date_from"):
            filters.date_from = data["date_from"]
        if data.get("date_to"):
            filters.date_to = data["date_to"]
            if not data.get("date_from"):
                default = WinLossFilters.default(filters.date_to)
                filters.date_from = default.date_from
        if filters.date_from > filters.date_to:
            filters.date_from = WinLossFilters.default(filters.date_to).date_from
        filters.pipeline_id = data["pipeline"].pk if data.get("pipeline") else None
        filters.owner_id = data["owner"].pk if data.get("owner") else None
        filters.team_id = data["team"].pk if data.get("team") else None
        if data.get("currency"):
            filters.currency = data["currency"]
        return filters
