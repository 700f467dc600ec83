"""Competitor pages (list, detail with the profile and our record against them, profile edit,
history, the win/loss report) and the competitor sections of the opportunity and organization
pages (htmx fragments whose small forms call the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import charts, visibility
from accord.core.history import history_entries
from accord.core.views import ObjectListView, apply_validation_error
from accord.parties.models import Organization

from ..filtersets.competitors import CompetitorFilterSet
from ..forms.competitors import (
    AccountCompetitorForm,
    CompetitorProfileForm,
    CompetitorStatusForm,
    OpportunityCompetitorForm,
    WinLossFilterForm,
)
from ..models import CompetitorProfile, Opportunity
from ..selectors import competitors as competitor_selectors
from ..selectors.competitors import WinLossReport
from ..services import competitors as competitor_services
from ..tables.competitors import CompetitorTable
from .buying import SectionWriteView, error_messages, form_errors, is_htmx, visible_opportunity


# --- pages ---------------------------------------------------------------------------------------
class CompetitorListView(ObjectListView):
    """Organizations with the competitor role, with their profile and our record against them."""

    model = Organization
    selector = staticmethod(competitor_selectors.competitor_list)
    url_namespace = "pipeline"
    actions = ("list", "detail")
    filterset_class = CompetitorFilterSet
    table_class = CompetitorTable
    template_name = "pipeline/competitors/list.html"

    def url_name(self, action: str) -> str:
        return f"pipeline:competitor_{action}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["verbose_name"] = gettext_lazy("competitor")
        ctx["verbose_name_plural"] = gettext_lazy("competitors")
        return ctx


def visible_competitor(request: HttpRequest, pk: int) -> Organization:
    """A competitor organization the user may see (404 otherwise)."""
    return get_object_or_404(
        Organization.objects.visible_to(request.user).filter(is_competitor=True), pk=pk
    )


class CompetitorDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        competitor = visible_competitor(request, pk)
        ctx: dict[str, Any] = {
            "object": competitor,
            "can_change": visibility.can_change(request.user, competitor),
            "edit_url": reverse("pipeline:competitor_edit", args=[pk]),
            "history_url": reverse("pipeline:competitor_history", args=[pk]),
            "win_loss_url": reverse("pipeline:competitor_win_loss"),
        }
        ctx.update(competitor_selectors.competitor_detail(request.user, competitor))
        return render(request, "pipeline/competitors/detail.html", ctx)


class CompetitorEditView(LoginRequiredMixin, View):
    """Edit the profile; the first save creates it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def competitor(self, request, pk: int) -> tuple[Organization, CompetitorProfile | None]:
        competitor = visible_competitor(request, pk)
        if not visibility.can_change(request.user, competitor):
            raise PermissionDenied(_("You may not change this record."))
        return competitor, CompetitorProfile.objects.filter(organization=competitor).first()

    def render_form(self, request, competitor, form):
        return render(
            request,
            "pipeline/competitors/edit.html",
            {
                "form": form,
                "object": competitor,
                "cancel_url": reverse("pipeline:competitor_detail", args=[competitor.pk]),
            },
        )

    def get(self, request, pk: int):
        competitor, profile = self.competitor(request, pk)
        form = CompetitorProfileForm(user=request.user, instance=profile)
        return self.render_form(request, competitor, form)

    def post(self, request, pk: int):
        competitor, profile = self.competitor(request, pk)
        form = CompetitorProfileForm(data=request.POST, user=request.user, instance=profile)
        if form.is_valid():
            try:
                competitor_services.competitor_profile_save(
                    actor=request.user, organization=competitor, data=form.service_data()
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Profile of “%(obj)s” saved.") % {"obj": competitor})
                return HttpResponseRedirect(
                    reverse("pipeline:competitor_detail", args=[competitor.pk])
                )
        return self.render_form(request, competitor, form)


class CompetitorHistoryView(LoginRequiredMixin, View):
    """Who changed the profile, when (a page, and the fragment of the detail page's panel)."""

    def get(self, request, pk: int):
        competitor = visible_competitor(request, pk)
        profile = CompetitorProfile.objects.filter(organization=competitor).first()
        ctx = {
            "object": profile or competitor,
            "history": history_entries(profile) if profile is not None else [],
        }
        if getattr(request, "htmx", False):
            return render(request, "core/partials/history.html", ctx)
        return render(request, "core/object_history.html", ctx)


def report_charts(report: WinLossReport) -> dict[str, Any]:
    """Won and lost deals per competitor and per quarter, as inline SVG."""
    competitors = report.by_competitor[:12]
    by_competitor = None
    if competitors:
        by_competitor = charts.bar_chart(
            title=_("Won and lost deals by competitor"),
            labels=[r.label for r in competitors],
            series=[
                charts.Series(_("Won"), [r.won for r in competitors]),
                charts.Series(_("Lost"), [r.lost for r in competitors]),
            ],
            description=_(
                "Closed deals where the competitor was present or won (the twelve with the most "
                "deals); the numbers are in the table below."
            ),
            horizontal=True,
            stacked=True,
            height=max(240, 36 * len(competitors) + 130),
            truncate_label=36,
        )
    quarters = report.by_quarter
    by_quarter = charts.bar_chart(
        title=_("Won and lost deals by quarter"),
        labels=[r.label for r in quarters],
        series=[
            charts.Series(_("Won"), [r.won for r in quarters]),
            charts.Series(_("Lost"), [r.lost for r in quarters]),
        ],
        description=_("Closed deals per quarter; the numbers are in the table below."),
    )
    return {"competitor_chart": by_competitor, "quarter_chart": by_quarter}


class WinLossView(LoginRequiredMixin, View):
    """Closed deals of a period by competitor, lost reason, segment and quarter; price pressure."""

    def get(self, request):
        form = WinLossFilterForm(data=request.GET or None)
        if form.is_bound and form.is_valid():
            filters = form.report_filters()
        else:
            filters = competitor_selectors.WinLossFilters.default()
        report = competitor_selectors.win_loss_report(request.user, filters)
        ctx = {"form": form, "report": report, "filters": filters, **report_charts(report)}
        return render(request, "pipeline/competitors/win_loss.html", ctx)


# --- the competitors sections of the opportunity and organization pages --------------------------
def _render_presences(
    request: HttpRequest,
    *,
    parent: tuple[str, Opportunity | Organization],
    presences: Any,
    form: Any,
    template: str,
    notice: str,
    errors: list[str] | None,
) -> HttpResponse:
    """One section (htmx: `<template>_panel.html`) or, without JavaScript, its own page."""
    name, record = parent
    can_change = visibility.can_change(request.user, record)
    ctx = {
        name: record,
        "presences": presences,
        "can_change": can_change,
        "add_form": form if can_change else None,
        "status_form": CompetitorStatusForm(),
        "notice": notice,
        "errors": errors or [],
    }
    suffix = "panel" if is_htmx(request) else "page"
    return render(request, f"{template}_{suffix}.html", ctx)


# --- the competitors section of the opportunity page --------------------------------------------
def render_opportunity_competitors(
    request: HttpRequest,
    opportunity: Opportunity,
    *,
    form: OpportunityCompetitorForm | None = None,
    notice: str = "",
    errors: list[str] | None = None,
) -> HttpResponse:
    return _render_presences(
        request,
        parent=("opportunity", opportunity),
        presences=competitor_selectors.opportunity_competitors(request.user, opportunity),
        form=form or OpportunityCompetitorForm(user=request.user, prefix="competitor"),
        template="pipeline/competitors/opportunity",
        notice=notice,
        errors=errors,
    )


class OpportunityCompetitorsView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        return render_opportunity_competitors(request, visible_opportunity(request, pk))


class _PresenceAddView(SectionWriteView):
    """Add a competitor to the parent record (an opportunity or a client account)."""

    parent_getter: Any = None
    form_class: Any = None
    prefix: str = ""
    add_service: Any = None
    parent_arg: str = ""
    renderer: Any = None

    def post(self, request, pk: int):
        parent = type(self).parent_getter(request, pk)
        self.require_change(request.user, parent)
        form = self.form_class(data=request.POST, user=request.user, prefix=self.prefix)
        page = parent.get_absolute_url()
        renderer = type(self).renderer

        def section(**kw):
            return renderer(request, parent, **kw)

        if not form.is_valid():
            return self.answer(
                request, section=section, page_url=page, errors=form_errors(form), form=form
            )
        try:
            presence = type(self).add_service(
                actor=request.user, data=form.service_data(), **{self.parent_arg: parent}
            )
        except ValidationError as exc:
            return self.answer(
                request, section=section, page_url=page, errors=error_messages(exc), form=form
            )
        return self.answer(
            request,
            section=section,
            page_url=page,
            notice=_("%(competitor)s added.") % {"competitor": presence.competitor},
        )


class OpportunityCompetitorAddView(_PresenceAddView):
    parent_getter = staticmethod(visible_opportunity)
    form_class = OpportunityCompetitorForm
    prefix = "competitor"
    add_service = staticmethod(competitor_services.opportunity_competitor_add)
    parent_arg = "opportunity"
    renderer = staticmethod(render_opportunity_competitors)


class _PresenceView(SectionWriteView):
    selector: Any = None
    update_service: Any = None
    remove_service: Any = None
    renderer: Any = None
    parent: str = ""

    def presence(self, request, pk: int):
        presence = get_object_or_404(type(self).selector(request.user), pk=pk)
        self.require_change(request.user, presence)
        return presence

    def section(self, request, presence):
        parent = getattr(presence, self.parent)
        page = parent.get_absolute_url()
        renderer = type(self).renderer

        def section(**kw):
            return renderer(request, parent, **kw)

        return section, page


class _PresenceStatusView(_PresenceView):
    def post(self, request, pk: int):
        presence = self.presence(request, pk)
        section, page = self.section(request, presence)
        form = CompetitorStatusForm(data=request.POST)
        if not form.is_valid():
            return self.answer(request, section=section, page_url=page, errors=form_errors(form))
        try:
            presence = type(self).update_service(
                actor=request.user, instance=presence, data={"status": form.cleaned_data["status"]}
            )
        except ValidationError as exc:
            return self.answer(request, section=section, page_url=page, errors=error_messages(exc))
        return self.answer(
            request,
            section=section,
            page_url=page,
            notice=_("%(competitor)s: %(status)s.")
            % {"competitor": presence.competitor, "status": presence.get_status_display()},
        )


class _PresenceRemoveView(_PresenceView):
    def post(self, request, pk: int):
        presence = self.presence(request, pk)
        section, page = self.section(request, presence)
        name = str(presence.competitor)
        type(self).remove_service(actor=request.user, instance=presence)
        return self.answer(
            request,
            section=section,
            page_url=page,
            notice=_("%(competitor)s removed.") % {"competitor": name},
        )


class OpportunityCompetitorStatusView(_PresenceStatusView):
    selector = staticmethod(competitor_selectors.opportunity_competitor_list)
    update_service = staticmethod(competitor_services.opportunity_competitor_update)
    renderer = staticmethod(render_opportunity_competitors)
    parent = "opportunity"


class OpportunityCompetitorRemoveView(_PresenceRemoveView):
    selector = staticmethod(competitor_selectors.opportunity_competitor_list)
    remove_service = staticmethod(competitor_services.opportunity_competitor_remove)
    renderer = staticmethod(render_opportunity_competitors)
    parent = "opportunity"


# --- the competitors fragment of the organization page ------------------------------------------
def visible_account(request: HttpRequest, pk: int) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)


def render_account_competitors(
    request: HttpRequest,
    account: Organization,
    *,
    form: AccountCompetitorForm | None = None,
    notice: str = "",
    errors: list[str] | None = None,
) -> HttpResponse:
    return _render_presences(
        request,
        parent=("account", account),
        presences=competitor_selectors.account_competitors(request.user, account),
        form=form or AccountCompetitorForm(user=request.user, prefix="account-competitor"),
        template="pipeline/competitors/account",
        notice=notice,
        errors=errors,
    )


class AccountCompetitorsView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        return render_account_competitors(request, visible_account(request, pk))


class AccountCompetitorAddView(_PresenceAddView):
    parent_getter = staticmethod(visible_account)
    form_class = AccountCompetitorForm
    prefix = "account-competitor"
    add_service = staticmethod(competitor_services.account_competitor_add)
    parent_arg = "account"
    renderer = staticmethod(render_account_competitors)


class AccountCompetitorStatusView(_PresenceStatusView):
    selector = staticmethod(competitor_selectors.account_competitor_list)
    update_service = staticmethod(competitor_services.account_competitor_update)
    renderer = staticmethod(render_account_competitors)
    parent = "account"


class AccountCompetitorRemoveView(_PresenceRemoveView):
    selector = staticmethod(competitor_selectors.account_competitor_list)
    remove_service = staticmethod(competitor_services.account_competitor_remove)
    renderer = staticmethod(render_account_competitors)
    parent = "account"
