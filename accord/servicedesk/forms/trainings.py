"""Forms of the training pages: the training's facts, registering a person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, PersonChoiceField
from accord.parties.models import Person

from ..models import Training


class TrainingForm(ServiceModelForm):
    """Topic, seats and registration deadline (the date, place and people are the
    appointment's)."""

    class Meta:
        model = Training
        fields = ["topic", "capacity", "registration_deadline"]
        widgets = {"registration_deadline": DATE_INPUT}

    def _post_clean(self) -> None:
        pass


class RegistrationForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).select_related(
            "organization"
        )
        self.fields["person"].widget.attrs.setdefault("required", True)
