"""Pages and fragments for interactions and follow-ups, and the Today page.

The timeline and follow-up panel are fragments the organization and person pages load with htmx;
asked for without htmx they render as pages of their own, so every link works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView, ObjectListView

from . import selectors, services
from .choices import InteractionKind
from .filtersets import FollowUpFilterSet, InteractionFilterSet
from .forms import (
    FollowUpBulkEditForm,
    FollowUpForm,
    InteractionBulkEditForm,
    InteractionForm,
)
from .html import EMAIL_PAGE_CSP
from .models import FollowUp, Interaction
from .tables import FollowUpTable, InteractionTable

PARTY_PARAMS = ("organization", "person")


def _is_fragment(request) -> bool:
    return bool(getattr(request, "htmx", False)) and not request.htmx.boosted


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _party_param(request) -> tuple[str, int]:
    """Which organization or person a fragment is about (`?organization=<id>` or `?person=<id>`)."""
    for name in PARTY_PARAMS:
        value = request.GET.get(name, "")
        if value:
            if not value.isdigit():
                raise ValueError(name)
            return name, int(value)
    raise ValueError("organization")


# --- interactions --------------------------------------------------------------
class InteractionDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.interaction_detail_context(self.request.user, self.object))
        return ctx

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.object.is_captured:
            # A captured mail's page loads nothing remote, whatever its HTML says (the sandboxed
            # frame that shows it inherits this policy and carries a stricter one of its own).
            response["Content-Security-Policy"] = EMAIL_PAGE_CSP
            response["Referrer-Policy"] = "no-referrer"
        return response


# Attachments are served as downloads; only these types keep their own content type (nothing
# a browser would run or render as a page: no HTML, SVG, XML or scripts).
SAFE_DOWNLOAD_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/calendar",
        "text/csv",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/msword",
        "application/vnd.ms-excel",
        "message/rfc822",
    }
)


class AttachmentDownloadView(LoginRequiredMixin, View):
    """An attachment of an interaction the user may see, always as a download."""

    def get(self, request, pk: int):
        try:
            attachment = selectors.attachment_get(request.user, pk)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404 from exc
        try:
            handle = attachment.file.open("rb")
        except (OSError, ValueError) as exc:
            raise Http404(_("The file of this attachment is missing.")) from exc
        content_type = attachment.content_type.lower()
        if content_type not in SAFE_DOWNLOAD_TYPES:
            content_type = "application/octet-stream"
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.filename, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class InteractionEditView(ObjectEditView):
    template_name = "interactions/interaction_edit.html"

    def get_initial(self) -> dict[str, Any]:
        """Prefill, e.g. from an organization page: `?organizations=3&people=7&kind=call`."""
        initial = super().get_initial()
        for key in ("organizations", "people", "users"):
            values = [v for v in self.request.GET.getlist(key) if v.isdigit()]
            if values:
                initial[key] = values
            else:
                initial.pop(key, None)
        return initial


class InteractionViews(ModelViews):
    model = Interaction
    selector = staticmethod(selectors.interaction_list)
    namespace = "interactions"
    filterset_class = InteractionFilterSet
    table_class = InteractionTable
    form_class = InteractionForm
    bulk_edit_form_class = InteractionBulkEditForm
    create_service = staticmethod(services.interaction_create)
    update_service = staticmethod(services.interaction_update)
    delete_service = staticmethod(services.interaction_delete)
    list_view = ObjectListView
    detail_view = InteractionDetailView
    edit_view = InteractionEditView
    detail_template = "interactions/interaction_detail.html"


# --- follow-ups ----------------------------------------------------------------
class FollowUpListView(ObjectListView):
    """Opened without a filter, the list shows my open follow-ups."""

    ignored_params = frozenset({"page", "per_page", "sort"})

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        query = self.request.GET
        if not any(key not in self.ignored_params for key in query):
            data = query.copy()
            for key, value in FollowUpFilterSet.page_defaults.items():
                data[key] = value
            kwargs["data"] = data
        return kwargs


class FollowUpEditView(ObjectEditView):
    template_name = "interactions/followup_edit.html"


class FollowUpViews(ModelViews):
    model = FollowUp
    selector = staticmethod(selectors.followup_list)
    namespace = "interactions"
    filterset_class = FollowUpFilterSet
    table_class = FollowUpTable
    form_class = FollowUpForm
    bulk_edit_form_class = FollowUpBulkEditForm
    create_service = staticmethod(services.followup_create)
    update_service = staticmethod(services.followup_update)
    delete_service = staticmethod(services.followup_delete)
    list_view = FollowUpListView
    edit_view = FollowUpEditView
    detail_template = "interactions/followup_detail.html"


class FollowUpStatusView(LoginRequiredMixin, View):
    """Complete or reopen a follow-up (POST); htmx gets the status snippet back."""

    service: Any = None
    done_message: Any = ""
    http_method_names = ["post"]

    def post(self, request, pk: int):
        followup = get_object_or_404(selectors.followup_list(request.user), pk=pk)
        try:
            followup = type(self).service(actor=request.user, instance=followup)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            return HttpResponseBadRequest("; ".join(exc.messages))
        if _is_fragment(request):
            return render(
                request,
                "interactions/partials/followup_status.html",
                {
                    "followup": followup,
                    "in_form": request.POST.get("in_form") == "1",
                    "next_url": _safe_next(request, followup.get_absolute_url()),
                },
            )
        messages.success(request, self.done_message % {"obj": followup})
        return HttpResponseRedirect(_safe_next(request, followup.get_absolute_url()))


class FollowUpCompleteView(FollowUpStatusView):
    service = staticmethod(services.followup_complete)
    done_message = gettext_lazy("“%(obj)s” is done.")


class FollowUpReopenView(FollowUpStatusView):
    service = staticmethod(services.followup_reopen)
    done_message = gettext_lazy("“%(obj)s” is open again.")


# --- fragments for the organization and person pages ---------------------------------
class PartyFragmentMixin(LoginRequiredMixin):
    def party_or_400(self, request):
        try:
            return _party_param(request)
        except ValueError as exc:
            return HttpResponseBadRequest(
                _("Name an organization or a person: ?%(name)s=<id>") % {"name": exc.args[0]}
            )

    def party_object(self, request, name: str, pk: int):
        try:
            return selectors.party_get(request.user, kind=name, pk=pk)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc


class TimelineView(PartyFragmentMixin, View):
    """An organization's or person's interactions, newest first, filterable by kind, paged by cursor."""

    def get(self, request):
        party = self.party_or_400(request)
        if isinstance(party, HttpResponseBadRequest):
            return party
        name, pk = party
        kind = request.GET.get("kind") or None
        if kind not in InteractionKind.values:
            kind = None
        before = request.GET.get("before") or None
        try:
            page = selectors.timeline(request.user, **{name: pk}, kind=kind, before=before)
        except ValueError:
            return HttpResponseBadRequest(_("This “load more” link is broken; reload the page."))
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        base = reverse("interactions:timeline")

        def url(**params):
            query = {name: pk, **{k: v for k, v in params.items() if v}}
            return f"{base}?{urlencode(query)}"

        ctx = {
            "page": page,
            "kind": kind,
            "party_param": name,
            "party_id": pk,
            "kind_links": [(None, _("All"), url())]
            + [(value, label, url(kind=value)) for value, label in InteractionKind.choices],
            "more_url": url(kind=kind, before=page.next_cursor) if page.next_cursor else None,
            "add_url": reverse("interactions:interaction_add")
            + "?"
            + urlencode({"organizations" if name == "organization" else "people": pk}),
        }
        if _is_fragment(request):
            template = (
                "interactions/partials/timeline_items.html"
                if before
                else "interactions/partials/timeline.html"
            )
            return render(request, template, ctx)
        ctx["party"] = self.party_object(request, name, pk)
        return render(request, "interactions/timeline.html", ctx)


class FollowUpPanelView(PartyFragmentMixin, View):
    """Open follow-ups about an organization or person, overdue ones marked."""

    def get(self, request):
        party = self.party_or_400(request)
        if isinstance(party, HttpResponseBadRequest):
            return party
        name, pk = party
        try:
            followups = selectors.followup_panel(request.user, **{name: pk})
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        ctx = {
            "followups": followups,
            "party_param": name,
            "party_id": pk,
            "add_url": reverse("interactions:followup_add") + "?" + urlencode({name: pk}),
            "list_url": reverse("interactions:followup_list")
            + "?"
            + urlencode({name: pk, "status": "open"}),
        }
        if _is_fragment(request):
            return render(request, "interactions/partials/followup_panel.html", ctx)
        ctx["party"] = self.party_object(request, name, pk)
        return render(request, "interactions/followup_panel.html", ctx)


# --- Today -------------------------------------------------------------------------
class TodayView(LoginRequiredMixin, TemplateView):
    """The home page: what I must do, what I did lately, whom I have not spoken to for long."""

    template_name = "interactions/today.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.today(self.request.user))
        ctx["next_url"] = self.request.get_full_path()
        return ctx
