"""Pages of the webhooks app: endpoints (list, add, edit, delete, detail with the secret shown once),
the delivery log per endpoint, one delivery, test event, re-enable, new secret, allowed hosts.

Administrators and managers only (see `selectors`); allowed hosts administrators only.
"""

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
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accord.core.pagination import CappedPaginator
from accord.core.views import (
    ModelViews,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
    message_validation_error,
)

from . import selectors, services
from .choices import DeliveryStatus
from .filtersets import WebhookDeliveryFilterSet, WebhookEndpointFilterSet
from .forms import AllowedWebhookHostForm, WebhookEndpointForm
from .models import WebhookEndpoint
from .tables import WebhookDeliveryTable, WebhookEndpointTable

SHOW_SECRET = "webhooks_show_secret"  # noqa: S105 - a session key
MAX_PER_PAGE = 250


class ManagerRequiredMixin(LoginRequiredMixin):
    """Webhooks are for administrators and managers."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_manage_webhooks(request.user):
            raise PermissionDenied(_("Only administrators and managers manage webhooks."))
        return super().dispatch(request, *args, **kwargs)


class EndpointListView(ManagerRequiredMixin, ObjectListView):
    template_name = "webhooks/endpoint_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_allow_hosts"] = selectors.can_allow_hosts(self.request.user)
        return ctx


class EndpointDetailView(ManagerRequiredMixin, ObjectDetailView):
    """The endpoint, its state, the secret (right after it was made), recent deliveries."""

    template_name = "webhooks/endpoint_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        endpoint = self.object
        ctx["share_url"] = None
        ctx["show_secret"] = self.request.session.pop(SHOW_SECRET, None) == endpoint.pk
        ctx["recent"] = list(selectors.delivery_list(self.request.user, endpoint)[:10])
        counts = selectors.endpoint_summary(endpoint)
        ctx["counts"] = [
            (label, counts[value]) for value, label in DeliveryStatus.choices if value in counts
        ]
        ctx["log_url"] = reverse("webhooks:delivery_log", args=[endpoint.pk])
        return ctx


class EndpointEditView(ManagerRequiredMixin, ObjectEditView):
    """Add or edit; a new endpoint's page then shows its secret once."""

    template_name = "webhooks/endpoint_form.html"

    def _success_url(self, obj) -> str:
        if self.kwargs.get("pk") is None:
            self.request.session[SHOW_SECRET] = obj.pk
        return super()._success_url(obj)


class WebhookEndpointViews(ModelViews):
    model = WebhookEndpoint
    selector = staticmethod(selectors.endpoint_list)
    namespace = "webhooks"
    filterset_class = WebhookEndpointFilterSet
    table_class = WebhookEndpointTable
    form_class = WebhookEndpointForm
    create_service = staticmethod(services.endpoint_create)
    update_service = staticmethod(services.endpoint_update)
    delete_service = staticmethod(services.endpoint_delete)
    list_view = EndpointListView
    detail_view = EndpointDetailView
    edit_view = EndpointEditView


def _endpoint(request, pk: int) -> WebhookEndpoint:
    return get_object_or_404(selectors.endpoint_list(request.user), pk=pk)


class EndpointActionView(ManagerRequiredMixin, View):
    """POST-only actions on one endpoint; each calls a service and returns to a page."""

    http_method_names = ["post"]

    def act(self, request, endpoint: WebhookEndpoint) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def post(self, request, pk: int):
        endpoint = _endpoint(request, pk)
        try:
            target = self.act(request, endpoint)
        except ValidationError as exc:
            message_validation_error(request, exc)
            target = endpoint.get_absolute_url()
        return HttpResponseRedirect(target)


class EndpointTestView(EndpointActionView):
    def act(self, request, endpoint):
        delivery = services.endpoint_send_test(actor=request.user, instance=endpoint)
        messages.success(request, _("A test event is on its way."))
        return delivery.get_absolute_url()


class EndpointEnableView(EndpointActionView):
    def act(self, request, endpoint):
        services.endpoint_enable(actor=request.user, instance=endpoint)
        messages.success(request, _("The endpoint is active again."))
        return endpoint.get_absolute_url()


class EndpointRotateSecretView(EndpointActionView):
    def act(self, request, endpoint):
        services.endpoint_rotate_secret(actor=request.user, instance=endpoint)
        request.session[SHOW_SECRET] = endpoint.pk
        messages.success(
            request,
            _("New secret made. Give it to the receiver: it signs every event from now on."),
        )
        return endpoint.get_absolute_url()


class DeliveryLogView(ManagerRequiredMixin, SingleTableMixin, FilterView):
    """An endpoint's deliveries, newest first, filtered by status and event, paginated."""

    template_name = "webhooks/delivery_log.html"
    partial_template_name = "webhooks/partials/delivery_table.html"
    filterset_class = WebhookDeliveryFilterSet
    table_class = WebhookDeliveryTable
    paginator_class = CappedPaginator
    paginate_by = 50

    def get_queryset(self):
        self.endpoint = _endpoint(self.request, self.kwargs["pk"])
        return selectors.delivery_list(self.request.user, self.endpoint)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs.get("data")
        if data is not None and "endpoint" in data:
            data = data.copy()
            data.pop("endpoint")
            kwargs["data"] = data
        return kwargs

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields.pop("endpoint", None)
        return filterset

    def get_paginate_by(self, table_data) -> int:
        try:
            value = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            value = self.paginate_by
        return max(1, min(value, MAX_PER_PAGE))

    def paginate_queryset(self, queryset, page_size):
        return None, None, queryset, False  # the table paginates (capped count)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["endpoint"] = self.endpoint
        ctx["log_url"] = reverse("webhooks:delivery_log", args=[self.endpoint.pk])
        ctx["active_filters"] = sum(
            1 for k, v in self.request.GET.items() if v and k not in {"page", "per_page", "sort"}
        )
        return ctx


class DeliveryDetailView(ManagerRequiredMixin, DetailView):
    """One delivery: payload, outcome of the last attempt; polls while it is still open."""

    template_name = "webhooks/delivery_detail.html"
    partial_template_name = "webhooks/partials/delivery_status.html"
    context_object_name = "delivery"

    def get_queryset(self):
        return selectors.delivery_detail(self.request.user)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.request.GET.get("part") == "status":
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        import json

        ctx = super().get_context_data(**kwargs)
        payload = self.object.payload
        ctx["payload_json"] = (
            json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True)
            if payload is not None
            else None
        )
        ctx["endpoint"] = self.object.endpoint
        return ctx


class DeliveryRedeliverView(ManagerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        delivery = get_object_or_404(selectors.delivery_detail(request.user), pk=pk)
        try:
            new = services.delivery_redeliver(actor=request.user, instance=delivery)
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(delivery.get_absolute_url())
        messages.success(request, _("The event is sent again as a new delivery."))
        return HttpResponseRedirect(new.get_absolute_url())


class AllowedHostsView(LoginRequiredMixin, View):
    """Administrators: hosts that may be webhook targets although they are internal."""

    template_name = "webhooks/allowed_hosts.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_allow_hosts(request.user):
            raise PermissionDenied(_("Only administrators allow internal hosts."))
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form, status: int = 200):
        ctx: dict[str, Any] = {
            "form": form,
            "hosts": selectors.allowed_host_list(request.user),
        }
        return render(request, self.template_name, ctx, status=status)

    def get(self, request):
        return self.render_page(request, AllowedWebhookHostForm(user=request.user))

    def post(self, request):
        if "delete" in request.POST:
            host = get_object_or_404(
                selectors.allowed_host_list(request.user), pk=request.POST.get("delete")
            )
            services.allowed_host_delete(actor=request.user, instance=host)
            messages.success(request, _("“%(host)s” is no longer allowed.") % {"host": host})
            return HttpResponseRedirect(reverse("webhooks:allowed_hosts"))
        form = AllowedWebhookHostForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                host = services.allowed_host_create(actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("“%(host)s” is allowed.") % {"host": host})
                return HttpResponseRedirect(reverse("webhooks:allowed_hosts"))
        return self.render_page(request, form)
