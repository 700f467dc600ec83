"""Pages of quotes, orders, invoices, payments and recurring orders: the generic list, detail,
edit, delete and history pages of `core`, plus line editing on the detail pages, accepting a
quote, order status changes, printable pages and PDFs, credits, and the organization fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView, message_validation_error

from .. import selectors, services
from ..choices import ORDER_TRANSITIONS, InvoiceStatus, OrderStatus, QuoteStatus
from ..documents import invoice_document, quote_document, render_pdf
from ..filtersets import (
    InvoiceFilterSet,
    OrderFilterSet,
    PaymentFilterSet,
    QuoteFilterSet,
    RecurringOrderFilterSet,
)
from ..forms import (
    AcceptQuoteForm,
    InvoiceForm,
    OrderForm,
    OrderLineForm,
    OrderStatusForm,
    PaymentForm,
    QuoteForm,
    QuoteLineForm,
    RecurringOrderForm,
    RecurringOrderLineForm,
)
from ..models import Invoice, Order, Payment, Quote, RecurringOrder
from ..tables import InvoiceTable, OrderTable, PaymentTable, QuoteTable, RecurringOrderTable


class _WriteMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _changeable(user: Any, queryset: Any, pk: int) -> Any:
    obj = get_object_or_404(queryset, pk=pk)
    if not visibility.can_change(user, obj):
        raise PermissionDenied(_("You may not change this record."))
    return obj


# --- quotes -----------------------------------------------------------------------------------


class QuoteDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        quote = self.object
        ctx["lines"], ctx["totals"] = selectors.lines_and_totals(quote)
        editable = ctx["can_change"] and quote.status != QuoteStatus.ACCEPTED
        ctx["line_form"] = QuoteLineForm(user=self.request.user) if editable else None
        ctx["line_add_url"] = reverse("commerce:quote_line_add", args=[quote.pk])
        ctx["line_remove_name"] = "commerce:quote_line_remove"
        ctx["may_accept"] = ctx["can_change"] and quote.status in (
            QuoteStatus.DRAFT,
            QuoteStatus.SENT,
        )
        ctx["accept_form"] = AcceptQuoteForm() if ctx["may_accept"] else None
        ctx["orders"] = selectors.order_list(self.request.user).filter(quote=quote)
        return ctx


class QuoteViews(ModelViews):
    model = Quote
    selector = staticmethod(selectors.quote_list)
    namespace = "commerce"
    filterset_class = QuoteFilterSet
    table_class = QuoteTable
    form_class = QuoteForm
    create_service = staticmethod(services.quote_create)
    update_service = staticmethod(services.quote_update)
    delete_service = staticmethod(services.quote_delete)
    detail_view = QuoteDetailView
    list_template = "commerce/sales_list.html"
    detail_template = "commerce/quote_detail.html"


class _LineAddView(_WriteMixin, View):
    """Add a line to a document from the form on its page."""

    selector: Any = None
    form_class: Any = None
    service: Any = None
    parent_arg = ""

    def post(self, request, pk: int):
        parent = _changeable(request.user, type(self).selector(request.user), pk)
        form = self.form_class(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                type(self).service(
                    actor=request.user, **{self.parent_arg: parent}, data=form.service_data()
                )
            except ValidationError as exc:
                message_validation_error(request, exc)
            else:
                messages.success(request, _("Line added."))
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"{label}: {' '.join(errors)}" if label else " ".join(errors)
                )
        return HttpResponseRedirect(parent.get_absolute_url())


class _LineRemoveView(_WriteMixin, View):
    model: Any = None
    service: Any = None

    def post(self, request, pk: int):
        line = get_object_or_404(self.model.objects.visible_to(request.user), pk=pk)
        parent_url = line.get_absolute_url()
        try:
            type(self).service(actor=request.user, instance=line)
        except ValidationError as exc:
            message_validation_error(request, exc)
        else:
            messages.success(request, _("Line removed."))
        return HttpResponseRedirect(parent_url)


class QuoteLineAddView(_LineAddView):
    selector = staticmethod(selectors.quote_list)
    form_class = QuoteLineForm
    service = staticmethod(services.quote_line_add)
    parent_arg = "quote"


class QuoteLineRemoveView(_LineRemoveView):
    from ..models import QuoteLine as model

    service = staticmethod(services.quote_line_remove)


class QuoteAcceptView(_WriteMixin, View):
    """Accept the quote: the order is created and shown."""

    def post(self, request, pk: int):
        quote = _changeable(request.user, selectors.quote_list(request.user), pk)
        form = AcceptQuoteForm(data=request.POST)
        data = form.cleaned_data if form.is_valid() else {}
        try:
            order = services.quote_accept(actor=request.user, quote=quote, data=data)
        except ValidationError as exc:
            message_validation_error(request, exc)
            return HttpResponseRedirect(quote.get_absolute_url())
        messages.success(
            request, _("Quote accepted: order %(order)s created.") % {"order": order.number}
        )
        return HttpResponseRedirect(order.get_absolute_url())


class _DocumentView(LoginRequiredMixin, View):
    """The printable page (HTML) or the PDF of a quote or invoice the user may see."""

    selector: Any = None
    build: Any = None
    pdf = False

    def get(self, request, pk: int):
        obj = get_object_or_404(type(self).selector(request.user), pk=pk)
        document = type(self).build(obj)
        if self.pdf:
            response = HttpResponse(render_pdf(document), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
            return response
        return render(
            request, "commerce/document_print.html", {"document": document, "object": obj}
        )


class QuotePrintView(_DocumentView):
    selector = staticmethod(selectors.quote_list)
    build = staticmethod(quote_document)


class QuotePdfView(QuotePrintView):
    pdf = True


# --- orders -----------------------------------------------------------------------------------


class OrderDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        order = self.object
        ctx["lines"], ctx["totals"] = selectors.lines_and_totals(order)
        invoices = list(selectors.invoice_list(self.request.user).filter(order=order))
        ctx["invoices"] = invoices
        editable = (
            ctx["can_change"]
            and not any(i.status != InvoiceStatus.CANCELLED for i in invoices)
            and order.status in (OrderStatus.CONFIRMED, OrderStatus.DELIVERED)
        )
        ctx["line_form"] = OrderLineForm(user=self.request.user) if editable else None
        ctx["line_add_url"] = reverse("commerce:order_line_add", args=[order.pk])
        ctx["line_remove_name"] = "commerce:order_line_remove"
        choices = [
            (s, label)
            for s, label in OrderStatus.choices
            if s in ORDER_TRANSITIONS.get(order.status, ()) and s != OrderStatus.PAID
        ]
        ctx["status_form"] = (
            OrderStatusForm(choices=choices) if ctx["can_change"] and choices else None
        )
        ctx["may_invoice"] = (
            ctx["can_change"]
            and order.status not in (OrderStatus.CANCELLED, OrderStatus.PAID)
            and bool(ctx["lines"])
        )
        return ctx


class OrderViews(ModelViews):
    model = Order
    selector = staticmethod(selectors.order_list)
    namespace = "commerce"
    filterset_class = OrderFilterSet
    table_class = OrderTable
    form_class = OrderForm
    create_service = staticmethod(services.order_create)
    update_service = staticmethod(services.order_update)
    delete_service = staticmethod(services.order_delete)
    detail_view = OrderDetailView
    list_template = "commerce/sales_list.html"
    detail_template = "commerce/order_detail.html"


class OrderLineAddView(_LineAddView):
    selector = staticmethod(selectors.order_list)
    form_class = OrderLineForm
    service = staticmethod(services.order_line_add)
    parent_arg = "order"


class OrderLineRemoveView(_LineRemoveView):
    from ..models import OrderLine as model

    service = staticmethod(services.order_line_remove)


class OrderStatusView(_WriteMixin, View):
    def post(self, request, pk: int):
        order = _changeable(request.user, selectors.order_list(request.user), pk)
        status = request.POST.get("status", "")
        try:
            services.order_set_status(actor=request.user, order=order, status=status)
        except ValidationError as exc:
            message_validation_error(request, exc)
        else:
            messages.success(
                request,
                _("Order %(number)s: %(status)s.")
                % {"number": order.number, "status": order.get_status_display()},
            )
        return HttpResponseRedirect(order.get_absolute_url())


# --- invoices and payments ----------------------------------------------------------------------


class InvoiceDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        invoice = self.object
        ctx["payments"] = selectors.payment_list(self.request.user).filter(invoice=invoice)
        ctx["credits_applied"] = invoice.credits.filter(amount__lt=0)
        ctx["credit"] = selectors.credit_balances(invoice.organization_id).get(invoice.currency)
        ctx["days_overdue"] = invoice.days_overdue()
        ctx["open_amount"] = invoice.open_amount
        active = ctx["can_change"] and invoice.status != InvoiceStatus.CANCELLED
        ctx["may_cancel"] = active
        ctx["may_apply_credit"] = active and invoice.open_amount > 0 and (ctx["credit"] or 0) > 0
        ctx["may_pay"] = active and invoice.open_amount > 0
        return ctx


class InvoiceViews(ModelViews):
    model = Invoice
    selector = staticmethod(selectors.invoice_list)
    namespace = "commerce"
    filterset_class = InvoiceFilterSet
    table_class = InvoiceTable
    form_class = InvoiceForm
    create_service = staticmethod(services.invoice_create)
    update_service = staticmethod(services.invoice_update)
    delete_service = staticmethod(services.invoice_delete)
    detail_view = InvoiceDetailView
    list_template = "commerce/sales_list.html"
    detail_template = "commerce/invoice_detail.html"


class InvoicePrintView(_DocumentView):
    selector = staticmethod(selectors.invoice_list)
    build = staticmethod(invoice_document)


class InvoicePdfView(InvoicePrintView):
    pdf = True


class InvoiceCancelView(_WriteMixin, View):
    def post(self, request, pk: int):
        invoice = _changeable(request.user, selectors.invoice_list(request.user), pk)
        try:
            services.invoice_cancel(actor=request.user, invoice=invoice)
        except ValidationError as exc:
            message_validation_error(request, exc)
        else:
            messages.success(request, _("Invoice %(number)s cancelled.") % {"number": invoice})
        return HttpResponseRedirect(invoice.get_absolute_url())


class InvoiceApplyCreditView(_WriteMixin, View):
    def post(self, request, pk: int):
        invoice = _changeable(request.user, selectors.invoice_list(request.user), pk)
        try:
            amount = services.invoice_apply_credit(actor=request.user, invoice=invoice)
        except ValidationError as exc:
            message_validation_error(request, exc)
        else:
            messages.success(
                request,
                _("%(amount)s %(currency)s of credit applied.")
                % {"amount": amount, "currency": invoice.currency},
            )
        return HttpResponseRedirect(invoice.get_absolute_url())


class PaymentEditView(ObjectEditView):
    """After recording a payment whose surplus became credit, say so."""

    def _success_url(self, obj):
        if isinstance(obj, Payment) and obj.credited_amount > 0 and self.kwargs.get("pk") is None:
            messages.info(
                self.request,
                _(
                    "%(credit)s %(currency)s more than was open: kept as credit of "
                    "%(organization)s, to be used for the next invoice."
                )
                % {
                    "credit": obj.credited_amount,
                    "currency": obj.currency,
                    "organization": obj.organization,
                },
            )
        return super()._success_url(obj)


class PaymentViews(ModelViews):
    model = Payment
    selector = staticmethod(selectors.payment_list)
    namespace = "commerce"
    filterset_class = PaymentFilterSet
    table_class = PaymentTable
    form_class = PaymentForm
    create_service = staticmethod(services.payment_create)
    update_service = staticmethod(services.payment_update)
    delete_service = staticmethod(services.payment_delete)
    edit_view = PaymentEditView
    list_template = "commerce/sales_list.html"
    detail_template = "commerce/payment_detail.html"


# --- recurring orders -------------------------------------------------------------------------


class RecurringOrderDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["lines"], ctx["totals"] = selectors.lines_and_totals(self.object)
        ctx["line_form"] = (
            RecurringOrderLineForm(user=self.request.user) if ctx["can_change"] else None
        )
        ctx["line_add_url"] = reverse("commerce:recurringorder_line_add", args=[self.object.pk])
        ctx["line_remove_name"] = "commerce:recurringorder_line_remove"
        ctx["orders"] = selectors.order_list(self.request.user).filter(recurring=self.object)[:24]
        return ctx


class RecurringOrderViews(ModelViews):
    model = RecurringOrder
    selector = staticmethod(selectors.recurring_order_list)
    namespace = "commerce"
    filterset_class = RecurringOrderFilterSet
    table_class = RecurringOrderTable
    form_class = RecurringOrderForm
    create_service = staticmethod(services.recurring_order_create)
    update_service = staticmethod(services.recurring_order_update)
    delete_service = staticmethod(services.recurring_order_delete)
    detail_view = RecurringOrderDetailView
    list_template = "commerce/sales_list.html"
    detail_template = "commerce/recurringorder_detail.html"


class RecurringOrderLineAddView(_LineAddView):
    selector = staticmethod(selectors.recurring_order_list)
    form_class = RecurringOrderLineForm
    parent_arg = "recurring"

    @staticmethod
    def service(*, actor: Any, recurring: RecurringOrder, data: dict[str, Any]) -> Any:
        return services.recurring_order_line_add(actor=actor, recurring=recurring, data=data)


class RecurringOrderLineRemoveView(_LineRemoveView):
    from ..models import RecurringOrderLine as model

    service = staticmethod(services.recurring_order_line_remove)


# --- the organization page ----------------------------------------------------------------------


class OrganizationBillingView(LoginRequiredMixin, View):
    """Open and overdue invoices and the credit balance, for the organization page."""

    def get(self, request, pk: int):
        return render(
            request,
            "commerce/organization_billing.html",
            {
                "billing": selectors.organization_billing(request.user, pk),
                "organization_id": pk,
                "may_write": visibility.may_write(request.user),
            },
        )
