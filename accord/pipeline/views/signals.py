"""Pages of market signals: the generic list, detail, edit and history pages of `core`, plus
turning a signal into an opportunity, the trend view, the interaction search box of the form and
the fragments on the organization and opportunity pages."""

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
from accord.core.charts import Series, bar_chart, line_chart
from accord.core.views import (
    ModelViews,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
)
from accord.parties.models import Organization

from .. import services
from ..choices import SignalDirection
from ..filtersets.signals import MarketSignalFilterSet
from ..forms.signals import (
    MarketSignalForm,
    SignalToOpportunityForm,
    SignalTrendForm,
    interaction_label,
)
from ..models import MarketSignal
from ..selectors import signals as selectors
from ..tables.signals import MarketSignalTable


def _may_turn(user: Any, signal: MarketSignal) -> bool:
    return signal.opportunity_id is None and visibility.can_change(user, signal)


class MarketSignalListView(ObjectListView):
    """The list, with the topics in use as suggestions for the topic filter."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        if not (getattr(self.request, "htmx", False) and not self.request.htmx.boosted):
            ctx["topic_suggestions"] = selectors.topic_suggestions(self.request.user)
        ctx["trends_url"] = reverse("pipeline:marketsignal_trends")
        return ctx


class MarketSignalDetailView(ObjectDetailView):
    """Facts, the linked organizations, people and interactions, and the opportunity it became."""

    def get_queryset(self):
        # the page reads the links itself (selector `market_signal_detail`), not the list's prefetch
        return super().get_queryset().prefetch_related(None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.market_signal_detail(self.request.user, self.object))
        if _may_turn(self.request.user, self.object) and ctx["organizations"]:
            ctx["to_opportunity_url"] = reverse(
                "pipeline:marketsignal_to_opportunity", args=[self.object.pk]
            )
        return ctx


class MarketSignalEditView(ObjectEditView):
    """Create and edit; a new signal can be prefilled from the page it is recorded from:
    `?organization=<id>`, `?person=<id>`, `?interaction=<id>` (the interaction brings its
    organizations, people and date along)."""

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        params = self.request.GET

        def ids(name: str) -> list[int]:
            return [int(v) for v in params.getlist(name) if v.isdigit() and int(v) < 2**63]

        prefill = selectors.signal_prefill(
            self.request.user,
            organizations=ids("organization"),
            people=ids("person"),
            interactions=ids("interaction"),
        )
        for key, value in prefill.items():
            if key not in initial:
                initial[key] = value
        return initial


class MarketSignalViews(ModelViews):
    model = MarketSignal
    selector = staticmethod(selectors.market_signal_list)
    namespace = "pipeline"
    filterset_class = MarketSignalFilterSet
    table_class = MarketSignalTable
    form_class = MarketSignalForm
    create_service = staticmethod(services.market_signal_create)
    update_service = staticmethod(services.market_signal_update)
    delete_service = staticmethod(services.market_signal_delete)
    list_view = MarketSignalListView
    detail_view = MarketSignalDetailView
    edit_view = MarketSignalEditView
    list_template = "pipeline/signals/marketsignal_list.html"
    detail_template = "pipeline/signals/marketsignal_detail.html"


class MarketSignalToOpportunityView(LoginRequiredMixin, View):
    """ "Turn into opportunity": organization (one of the signal's), pipeline, amount, expected
    close; on success the new opportunity's page."""

    template_name = "pipeline/signals/to_opportunity.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_signal(self, pk: int) -> MarketSignal:
        signal = get_object_or_404(selectors.market_signal_list(self.request.user), pk=pk)
        if not visibility.can_change(self.request.user, signal):
            raise PermissionDenied(_("You may not change this record."))
        return signal

    def render_form(self, signal: MarketSignal, form: SignalToOpportunityForm):
        return render(
            self.request,
            self.template_name,
            {"object": signal, "form": form, "cancel_url": signal.get_absolute_url()},
        )

    def _form(self, signal: MarketSignal, data=None) -> SignalToOpportunityForm:
        organizations = Organization.objects.visible_to(self.request.user).filter(
            market_signals=signal
        )
        return SignalToOpportunityForm(
            data=data,
            organizations=organizations.order_by("name"),
            initial={"title": signal.title},
        )

    def get(self, request, pk: int):
        signal = self.get_signal(pk)
        if signal.opportunity_id is not None:
            messages.info(request, _("This signal was already turned into an opportunity."))
            return HttpResponseRedirect(signal.get_absolute_url())
        return self.render_form(signal, self._form(signal))

    def post(self, request, pk: int):
        signal = self.get_signal(pk)
        form = self._form(signal, data=request.POST)
        if form.is_valid():
            try:
                opportunity = services.market_signal_to_opportunity(
                    actor=request.user, signal=signal, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Opportunity “%(obj)s” created from the signal.") % {"obj": opportunity},
                )
                return HttpResponseRedirect(opportunity.get_absolute_url())
        return self.render_form(signal, form)


class MarketSignalTrendsView(LoginRequiredMixin, View):
    """Signals per topic over time, by direction and by industry, with the numbers as tables."""

    template_name = "pipeline/signals/trends.html"

    def get(self, request):
        form = SignalTrendForm(data=request.GET or None)
        trends = selectors.signal_trends(request.user, **form.selector_kwargs())
        ctx: dict[str, Any] = {"form": form, "trends": trends}
        ctx.update(trend_tables(trends))
        if trends.total:
            ctx["topic_chart"] = line_chart(
                title=_("Signals per topic"),
                labels=trends.labels,
                series=[Series(t, v) for t, v in trends.topic_series.items()],
                description=_("The most frequent topics, signals per period."),
            )
            directions = dict(SignalDirection.choices)
            ctx["direction_chart"] = bar_chart(
                title=_("Signals by direction"),
                labels=trends.labels,
                series=[
                    Series(str(directions.get(d, d)), v) for d, v in trends.direction_series.items()
                ],
                stacked=True,
                description=_("Opportunities, threats and requests per period."),
            )
        ctx["api_url"] = f"{reverse('marketsignal-trends')}?{request.GET.urlencode()}"
        return render(request, self.template_name, ctx)


def trend_tables(trends: selectors.SignalTrends) -> dict[str, Any]:
    """The rows of the trend view's tables (the numbers behind the charts)."""
    directions = dict(SignalDirection.choices)
    topic_rows = [
        {"topic": topic, "values": values, "total": sum(values)}
        for topic, values in trends.topic_series.items()
    ]
    if any(trends.other_series):
        topic_rows.append(
            {
                "topic": _("Other topics"),
                "values": trends.other_series,
                "total": sum(trends.other_series),
                "other": True,
            }
        )
    direction_rows = [
        {"label": directions.get(d, d), "values": v, "total": sum(v)}
        for d, v in trends.direction_series.items()
    ]
    industry_columns = [
        {"value": i, "label": selectors.industry_label(i)} for i in trends.industries
    ]
    matrix_rows = [
        {
            "topic": topic,
            "cells": [row.get(i["value"], 0) for i in industry_columns],
            "total": sum(row.values()),
        }
        for topic, row in trends.matrix.items()
    ]
    trend_labels = {"rising": _("rising"), "falling": _("falling"), "steady": _("steady")}
    top_rows = []
    for t in trends.topics:
        percent = t.change_percent
        top_rows.append(
            {
                "topic": t.topic,
                "count": t.count,
                "previous": t.previous,
                "change": f"{t.change:+d}".replace("-", "−") if t.change else "0",
                "percent": (f"{percent:+d} %".replace("-", "−") if percent is not None else ""),
                "trend": t.trend,
                "trend_label": trend_labels[t.trend] if t.previous or not t.count else _("new"),
            }
        )
    return {
        "top_rows": top_rows,
        "topic_rows": topic_rows,
        "direction_rows": direction_rows,
        "industry_columns": industry_columns,
        "matrix_rows": matrix_rows,
        "period_totals": trends.period_totals,
    }


class InteractionAutocompleteView(LoginRequiredMixin, View):
    """The rows for the interactions search box of the signal form (`core.widgets`)."""

    def get(self, request):
        query = (request.GET.get("q") or "").strip()[:100]
        field = request.GET.get("field", "")
        if not field.replace("_", "").replace("-", "").isalnum() or len(field) > 80:
            field = "interaction"
        found = selectors.interaction_choices(request.user, query)
        rows = [
            {
                "value": i.pk,
                "label": interaction_label(i),
                "name": i.subject,
                "detail": interaction_label(i).split(" · ")[0],
            }
            for i in found
        ]
        ctx = {"results": rows, "query": query, "option_prefix": f"{field}-option"}
        return render(request, "core/widgets/autocomplete_results.html", ctx)


class OrganizationSignalsView(LoginRequiredMixin, View):
    """The recent signals of one organization, as a fragment for the organization page."""

    def get(self, request, pk: int):
        return render(
            request,
            "pipeline/signals/organization_signals.html",
            {
                "signals": selectors.signals_of_organization(request.user, pk),
                "organization_id": pk,
                "may_write": visibility.may_write(request.user),
            },
        )


class OpportunitySignalsView(LoginRequiredMixin, View):
    """ "From signal: …" on the opportunity page (the visible signals it was made from)."""

    def get(self, request, pk: int):
        return render(
            request,
            "pipeline/signals/opportunity_signals.html",
            {"signals": selectors.signals_of_opportunity(request.user, pk)},
        )
