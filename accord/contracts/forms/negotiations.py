"""Forms of the negotiation pages: they validate input; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, organization_widget
from accord.parties.models import Organization

from ..models import Negotiation, NegotiationKind, NegotiationRound, NegotiationStatus


class NegotiationForm(OwnerTeamMixin, ServiceModelForm):
    class Meta:
        model = Negotiation
        fields = [
            "title",
            "counterparty",
            "kind",
            "opportunity",
            "contract",
            "purchase_order",
            "started_on",
            "goal",
            "target_value",
            "walk_away_value",
            "currency",
            "status",
            "outcome_reason",
            "closed_on",
            "commitments",
            "owner",
            "team",
        ]
        widgets = {
            "counterparty": organization_widget(),
            "started_on": DATE_INPUT,
            "closed_on": DATE_INPUT,
            "goal": forms.Textarea(attrs={"rows": 3}),
            "outcome_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"owner": _("Negotiator")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        self.fields["closed_on"].help_text = _("Left empty when closing: today.")
        self.fields["outcome_reason"].help_text = _("Required to close the negotiation.")
        self.fields["started_on"].required = False

    def _post_clean(self) -> None:
        # the service applies the rules on the complete record
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if "commitments" in data:
            data["commitments"] = list(data["commitments"])
        return data


class NegotiationRoundForm(ServiceModelForm):
    """A round; on the negotiation's page (add) or on its own page (edit)."""

    class Meta:
        model = NegotiationRound
        fields = [
            "date",
            "offered_by",
            "price",
            "volume",
            "term_months",
            "payment_days",
            "service_level",
            "other_terms",
            "concessions_ours",
            "concessions_theirs",
            "notes",
        ]
        widgets = {
            "date": DATE_INPUT,
            "other_terms": forms.Textarea(attrs={"rows": 2}),
            "concessions_ours": forms.Textarea(attrs={"rows": 2}),
            "concessions_theirs": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self) -> None:
        pass


class NegotiationAnalysisForm(forms.Form):
    """The analysis page's filters; every field may be left empty."""

    start = forms.DateField(label=_("Started from"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Started until"), required=False, widget=DATE_INPUT)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *NegotiationKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *NegotiationStatus.choices], required=False
    )
    negotiator = forms.ModelChoiceField(
        label=_("Negotiator"), queryset=get_user_model().objects.none(), required=False
    )
    counterparty = forms.ModelChoiceField(
        label=_("Counterparty"),
        queryset=Organization.objects.none(),
        required=False,
        widget=organization_widget(),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["negotiator"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
        )
        self.fields["counterparty"].queryset = Organization.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("“Until” must not be before “From”."))
        return data

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "start": data.get("start"),
            "end": data.get("end"),
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "negotiator": data.get("negotiator"),
            "counterparty": data.get("counterparty"),
        }
