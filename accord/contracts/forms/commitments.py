"""Forms of the commitment pages: they validate input; the services write and apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.core.widgets import AutocompleteSelect
from accord.parties.forms import (
    DATE_INPUT,
    OwnerTeamMixin,
    PersonChoiceField,
    organization_widget,
)
from accord.parties.models import Person

from ..models.commitments import Commitment
from ..models.contracts import Contract

CONTRACT_AUTOCOMPLETE_URL = "contracts:contract_autocomplete"


class ContractChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            AutocompleteSelect(
                CONTRACT_AUTOCOMPLETE_URL,
                "contract",
                search_label=_("Search contracts by title or number …"),
            ),
        )
        super().__init__(*args, **kwargs)


class CommitmentForm(OwnerTeamMixin, ServiceModelForm):
    contract = ContractChoiceField(
        label=_("Contract"),
        queryset=Contract.objects.all(),
        required=False,
        help_text=_("Left empty: a standalone commitment."),
    )
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.all(), required=False)

    class Meta:
        model = Commitment
        fields = [
            "title",
            "side",
            "kind",
            "status",
            "due_date",
            "fulfilled_on",
            "contract",
            "organization",
            "person",
            "source",
            "description",
            "owner",
            "team",
        ]
        widgets = {
            "organization": organization_widget(),
            "due_date": DATE_INPUT,
            "fulfilled_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()

    def _post_clean(self) -> None:
        pass
