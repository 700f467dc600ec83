"""The board's move form: the keyboard alternative to drag and drop, and what a drop posts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.parties.models import Organization

from ..models import LostReason, Opportunity, Stage


class OpportunityMoveForm(forms.Form):
    """Moves one opportunity to another stage of its pipeline.

    `version` is the opportunity's `updated_at` as the board showed it; `board` the board's query
    string (pipeline and filters), so the answer shows the same board. A lost stage asks for the
    reason (and the competitor that won) before the move.
    """

    stage = forms.ModelChoiceField(label=_("Move to"), queryset=Stage.objects.none())
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    board = forms.CharField(widget=forms.HiddenInput, required=False)
    lost_reason = forms.ModelChoiceField(
        label=_("Why was it lost?"),
        queryset=LostReason.objects.none(),
        required=False,
    )
    won_competitor = forms.ModelChoiceField(
        label=_("Competitor that won (optional)"),
        queryset=Organization.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, opportunity: Opportunity, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opportunity = opportunity
        self.fields["stage"].queryset = Stage.objects.filter(pipeline_id=opportunity.pipeline_id)
        self.fields["lost_reason"].queryset = LostReason.objects.filter(active=True).order_by(
            "order", "name"
        )
        self.fields["won_competitor"].queryset = (
            Organization.objects.visible_to(user).filter(is_competitor=True).order_by("name")
        )
