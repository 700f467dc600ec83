"""Forms for interactions and follow-ups; they validate, the services write.

Organizations and people are chosen with the search box of `core.widgets` (served by
`parties:autocomplete`): only the chosen rows are ever rendered, so the form stays small with
10,000 organizations, and a plain POST of repeated ids works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.forms import BulkEditForm, ServiceModelForm
from accord.parties.forms import (
    OrganizationMultipleChoiceField,
    PersonChoiceField,
    PersonMultipleChoiceField,
    organization_widget,
)
from accord.parties.models import Organization, Person
from accord.users.models import Team

from .models import FollowUp, Interaction

DATETIME_LOCAL_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
]


def active_users():
    return get_user_model().objects.filter(is_active=True)


class InteractionForm(ServiceModelForm):
    """Log or edit an interaction; optionally create a follow-up with it in the same step."""

    occurred_at = forms.DateTimeField(
        label=_("time"),
        input_formats=DATETIME_LOCAL_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your own time zone. Meetings, visits and calls may be planned ahead."),
    )
    organizations = OrganizationMultipleChoiceField(
        label=_("organizations"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("Leave empty to use the current organizations of the people chosen."),
    )
    people = PersonMultipleChoiceField(
        label=_("their people"), queryset=Person.objects.all(), required=False
    )
    users = forms.ModelMultipleChoiceField(
        label=_("our participants"),
        queryset=active_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    followup_title = forms.CharField(label=_("follow-up"), max_length=300, required=False)
    followup_due_date = forms.DateField(
        label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    followup_assignee = forms.ModelChoiceField(
        label=_("assignee"),
        queryset=active_users(),
        required=False,
        empty_label=_("me"),
    )

    followup_fields = ("followup_title", "followup_due_date", "followup_assignee")

    class Meta:
        model = Interaction
        fields = [
            "kind",
            "direction",
            "occurred_at",
            "duration_minutes",
            "subject",
            "body",
            "organizations",
            "people",
            "users",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("occurred_at", now)
        # Our colleagues are few; the checkboxes list them without a search.
        self.fields["users"].queryset = active_users()

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.followup_fields]

    def follow_up_fields(self):
        return [self[name] for name in self.followup_fields]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        title = data.pop("followup_title", "")
        due = data.pop("followup_due_date", None)
        assignee = data.pop("followup_assignee", None)
        for key in ("organizations", "people", "users"):
            if key in data:
                data[key] = list(data[key])
        if title or due:
            data["follow_up"] = {"title": title, "due_date": due, "assignee": assignee}
        return data


class InteractionBulkEditForm(BulkEditForm):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=active_users(), required=False)
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.all(), required=False)


class FollowUpForm(ServiceModelForm):
    """A task with a due date; the assignee defaults to whoever creates it."""

    assignee = forms.ModelChoiceField(
        label=_("assignee"), queryset=active_users(), required=False, empty_label=_("me")
    )
    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=organization_widget(),
    )
    person = PersonChoiceField(label=_("person"), queryset=Person.objects.all(), required=False)
    interaction = forms.ModelChoiceField(
        queryset=Interaction.objects.all(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = FollowUp
        fields = [
            "title",
            "notes",
            "due_date",
            "assignee",
            "organization",
            "person",
            "status",
            "interaction",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = active_users()
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("due_date", timezone.localdate())


class FollowUpBulkEditForm(BulkEditForm):
    assignee = forms.ModelChoiceField(label=_("assignee"), queryset=active_users(), required=False)
    due_date = forms.DateField(
        label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("— unchanged —")), *FollowUp._meta.get_field("status").choices],
    )
