"""Forms of the community pages: they validate input; the services write. Related choices are
limited to the rows the user may see (`ServiceModelForm`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.contracts.models import Commitment
from accord.core.forms import ServiceModelForm
from accord.core.widgets import AutocompleteSelect
from accord.interactions.models import Interaction
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, PersonChoiceField, organization_widget
from accord.parties.models import Organization, Person
from accord.pipeline.forms.signals import (
    INTERACTION_AUTOCOMPLETE_URL,
    InteractionMultipleChoiceField,
    interaction_label,
)

from ..choices import ConcernStatus, StakeholderCategory
from ..models import (
    Concern,
    Consultation,
    EngagementPlan,
    PlannedEngagement,
    StakeholderAssessment,
    StakeholderProject,
)

RATING_CHOICES = [(i, str(i)) for i in range(1, 6)]


class StakeholderFieldsMixin(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=organization_widget(),
    )
    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("An organization or a person, not both."),
    )


class InteractionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            AutocompleteSelect(
                INTERACTION_AUTOCOMPLETE_URL,
                "interaction",
                search_label=_("Search interactions by subject …"),
            ),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Interaction) -> str:
        return interaction_label(obj)


class _NoPostClean:
    def _post_clean(self) -> None:
        # The service applies the rules on the complete record.
        pass


class StakeholderProjectForm(OwnerTeamMixin, ServiceModelForm):
    class Meta:
        model = StakeholderProject
        fields = ["name", "description", "location", "is_active", "response_days", "owner", "team"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()


class StakeholderAssessmentForm(
    _NoPostClean, OwnerTeamMixin, StakeholderFieldsMixin, ServiceModelForm
):
    power = forms.TypedChoiceField(
        label=_("Power"),
        choices=RATING_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("1 (none) to 5 (decides); 3 or more counts as power."),
    )
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=RATING_CHOICES,
        coerce=int,
        initial=3,
        help_text=_("1 (indifferent) to 5 (affected, engaged)."),
    )

    class Meta:
        model = StakeholderAssessment
        fields = [
            "organization",
            "person",
            "project",
            "category",
            "power",
            "interest",
            "legitimacy",
            "urgency",
            "attitude",
            "assessed_on",
            "note",
            "owner",
            "team",
        ]
        widgets = {"assessed_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "legitimacy": _("Their claim is legitimate (by law, contract or moral right)."),
            "urgency": _("Their claim calls for immediate attention."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()


class EngagementPlanForm(_NoPostClean, OwnerTeamMixin, StakeholderFieldsMixin, ServiceModelForm):
    class Meta:
        model = EngagementPlan
        fields = [
            "organization",
            "person",
            "project",
            "current_level",
            "target_level",
            "next_review_on",
            "note",
            "owner",
            "team",
        ]
        widgets = {"next_review_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()


class PlannedEngagementForm(_NoPostClean, ServiceModelForm):
    interaction = InteractionChoiceField(
        label=_("Interaction"),
        queryset=Interaction.objects.all(),
        required=False,
        help_text=_("The interaction in which it took place (marks it done)."),
    )

    class Meta:
        model = PlannedEngagement
        fields = ["planned_on", "kind", "purpose", "done", "interaction"]
        widgets = {"planned_on": DATE_INPUT}


class CommitmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        due = f" · {obj.due_date:%d.%m.%Y}" if obj.due_date else ""
        return f"{obj.title}{due}"


class ConcernForm(_NoPostClean, OwnerTeamMixin, ServiceModelForm):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=organization_widget(),
    )
    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("Who raised it: an organization, a person or both."),
    )
    commitments = CommitmentChoices(
        label=_("Commitments made in return"),
        queryset=Commitment.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Concern
        fields = [
            "title",
            "description",
            "organization",
            "person",
            "project",
            "consultation",
            "received_on",
            "response_due_on",
            "commitments",
            "owner",
            "team",
        ]
        widgets = {
            "received_on": DATE_INPUT,
            "response_due_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "response_due_on": _("Left empty: received on + the project's response time.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        field = self.fields["commitments"]
        # standalone promises the user sees, and those already linked
        allowed = Q(contract__isnull=True)
        if self.instance.pk:
            allowed |= Q(pk__in=self.instance.commitments.values("pk"))
        field.queryset = field.queryset.filter(allowed).order_by("-due_date", "title")

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if "commitments" in data:
            data["commitments"] = list(data["commitments"])
        return data


class ConcernTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ConcernStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reopen a resolved concern."),
    )


class ConsultationForm(_NoPostClean, OwnerTeamMixin, ServiceModelForm):
    interactions = InteractionMultipleChoiceField(
        label=_("Interactions"),
        queryset=Interaction.objects.all(),
        required=False,
        help_text=_("Talks and letters that belong to it."),
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "kind",
            "project",
            "starts_on",
            "ends_on",
            "place",
            "note",
            "interactions",
            "owner",
            "team",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if "interactions" in data:
            data["interactions"] = list(data["interactions"])
        return data


class GridFilterForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=StakeholderProject.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *StakeholderCategory.choices], required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = StakeholderProject.objects.visible_to(user).order_by(
            "-is_active", "name"
        )
