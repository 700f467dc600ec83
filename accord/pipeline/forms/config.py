"""Forms of the pipeline configuration pages: they validate input; the services write and apply
the rules (with messages naming the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm

from ..models import LostReason, Pipeline, Stage


class _ServiceRules:
    """The model's own validation (unique names, ranges) is left to the services, which name
    the field in their messages."""

    def _post_clean(self) -> None:
        pass


class PipelineForm(_ServiceRules, ServiceModelForm):
    copy_stages_from = forms.ModelChoiceField(
        label=_("Start with the stages of"),
        queryset=Pipeline.objects.order_by("-is_default", "name"),
        required=False,
        empty_label=_("— a few starter stages —"),
        help_text=_("Stages can be added, renamed and reordered afterwards."),
    )

    class Meta:
        model = Pipeline
        fields = ["name", "is_default"]
        help_texts = {
            "is_default": _(
                "The board and new opportunities use the default pipeline; there is exactly one."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["copy_stages_from"]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if not data.get("copy_stages_from"):
            data.pop("copy_stages_from", None)
        return data


class StageForm(_ServiceRules, ServiceModelForm):
    class Meta:
        model = Stage
        fields = ["name", "kind", "probability", "is_commit", "order"]
        help_texts = {
            "probability": _("Per cent, 0–100: new and moved opportunities start with it."),
            "is_commit": _("Deals in commit stages count as committed in the forecast."),
            "order": _("Stages are shown by this number, lowest first."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["probability"].widget.attrs.update({"min": 0, "max": 100})
        if not self.instance.pk:
            self.fields["order"].help_text = _("Left empty: after the last stage.")

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if data.get("order") is None:
            data.pop("order", None)
        return data


class LostReasonForm(_ServiceRules, ServiceModelForm):
    class Meta:
        model = LostReason
        fields = ["name", "active", "order"]
        help_texts = {
            "active": _("Inactive reasons are kept on past deals but no longer offered."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if data.get("order") is None:
            data.pop("order", None)
        return data
