"""The time-in-stage report's choices: a pipeline (or all) and the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Pipeline

MAX_SPAN = dt.timedelta(days=5 * 366)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today."""
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28) + dt.timedelta(days=1)
    return start, today


class StageTimesForm(forms.Form):
    pipeline = forms.ModelChoiceField(
        label=_("Pipeline"),
        queryset=Pipeline.objects.order_by("-is_default", "name"),
        required=False,
        empty_label=_("All pipelines"),
    )
    start = forms.DateField(label=_("Entered the stage from"), required=False, widget=_date_input())
    end = forms.DateField(label=_("to"), required=False, widget=_date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if start > end:
            self.add_error("end", _("The end of the period must not be before its start."))
        elif end - start > MAX_SPAN:
            self.add_error("start", _("Choose a period of at most five years."))
        data["start"], data["end"] = start, end
        return data
