"""Forms of the service-level configuration pages (administrators and managers)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import organization_widget
from accord.parties.models import Organization

from ..models import (
    WEEKDAY_CHOICES,
    CaseCategory,
    OrganizationServiceTier,
    ServiceHours,
    ServiceLevelPolicy,
)

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ServiceHoursForm(ServiceModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["0", "1", "2", "3", "4"],
    )

    class Meta:
        model = ServiceHours
        fields = ["name", "team", "weekdays", "start_time", "end_time", "state", "time_zone"]
        widgets = {"start_time": TIME_INPUT, "end_time": TIME_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = [str(d) for d in self.instance.weekday_numbers]

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["weekdays"] = ",".join(sorted(data.get("weekdays") or []))
        return data


class ServiceLevelPolicyForm(ServiceModelForm):
    class Meta:
        model = ServiceLevelPolicy
        fields = [
            "name",
            "priority",
            "tier",
            "first_response_hours",
            "resolution_hours",
            "warning_percent",
            "active",
        ]

    def _post_clean(self) -> None:
        pass


class OrganizationServiceTierForm(ServiceModelForm):
    class Meta:
        model = OrganizationServiceTier
        fields = ["organization", "tier", "note"]
        widgets = {"organization": organization_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user)

    def _post_clean(self) -> None:
        pass


class CaseCategoryForm(ServiceModelForm):
    class Meta:
        model = CaseCategory
        fields = ["name", "order", "active"]

    def _post_clean(self) -> None:
        pass
