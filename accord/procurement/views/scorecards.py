"""Pages of the supplier scorecards: the ranking list (per period and category), one supplier's
scorecard (criteria, trend, ranking in its categories), recomputing, and the configuration of
criteria (parameters and weights) and standings for administrators and managers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Window
from django.db.models.functions import Rank
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.charts import Series, line_chart
from accord.core.views import (
    ModelViews,
    ObjectListView,
    apply_validation_error,
    message_validation_error,
)
from accord.intelligence.engine import periods

from ..filtersets.scorecards import SupplierScoreFilterSet
from ..forms.scorecards import (
    RecomputeForm,
    ScorecardCriterionForm,
    ScorecardPeriodForm,
    StandingFormSet,
    WeightsForm,
    standing_rows,
)
from ..models import CriterionCode, ScorecardCriterion, ScorecardStanding, SupplierScore
from ..selectors import scorecards as selectors
from ..services import scorecards as services
from ..tables.scorecards import SupplierScoreTable


def _number(value: Any, digits: int = 1) -> str:
    return "—" if value is None else formats.number_format(value, digits, use_l10n=True)


def value_text(code: str, value: float | None) -> str:
    """A criterion's measured value as the scorecard shows it."""
    if value is None:
        return "—"
    if code in (CriterionCode.ON_TIME, CriterionCode.QUALITY):
        return f"{_number(value)} %"
    if code == CriterionCode.PRICE_VARIANCE:
        sign = "+" if value > 0 else ""
        return f"{sign}{_number(value)} %"
    if code == CriterionCode.RESPONSIVENESS:
        return _("%(hours)s h (median)") % {"hours": _number(value)}
    return _number(value, 0)


# --- ranking list ------------------------------------------------------------------------------
class SupplierScoreListView(ObjectListView):
    """Scores of one period (default: the latest quarter with scores), best first, with their
    rank among the rows shown (after the filters: within a category when one is chosen)."""

    template_name = "procurement/scorecards/supplierscore_list.html"

    def _default_period(self) -> str:
        latest = selectors.available_periods(self.request.user, "quarter")
        if not latest:
            latest = selectors.available_periods(self.request.user, "month")
            return f"month:{latest[0]:%Y-%m-%d}" if latest else ""
        return f"quarter:{latest[0]:%Y-%m-%d}"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs.get("data")
        if data is not None and not data.get("period") and not data.get("period_kind"):
            default = self._default_period()
            if default:
                data = data.copy() if isinstance(data, QueryDict) else dict(data)
                data["period"] = default
                kwargs["data"] = data
                self.default_period = default
        return kwargs

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                rank=Window(
                    Rank(),
                    partition_by=[F("period_kind"), F("period_start")],
                    order_by=F("total").desc(nulls_last=True),
                )
            )
            .order_by("-period_start", F("total").desc(nulls_last=True), "supplier__name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["period_choices"] = [
            (f"{kind}:{start:%Y-%m-%d}", periods.period_label(kind, start))
            for kind in ("quarter", "month")
            for start in selectors.available_periods(user, kind)[:12]
        ]
        ctx["current_period"] = self.request.GET.get("period") or getattr(
            self, "default_period", ""
        )
        ctx["may_configure"] = selectors.may_configure(user)
        ctx["recompute_form"] = RecomputeForm()
        ctx["weight_total"] = selectors.weight_total()
        return ctx


# --- one supplier ------------------------------------------------------------------------------
class SupplierScorecardView(LoginRequiredMixin, View):
    """One supplier's scorecard for a period: criteria, trend over periods, ranking."""

    template_name = "procurement/scorecards/scorecard.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        supplier = get_object_or_404(selectors.supplier_list(request.user), pk=pk)
        form = ScorecardPeriodForm(data=request.GET or None)
        kind, start = form.values()
        card = selectors.supplier_scorecard(request.user, supplier, kind=kind, start=start)
        rows = [
            {
                "row": row,
                "value": value_text(row.code, row.value),
                "score": _number(row.score),
                "weight": _number(row.weight, 2),
                "effective_weight": _number(row.effective_weight, 2),
            }
            for row in card.rows
        ]
        trend_rows = [
            {"start": start_, "label": label, "score": score} for start_, label, score in card.trend
        ]
        chart = None
        if any(score is not None and score.total is not None for _s, _l, score in card.trend):
            chart = line_chart(
                title=_("Score over time"),
                labels=[label for _s, label, _score in card.trend],
                series=[
                    Series(
                        str(supplier),
                        [
                            float(score.total) if score and score.total is not None else None
                            for _s, _l, score in card.trend
                        ],
                    )
                ],
                description=_("The supplier's total score per period (0–100)."),
                range=(0, 100),
            )
        ctx = {
            "supplier": supplier,
            "card": card,
            "rows": rows,
            "trend_rows": trend_rows,
            "chart": chart,
            "form": form,
            "may_write": visibility.may_write(request.user),
            "period_choices": [
                (f"{p:%Y-%m-%d}", periods.period_label(card.kind, p)) for p in card.periods
            ],
            "warning": services.ordering_warning(supplier),
            "block": services.ordering_block_reason(supplier),
        }
        return render(request, self.template_name, ctx)


class SupplierScoreRecomputeView(LoginRequiredMixin, View):
    """Recompute one supplier's score for the period shown (anyone who may write and see it)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        supplier = get_object_or_404(selectors.supplier_list(request.user), pk=pk)
        form = ScorecardPeriodForm(data=request.POST)
        kind, start = form.values()
        start = start or periods.period_start(kind, timezone.localdate())
        try:
            score = services.supplier_score_recompute(
                actor=request.user, supplier=supplier, kind=kind, start=start
            )
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(reverse("procurement:supplier_scorecard", args=[pk]))
        messages.success(
            request,
            _("Score of %(supplier)s for %(period)s recomputed: %(score)s.")
            % {"supplier": supplier, "period": score.period_label, "score": _number(score.total)},
        )
        return HttpResponseRedirect(score.get_absolute_url())


class RecomputeAllView(LoginRequiredMixin, View):
    """Start the job recomputing every supplier's recent scores (administrators, managers)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RecomputeForm(data=request.POST)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        try:
            job = services.start_recompute(
                actor=request.user, kind=data.get("period") or "", count=data.get("count") or 2
            )
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(reverse("procurement:supplierscore_list"))
        messages.success(request, _("Recomputing the scores; the job page shows the progress."))
        return HttpResponseRedirect(job.get_absolute_url())


class OrganizationScoreView(LoginRequiredMixin, View):
    """The supplier's latest score and standing, as a fragment for the organization and
    purchase order pages (empty when there is none or the organization is hidden)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        supplier = selectors.supplier_list(request.user).filter(pk=pk).first()
        score = selectors.latest_score(supplier) if supplier is not None else None
        return render(
            request,
            "procurement/scorecards/organization_score.html",
            {
                "supplier": supplier,
                "score": score,
                "warning": services.ordering_warning(supplier) if supplier else None,
                "block": services.ordering_block_reason(supplier) if supplier else None,
            },
        )


class SupplierScoreViews:
    """URL patterns of the ranking list (scores have no pages of their own: the scorecard)."""

    @staticmethod
    def urls() -> list:
        from django.urls import path

        common = {
            "model": SupplierScore,
            "selector": staticmethod(selectors.supplier_score_list),
            "url_namespace": "procurement",
            "actions": ("list",),
        }
        return [
            path(
                "scorecards/",
                SupplierScoreListView.as_view(
                    **common,
                    filterset_class=SupplierScoreFilterSet,
                    table_class=SupplierScoreTable,
                ),
                name="supplierscore_list",
            ),
        ]


# --- configuration -----------------------------------------------------------------------------
def _require_configurator(request: HttpRequest) -> None:
    if not selectors.may_configure(request.user):
        raise PermissionDenied(
            _("Only administrators and managers change the scorecard configuration.")
        )


class CriterionListView(LoginRequiredMixin, View):
    """The criteria with their parameters, and one form for all weights."""

    template_name = "procurement/scorecards/criteria.html"

    def render_page(self, form: WeightsForm, status: int = 200) -> HttpResponse:
        criteria = form.criteria
        ctx = {
            "criteria": criteria,
            "form": form,
            "weight_total": selectors.weight_total(),
            "may_configure": selectors.may_configure(self.request.user),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(WeightsForm(criteria=list(selectors.criterion_list())))

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_configurator(request)
        form = WeightsForm(data=request.POST, criteria=list(selectors.criterion_list()))
        if form.is_valid():
            try:
                services.criteria_weights_update(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Weights saved."))
                return HttpResponseRedirect(reverse("procurement:scorecardcriterion_list"))
        return self.render_page(form)


class StandingListView(LoginRequiredMixin, View):
    """The standings, edited as one set of rows (they must cover 0–100 together)."""

    template_name = "procurement/scorecards/standings.html"

    def _initial(self) -> list[dict[str, Any]]:
        return [
            {"id": s.pk, "low": s.low, "high": s.high, "label": s.label, "action": s.action}
            for s in selectors.standing_list()
        ]

    def render_page(self, formset: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "standings": list(selectors.standing_list()),
                "formset": formset,
                "may_configure": selectors.may_configure(self.request.user),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(StandingFormSet(initial=self._initial()))

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_configurator(request)
        formset = StandingFormSet(data=request.POST, initial=self._initial())
        if formset.is_valid():
            try:
                services.standings_replace(actor=request.user, rows=standing_rows(formset))
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, _("Standings saved."))
                return HttpResponseRedirect(reverse("procurement:scorecardstanding_list"))
        return self.render_page(formset)


class ScorecardCriterionViews(ModelViews):
    """Detail, history and the parameter form of one criterion (list: `CriterionListView`)."""

    model = ScorecardCriterion
    selector = staticmethod(selectors.criterion_list)
    namespace = "procurement"
    form_class = ScorecardCriterionForm
    update_service = staticmethod(services.criterion_update)
    detail_template = "procurement/scorecards/criterion_detail.html"


class ScorecardStandingViews(ModelViews):
    model = ScorecardStanding
    selector = staticmethod(selectors.standing_list)
    namespace = "procurement"


def config_urls() -> list:
    """The criteria and standing pages: custom lists, generic detail/edit/history pages."""
    from django.urls import path

    def without_list(patterns: list) -> list:
        return [p for p in patterns if not str(p.name).endswith("_list")]

    return [
        path(
            "scorecards/criteria/",
            CriterionListView.as_view(),
            name="scorecardcriterion_list",
        ),
        path(
            "scorecards/standings/",
            StandingListView.as_view(),
            name="scorecardstanding_list",
        ),
        *without_list(ScorecardCriterionViews.urls("scorecards/criteria")),
        *without_list(ScorecardStandingViews.urls("scorecards/standings")),
    ]
