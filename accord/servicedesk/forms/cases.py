"""Forms of the case pages: they validate input; the services write and apply the rules
(visible organization, a contact person working there, the clock)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.forms import ServiceModelForm
from accord.interactions.choices import Direction, InteractionKind
from accord.parties.forms import (
    DATE_INPUT,
    OwnerTeamMixin,
    PersonChoiceField,
    organization_widget,
)
from accord.parties.models import Organization, Person
from accord.users.models import Team

from ..models import Case, CaseCategory, CasePriority, CaseStatus

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CaseForm(OwnerTeamMixin, ServiceModelForm):
    person = PersonChoiceField(
        label=_("Contact person"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("Someone at the organization."),
    )

    class Meta:
        model = Case
        fields = [
            "organization",
            "person",
            "subject",
            "description",
            "category",
            "priority",
            "product",
            "contract",
            "order",
            "owner",
            "team",
        ]
        widgets = {
            "organization": organization_widget(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user)
        category = self.fields["category"]
        active = CaseCategory.objects.filter(active=True)
        if self.instance.pk and self.instance.category_id:
            active = CaseCategory.objects.filter(active=True) | CaseCategory.objects.filter(
                pk=self.instance.category_id
            )
        category.queryset = active.order_by("order", "name")
        self.fields["priority"].help_text = _(
            "Decides the service-level targets, with the client's tier."
        )

    def _post_clean(self) -> None:
        # The service checks the complete case (visibility, person at the organization).
        pass


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        help_text=_("Only your colleagues read notes; the client never does."),
    )


class CaseInteractionForm(forms.Form):
    """A message, call or meeting in the case's conversation."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=InteractionKind.choices, initial=InteractionKind.EMAIL
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.OUTBOUND,
        help_text=_("An outbound message is the first response, when there was none yet."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    occurred_at = forms.DateTimeField(
        label=_("Time"), required=False, widget=DATETIME_INPUT, help_text=_("Left empty: now.")
    )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("occurred_at") is None:
            data.pop("occurred_at", None)
        return data


class ServiceStandardsForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=DATE_INPUT
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *CasePriority.choices], required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Organization.objects.none(),
        required=False,
        widget=organization_widget(),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end must not be before the start."))
        return data

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "start": data.get("start"),
            "end": data.get("end"),
            "team": data["team"].pk if data.get("team") else None,
            "priority": data.get("priority") or "",
            "organization": data["organization"].pk if data.get("organization") else None,
        }
