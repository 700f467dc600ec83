"""API of the forecast: the figures of one period and scope against its target, and what it takes
to close the gap (per owner and team). Read-only; only opportunities the caller may see count."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accord.intelligence.engine import periods
from accord.parties.choices import Industry

from ..choices import PeriodKind, TargetScope
from ..forms.forecast import parse_period
from ..selectors import forecast as forecast_selectors
from ..selectors.targets import Scope, company_zone
from .router import router


class ForecastQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        help_text='"<kind>:<first day>", e.g. "quarter:2025-07-01"; default: the current quarter.',
    )
    scope = serializers.ChoiceField(choices=TargetScope.choices, default=TargetScope.COMPANY)
    user = serializers.IntegerField(required=False, help_text="With scope=user.")
    team = serializers.IntegerField(required=False, help_text="With scope=team.")
    industry = serializers.ChoiceField(
        choices=Industry.choices, required=False, help_text="With scope=industry."
    )
    region = serializers.CharField(required=False, help_text="With scope=region.")
    basis = serializers.ChoiceField(
        choices=forecast_selectors.BASES,
        default="weighted",
        help_text="What the gap subtracts besides the won revenue: the weighted or the "
        "committed open pipeline.",
    )
    window = serializers.IntegerField(
        min_value=3,
        max_value=36,
        default=forecast_selectors.WINDOW_MONTHS,
        help_text="Months of history for win rate, deal size, cycle and meetings.",
    )

    def validate_period(self, value: str) -> str:
        if parse_period(value) is None:
            raise serializers.ValidationError(
                'Give the period as "<month|quarter|year>:<its first day>", e.g. '
                '"quarter:2025-07-01".'
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        needed = {"user": "user", "team": "team", "industry": "industry", "region": "region"}
        name = needed.get(attrs["scope"])
        if name and not attrs.get(name):
            raise serializers.ValidationError({name: f"Give the {name} with scope={name}."})
        return attrs

    def forecast_request(self, today) -> forecast_selectors.ForecastRequest:
        data = self.validated_data
        parsed = parse_period(data.get("period", "")) or (
            PeriodKind.QUARTER,
            periods.period_start(PeriodKind.QUARTER, today),
        )
        kind = data["scope"]
        return forecast_selectors.ForecastRequest(
            period_kind=parsed[0],
            period_start=parsed[1],
            scope=Scope(
                kind=kind,
                user_id=data.get("user") if kind == TargetScope.USER else None,
                team_id=data.get("team") if kind == TargetScope.TEAM else None,
                industry=data.get("industry", "") if kind == TargetScope.INDUSTRY else "",
                region=data.get("region", "").strip() if kind == TargetScope.REGION else "",
            ),
            basis=data["basis"],
            window_months=data["window"],
        )


class FigureSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["won", "committed", "weighted", "best_case", "run_rate"])
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="Target minus amount."
    )
    percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Amount as % of the target."
    )
    lower = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    upper = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    won = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    forecast = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    lower = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    upper = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    target_share = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="The period's target spread evenly over its months.",
    )
    partial = serializers.BooleanField(help_text="The current month: won so far.")


class RunRateSerializer(serializers.Serializer):
    method = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    history_months = serializers.IntegerField()
    level = serializers.FloatField(help_text="Coverage of the interval (0.8: 80 %).")


class ForecastSerializer(serializers.Serializer):
    period_kind = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    period_label = serializers.CharField()
    scope = serializers.CharField()
    scope_key = serializers.CharField()
    target = serializers.IntegerField(allow_null=True, help_text="The target's id, if set.")
    target_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    won_count = serializers.IntegerField(
        help_text="Won opportunities in the period. The won amount also counts the other sources "
        "of target attainment (orders not linked to an opportunity); this number does not."
    )
    open_count = serializers.IntegerField()
    figures = FigureSerializer(many=True)
    run_rate = RunRateSerializer(allow_null=True)
    months = MonthSerializer(many=True)
    counts_only_visible = serializers.BooleanField(
        help_text="True when the caller sees only part of the opportunities (member, viewer)."
    )


class WhatItTakesRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["owner", "team", "total"])
    key = serializers.IntegerField(allow_null=True, help_text="User or team id.")
    label = serializers.CharField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    won = serializers.DecimalField(max_digits=16, decimal_places=2)
    committed_open = serializers.DecimalField(max_digits=16, decimal_places=2)
    weighted_open = serializers.DecimalField(max_digits=16, decimal_places=2)
    counted = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="The open pipeline the gap subtracts."
    )
    gap = serializers.FloatField(allow_null=True)
    win_rate = serializers.FloatField(allow_null=True)
    avg_deal = serializers.FloatField(allow_null=True)
    cycle_days = serializers.FloatField(allow_null=True)
    meetings_per_opportunity = serializers.FloatField(allow_null=True)
    opportunities_per_period = serializers.FloatField(allow_null=True)
    borrowed_rates = serializers.BooleanField(
        help_text="Too little history of its own: the scope's rates are used."
    )
    pipeline_needed = serializers.FloatField(allow_null=True)
    opportunities_needed = serializers.IntegerField(allow_null=True)
    meetings_needed = serializers.IntegerField(allow_null=True)
    latest_start = serializers.DateField(allow_null=True)
    short_of_capacity = serializers.BooleanField()
    start_passed = serializers.BooleanField()
    notes = serializers.ListField(child=serializers.CharField())


class WhatItTakesSerializer(serializers.Serializer):
    period_kind = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    basis = serializers.CharField()
    window_start = serializers.DateField()
    total = WhatItTakesRowSerializer()
    owners = WhatItTakesRowSerializer(many=True)
    teams = WhatItTakesRowSerializer(many=True)


def _row(row: forecast_selectors.Row) -> dict[str, Any]:
    r, res = row.rates, row.result
    return {
        "kind": row.kind,
        "key": row.key,
        "label": row.label,
        "target": row.target,
        "won": row.won,
        "committed_open": row.committed_open,
        "weighted_open": row.weighted_open,
        "counted": row.counted,
        "gap": res.gap,
        "win_rate": r.win_rate,
        "avg_deal": r.avg_deal,
        "cycle_days": r.cycle_days,
        "meetings_per_opportunity": r.meetings_per_opportunity,
        "opportunities_per_period": r.opportunities_per_period,
        "borrowed_rates": row.borrowed,
        "pipeline_needed": res.pipeline_needed,
        "opportunities_needed": res.opportunities_needed,
        "meetings_needed": res.meetings_needed,
        "latest_start": res.latest_start,
        "short_of_capacity": res.short_of_capacity,
        "start_passed": res.start_passed,
        "notes": list(res.notes),
    }


class _OneObjectSchema(AutoSchema):
    """The forecast answers one object, not a list."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class ForecastViewSet(viewsets.ViewSet):
    """The forecast of one period (default: the current quarter) and scope."""

    schema = _OneObjectSchema()
    serializer_class = ForecastQuerySerializer

    def _result(self, request) -> forecast_selectors.Forecast:
        from django.utils import timezone

        query = ForecastQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.now().astimezone(company_zone()).date()
        return forecast_selectors.forecast(request.user, query.forecast_request(today))

    @extend_schema(parameters=[ForecastQuerySerializer], responses=ForecastSerializer)
    def list(self, request):
        """Won, committed, best case, pipeline-weighted and run-rate, each against the target."""
        result = self._result(request)
        rr = result.run_rate
        data = {
            "period_kind": result.request.period_kind,
            "period_start": result.request.period_start,
            "period_end": result.period_end,
            "period_label": result.period_label,
            "scope": result.request.scope.kind,
            "scope_key": result.request.scope.key,
            "target": result.target.pk if result.target else None,
            "target_amount": result.target.amount if result.target else None,
            "won_count": result.won_count,
            "open_count": result.open_count,
            "figures": [
                {
                    "key": f.key,
                    "amount": f.amount,
                    "target": f.target,
                    "gap": f.gap,
                    "percent": f.percent,
                    "lower": f.lower,
                    "upper": f.upper,
                }
                for f in result.figures.values()
            ],
            "run_rate": None
            if rr is None
            else {
                "method": rr.method,
                "notes": list(rr.notes),
                "history_months": rr.history_months,
                "level": rr.level,
            },
            "months": [vars(p) for p in result.months],
            "counts_only_visible": not result.sees_everything,
        }
        return Response(ForecastSerializer(data).data)

    @extend_schema(parameters=[ForecastQuerySerializer], responses=WhatItTakesSerializer)
    @action(detail=False, methods=["get"], url_path="what-it-takes")
    def what_it_takes(self, request):
        """Pipeline, opportunities and meetings needed to close the gap, and by when; for the
        scope, per owner and per team."""
        result = self._result(request)
        data = {
            "period_kind": result.request.period_kind,
            "period_start": result.request.period_start,
            "period_end": result.period_end,
            "basis": result.request.basis,
            "window_start": result.window_start,
            "total": _row(result.total),
            "owners": [_row(r) for r in result.owners],
            "teams": [_row(r) for r in result.teams],
        }
        return Response(WhatItTakesSerializer(data).data)


router.register("forecast", ForecastViewSet, basename="forecast")
