"""Forms of the pipeline pages: they validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT, OwnerTeamMixin, organization_widget

from ..models import LostReason, Opportunity, OpportunityLine, Stage


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Stage) -> str:
        return f"{obj.pipeline} · {obj.name}"


class OpportunityForm(OwnerTeamMixin, ServiceModelForm):
    """`version` carries the record's `updated_at` as the form was shown, so a save over another
    user's change is refused instead of silently overwriting it."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Opportunity
        fields = [
            "organization",
            "title",
            "pipeline",
            "stage",
            "amount",
            "currency",
            "expected_close_date",
            "probability",
            "source",
            "next_step",
            "next_step_date",
            "lost_reason",
            "won_competitor",
            "owner",
            "team",
        ]
        field_classes = {"stage": StageChoiceField}
        widgets = {
            "organization": organization_widget(),
            "won_competitor": organization_widget(),
            "expected_close_date": DATE_INPUT,
            "next_step_date": DATE_INPUT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_owner()
        self.fields["stage"].queryset = Stage.objects.select_related("pipeline")
        # deactivated lost reasons are no longer offered, except the one the deal already has
        self.fields["lost_reason"].queryset = LostReason.objects.filter(
            Q(active=True) | Q(pk=self.instance.lost_reason_id)
        )
        self.fields["probability"].required = False
        self.fields["amount"].required = False
        self.fields["pipeline"].required = False
        self.fields["pipeline"].help_text = _("Left empty: the stage's pipeline.")
        if self.instance.pk and self.instance.updated_at:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def add_error(self, field: str | None, error: Any) -> None:
        # a refused stale save is about the whole form, not the hidden field
        super().add_error(None if field == "version" else field, error)

    def _post_clean(self) -> None:
        # The service applies the defaults (pipeline, probability) and the rules; the model's
        # own validation runs there, on the complete record.
        pass

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not data.get("version"):
            data.pop("version", None)
        return data


class OpportunityLineForm(ServiceModelForm):
    class Meta:
        model = OpportunityLine
        fields = ["product", "quantity", "unit_price", "discount"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = self.fields["product"].queryset.filter(active=True)
        self.fields["unit_price"].required = False
        self.fields["unit_price"].help_text = _("Left empty: the product's list price.")
        self.fields["discount"].required = False

    def _post_clean(self) -> None:
        pass
