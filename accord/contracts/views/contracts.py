"""Pages of contracts: the generic list, detail, edit, delete and history pages of `core`, plus the
documents (upload, download through a visibility check, delete), the contract calendar, the
portfolio, the organization page fragment and the search boxes of the forms."""

from __future__ import annotations

import calendar
import datetime as dt
import mimetypes
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.charts import Series, bar_chart
from accord.core.views import ModelViews, ObjectDetailView, ObjectListView
from accord.pipeline.models import Opportunity

from ..filtersets.contracts import ContractFilterSet
from ..forms.contracts import ContractCalendarForm, ContractDocumentForm, ContractForm
from ..models.contracts import Contract, ContractDocument, ContractSide
from ..selectors import commitments as commitment_selectors
from ..selectors import contracts as selectors
from ..services import contracts as services
from ..tables.contracts import ContractTable


class ContractListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["calendar_url"] = reverse("contracts:contract_calendar")
        ctx["portfolio_url"] = reverse("contracts:contract_portfolio")
        return ctx


class ContractDetailView(ObjectDetailView):
    """Facts, key dates, documents, commitments, the opportunity and purchase orders."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.contract_detail(self.request.user, self.object))
        ctx["document_form"] = ContractDocumentForm() if ctx["can_change"] else None
        ctx["today"] = timezone.localdate()
        return ctx


class ContractViews(ModelViews):
    model = Contract
    selector = staticmethod(selectors.contract_list)
    namespace = "contracts"
    filterset_class = ContractFilterSet
    table_class = ContractTable
    form_class = ContractForm
    create_service = staticmethod(services.contract_create)
    update_service = staticmethod(services.contract_update)
    delete_service = staticmethod(services.contract_delete)
    list_view = ContractListView
    detail_view = ContractDetailView
    list_template = "contracts/contracts/contract_list.html"
    detail_template = "contracts/contracts/contract_detail.html"


# --- documents -----------------------------------------------------------------------------------
class ContractDocumentUploadView(LoginRequiredMixin, View):
    """Attach a file to a contract the user may change (POST, multipart)."""

    def post(self, request, pk: int):
        contract = get_object_or_404(selectors.contract_list(request.user), pk=pk)
        if not visibility.can_change(request.user, contract):
            raise PermissionDenied(_("You may not change this record."))
        form = ContractDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.contract_document_add(
                    actor=request.user,
                    contract=contract,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Document “%(doc)s” added.") % {"doc": document})
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return HttpResponseRedirect(contract.get_absolute_url() + "#documents")


class ContractDocumentDownloadView(LoginRequiredMixin, View):
    """The file, to whoever may see the contract (404 for everyone else)."""

    def get(self, request, pk: int):
        document = get_object_or_404(
            ContractDocument.objects.visible_to(request.user).select_related("contract"), pk=pk
        )
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = document.file.name.rsplit("/", 1)[-1]
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ContractDocumentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        document = get_object_or_404(
            ContractDocument.objects.visible_to(request.user).select_related("contract"), pk=pk
        )
        if not visibility.can_change(request.user, document.contract):
            raise PermissionDenied(_("You may not change this record."))
        services.contract_document_delete(actor=request.user, instance=document)
        messages.success(request, _("Document “%(doc)s” deleted.") % {"doc": document})
        return HttpResponseRedirect(document.contract.get_absolute_url() + "#documents")


# --- calendar ------------------------------------------------------------------------------------
def _parse_month(value: str, today: dt.date) -> dt.date:
    try:
        year, month = (int(p) for p in value.split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def _shift(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class ContractCalendarView(LoginRequiredMixin, View):
    """One month of notice deadlines, renewals, ends and commitment due dates: a month grid (an
    accessible table, weeks as rows) or a list (`?view=list`), with the previous and next month."""

    template_name = "contracts/contracts/calendar.html"

    def get(self, request):
        today = timezone.localdate()
        form = ContractCalendarForm(request.GET or None)
        form.is_valid()
        data = getattr(form, "cleaned_data", {}) or {}
        first = _parse_month(data.get("month") or "", today)
        if not (1900 <= first.year <= 9000):
            first = today.replace(day=1)
        last = dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        view = data.get("view") or "month"
        events = selectors.calendar_events(request.user, first, last, today=today)
        by_day: dict[dt.date, list] = defaultdict(list)
        for event in events:
            by_day[event.day].append(event)
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
            weeks.append(
                [
                    {
                        "day": day,
                        "in_month": day.month == first.month,
                        "today": day == today,
                        "events": by_day.get(day, []) if day.month == first.month else [],
                    }
                    for day in week
                ]
            )
        weekdays = [
            (
                formats.date_format(dt.date(2024, 1, 1 + i), "l"),
                formats.date_format(dt.date(2024, 1, 1 + i), "D"),
            )
            for i in range(7)
        ]
        ctx = {
            "form": form,
            "first": first,
            "month_value": first.strftime("%Y-%m"),
            "previous": _shift(first, -1).strftime("%Y-%m"),
            "next": _shift(first, 1).strftime("%Y-%m"),
            "this_month": today.strftime("%Y-%m"),
            "view": view,
            "weeks": weeks,
            "weekdays": weekdays,
            "days": sorted(by_day.items()),
            "events": events,
        }
        return render(request, self.template_name, ctx)


# --- portfolio -----------------------------------------------------------------------------------
class ContractPortfolioView(LoginRequiredMixin, View):
    """Value by counterparty and type, expiring soon, value at risk, per currency."""

    template_name = "contracts/contracts/portfolio.html"

    def get(self, request):
        side = request.GET.get("side", "")
        if side not in ContractSide.values:
            side = ""
        currencies = selectors.portfolio(request.user, side=side)
        for entry in currencies:
            if entry.by_counterparty:
                labels = [str(org or "—") for org, _b in entry.by_counterparty]
                entry.counterparty_chart = bar_chart(  # type: ignore[attr-defined]
                    title=_("Contract value by counterparty (%(currency)s)")
                    % {"currency": entry.currency},
                    labels=labels,
                    series=[
                        Series(entry.currency, [float(b.value) for _o, b in entry.by_counterparty])
                    ],
                    horizontal=True,
                    height=max(240, 26 * len(labels)),
                    show_legend=False,
                )
            if entry.by_type:
                entry.type_chart = bar_chart(  # type: ignore[attr-defined]
                    title=_("Contract value by type (%(currency)s)") % {"currency": entry.currency},
                    labels=[label for _k, label, _b in entry.by_type],
                    series=[
                        Series(entry.currency, [float(b.value) for _k, _l, b in entry.by_type])
                    ],
                    show_legend=False,
                )
            entry.expiring_rows = [  # type: ignore[attr-defined]
                (days, entry.expiring.get(days)) for days in selectors.EXPIRY_WINDOWS
            ]
        ctx = {
            "currencies": currencies,
            "side": side,
            "sides": ContractSide.choices,
            "risk_days": selectors.RISK_DAYS,
            "list_url": reverse("contracts:contract_list"),
        }
        return render(request, self.template_name, ctx)


# --- fragments and search boxes ------------------------------------------------------------------
class OrganizationContractsView(LoginRequiredMixin, View):
    """The contracts and open commitments of one organization, for the organization page."""

    def get(self, request, pk: int):
        return render(
            request,
            "contracts/contracts/organization_contracts.html",
            {
                "contracts": selectors.contracts_of_organization(request.user, pk),
                "commitments": commitment_selectors.open_commitments_of_organization(
                    request.user, pk
                ),
                "organization_id": pk,
                "may_write": visibility.may_write(request.user),
                "today": timezone.localdate(),
            },
        )


def _field_name(request, default: str) -> str:
    field = request.GET.get("field", "")
    if not field.replace("_", "").replace("-", "").isalnum() or len(field) > 80:
        return default
    return field


class ContractAutocompleteView(LoginRequiredMixin, View):
    """Rows for the contract search box (commitment form)."""

    def get(self, request):
        query = (request.GET.get("q") or "").strip()[:100]
        qs = selectors.contract_list(request.user)
        for term in query.split()[:5]:
            qs = qs.filter(
                Q(title__icontains=term)
                | Q(number__icontains=term)
                | Q(counterparty_name__icontains=term)
            )
        rows = [
            {
                "value": c.pk,
                "label": str(c),
                "name": str(c),
                "detail": c.counterparty_name,
            }
            for c in qs.order_by("title", "id")[:20]
        ]
        ctx = {
            "results": rows,
            "query": query,
            "option_prefix": f"{_field_name(request, 'contract')}-option",
        }
        return render(request, "core/widgets/autocomplete_results.html", ctx)


class OpportunityAutocompleteView(LoginRequiredMixin, View):
    """Rows for the opportunity search box (contract form)."""

    def get(self, request):
        query = (request.GET.get("q") or "").strip()[:100]
        qs = Opportunity.objects.visible_to(request.user).select_related("organization", "stage")
        for term in query.split()[:5]:
            qs = qs.filter(Q(title__icontains=term) | Q(organization__name__icontains=term))
        rows = [
            {
                "value": o.pk,
                "label": o.title,
                "name": o.title,
                "detail": f"{o.organization} · {o.stage}",
            }
            for o in qs.order_by("title", "id")[:20]
        ]
        ctx = {
            "results": rows,
            "query": query,
            "option_prefix": f"{_field_name(request, 'opportunity')}-option",
        }
        return render(request, "core/widgets/autocomplete_results.html", ctx)


class PurchaseOrderAutocompleteView(LoginRequiredMixin, View):
    """Rows for the purchase order search box (contract form): the purchase orders the user may
    see, searched as the purchase order list searches them."""

    def get(self, request):
        from accord.procurement.filtersets.purchases import PurchaseOrderFilterSet
        from accord.procurement.selectors.purchases import purchase_order_list

        query = (request.GET.get("q") or "").strip()[:100]
        found = PurchaseOrderFilterSet(
            {"q": query}, queryset=purchase_order_list(request.user), request=request
        ).qs
        rows = [
            {
                "value": po.pk,
                "label": str(po),
                "name": str(po),
                "detail": f"{po.supplier} · {formats.date_format(po.ordered_on, 'SHORT_DATE_FORMAT')}",
            }
            for po in found.order_by("-ordered_on", "-pk")[:20]
        ]
        ctx = {
            "results": rows,
            "query": query,
            "option_prefix": f"{_field_name(request, 'purchaseorder')}-option",
        }
        return render(request, "core/widgets/autocomplete_results.html", ctx)
