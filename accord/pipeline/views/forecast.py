"""The forecast page: one period, one scope; the figures against the target, a chart, and what it
takes to close the gap, per owner and per team. The numbers come from `selectors.forecast`; this
module parses the choice, turns codes into sentences and draws the charts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core.charts import Series, bar_chart, line_chart
from accord.intelligence.engine import forecast as engine
from accord.intelligence.engine import what_it_takes as wit
from accord.parties.selectors import filter_choices

from ..forms.forecast import ForecastForm
from ..selectors import forecast as forecast_selectors
from ..selectors.targets import attainment_sources_label, company_zone
from ..tables.targets import money

FIGURE_LABELS = {
    "won": gettext_lazy("Won"),
    "committed": gettext_lazy("Committed"),
    "weighted": gettext_lazy("Pipeline-weighted"),
    "best_case": gettext_lazy("Best case"),
    "run_rate": gettext_lazy("Run-rate (statistical)"),
}
FIGURE_HELP = {
    "won": gettext_lazy(
        "Won revenue in the period, counted as for the target: from the sources named above."
    ),
    "committed": gettext_lazy(
        "Won, plus open opportunities expected to close in the period whose stage is the "
        "pipeline's first commit stage or a later one."
    ),
    "weighted": gettext_lazy(
        "Won, plus amount × probability of every open opportunity expected to close in the period."
    ),
    "best_case": gettext_lazy(
        "Won, plus every open opportunity expected to close in the period, in full."
    ),
    "run_rate": gettext_lazy(
        "Exponential smoothing of the won revenue per month of the past up to 36 months."
    ),
}
WIT_NOTES = {
    wit.NO_TARGET: gettext_lazy("No target for this period."),
    wit.COVERED: gettext_lazy("Covered: won and counted pipeline reach the target."),
    wit.NO_HISTORY: gettext_lazy("No deal closed in the history window: no win rate."),
    wit.NO_WINS: gettext_lazy("No deal won in the history window: win rate 0 %."),
    wit.NO_DEAL_SIZE: gettext_lazy("No won deal to take an average size from."),
    wit.NO_MEETINGS: gettext_lazy("No meetings recorded."),
    wit.NO_CYCLE: gettext_lazy("No cycle length known."),
    wit.START_PASSED: gettext_lazy(
        "Too late to start new deals: the gap must come from the pipeline, or deals close late."
    ),
    wit.SHORT_OF_CAPACITY: gettext_lazy("Needs more opportunities than were created per period."),
}
SHOWN_AS_BADGE = {wit.NO_TARGET, wit.START_PASSED, wit.SHORT_OF_CAPACITY}
RUN_RATE_METHODS = {
    engine.HOLT_WINTERS: gettext_lazy(
        "Holt-Winters exponential smoothing (damped additive trend, yearly seasonality)"
    ),
    engine.HOLT: gettext_lazy("Holt's exponential smoothing (damped additive trend)"),
    engine.AVERAGE: gettext_lazy("average of the last months"),
    engine.CONSTANT: gettext_lazy("the same amount every month"),
    engine.NONE: gettext_lazy("no history"),
}
RUN_RATE_NOTES = {
    engine.SHORT_HISTORY: gettext_lazy(
        "Less than a year of won revenue: the run-rate is the average of the last %(n)d months."
    ),
    engine.NO_HISTORY: gettext_lazy("No won revenue in the past: no run-rate forecast."),
    engine.FIT_FAILED: gettext_lazy(
        "The model could not be fitted: the run-rate is the average of the last %(n)d months."
    ),
    engine.NOT_CONVERGED: gettext_lazy(
        "The model's optimiser did not fully converge: treat the run-rate with care."
    ),
}


def _rate(value: float | None, percent: bool = False, digits: int = 1) -> str:
    if value is None:
        return "—"
    number = value * 100 if percent else value
    text = formats.number_format(round(number, digits), digits, use_l10n=True)
    return f"{text} %" if percent else text


def _row(row: forecast_selectors.Row, labels: dict[str, str]) -> dict[str, Any]:
    result = row.result
    label = row.label or labels.get(row.kind, "")
    return {
        "row": row,
        "label": label,
        "win_rate": _rate(row.rates.win_rate, percent=True),
        "avg_deal": money(row.rates.avg_deal),
        "cycle_days": _rate(row.rates.cycle_days, digits=0),
        "meetings_per_opportunity": _rate(row.rates.meetings_per_opportunity),
        "created_per_period": _rate(row.rates.opportunities_per_period),
        "notes": [WIT_NOTES[n] for n in result.notes if n not in SHOWN_AS_BADGE],
        "short": result.short_of_capacity,
        "late": result.start_passed,
    }


def _figures(result: forecast_selectors.Forecast) -> list[dict[str, Any]]:
    out = []
    for key, figure in result.figures.items():
        out.append(
            {
                "key": key,
                "label": FIGURE_LABELS[key],
                "help": FIGURE_HELP[key],
                "amount": figure.amount,
                "lower": figure.lower,
                "upper": figure.upper,
                "gap": figure.gap,
                "percent": figure.percent,
            }
        )
    return out


def _month_label(point: forecast_selectors.MonthPoint) -> str:
    return formats.date_format(point.month, "M y")


def _charts(result: forecast_selectors.Forecast) -> dict[str, Any]:
    target = result.target.amount if result.target else None
    figures = result.figures
    keys = list(figures)
    comparison_series = [Series(_("Forecast"), [float(figures[k].amount) for k in keys])]
    if target is not None:
        comparison_series.append(Series(_("Target"), [float(target)] * len(keys)))
    comparison = bar_chart(
        title=_("%(period)s: forecast against target") % {"period": result.period_label},
        labels=[str(FIGURE_LABELS[k]) for k in keys],
        series=comparison_series,
        value_formatter=money,
        truncate_label=30,
        # pygal places a bottom legend with fewer series than columns outside the picture
        legend_at_bottom_columns=len(comparison_series),
    )
    months = result.months
    series = [
        Series(_("Won"), [float(p.won) if p.won is not None else None for p in months]),
        Series(
            _("Run-rate forecast"),
            [float(p.forecast) if p.forecast is not None else None for p in months],
            {"stroke_style": {"dasharray": "6,4"}},
        ),
    ]
    if result.run_rate is not None and result.run_rate.has_interval:
        series += [
            Series(
                _("Forecast low"),
                [float(p.lower) if p.lower is not None else None for p in months],
                {"stroke_style": {"dasharray": "2,4"}, "show_dots": False},
            ),
            Series(
                _("Forecast high"),
                [float(p.upper) if p.upper is not None else None for p in months],
                {"stroke_style": {"dasharray": "2,4"}, "show_dots": False},
            ),
        ]
    if target is not None:
        series.append(
            Series(
                _("Target per month"),
                [float(p.target_share) if p.target_share is not None else None for p in months],
            )
        )
    monthly = line_chart(
        title=_("Won revenue per month and run-rate forecast"),
        labels=[_month_label(p) for p in months],
        series=series,
        value_formatter=money,
        legend_at_bottom_columns=len(series),
    )
    return {"comparison_chart": comparison, "monthly_chart": monthly}


def _run_rate_text(result: forecast_selectors.Forecast) -> dict[str, Any]:
    rr = result.run_rate
    if rr is None:
        return {"method": _("the period is over: won revenue only"), "notes": []}
    n = rr.months_averaged or engine.FALLBACK_MONTHS
    return {
        "method": RUN_RATE_METHODS.get(rr.method, rr.method),
        "notes": [RUN_RATE_NOTES[code] % {"n": n} for code in rr.notes if code in RUN_RATE_NOTES],
        "history_months": rr.history_months,
        "level": round(rr.level * 100),
    }


class ForecastView(LoginRequiredMixin, View):
    template_name = "pipeline/forecast/forecast.html"
    partial_template_name = "pipeline/forecast/partials/forecast_body.html"

    def get(self, request):
        today = timezone.now().astimezone(company_zone()).date()
        names = filter_choices()
        form = ForecastForm(
            request.GET,
            today=today,
            names=names,
            regions=forecast_selectors.regions(request.user),
        )
        # won counts what the target's attainment counts: won opportunities and orders
        sources = attainment_sources_label(only=forecast_selectors.source_names())
        ctx: dict[str, Any] = {"form": form, "sources": sources}
        if form.is_valid():
            result = forecast_selectors.forecast(request.user, form.forecast_request(), names=names)
            labels = {"total": _("All"), "owner": _("No owner"), "team": _("No team")}
            ctx.update(
                {
                    "result": result,
                    "scope_label": _scope_label(form),
                    "figures": _figures(result),
                    "run_rate": _run_rate_text(result),
                    "total_row": _row(result.total, labels),
                    "total_rows": [_row(result.total, labels)],
                    "owner_rows": [_row(r, labels) for r in result.owners],
                    "team_rows": [_row(r, labels) for r in result.teams],
                    "basis_label": dict(form.fields["basis"].choices)[result.request.basis],
                    **_charts(result),
                }
            )
        htmx = getattr(request, "htmx", False)
        partial = bool(htmx) and not htmx.boosted
        return render(request, self.partial_template_name if partial else self.template_name, ctx)


def _scope_label(form: ForecastForm) -> str:
    data = form.cleaned_data
    scope = data["scope"]
    label = str(dict(form.fields["scope"].choices)[scope])
    detail = ""
    if scope in ("user", "team"):
        detail = str(dict(form.fields[scope].choices).get(str(data.get(scope)), ""))
    elif scope == "industry":
        detail = str(dict(form.fields["industry"].choices).get(data.get("industry"), ""))
    elif scope == "region":
        detail = data.get("region") or ""
    return f"{label}: {detail}" if detail else label
