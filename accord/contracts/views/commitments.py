"""Pages of the commitments ledger: the generic list, detail, edit, delete and history pages of
`core`, and a quick status change (fulfilled, missed, waived …) from the detail page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import ModelViews, ObjectDetailView, ObjectEditView, ObjectListView

from ..filtersets.commitments import CommitmentFilterSet
from ..forms.commitments import CommitmentForm
from ..models.commitments import Commitment, CommitmentStatus
from ..selectors import commitments as selectors
from ..services import commitments as services
from ..tables.commitments import CommitmentTable


class CommitmentListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["overdue_count"] = selectors.overdue_count(self.request.user)
        ctx["overdue_url"] = reverse("contracts:commitment_list") + "?overdue=true"
        ctx["calendar_url"] = reverse("contracts:contract_calendar")
        return ctx


class CommitmentDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = [
            (value, label)
            for value, label in CommitmentStatus.choices
            if value != self.object.status
        ]
        ctx["status_url"] = reverse("contracts:commitment_status", args=[self.object.pk])
        return ctx


class CommitmentEditView(ObjectEditView):
    """A new commitment can be prefilled: `?contract=<id>`, `?organization=<id>`, `?person=<id>`."""


class CommitmentViews(ModelViews):
    model = Commitment
    selector = staticmethod(selectors.commitment_list)
    namespace = "contracts"
    filterset_class = CommitmentFilterSet
    table_class = CommitmentTable
    form_class = CommitmentForm
    create_service = staticmethod(services.commitment_create)
    update_service = staticmethod(services.commitment_update)
    delete_service = staticmethod(services.commitment_delete)
    list_view = CommitmentListView
    detail_view = CommitmentDetailView
    edit_view = CommitmentEditView
    list_template = "contracts/commitments/commitment_list.html"
    detail_template = "contracts/commitments/commitment_detail.html"


class CommitmentStatusView(LoginRequiredMixin, View):
    """POST `status`: mark the commitment fulfilled (today), missed, waived, in progress or open."""

    def post(self, request, pk: int):
        commitment = get_object_or_404(selectors.commitment_list(request.user), pk=pk)
        if not visibility.can_change(request.user, commitment):
            raise PermissionDenied(_("You may not change this record."))
        try:
            services.commitment_set_status(
                actor=request.user, instance=commitment, status=request.POST.get("status", "")
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Commitment “%(obj)s” is now %(status)s.")
                % {"obj": commitment, "status": commitment.get_status_display()},
            )
        return HttpResponseRedirect(commitment.get_absolute_url())
