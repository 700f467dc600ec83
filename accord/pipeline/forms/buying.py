"""Forms of the buying center section: they validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.choices import BuyingRole
from accord.parties.models import Person

from ..models import BuyingCenterMember, Opportunity
from ..selectors import buying as buying_selectors


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        title = f", {obj.job_title}" if obj.job_title else ""
        return f"{obj.full_name}{title}"


class BuyingCenterMemberForm(ServiceModelForm):
    """Add a member: the person is chosen among the people (visible to the user) who hold or held
    a position at the opportunity's organization."""

    class Meta:
        model = BuyingCenterMember
        fields = ["person", "role", "notes"]
        field_classes = {"person": PersonChoiceField}

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        self.opportunity = opportunity
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = buying_selectors.buying_center_candidates(
            self.user, opportunity
        )
        self.fields["person"].help_text = _(
            "People with a position at %(organization)s, now or before."
        ) % {"organization": opportunity.organization}

    def limit_choices(self, name: str, field: forms.ModelChoiceField) -> None:
        pass  # the person's choices are set in __init__ (visible and at the organization)

    def _post_clean(self) -> None:
        pass  # the service checks the rules on the complete record


class BuyingCenterRoleForm(forms.Form):
    """Change one member's role (a small form on each row)."""

    role = forms.ChoiceField(label=_("Buying role"), choices=BuyingRole.choices)
