"""The forecast page's choice of period, scope and basis (a GET form; it only parses)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accord.core.filters import speed_up_widgets
from accord.intelligence.engine import periods
from accord.parties.choices import Industry

from ..choices import PeriodKind, TargetScope
from ..selectors.forecast import BASES, WINDOW_MONTHS, ForecastRequest
from ..selectors.targets import Scope

AHEAD = {PeriodKind.MONTH: 3, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 2}


def period_value(kind: str, start: dt.date) -> str:
    return f"{kind}:{start.isoformat()}"


def period_text(kind: str, start: dt.date) -> str:
    if kind == PeriodKind.MONTH:
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    if kind == PeriodKind.QUARTER:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def parse_period(value: str) -> tuple[str, dt.date] | None:
    kind, _sep, start = (value or "").partition(":")
    if kind not in PeriodKind.values:
        return None
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        return None
    if not periods.is_period_start(kind, day):
        return None
    return kind, day


def period_choices(today: dt.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The current period of each kind and the next ones, grouped by kind."""
    groups = []
    for kind in (PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.YEAR):
        starts = periods.upcoming(kind, today, AHEAD[kind])
        groups.append(
            (str(kind.label), [(period_value(kind, s), period_text(kind, s)) for s in starts])
        )
    return groups


class ForecastForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    scope = forms.ChoiceField(label=_("For"), choices=TargetScope.choices, initial="company")
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    user = forms.TypedChoiceField(
        label=pgettext_lazy("colleague", "User"), required=False, coerce=int, empty_value=None
    )
    industry = forms.ChoiceField(
        label=_("Industry"), required=False, choices=[("", "—"), *Industry.choices]
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    basis = forms.ChoiceField(
        label=_("Gap after"),
        choices=[
            ("weighted", _("won and weighted open pipeline")),
            ("committed", _("won and committed pipeline")),
        ],
        initial="weighted",
        required=False,
    )
    window = forms.IntegerField(
        label=_("History (months)"),
        min_value=3,
        max_value=36,
        initial=WINDOW_MONTHS,
        required=False,
        help_text=_("Win rate, deal size and cycle length come from this many past months."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        today: dt.date,
        names: dict[str, list[tuple[str, str]]],
        regions: list[str],
    ) -> None:
        data = data.copy() if data is not None else None
        if data is not None:
            for name in ("period", "scope", "basis", "window"):
                if not data.get(name):
                    data[name] = self.initial_value(name, today)
        super().__init__(data, initial={"period": self.initial_value("period", today)})
        choices = period_choices(today)
        wanted = parse_period(data.get("period", "")) if data is not None else None
        known = {value for _group, items in choices for value, _label in items}
        if wanted and period_value(*wanted) not in known:  # e.g. a past period, from a target
            choices.insert(0, (str(_("Chosen")), [(period_value(*wanted), period_text(*wanted))]))
        self.fields["period"].choices = choices
        self.fields["team"].choices = [("", "—"), *names["team"]]
        self.fields["user"].choices = [("", "—"), *names["user"]]
        self.fields["region"].widget.attrs["list"] = "forecast-regions"
        self.regions = regions
        speed_up_widgets(self)

    @staticmethod
    def initial_value(name: str, today: dt.date) -> str:
        if name == "period":
            return period_value(PeriodKind.QUARTER, periods.period_start("quarter", today))
        return {"scope": "company", "basis": "weighted", "window": str(WINDOW_MONTHS)}[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = data.get("scope")
        needed = {
            TargetScope.USER: "user",
            TargetScope.TEAM: "team",
            TargetScope.INDUSTRY: "industry",
            TargetScope.REGION: "region",
        }.get(scope or "")
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose whose forecast to show."))
        if data.get("basis") not in BASES:
            data["basis"] = "weighted"
        return data

    def forecast_request(self) -> ForecastRequest:
        data = self.cleaned_data
        parsed = parse_period(data["period"])
        assert parsed is not None  # the choices hold valid periods only
        kind, start = parsed
        scope = data["scope"]
        return ForecastRequest(
            period_kind=kind,
            period_start=start,
            scope=Scope(
                kind=scope,
                user_id=data.get("user") if scope == TargetScope.USER else None,
                team_id=data.get("team") if scope == TargetScope.TEAM else None,
                industry=data.get("industry") or "" if scope == TargetScope.INDUSTRY else "",
                region=(data.get("region") or "").strip() if scope == TargetScope.REGION else "",
            ),
            basis=data.get("basis") or "weighted",
            window_months=data.get("window") or WINDOW_MONTHS,
        )
