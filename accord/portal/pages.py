"""The client's pages of the commercial side: quotes, orders, invoices, the catalogue. Every
record is looked up within the account's organization: another organization's record is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accord.commerce.documents import invoice_document, quote_document, render_pdf
from accord.commerce.selectors.sales import lines_and_totals
from accord.core.views import message_validation_error

from . import ordering, selectors
from .auth import portal_required
from .filtersets import PortalInvoiceFilterSet, PortalOrderFilterSet, PortalQuoteFilterSet
from .registry import PortalSection, register_section

register_section(
    PortalSection(
        gettext_lazy("Quotes"),
        "portal:quotes",
        10,
        "",
        gettext_lazy("Our quotes to you: read, download and accept them."),
    )
)
register_section(
    PortalSection(
        gettext_lazy("Orders"),
        "portal:orders",
        20,
        "",
        gettext_lazy("Your orders and their status; order again with one click."),
    )
)
register_section(
    PortalSection(
        gettext_lazy("Catalogue"),
        "portal:catalogue",
        25,
        "can_order",
        gettext_lazy("Products you can order directly."),
    )
)
register_section(
    PortalSection(
        gettext_lazy("Invoices"),
        "portal:invoices",
        30,
        "can_see_invoices",
        gettext_lazy("Your invoices, what is open and when it is due."),
    )
)


def client_list(request, filterset_class, qs, template: str) -> HttpResponse:
    """A client's list: the portal selector's records, narrowed by the app's own filterset
    (a portal subclass of it that keeps only the status and the search)."""
    filterset = filterset_class(request.GET, queryset=qs)
    filterset.is_valid()  # a value that does not fit is left out, as on the staff lists
    chosen = filterset.form.cleaned_data
    status = chosen.get("status") or ""
    if isinstance(status, list):  # a multiple choice on the staff list; one select here
        status = status[0] if status else ""
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "statuses": filterset.filters["status"].extra["choices"],
        "status": status,
        "q": (chosen.get("q") or "").strip(),
    }
    return render(request, template, context)


def _pdf(document) -> HttpResponse:
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    return response


@portal_required
def quotes(request):
    qs = selectors.portal_quotes(request.portal_account)
    return client_list(request, PortalQuoteFilterSet, qs, "portal/quotes.html")


@portal_required
def quote_detail(request, pk: int):
    quote = get_object_or_404(selectors.portal_quotes(request.portal_account), pk=pk)
    lines, totals = lines_and_totals(quote)
    return render(
        request, "portal/quote_detail.html", {"quote": quote, "lines": lines, "totals": totals}
    )


@portal_required
def quote_pdf(request, pk: int):
    quote = get_object_or_404(selectors.portal_quotes(request.portal_account), pk=pk)
    return _pdf(quote_document(quote))


@portal_required(permission="can_order")
@require_POST
def quote_accept(request, pk: int):
    quote = get_object_or_404(selectors.portal_quotes(request.portal_account), pk=pk)
    try:
        order = ordering.accept_quote(
            account=request.portal_account,
            quote=quote,
            reference=request.POST.get("reference", ""),
        )
    except ValidationError as exc:
        message_validation_error(request, exc)
        return redirect("portal:quote_detail", pk=quote.pk)
    messages.success(
        request,
        _("Thank you! Quote %(quote)s is accepted; your order is %(order)s.")
        % {"quote": quote.number, "order": order.number},
    )
    return redirect("portal:order_detail", pk=order.pk)


@portal_required
def orders(request):
    qs = selectors.portal_orders(request.portal_account)
    return client_list(request, PortalOrderFilterSet, qs, "portal/orders.html")


@portal_required
def order_detail(request, pk: int):
    order = get_object_or_404(selectors.portal_orders(request.portal_account), pk=pk)
    lines, totals = lines_and_totals(order)
    invoices = selectors.portal_invoices(request.portal_account).filter(order=order)
    return render(
        request,
        "portal/order_detail.html",
        {"order": order, "lines": lines, "totals": totals, "invoices": invoices},
    )


@portal_required(permission="can_order")
@require_POST
def order_again(request, pk: int):
    order = get_object_or_404(selectors.portal_orders(request.portal_account), pk=pk)
    try:
        new = ordering.reorder(
            account=request.portal_account, order=order, reference=request.POST.get("reference", "")
        )
    except ValidationError as exc:
        message_validation_error(request, exc)
        return redirect("portal:order_detail", pk=order.pk)
    messages.success(request, _("Thank you! Your new order is %(order)s.") % {"order": new.number})
    return redirect("portal:order_detail", pk=new.pk)


@portal_required(permission="can_order")
def catalogue(request):
    items = list(selectors.portal_catalogue(request.portal_account))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            quantities = ordering.parse_quantities(request.POST)
            order = ordering.order_from_catalogue(
                account=request.portal_account,
                quantities=quantities,
                reference=request.POST.get("reference", ""),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = exc.message_dict
            else:
                message_validation_error(request, exc)
        else:
            messages.success(
                request, _("Thank you! Your order is %(order)s.") % {"order": order.number}
            )
            return redirect("portal:order_detail", pk=order.pk)
    rows = [
        {
            "item": item,
            "field": f"qty-{item.pk}",
            "value": request.POST.get(f"qty-{item.pk}", ""),
            "errors": errors.get(f"qty-{item.pk}", []),
        }
        for item in items
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/catalogue.html",
        {"rows": rows, "reference": request.POST.get("reference", "")},
        status=status,
    )


@portal_required(permission="can_see_invoices")
def invoices(request):
    qs = selectors.portal_invoices(request.portal_account)
    return client_list(request, PortalInvoiceFilterSet, qs, "portal/invoices.html")


@portal_required(permission="can_see_invoices")
def invoice_detail(request, pk: int):
    invoice = get_object_or_404(selectors.portal_invoices(request.portal_account), pk=pk)
    return render(request, "portal/invoice_detail.html", {"invoice": invoice})


@portal_required(permission="can_see_invoices")
def invoice_pdf(request, pk: int):
    invoice = get_object_or_404(selectors.portal_invoices(request.portal_account), pk=pk)
    return _pdf(invoice_document(invoice))
