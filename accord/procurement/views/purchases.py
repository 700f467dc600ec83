"""Pages of purchase orders: the generic list, detail (lines, deliveries, over-deliveries),
edit and history pages of `core`; lines and deliveries are added and changed from the order page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView, apply_validation_error

from ..filtersets.purchases import PurchaseOrderFilterSet
from ..forms.purchases import DeliveryForm, PurchaseOrderForm, PurchaseOrderLineForm
from ..models import PurchaseOrder
from ..selectors import purchases as selectors
from ..selectors import scorecards as scorecard_selectors
from ..services import purchases as services
from ..services import scorecards as scorecard_services
from ..tables.purchases import PurchaseOrderTable


class PurchaseOrderDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        order = self.object
        ctx["detail"] = selectors.purchase_order_detail(order)
        ctx["line_add_url"] = reverse("procurement:purchaseorderline_add", args=[order.pk])
        ctx["delivery_add_url"] = reverse("procurement:delivery_add", args=[order.pk])
        ctx["may_deliver"] = order.status in services.FOLLOWS_DELIVERIES and bool(
            ctx["detail"].lines
        )
        return ctx


class PurchaseOrderEditView(ObjectEditView):
    """The order form; it shows the chosen supplier's scorecard standing (a "poor" standing
    warns, a "very poor" one says that the order will be refused)."""

    template_name = "procurement/purchases/purchaseorder_edit.html"

    def get_form_context(self, form, obj) -> dict[str, Any]:
        if form.is_bound:
            raw = form.data.get("supplier", "")
        else:
            raw = form.initial.get("supplier") or (obj.supplier_id if obj else "")
        supplier = None
        if str(raw).isdigit():
            supplier = scorecard_selectors.supplier_list(self.request.user).filter(pk=raw).first()
        if supplier is None:
            return {}
        return {
            "supplier_warning": scorecard_services.ordering_warning(supplier),
            "supplier_block": scorecard_services.ordering_block_reason(supplier),
        }

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for key in ("supplier", "business_unit"):
            value = self.request.GET.get(key, "")
            if value.isdigit():
                initial[key] = int(value)
        return initial


class PurchaseOrderViews(ModelViews):
    model = PurchaseOrder
    selector = staticmethod(selectors.purchase_order_list)
    namespace = "procurement"
    filterset_class = PurchaseOrderFilterSet
    table_class = PurchaseOrderTable
    form_class = PurchaseOrderForm
    create_service = staticmethod(services.purchase_order_create)
    update_service = staticmethod(services.purchase_order_update)
    delete_service = staticmethod(services.purchase_order_delete)
    detail_view = PurchaseOrderDetailView
    edit_view = PurchaseOrderEditView
    detail_template = "procurement/purchases/purchaseorder_detail.html"


class ChangeOrderMixin(LoginRequiredMixin):
    """A page that changes one order the user may change (404 when not visible)."""

    def get_order(self, pk: int) -> PurchaseOrder:
        user = self.request.user  # type: ignore[attr-defined]
        if not visibility.may_write(user):
            raise PermissionDenied(_("Your role may only read."))
        order = get_object_or_404(PurchaseOrder.objects.visible_to(user), pk=pk)
        if not visibility.can_change(user, order):
            raise PermissionDenied(_("You may not change this record."))
        return order


class LineEditView(ChangeOrderMixin, View):
    """Add a line to an order (`order` pk) or change one (`pk`)."""

    template_name = "core/object_edit.html"

    def objects(self, **kwargs):
        if "pk" in kwargs:
            line = get_object_or_404(
                selectors.purchase_order_line_list(self.request.user), pk=kwargs["pk"]
            )
            return self.get_order(line.order_id), line
        return self.get_order(kwargs["order"]), None

    def _render(self, order, line, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": line,
                "verbose_name": _("order line"),
                "cancel_url": order.get_absolute_url(),
            },
        )

    def get(self, request, **kwargs):
        order, line = self.objects(**kwargs)
        return self._render(order, line, PurchaseOrderLineForm(user=request.user, instance=line))

    def post(self, request, **kwargs):
        order, line = self.objects(**kwargs)
        form = PurchaseOrderLineForm(request.POST, user=request.user, instance=line)
        if form.is_valid():
            try:
                if line is None:
                    services.purchase_order_line_create(
                        actor=request.user, order=order, data=form.service_data()
                    )
                else:
                    services.purchase_order_line_update(
                        actor=request.user, instance=line, data=form.service_data()
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Line saved."))
                return HttpResponseRedirect(order.get_absolute_url())
        return self._render(order, line, form)


class LineDeleteView(ChangeOrderMixin, View):
    def _line(self, pk: int):
        line = get_object_or_404(selectors.purchase_order_line_list(self.request.user), pk=pk)
        return self.get_order(line.order_id), line

    def get(self, request, pk: int):
        _order, line = self._line(pk)
        return render(
            request, "core/object_delete.html", {"object": line, "verbose_name": _("order line")}
        )

    def post(self, request, pk: int):
        order, line = self._line(pk)
        try:
            services.purchase_order_line_delete(actor=request.user, instance=line)
        except (ProtectedError, RestrictedError):
            messages.error(request, _("The line is still referenced and was not deleted."))
        else:
            messages.success(request, _("Line deleted."))
        return HttpResponseRedirect(order.get_absolute_url())


class DeliveryEditView(ChangeOrderMixin, View):
    """Record a delivery of an order (`order` pk) or change one (`pk`): a row per order line."""

    template_name = "procurement/purchases/delivery_edit.html"

    def objects(self, **kwargs):
        if "pk" in kwargs:
            delivery = get_object_or_404(
                selectors.delivery_list(self.request.user), pk=kwargs["pk"]
            )
            return self.get_order(delivery.order_id), delivery
        return self.get_order(kwargs["order"]), None

    def _form(self, order, delivery, data=None):
        lines = list(order.lines.order_by("line_no"))
        existing = {dl.order_line_id: dl for dl in delivery.lines.all()} if delivery else {}
        initial = {}
        if delivery is not None:
            initial = {
                "delivered_on": delivery.delivered_on,
                "delivery_note_number": delivery.delivery_note_number,
                "note": delivery.note,
            }
        return DeliveryForm(data, order_lines=lines, existing=existing, initial=initial)

    def _render(self, order, delivery, form):
        return render(
            self.request,
            self.template_name,
            {
                "order": order,
                "object": delivery,
                "form": form,
                "cancel_url": order.get_absolute_url(),
            },
        )

    def get(self, request, **kwargs):
        order, delivery = self.objects(**kwargs)
        return self._render(order, delivery, self._form(order, delivery))

    def post(self, request, **kwargs):
        order, delivery = self.objects(**kwargs)
        form = self._form(order, delivery, request.POST)
        if form.is_valid():
            try:
                if delivery is None:
                    saved = services.delivery_create(
                        actor=request.user,
                        order=order,
                        data=form.delivery_data(),
                        lines=form.line_data(),
                    )
                else:
                    saved = services.delivery_update(
                        actor=request.user,
                        instance=delivery,
                        data=form.delivery_data(),
                        lines=form.line_data(),
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Delivery saved."))
                flagged = [dl for dl in saved.lines.all() if dl.is_over_delivery]
                for dl in flagged:
                    messages.warning(request, dl.over_delivery_note)
                return HttpResponseRedirect(order.get_absolute_url())
        return self._render(order, delivery, form)


class DeliveryDeleteView(ChangeOrderMixin, View):
    def _delivery(self, pk: int):
        delivery = get_object_or_404(selectors.delivery_list(self.request.user), pk=pk)
        return self.get_order(delivery.order_id), delivery

    def get(self, request, pk: int):
        _order, delivery = self._delivery(pk)
        return render(
            request,
            "core/object_delete.html",
            {"object": delivery, "verbose_name": delivery._meta.verbose_name},
        )

    def post(self, request, pk: int):
        order, delivery = self._delivery(pk)
        services.delivery_delete(actor=request.user, instance=delivery)
        messages.success(request, _("Delivery deleted."))
        return HttpResponseRedirect(order.get_absolute_url())
