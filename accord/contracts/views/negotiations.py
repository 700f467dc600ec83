"""Pages of negotiations: the generic list, detail (with the rounds as a timeline and the form
to add one), edit, delete and history pages of `core`; editing and deleting a round; the
analysis page; and the fragments on the organization, opportunity and contract pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.charts import Series, bar_chart
from accord.core.views import ModelViews, ObjectDetailView, apply_validation_error
from accord.intelligence.engine import negotiation as engine

from ..filtersets.negotiations import NegotiationFilterSet
from ..forms.negotiations import NegotiationAnalysisForm, NegotiationForm, NegotiationRoundForm
from ..models import Negotiation, NegotiationRound
from ..selectors import negotiations as selectors
from ..services import negotiations as services
from ..tables.negotiations import NegotiationTable


def term_labels() -> dict[str, str]:
    from django.utils.translation import gettext

    return {
        engine.PRICE: gettext("Price / value"),
        engine.VOLUME: gettext("Volume"),
        engine.TERM: gettext("Term (months)"),
        engine.PAYMENT: gettext("Payment terms (days)"),
    }


def rating_labels() -> dict[str, str]:
    return {engine.WON: _("won"), engine.PARTLY: _("partly"), engine.LOST: _("lost")}


class NegotiationDetailView(ObjectDetailView):
    """Facts, the analysis, the rounds oldest first, and the form for the next round."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.negotiation_detail(self.request.user, self.object))
        ctx["term_rows"] = _term_rows(ctx["analysis"])
        if ctx["can_change"] and not self.object.is_closed:
            ctx["round_form"] = kwargs.get("round_form") or NegotiationRoundForm(
                user=self.request.user
            )
        return ctx


def _term_rows(analysis: engine.NegotiationAnalysis) -> list[dict[str, Any]]:
    labels, ratings = term_labels(), rating_labels()
    return [
        {"term": term, "label": labels[term], "rating": rating, "rating_label": ratings[rating]}
        for term, rating in analysis.terms.items()
    ]


class NegotiationViews(ModelViews):
    model = Negotiation
    selector = staticmethod(selectors.negotiation_list)
    namespace = "contracts"
    filterset_class = NegotiationFilterSet
    table_class = NegotiationTable
    form_class = NegotiationForm
    create_service = staticmethod(services.negotiation_create)
    update_service = staticmethod(services.negotiation_update)
    delete_service = staticmethod(services.negotiation_delete)
    detail_view = NegotiationDetailView
    list_template = "contracts/negotiations/negotiation_list.html"
    detail_template = "contracts/negotiations/negotiation_detail.html"


class _WriteMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)


class NegotiationRoundAddView(_WriteMixin, View):
    """Posted from the negotiation's page; on an error the page comes back with the form."""

    def post(self, request, pk: int):
        negotiation = get_object_or_404(selectors.negotiation_list(request.user), pk=pk)
        if not visibility.can_change(request.user, negotiation):
            raise PermissionDenied(_("You may not change this record."))
        form = NegotiationRoundForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                saved = services.negotiation_round_create(
                    actor=request.user, negotiation=negotiation, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Round %(n)s added.") % {"n": saved.number})
                return HttpResponseRedirect(saved.get_absolute_url())
        view = NegotiationDetailView(
            model=Negotiation,
            selector=selectors.negotiation_list,
            url_namespace="contracts",
            actions=NegotiationViews.actions(),
            template_name="contracts/negotiations/negotiation_detail.html",
        )
        view.setup(request, pk=pk)
        view.object = negotiation
        ctx = view.get_context_data(object=negotiation, round_form=form)
        return render(request, view.template_name, ctx)


class NegotiationRoundEditView(_WriteMixin, View):
    template_name = "contracts/negotiations/round_edit.html"

    def get_round(self, pk: int) -> NegotiationRound:
        obj = get_object_or_404(selectors.round_list(self.request.user), pk=pk)
        if not visibility.can_change(self.request.user, obj):
            raise PermissionDenied(_("You may not change this record."))
        return obj

    def _render(self, obj: NegotiationRound, form: NegotiationRoundForm):
        return render(
            self.request,
            self.template_name,
            {"object": obj, "form": form, "cancel_url": obj.get_absolute_url()},
        )

    def get(self, request, pk: int):
        obj = self.get_round(pk)
        return self._render(obj, NegotiationRoundForm(instance=obj, user=request.user))

    def post(self, request, pk: int):
        obj = self.get_round(pk)
        form = NegotiationRoundForm(data=request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                services.negotiation_round_update(
                    actor=request.user, instance=obj, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Round %(n)s saved.") % {"n": obj.number})
                return HttpResponseRedirect(obj.get_absolute_url())
        return self._render(obj, form)


class NegotiationRoundDeleteView(_WriteMixin, View):
    def post(self, request, pk: int):
        obj = get_object_or_404(selectors.round_list(request.user), pk=pk)
        if not visibility.can_change(request.user, obj):
            raise PermissionDenied(_("You may not delete this record."))
        negotiation = obj.negotiation
        services.negotiation_round_delete(actor=request.user, instance=obj)
        messages.success(request, _("Round deleted; the later rounds were renumbered."))
        return HttpResponseRedirect(negotiation.get_absolute_url())


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace("-", "−")


class NegotiationAnalysisView(LoginRequiredMixin, View):
    """Rounds, days to close, concessions, terms won and lost, result against goal and
    walk-away: per negotiation, by counterparty and by negotiator, with charts and tables."""

    template_name = "contracts/negotiations/analysis.html"

    def get(self, request):
        form = NegotiationAnalysisForm(data=request.GET or None, user=request.user)
        report = selectors.negotiation_analysis(request.user, **form.selector_kwargs())
        ctx: dict[str, Any] = {"form": form, "report": report}
        ctx.update(analysis_tables(report))
        if report.rows:
            top = ctx["counterparty_rows"][:10]
            ctx["concession_chart"] = bar_chart(
                title=_("Average concession by counterparty (% of the first offer)"),
                labels=[r["name"] for r in top],
                series=[
                    Series(_("We conceded"), [r["stats"].our_concession.mean for r in top]),
                    Series(_("They conceded"), [r["stats"].their_concession.mean for r in top]),
                ],
                description=_("How far each side moved from its first price, on average."),
            )
            people = ctx["negotiator_rows"]
            ctx["negotiator_chart"] = bar_chart(
                title=_("Negotiations by negotiator"),
                labels=[r["name"] for r in people],
                series=[
                    Series(_("Agreed"), [r["stats"].agreed for r in people]),
                    Series(
                        _("Not agreed"), [r["stats"].closed - r["stats"].agreed for r in people]
                    ),
                    Series(_("Open"), [r["stats"].count - r["stats"].closed for r in people]),
                ],
                stacked=True,
                description=_("Agreed, not agreed and open negotiations per negotiator."),
            )
        ctx["api_url"] = f"{reverse('negotiation-analysis')}?{request.GET.urlencode()}"
        return render(request, self.template_name, ctx)


def analysis_tables(report: selectors.NegotiationReport) -> dict[str, Any]:
    ratings = rating_labels()
    labels = term_labels()
    rows = []
    for row in report.rows:
        a = row.analysis
        rows.append(
            {
                "negotiation": row.negotiation,
                "analysis": a,
                "our_concession": _fmt(a.our_concession),
                "their_concession": _fmt(a.their_concession),
                "final_vs_goal": _fmt(a.final_vs_goal),
                "margin": _fmt(a.margin_to_walk_away),
                "terms": ", ".join(f"{labels[t]}: {ratings[r]}" for t, r in a.terms.items()),
            }
        )

    def group_rows(groups: list[engine.GroupStats], names: dict[Any, Any]) -> list[dict]:
        return [
            {
                "key": g.key,
                "name": str(names.get(g.key) or _("nobody")),
                "stats": g,
                "agreement_rate": _fmt(g.agreement_rate, 0),
                "our_mean": _fmt(g.our_concession.mean),
                "our_median": _fmt(g.our_concession.median),
                "their_mean": _fmt(g.their_concession.mean),
                "their_median": _fmt(g.their_concession.median),
                "rounds_mean": _fmt(g.rounds.mean),
                "rounds_median": _fmt(g.rounds.median),
                "days_mean": _fmt(g.days_to_close.mean, 0),
                "days_median": _fmt(g.days_to_close.median, 0),
                "goal_mean": _fmt(g.final_vs_goal.mean),
            }
            for g in groups
        ]

    return {
        "negotiation_rows": rows,
        "counterparty_rows": group_rows(report.by_counterparty, report.counterparties),
        "negotiator_rows": group_rows(report.by_negotiator, report.negotiators),
        "total_row": group_rows([report.total], {"all": _("All")})[0] if report.total else None,
    }


class _Fragment(LoginRequiredMixin, View):
    field = ""

    def get(self, request, pk: int):
        return render(
            request,
            "contracts/negotiations/fragment.html",
            {
                "negotiations": selectors.negotiations_of(request.user, **{self.field: pk}),
                "filter_name": self.field,
                "filter_value": pk,
                "may_write": visibility.may_write(request.user),
            },
        )


class OrganizationNegotiationsView(_Fragment):
    """The organization's recent negotiations, for its page."""

    field = "counterparty"


class OpportunityNegotiationsView(_Fragment):
    field = "opportunity"


class ContractNegotiationsView(_Fragment):
    field = "contract"
