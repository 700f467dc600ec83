"""Form of a request between units: it validates input; the service writes and applies the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, PersonChoiceField
from accord.parties.models import Organization, Person

from ..models import UnitRequest


class UnitRequestForm(OwnerTeamMixin, ServiceModelForm):
    requested_by = PersonChoiceField(
        queryset=Person.objects.all(), required=False, label=_("Requested by")
    )

    class Meta:
        model = UnitRequest
        fields = [
            "title",
            "requester",
            "server",
            "description",
            "status",
            "due_on",
            "requested_by",
            "owner",
            "team",
        ]
        widgets = {"due_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        units = Organization.objects.visible_to(self.user).filter(is_internal=True)
        for name in ("requester", "server"):
            self.fields[name].queryset = units.order_by("name")

    def _post_clean(self) -> None:
        pass
