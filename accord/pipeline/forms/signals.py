"""Forms of the market signal pages: they validate input; the services write.

Organizations, people and interactions are chosen with the search box of `core.widgets`; their
querysets are limited to the rows the user may see (`ServiceModelForm`), so a posted id of any
other row is refused as an invalid choice, and the service checks again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.core.widgets import AutocompleteSelectMultiple
from accord.interactions.models import Interaction
from accord.parties.choices import Industry
from accord.parties.forms import (
    DATE_INPUT,
    IdRangeMixin,
    OrganizationMultipleChoiceField,
    OwnerTeamMixin,
    PersonMultipleChoiceField,
)
from accord.parties.models import Organization, Person

from ..choices import SignalDirection, SignalKind
from ..models import MarketSignal, Pipeline
from ..selectors import signals as signal_selectors

INTERACTION_AUTOCOMPLETE_URL = "pipeline:marketsignal_interaction_autocomplete"


def interaction_label(interaction: Interaction) -> str:
    """ "12.03.2025 · Angebot Wärmepumpen"."""
    when = formats.date_format(interaction.occurred_at, "SHORT_DATE_FORMAT")
    return f"{when} · {interaction.subject}"


class InteractionMultipleChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):
    """Interactions chosen with a search box over their subjects."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            AutocompleteSelectMultiple(
                INTERACTION_AUTOCOMPLETE_URL,
                "interaction",
                search_label=_("Search interactions by subject …"),
            ),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Interaction) -> str:
        return interaction_label(obj)


class TopicInput(forms.TextInput):
    """A text box with the topics in use as suggestions (a `<datalist>`); any new topic may be
    typed."""

    template_name = "pipeline/signals/topic_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.suggestions: list[str] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        ctx = super().get_context(name, value, attrs)
        widget_id = ctx["widget"]["attrs"].get("id") or f"id_{name}"
        ctx["widget"]["attrs"]["list"] = f"{widget_id}_suggestions"
        ctx["widget"]["datalist_id"] = f"{widget_id}_suggestions"
        ctx["widget"]["suggestions"] = self.suggestions
        return ctx


class MarketSignalForm(OwnerTeamMixin, ServiceModelForm):
    organizations = OrganizationMultipleChoiceField(
        label=_("Organizations"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("From whom the signal came (clients, prospects, partners)."),
    )
    people = PersonMultipleChoiceField(
        label=_("People"), queryset=Person.objects.all(), required=False
    )
    interactions = InteractionMultipleChoiceField(
        label=_("Interactions"),
        queryset=Interaction.objects.all(),
        required=False,
        help_text=_("Meetings, calls or mails where it came up."),
    )

    class Meta:
        model = MarketSignal
        fields = [
            "title",
            "topic",
            "kind",
            "direction",
            "industry",
            "observed_on",
            "note",
            "organizations",
            "people",
            "interactions",
            "owner",
            "team",
        ]
        widgets = {
            "topic": TopicInput(),
            "observed_on": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        topic = self.fields["topic"]
        topic.widget.suggestions = signal_selectors.topic_suggestions(self.user)
        topic.help_text = _("Pick a topic in use, so that the trend view counts them together.")

    def _post_clean(self) -> None:
        # The service applies the rules (visibility of links, dates) on the complete record.
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        for key in ("organizations", "people", "interactions"):
            if key in data:
                data[key] = list(data[key])
        return data


class SignalToOpportunityForm(forms.Form):
    """Which of the signal's organizations, which pipeline, how much and when."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    pipeline = forms.ModelChoiceField(
        label=_("Pipeline"),
        queryset=Pipeline.objects.all(),
        required=False,
        help_text=_("Left empty: the default pipeline."),
    )
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    expected_close_date = forms.DateField(
        label=_("Expected close date"), required=False, widget=DATE_INPUT
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
            if not self.is_bound and len(organizations) == 1:
                self.initial.setdefault("organization", organizations[0].pk)
        for field in self.fields.values():
            if field.required:
                field.widget.attrs.setdefault("required", True)
                field.widget.attrs.setdefault("aria-required", "true")


class SignalTrendForm(forms.Form):
    """The trend view's choices; every field may be left empty (defaults: by month, the last
    twelve months, everything)."""

    period = forms.ChoiceField(
        label=_("Per"),
        choices=[(signal_selectors.MONTH, _("Month")), (signal_selectors.QUARTER, _("Quarter"))],
        required=False,
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", "—"), *Industry.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *SignalKind.choices], required=False
    )
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", "—"), *SignalDirection.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("“Until” must not be before “From”."))
        return data

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "period": data.get("period") or signal_selectors.MONTH,
            "start": data.get("start"),
            "end": data.get("end"),
            "industry": data.get("industry") or "",
            "kind": data.get("kind") or "",
            "direction": data.get("direction") or "",
        }
