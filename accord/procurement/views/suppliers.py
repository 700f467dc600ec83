"""Pages of suppliers: supplier profiles (list, detail with questionnaire, documents, spend and
delivery facts), supply categories and qualification questions (configuration), document upload
and download, and the supplier fragment on the organization page."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import (
    ModelViews,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
)

from ..filtersets.suppliers import (
    QualificationQuestionFilterSet,
    SupplierProfileFilterSet,
    SupplyCategoryFilterSet,
)
from ..forms.suppliers import (
    QualificationQuestionForm,
    QuestionnaireForm,
    SupplierDocumentForm,
    SupplierProfileForm,
    SupplyCategoryForm,
)
from ..models import KraljicClass, QualificationQuestion, SupplierProfile, SupplyCategory
from ..selectors import suppliers as selectors
from ..services import suppliers as services
from ..tables.suppliers import (
    QualificationQuestionTable,
    SupplierProfileTable,
    SupplyCategoryTable,
)

KRALJIC = dict(KraljicClass.choices)


# --- profiles ---------------------------------------------------------------------------------------


class SupplierProfileDetailView(ObjectDetailView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related(None).prefetch_related("categories")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.profile_detail(self.request.user, self.object))
        ctx["suggested_label"] = KRALJIC.get(ctx["suggested_class"], "")
        pk = self.object.pk
        ctx["questionnaire_url"] = reverse("procurement:supplierprofile_questionnaire", args=[pk])
        ctx["document_add_url"] = reverse("procurement:supplierdocument_add", args=[pk])
        ctx["order_add_url"] = (
            reverse("procurement:purchaseorder_add") + f"?supplier={self.object.organization_id}"
        )
        ctx["orders_url"] = (
            reverse("procurement:purchaseorder_list") + f"?supplier={self.object.organization_id}"
        )
        return ctx


class SupplierProfileEditView(ObjectEditView):
    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        org = self.request.GET.get("organization", "")
        if org.isdigit():
            initial["organization"] = int(org)
        return initial


class SupplierProfileViews(ModelViews):
    model = SupplierProfile
    selector = staticmethod(selectors.supplier_profile_list)
    namespace = "procurement"
    filterset_class = SupplierProfileFilterSet
    table_class = SupplierProfileTable
    form_class = SupplierProfileForm
    create_service = staticmethod(services.supplier_profile_create)
    update_service = staticmethod(services.supplier_profile_update)
    delete_service = staticmethod(services.supplier_profile_delete)
    detail_view = SupplierProfileDetailView
    edit_view = SupplierProfileEditView
    list_template = "procurement/suppliers/supplierprofile_list.html"
    detail_template = "procurement/suppliers/supplierprofile_detail.html"


class ChangeProfileMixin(LoginRequiredMixin):
    """A page that changes one supplier profile the user may change (404 if not visible)."""

    def get_profile(self, pk: int) -> SupplierProfile:
        if not visibility.may_write(self.request.user):  # type: ignore[attr-defined]
            raise PermissionDenied(_("Your role may only read."))
        profile = get_object_or_404(
            selectors.supplier_profile_list(self.request.user),  # type: ignore[attr-defined]
            pk=pk,
        )
        if not visibility.can_change(self.request.user, profile):  # type: ignore[attr-defined]
            raise PermissionDenied(_("You may not change this record."))
        return profile


class QuestionnaireView(ChangeProfileMixin, View):
    """Answer the qualification questions of one profile (all on one page)."""

    template_name = "procurement/suppliers/questionnaire.html"

    def _render(self, profile, form):
        return render(
            self.request,
            self.template_name,
            {"object": profile, "form": form, "cancel_url": profile.get_absolute_url()},
        )

    def get(self, request, pk: int):
        profile = self.get_profile(pk)
        rows = selectors.question_rows(profile)
        return self._render(profile, QuestionnaireForm(rows=rows))

    def post(self, request, pk: int):
        profile = self.get_profile(pk)
        rows = selectors.question_rows(profile)
        form = QuestionnaireForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                with transaction.atomic():
                    for question, answer, yes_no in form.answers():
                        existing = next(
                            (r.answer for r in rows if r.question.pk == question.pk), None
                        )
                        if existing is None and not answer and yes_no is None:
                            continue
                        services.qualification_answer_save(
                            actor=request.user,
                            profile=profile,
                            question=question,
                            answer=answer,
                            yes_no=yes_no,
                        )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Answers saved."))
                return HttpResponseRedirect(profile.get_absolute_url())
        return self._render(profile, form)


# --- documents ----------------------------------------------------------------------------------


class DocumentEditView(ChangeProfileMixin, View):
    """Upload a document for a profile (`profile` pk) or change one (`pk`)."""

    template_name = "procurement/suppliers/document_edit.html"

    def objects(self, **kwargs):
        if "pk" in kwargs:
            doc = get_object_or_404(
                selectors.supplier_document_list(self.request.user), pk=kwargs["pk"]
            )
            return self.get_profile(doc.profile_id), doc
        return self.get_profile(kwargs["profile"]), None

    def _render(self, profile, doc, form):
        return render(
            self.request,
            self.template_name,
            {
                "profile": profile,
                "object": doc,
                "form": form,
                "cancel_url": profile.get_absolute_url(),
            },
        )

    def get(self, request, **kwargs):
        profile, doc = self.objects(**kwargs)
        return self._render(profile, doc, SupplierDocumentForm(user=request.user, instance=doc))

    def post(self, request, **kwargs):
        profile, doc = self.objects(**kwargs)
        form = SupplierDocumentForm(request.POST, request.FILES, user=request.user, instance=doc)
        if form.is_valid():
            data = form.service_data()
            try:
                if doc is None:
                    services.supplier_document_create(
                        actor=request.user, data={"profile": profile, **data}
                    )
                else:
                    services.supplier_document_update(actor=request.user, instance=doc, data=data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Document saved."))
                return HttpResponseRedirect(profile.get_absolute_url())
        return self._render(profile, doc, form)


class DocumentDeleteView(ChangeProfileMixin, View):
    def get(self, request, pk: int):
        doc = get_object_or_404(selectors.supplier_document_list(request.user), pk=pk)
        self.get_profile(doc.profile_id)
        return render(
            request,
            "core/object_delete.html",
            {"object": doc, "verbose_name": doc._meta.verbose_name},
        )

    def post(self, request, pk: int):
        doc = get_object_or_404(selectors.supplier_document_list(request.user), pk=pk)
        profile = self.get_profile(doc.profile_id)
        services.supplier_document_delete(actor=request.user, instance=doc)
        messages.success(request, _("“%(obj)s” deleted.") % {"obj": doc.title})
        return HttpResponseRedirect(profile.get_absolute_url())


class DocumentDownloadView(LoginRequiredMixin, View):
    """A document of a profile the user may see, always as a download."""

    def get(self, request, pk: int):
        doc = get_object_or_404(selectors.supplier_document_list(request.user), pk=pk)
        if not doc.file:
            raise Http404(_("This document has no file."))
        try:
            handle = doc.file.open("rb")
        except (OSError, ValueError) as exc:
            raise Http404(_("The file of this document is missing.")) from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=os.path.basename(doc.file.name),
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


# --- configuration: categories and questions ----------------------------------------------------


class ConfigListView(ObjectListView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        if not selectors.may_configure(self.request.user):
            ctx["add_url"] = None
        return ctx


class ConfigDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = selectors.may_configure(self.request.user)
        ctx["share_url"] = None
        return ctx


class ConfigEditView(ObjectEditView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.may_configure(request.user):
            raise PermissionDenied(_("Only administrators and managers may change this setting."))
        return super().dispatch(request, *args, **kwargs)


class SupplyCategoryViews(ModelViews):
    model = SupplyCategory
    selector = staticmethod(selectors.supply_category_list)
    namespace = "procurement"
    filterset_class = SupplyCategoryFilterSet
    table_class = SupplyCategoryTable
    form_class = SupplyCategoryForm
    create_service = staticmethod(services.supply_category_create)
    update_service = staticmethod(services.supply_category_update)
    delete_service = staticmethod(services.supply_category_delete)
    list_view = ConfigListView
    detail_view = ConfigDetailView
    edit_view = ConfigEditView
    detail_template = "procurement/suppliers/supplycategory_detail.html"


class QualificationQuestionViews(ModelViews):
    model = QualificationQuestion
    selector = staticmethod(selectors.qualification_question_list)
    namespace = "procurement"
    filterset_class = QualificationQuestionFilterSet
    table_class = QualificationQuestionTable
    form_class = QualificationQuestionForm
    create_service = staticmethod(services.qualification_question_create)
    update_service = staticmethod(services.qualification_question_update)
    delete_service = staticmethod(services.qualification_question_delete)
    list_view = ConfigListView
    detail_view = ConfigDetailView
    edit_view = ConfigEditView
    detail_template = "procurement/suppliers/qualificationquestion_detail.html"


# --- organization page ---------------------------------------------------------------------------


class OrganizationSupplierView(LoginRequiredMixin, View):
    """The supplier summary on an organization's page (empty for non-suppliers without orders)."""

    def get(self, request, pk: int):
        ctx = selectors.organization_summary(request.user, pk)
        ctx["may_write"] = visibility.may_write(request.user)
        if ctx.get("suggested_class"):
            ctx["suggested_label"] = KRALJIC.get(ctx["suggested_class"], "")
        return render(request, "procurement/suppliers/organization_supplier.html", ctx)
