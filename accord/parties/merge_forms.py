"""Forms of the merge pages: choose the other record, then the survivor and each field's value.

The comparison shows the two records as columns A (the record whose page the merge started from)
and B (the other); the form speaks of A and B, the service of survivor and loser.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import PersonChoiceField, organization_widget
from .models import Organization, Person
from .services.merge import BOTH, LOSER, SURVIVOR, MergePlan

A, B = "a", "b"


class MergePickForm(forms.Form):
    """Which record to merge with this one: a search box over the visible records of its kind."""

    def __init__(self, *args: Any, user: Any, instance: Person | Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model = type(instance)
        queryset = model.objects.visible_to(user).exclude(pk=instance.pk)
        if model is Person:
            self.fields["other"] = PersonChoiceField(
                queryset=queryset, label=_("Person to merge with")
            )
        else:
            self.fields["other"] = forms.ModelChoiceField(
                queryset=queryset,
                label=_("Organization to merge with"),
                widget=organization_widget(),
            )
        self.fields["other"].help_text = _(
            "Next you choose which of the two records stays and which values it keeps."
        )


class MergeForm(forms.Form):
    """The survivor (A or B) and, per field, whose value to keep (A, B, or both for notes and
    roles). `service_choices()` turns them into the service's survivor/loser terms."""

    survivor = forms.ChoiceField(
        label=_("Record that stays"),
        choices=[(A, _("A")), (B, _("B"))],
        widget=forms.RadioSelect,
        initial=A,
    )

    def __init__(self, *args: Any, plan: MergePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        to_ab = {SURVIVOR: A, LOSER: B, BOTH: BOTH}
        for row in plan.fields:
            choices = [(A, row.survivor_value or "—"), (B, row.loser_value or "—")]
            if row.allow_both:
                choices.append((BOTH, _("both")))
            self.fields[f"field_{row.name}"] = forms.ChoiceField(
                label=row.label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=to_ab[row.default],
                required=False,
            )

    def rows(self) -> list[dict[str, Any]]:
        """The comparison table: one row per field with its two values and its radio buttons."""
        return [
            {"field": row, "bound": self[f"field_{row.name}"]}
            for row in self.plan.fields
            if f"field_{row.name}" in self.fields
        ]

    def survivor_is_a(self) -> bool:
        return self.cleaned_data.get("survivor", A) == A

    def service_choices(self) -> dict[str, str]:
        a_survives = self.survivor_is_a()
        choices = {}
        for row in self.plan.fields:
            value = self.cleaned_data.get(f"field_{row.name}") or None
            if value is None:
                continue
            if value == BOTH:
                choices[row.name] = BOTH
            elif (value == A) == a_survives:
                choices[row.name] = SURVIVOR
            else:
                choices[row.name] = LOSER
        return choices
