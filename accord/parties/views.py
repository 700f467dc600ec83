"""Pages of organizations, people and relationships, declared on the generic views of `core`.

The person page carries small forms (add an address, a number, a position; remove; make primary) that
post to views of their own; each calls a service and returns to the person page, with or without htmx.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import visibility
from accord.core.views import (
    ModelViews,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_validation_error,
)

from . import selectors, services
from .filtersets import OrganizationFilterSet, PersonFilterSet, RelationshipFilterSet
from .forms import (
    OrganizationBulkEditForm,
    OrganizationForm,
    PersonBulkEditForm,
    PersonEmailForm,
    PersonForm,
    PersonPhoneForm,
    PositionForm,
    RelationshipForm,
    person_choice_label,
)
from .models import Organization, Person, PersonEmail, PersonPhone, Position, Relationship
from .search import person_subtitle
from .tables import OrganizationTable, PersonTable, RelationshipTable

# --- record pages --------------------------------------------------------------------------------


class OrganizationDetailView(ObjectDetailView):
    """The 360° page: roles, facts, buying center with its gaps, relationships, timeline, follow-ups."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.organization_360(self.request.user, self.object))
        pk = self.object.pk
        ctx["archive_url"] = reverse("parties:organization_archive", args=[pk])
        ctx["unarchive_url"] = reverse("parties:organization_unarchive", args=[pk])
        return ctx


class PersonDetailView(ObjectDetailView):
    """Positions over time, addresses and numbers (with their small forms), relationships."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = self.object
        ctx.update(selectors.person_detail(self.request.user, person))
        ctx.setdefault("email_form", PersonEmailForm(user=self.request.user, prefix="email"))
        ctx.setdefault("phone_form", PersonPhoneForm(user=self.request.user, prefix="phone"))
        ctx["archive_url"] = reverse("parties:person_archive", args=[person.pk])
        ctx["unarchive_url"] = reverse("parties:person_unarchive", args=[person.pk])
        ctx["position_add_url"] = reverse("parties:position_add", args=[person.pk])
        return ctx


class PersonListView(ObjectListView):
    """The people list, with a button that exports the listed (or selected) people as vCards."""

    template_name = "parties/person_list.html"
    partial_template_name = "parties/partials/person_table.html"


class PersonEditView(ObjectEditView):
    """The person form in groups: name, first address and number, current position, more."""

    template_name = "parties/person_form.html"


class OrganizationViews(ModelViews):
    model = Organization
    selector = staticmethod(selectors.organization_list)
    namespace = "parties"
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    form_class = OrganizationForm
    bulk_edit_form_class = OrganizationBulkEditForm
    create_service = staticmethod(services.organization_create)
    update_service = staticmethod(services.organization_update)
    delete_service = staticmethod(services.organization_delete)
    detail_view = OrganizationDetailView
    detail_template = "parties/organization_detail.html"


class PersonViews(ModelViews):
    model = Person
    selector = staticmethod(selectors.person_list)
    namespace = "parties"
    filterset_class = PersonFilterSet
    table_class = PersonTable
    form_class = PersonForm
    bulk_edit_form_class = PersonBulkEditForm
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)
    delete_service = staticmethod(services.person_delete)
    list_view = PersonListView
    detail_view = PersonDetailView
    edit_view = PersonEditView
    detail_template = "parties/person_detail.html"


class RelationshipViews(ModelViews):
    model = Relationship
    selector = staticmethod(selectors.relationship_list)
    namespace = "parties"
    filterset_class = RelationshipFilterSet
    table_class = RelationshipTable
    form_class = RelationshipForm
    create_service = staticmethod(services.relationship_create)
    update_service = staticmethod(services.relationship_update)
    delete_service = staticmethod(services.relationship_delete)
    detail_template = "parties/relationship_detail.html"


# --- choosing an organization or a person ------------------------------------------------------

_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")


class PartyAutocompleteView(LoginRequiredMixin, View):
    """The rows for the search box of an organization or person field (`core.widgets`).

    `GET ?kind=organization|person&q=<typed text>&field=<input name>`: up to 20 visible, not
    archived matches as `<li role="option">` (name, and the city or the job title at the
    organization); `field` only names the options' ids.
    """

    def get(self, request):
        kind = request.GET.get("kind", "")
        if kind not in ("organization", "person"):
            return HttpResponseBadRequest(_("Say what to search: ?kind=organization or person."))
        query = (request.GET.get("q") or "").strip()[:100]
        field = request.GET.get("field", "")
        if not _FIELD_NAME.match(field):
            field = kind
        found = selectors.party_autocomplete(request.user, kind, query)
        rows = [self.row(kind, obj) for obj in found]
        ctx = {"results": rows, "query": query, "option_prefix": f"{field}-option"}
        return render(request, "core/widgets/autocomplete_results.html", ctx)

    @staticmethod
    def row(kind: str, obj: Any) -> dict[str, Any]:
        if kind == "person":
            return {
                "value": obj.pk,
                "label": person_choice_label(obj),
                "name": obj.full_name,
                "detail": person_subtitle(obj),
            }
        place = selectors.organization_place(obj)
        return {"value": obj.pk, "label": obj.name, "name": obj.name, "detail": place}


# --- actions -------------------------------------------------------------------------------------


class RecordActionView(LoginRequiredMixin, View):
    """A POST that changes one record through a service and returns to a page."""

    selector: Any = None
    service: Any = None
    done_message = ""

    def get_object(self):
        obj = get_object_or_404(type(self).selector(self.request.user), pk=self.kwargs["pk"])
        if not visibility.can_change(self.request.user, obj):
            raise PermissionDenied(_("You may not change this record."))
        return obj

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            type(self).service(actor=request.user, instance=obj)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.done_message % {"obj": obj})
        return HttpResponseRedirect(self.success_url(obj))

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()


class OrganizationArchiveView(RecordActionView):
    selector = staticmethod(selectors.organization_list)
    service = staticmethod(services.organization_archive)
    done_message = gettext_lazy(
        "“%(obj)s” archived; it no longer shows in lists unless you ask for it."
    )


class OrganizationUnarchiveView(RecordActionView):
    selector = staticmethod(selectors.organization_list)
    service = staticmethod(services.organization_unarchive)
    done_message = gettext_lazy("“%(obj)s” is active again.")


class PersonArchiveView(OrganizationArchiveView):
    selector = staticmethod(selectors.person_list)
    service = staticmethod(services.person_archive)


class PersonUnarchiveView(OrganizationUnarchiveView):
    selector = staticmethod(selectors.person_list)
    service = staticmethod(services.person_unarchive)


class PersonPartRemoveView(RecordActionView):
    """Remove an address or number, or make an address primary; back to the person's page."""

    def success_url(self, obj) -> str:
        return obj.person.get_absolute_url()


class PersonEmailRemoveView(PersonPartRemoveView):
    selector = staticmethod(selectors.person_email_list)
    service = staticmethod(services.person_email_remove)
    done_message = gettext_lazy("Address “%(obj)s” removed.")


class PersonEmailPrimaryView(PersonPartRemoveView):
    selector = staticmethod(selectors.person_email_list)
    service = staticmethod(services.person_email_set_primary)
    done_message = gettext_lazy("“%(obj)s” is now the primary address.")


class PersonPhoneRemoveView(PersonPartRemoveView):
    selector = staticmethod(selectors.person_phone_list)
    service = staticmethod(services.person_phone_remove)
    done_message = gettext_lazy("Number “%(obj)s” removed.")


class PositionDeleteView(PersonPartRemoveView):
    selector = staticmethod(selectors.position_list)
    service = staticmethod(services.position_delete)
    done_message = gettext_lazy("Position “%(obj)s” removed.")


class PersonPartAddView(PersonDetailView):
    """POST a small form from the person page; on a problem, the person page shows it at the form."""

    model = Person
    url_namespace = "parties"
    actions = PersonViews.actions()
    template_name = "parties/person_detail.html"
    form_class: Any = None
    part_model: Any = None
    context_name = ""
    done_message = ""

    def get_queryset(self):
        return selectors.person_list(self.request.user)

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("parties:person_detail", args=[kwargs["pk"]]))

    def post(self, request, *args, **kwargs):
        self.object = person = self.get_object()
        if not visibility.can_change(request.user, person):
            raise PermissionDenied(_("You may not change this record."))
        form = self.form_class(
            data=request.POST,
            user=request.user,
            prefix=self.context_name.removesuffix("_form"),
            instance=self.part_model(person=person),
        )
        if form.is_valid():
            try:
                part = self.add(person, form.service_data())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.done_message % {"obj": part})
                return HttpResponseRedirect(person.get_absolute_url())
        ctx = self.get_context_data(object=person, **{self.context_name: form})
        return render(request, self.template_name, ctx, status=200 if request.htmx else 422)

    def add(self, person, data):  # pragma: no cover - abstract
        raise NotImplementedError


class PersonEmailAddView(PersonPartAddView):
    form_class = PersonEmailForm
    part_model = PersonEmail
    context_name = "email_form"
    done_message = gettext_lazy("Address “%(obj)s” added.")

    def add(self, person, data):
        return services.person_email_add(actor=self.request.user, person=person, **data)


class PersonPhoneAddView(PersonPartAddView):
    form_class = PersonPhoneForm
    part_model = PersonPhone
    context_name = "phone_form"
    done_message = gettext_lazy("Number “%(obj)s” added.")

    def add(self, person, data):
        return services.person_phone_add(actor=self.request.user, person=person, **data)


class PositionEditView(LoginRequiredMixin, View):
    """Add a position to a person (pk of the person) or edit one (pk of the position)."""

    template_name = "parties/position_form.html"
    partial_template_name = "parties/partials/position_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_objects(self) -> tuple[Person, Position | None]:
        user = self.request.user
        if "position_pk" in self.kwargs:
            position = get_object_or_404(
                selectors.position_list(user), pk=self.kwargs["position_pk"]
            )
            person = position.person
        else:
            person = get_object_or_404(selectors.person_list(user), pk=self.kwargs["pk"])
            position = None
        if not visibility.can_change(user, person):
            raise PermissionDenied(_("You may not change this record."))
        return person, position

    def render_form(self, form, person, position, status=200):
        ctx = {
            "form": form,
            "person": person,
            "position": position,
            "action_url": self.request.path,
        }
        template = self.partial_template_name if self.request.htmx else self.template_name
        return render(self.request, template, ctx, status=status)

    def get(self, request, *args, **kwargs):
        person, position = self.get_objects()
        instance = position or Position(person=person, is_primary=not person.organization_id)
        initial = {k: v for k, v in request.GET.items() if k in PositionForm.base_fields}
        form = PositionForm(instance=instance, user=request.user, initial=initial)
        return self.render_form(form, person, position)

    def post(self, request, *args, **kwargs):
        person, position = self.get_objects()
        form = PositionForm(
            data=request.POST, user=request.user, instance=position or Position(person=person)
        )
        if form.is_valid():
            data = form.service_data()
            try:
                if position is None:
                    saved = services.position_create(
                        actor=request.user, data={**data, "person": person}
                    )
                else:
                    saved = services.position_update(
                        actor=request.user, instance=position, data=data
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Position “%(obj)s” saved.") % {"obj": saved})
                if request.htmx:
                    # a redirect would be followed inside the fragment; htmx loads the page instead
                    return HttpResponse(
                        status=204, headers={"HX-Redirect": person.get_absolute_url()}
                    )
                return HttpResponseRedirect(person.get_absolute_url())
        return self.render_form(form, person, position, status=200 if request.htmx else 422)
