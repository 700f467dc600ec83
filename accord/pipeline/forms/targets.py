"""The revenue target form: it validates input; the service applies the rules and writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accord.core.forms import ServiceModelForm
from accord.parties.forms import DATE_INPUT

from ..models import RevenueTarget


class RevenueTargetForm(ServiceModelForm):
    class Meta:
        model = RevenueTarget
        fields = [
            "period_kind",
            "period_start",
            "scope",
            "user",
            "team",
            "industry",
            "region",
            "amount",
            "currency",
            "notes",
        ]
        widgets = {"period_start": DATE_INPUT}
        help_texts = {
            "period_start": _(
                "The first day of the period: the 1st of the month; 1 January, April, July or "
                "October for a quarter; 1 January for a year. Other dates are refused."
            ),
            "scope": _(
                "Whose target: fill in only the field that belongs to it (user, team, industry "
                "or region); nothing for the whole company."
            ),
            "region": _("As written on the organizations, e.g. Bayern."),
            "amount": _("Revenue to win in the period, counted from won opportunities."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        for name in ("user", "team", "industry", "region"):
            self.fields[name].required = False
            self.fields[name].widget.attrs.pop("required", None)
            self.fields[name].widget.attrs.pop("aria-required", None)

    def _post_clean(self) -> None:
        # The service applies the rules (period start, scope, uniqueness) with their messages.
        pass
