"""Forms of the scorecard pages: criteria parameters, all weights at once, the standings as one
set of rows, the period chooser and the recompute button. They validate input; the services
apply the rules (weights summing to 100 %, standings covering 0–100) and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.intelligence.engine import periods

from ..models import ScorecardCriterion, ScorePeriod, StandingAction


class ScorecardCriterionForm(ServiceModelForm):
    """The formula parameters of one criterion (its weight is set with all the others)."""

    class Meta:
        model = ScorecardCriterion
        fields = [
            "order",
            "tolerance_percent",
            "target_hours",
            "limit_hours",
            "issue_limit",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass


class WeightsForm(forms.Form):
    """A weight and an active flag per criterion; the button pressed says whether to normalise."""

    def __init__(self, *args: Any, criteria: list[ScorecardCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"weight_{c.code}"] = forms.DecimalField(
                label=_("Weight of “%(criterion)s” (%%)") % {"criterion": c},
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=c.weight,
                widget=forms.NumberInput(attrs={"step": "0.01", "required": True}),
            )
            self.fields[f"active_{c.code}"] = forms.BooleanField(
                label=_("“%(criterion)s” active") % {"criterion": c},
                required=False,
                initial=c.active,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"criterion": c, "weight": self[f"weight_{c.code}"], "active": self[f"active_{c.code}"]}
            for c in self.criteria
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weights": {c.code: data[f"weight_{c.code}"] for c in self.criteria},
            "active": {c.code: data[f"active_{c.code}"] for c in self.criteria},
            "normalise": "normalise" in self.data,
        }


class StandingRowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    low = forms.DecimalField(label=_("From score"), min_value=0, max_value=100, required=False)
    high = forms.DecimalField(label=_("To score"), min_value=0, max_value=100, required=False)
    label = forms.CharField(label=_("Label"), max_length=60, required=False)
    action = forms.ChoiceField(
        label=_("On new orders"), choices=StandingAction.choices, required=False
    )
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(k) in (None, "") for k in ("low", "high", "label"))


StandingFormSet = forms.formset_factory(StandingRowForm, extra=2, max_num=20)


def standing_rows(formset: Any) -> list[dict[str, Any]]:
    """The rows to keep (not removed, not blank), for `standings_replace`."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or form.is_blank():
            continue
        rows.append({k: data.get(k) for k in ("id", "low", "high", "label", "action")})
    return rows


class ScorecardPeriodForm(forms.Form):
    """Which month or quarter the scorecard shows."""

    period = forms.ChoiceField(
        label=_("Per"), choices=ScorePeriod.choices, required=False, initial=ScorePeriod.QUARTER
    )
    start = forms.DateField(
        label=_("Period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Any day of the month or quarter."),
    )

    def values(self) -> tuple[str, dt.date | None]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("period") or ScorePeriod.QUARTER
        start = data.get("start")
        return kind, periods.period_start(kind, start) if start else None


class RecomputeForm(forms.Form):
    period = forms.ChoiceField(label=_("Per"), choices=ScorePeriod.choices, required=False)
    count = forms.IntegerField(
        label=_("Periods back"), min_value=1, max_value=24, initial=2, required=False
    )
