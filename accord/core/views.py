"""Generic pages every model gets by declaration: list, detail, create, edit, delete, bulk actions, history.

An app declares `ModelViews` for a model (selector, filterset, table, form, services, templates) and
includes `MyModelViews.urls("organizations")` in its urls.py; the rule for who sees what comes from the
selector (visibility applied), the rule for what is written from the services.

Every list can be exported as it is shown (filter, search, sort, visibility): an app that writes
files (the exports app) registers its formats with `register_list_export_format`, the list page
offers a button for each, and `list_export_table(list_name, user, query)` rebuilds the list's
table, unpaginated, for a request or a background job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLResolver,
    get_resolver,
    path,
    resolve,
    reverse,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from . import visibility
from .history import history_entries
from .pagination import CappedPaginator

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class ListExportFormat:
    """A file format lists can be exported to; `url_name` takes `list_name` and `fmt`."""

    key: str
    label: Any
    url_name: str


_EXPORT_FORMATS: dict[str, ListExportFormat] = {}


def register_list_export_format(fmt: ListExportFormat) -> None:
    _EXPORT_FORMATS[fmt.key] = fmt


def list_export_formats() -> list[ListExportFormat]:
    return list(_EXPORT_FORMATS.values())


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form, on the field it names where the form has one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def message_validation_error(request: Any, exc: ValidationError) -> None:
    """Show a service's refusal as an error message on the next page (for actions without a
    form to put it on)."""
    messages.error(request, " ".join(exc.messages))


class ModelViewMixin(LoginRequiredMixin):
    """Shared attributes: the model, its selector and the URL names derived from it."""

    model: Any = None
    selector: Any = None  # callable(user) -> visible queryset
    url_namespace: str = ""

    def get_queryset(self):
        return self.selector(self.request.user)

    def url_name(self, action: str) -> str:
        # Instance methods: ModelViews.urls() passes model/namespace/actions to as_view().
        name = f"{self.model._meta.model_name}_{action}"
        return f"{self.url_namespace}:{name}" if self.url_namespace else name

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.model._meta
        ctx.update(
            {
                "verbose_name": meta.verbose_name,
                "verbose_name_plural": meta.verbose_name_plural,
                "list_url": reverse(self.url_name("list")),
                "add_url": reverse(self.url_name("add")) if self.has_action("add") else None,
                "may_write": visibility.may_write(self.request.user),
            }
        )
        return ctx

    actions: ClassVar[tuple[str, ...]] = ()

    def has_action(self, action: str) -> bool:
        return action in self.actions


class ObjectListView(ModelViewMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated table; counts are capped, deep pages stay cheap."""

    template_name = "core/object_list.html"
    partial_template_name = "core/partials/object_table.html"
    paginator_class = CappedPaginator
    paginate_by = 50
    filterset_class: Any = None
    table_class: Any = None
    bulk_actions: ClassVar[tuple[str, ...]] = ()
    exportable: ClassVar[bool] = True  # offer the registered export formats on the page

    def get_paginate_by(self, table_data) -> int:
        try:
            value = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            value = self.paginate_by
        return max(1, min(value, MAX_PER_PAGE))

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def paginate_queryset(self, queryset, page_size):
        # The table paginates (capped count); the list view must not count and fetch a second time.
        return None, None, queryset, False

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if self.bulk_actions and visibility.may_write(self.request.user):
            kwargs["bulk"] = True
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        ctx["bulk_edit_url"] = (
            reverse(self.url_name("bulk_edit")) if "bulk_edit" in self.bulk_actions else None
        )
        ctx["bulk_delete_url"] = (
            reverse(self.url_name("bulk_delete")) if "bulk_delete" in self.bulk_actions else None
        )
        ctx["active_filters"] = sum(
            1 for k, v in self.request.GET.items() if v and k not in {"page", "per_page", "sort"}
        )
        ctx["export_links"] = self.export_links(ctx["querystring"])
        return ctx

    def export_links(self, querystring: str) -> list[dict[str, Any]]:
        """One link per registered export format, carrying the list's current query."""
        if not self.exportable:
            return []
        list_name = self.url_name("list")
        links = []
        for fmt in list_export_formats():
            url = reverse(fmt.url_name, kwargs={"list_name": list_name, "fmt": fmt.key})
            links.append({"key": fmt.key, "label": fmt.label, "url": f"{url}?{querystring}"})
        return links

    def export_table(self):
        """The list's table as the page would show it (same filterset, search, sort and
        visibility), but not paginated: what an export writes."""
        filterset = self.get_filterset(self.get_filterset_class())
        self.filterset = filterset
        valid = not filterset.is_bound or filterset.is_valid()
        if valid or not self.get_strict():
            self.object_list = filterset.qs
        else:
            self.object_list = filterset.queryset.none()
        kwargs = self.get_table_kwargs()
        kwargs.pop("bulk", None)
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        RequestConfig(self.request, paginate=False).configure(table)
        table.filter_errors = {} if valid else dict(filterset.errors)  # for API callers
        return table


def list_view_class(list_name: str) -> tuple[type[ObjectListView], dict[str, Any]]:
    """The list view (class and its declared attributes) behind a URL name such as
    "parties:person_list"; LookupError if the name is no exportable list."""
    try:
        match = resolve(reverse(list_name))
    except (NoReverseMatch, Resolver404):
        raise LookupError(list_name) from None
    view_class = getattr(match.func, "view_class", None)
    if not (isinstance(view_class, type) and issubclass(view_class, ObjectListView)):
        raise LookupError(list_name)
    initkwargs = dict(getattr(match.func, "view_initkwargs", {}))
    if not initkwargs.get("exportable", view_class.exportable):
        raise LookupError(list_name)
    return view_class, initkwargs


def exportable_lists() -> list[tuple[str, Any]]:
    """Every list page that can be exported: (URL name, model), e.g. ("parties:person_list", Person)."""
    found: list[tuple[str, Any]] = []

    def walk(patterns: list, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if not (isinstance(view_class, type) and issubclass(view_class, ObjectListView)):
                continue
            initkwargs = getattr(pattern.callback, "view_initkwargs", {})
            if pattern.name and initkwargs.get("exportable", view_class.exportable):
                model = initkwargs.get("model") or view_class.model
                found.append((f"{namespace}{pattern.name}", model))

    walk(get_resolver().url_patterns, "")
    return sorted(dict(found).items(), key=lambda item: item[0])


def list_export_table(list_name: str, user: Any, query: QueryDict | str):
    """The table of the list `list_name` with the query string `query` (filters, `q`, `sort`)
    as `user` would see it; used by export requests and export jobs alike."""
    view_class, initkwargs = list_view_class(list_name)
    request = HttpRequest()
    request.method = "GET"
    request.path = reverse(list_name)
    request.GET = query if isinstance(query, QueryDict) else QueryDict(query)
    request.user = user
    view = view_class(**initkwargs)
    view.setup(request)
    return view.export_table()


class ObjectDetailView(ModelViewMixin, DetailView):
    """One record; answers 404 when the user may not see it."""

    template_name = "core/object_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["can_change"] = visibility.can_change(self.request.user, obj)
        ctx["edit_url"] = (
            reverse(self.url_name("edit"), args=[obj.pk]) if self.has_action("edit") else None
        )
        ctx["delete_url"] = (
            reverse(self.url_name("delete"), args=[obj.pk]) if self.has_action("delete") else None
        )
        ctx["history_url"] = reverse(self.url_name("history"), args=[obj.pk])
        ctx["share_url"] = (
            reverse("share", args=[obj._meta.label_lower, obj.pk])
            if hasattr(obj, "owner_id")
            else None
        )
        return ctx


class ObjectHistoryView(ModelViewMixin, DetailView):
    """Who changed what, when; a page of its own and an htmx fragment on the record."""

    template_name = "core/object_history.html"
    partial_template_name = "core/partials/history.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["history"] = history_entries(self.object)
        return ctx


class ObjectEditView(ModelViewMixin, View):
    """Create (no pk) or edit (pk) through the app's services; the form only validates input."""

    template_name = "core/object_edit.html"
    form_class: Any = None
    create_service: Any = None
    update_service: Any = None

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        if not visibility.can_change(self.request.user, obj):
            raise PermissionDenied(_("You may not change this record."))
        return obj

    def get_initial(self) -> dict[str, Any]:
        """Prefill from the query string (e.g. ?organization=3 when adding a person from its page)."""
        return {k: v for k, v in self.request.GET.items() if k in self.form_class.base_fields}

    def get_form(self, obj, data=None):
        kwargs: dict[str, Any] = {"data": data, "user": self.request.user}
        if obj is not None:
            kwargs["instance"] = obj
        else:
            kwargs["initial"] = self.get_initial()
        return self.form_class(**kwargs)

    def render_form(self, form, obj, status=200):
        meta = self.model._meta
        ctx = {
            "form": form,
            "object": obj,
            "verbose_name": meta.verbose_name,
            "cancel_url": obj.get_absolute_url() if obj else reverse(self.url_name("list")),
            "return_url": self.request.GET.get("return_url", ""),
            **self.get_form_context(form, obj),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get_form_context(self, form, obj) -> dict[str, Any]:
        """More context for the form page (e.g. a notice about the chosen record)."""
        return {}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, data=request.POST)
        if form.is_valid():
            data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
            try:
                if obj is None:
                    saved = self.create_service(actor=request.user, data=data)
                    messages.success(request, _("%(name)s “%(obj)s” created.") % self._names(saved))
                else:
                    saved = self.update_service(actor=request.user, instance=obj, data=data)
                    messages.success(request, _("%(name)s “%(obj)s” saved.") % self._names(saved))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return HttpResponseRedirect(self._success_url(saved))
        # htmx swaps only 2xx responses: the form comes back with its errors
        return self.render_form(form, obj, status=200)

    def _names(self, obj) -> dict[str, Any]:
        return {"name": str(self.model._meta.verbose_name).capitalize(), "obj": obj}

    def _success_url(self, obj) -> str:
        target = self.request.POST.get("return_url") or self.request.GET.get("return_url")
        if target and target.startswith("/") and not target.startswith("//"):
            return target
        return obj.get_absolute_url()


class ObjectDeleteView(ModelViewMixin, View):
    """Confirm, then delete through the service; a record still referenced says so."""

    template_name = "core/object_delete.html"
    delete_service: Any = None

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not visibility.can_change(self.request.user, obj):
            raise PermissionDenied(_("You may not delete this record."))
        return obj

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return render(
            request,
            self.template_name,
            {"object": obj, "verbose_name": self.model._meta.verbose_name},
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        name = str(obj)
        try:
            self.delete_service(actor=request.user, instance=obj)
        except (ProtectedError, RestrictedError):
            messages.error(
                request,
                _("“%(obj)s” is still referenced by other records and was not deleted.")
                % {"obj": name},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("“%(obj)s” deleted.") % {"obj": name})
        return HttpResponseRedirect(reverse(self.url_name("list")))


class BulkActionMixin(ModelViewMixin):
    """Selected rows come as `pk` values; only those the user may change are acted on."""

    def selected(self):
        pks = [pk for pk in self.request.POST.getlist("pk") if pk.isdigit()]
        objs = list(self.get_queryset().filter(pk__in=pks))
        allowed = [o for o in objs if visibility.can_change(self.request.user, o)]
        return allowed, len(pks) - len(allowed)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)


class BulkEditView(BulkActionMixin, View):
    """Change the same fields on many rows (owner, team, tags, archived …); each row one transaction."""

    template_name = "core/bulk_edit.html"
    form_class: Any = None
    update_service: Any = None

    def post(self, request, *args, **kwargs):
        objs, refused = self.selected()
        if not objs:
            messages.warning(request, _("Select at least one row you may change."))
            return HttpResponseRedirect(reverse(self.url_name("list")))
        form = self.form_class(
            data=request.POST if "_apply" in request.POST else None, user=request.user
        )
        if "_apply" in request.POST and form.is_valid():
            data = form.changed_values()
            failed: list[str] = []
            for obj in objs:
                try:
                    self.update_service(actor=request.user, instance=obj, data=data)
                except (ValidationError, PermissionDenied) as exc:
                    failed.append(f"{obj}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
            done = len(objs) - len(failed)
            messages.success(
                request,
                ngettext("%(n)d record changed.", "%(n)d records changed.", done) % {"n": done},
            )
            for line in failed[:10]:
                messages.error(request, line)
            return HttpResponseRedirect(reverse(self.url_name("list")))
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "objects": objs,
                "refused": refused,
                "verbose_name_plural": self.model._meta.verbose_name_plural,
                "list_url": reverse(self.url_name("list")),
            },
        )


class BulkDeleteView(BulkActionMixin, View):
    template_name = "core/bulk_delete.html"
    delete_service: Any = None

    def post(self, request, *args, **kwargs):
        objs, refused = self.selected()
        if not objs:
            messages.warning(request, _("Select at least one row you may change."))
            return HttpResponseRedirect(reverse(self.url_name("list")))
        if "_confirm" not in request.POST:
            return render(
                request,
                self.template_name,
                {
                    "objects": objs,
                    "refused": refused,
                    "verbose_name_plural": self.model._meta.verbose_name_plural,
                    "list_url": reverse(self.url_name("list")),
                },
            )
        deleted, kept = 0, []
        for obj in objs:
            try:
                self.delete_service(actor=request.user, instance=obj)
                deleted += 1
            except (ProtectedError, RestrictedError):
                kept.append(str(obj))
        messages.success(
            request,
            ngettext("%(n)d record deleted.", "%(n)d records deleted.", deleted) % {"n": deleted},
        )
        if kept:
            messages.error(
                request,
                _("Still referenced, not deleted: %(names)s") % {"names": ", ".join(kept[:20])},
            )
        return HttpResponseRedirect(reverse(self.url_name("list")))


class ModelViews:
    """Declare the pages of one model; `urls(prefix)` returns its URL patterns.

    Set `model`, `selector`, and whichever of `filterset_class`, `table_class`, `form_class`,
    `bulk_edit_form_class`, `create_service`, `update_service`, `delete_service`,
    `detail_view`, `list_view`, `detail_template` apply. Actions without services are not offered.
    """

    model: Any = None
    selector: Any = None
    namespace: str = ""
    filterset_class: Any = None
    table_class: Any = None
    form_class: Any = None
    bulk_edit_form_class: Any = None
    create_service: Any = None
    update_service: Any = None
    delete_service: Any = None
    list_view: type[ObjectListView] = ObjectListView
    detail_view: type[ObjectDetailView] = ObjectDetailView
    edit_view: type[ObjectEditView] = ObjectEditView
    list_template: str | None = None
    detail_template: str | None = None

    @classmethod
    def actions(cls) -> tuple[str, ...]:
        acts = ["list", "detail", "history"]
        if cls.form_class and cls.create_service:
            acts.append("add")
        if cls.form_class and cls.update_service:
            acts.append("edit")
        if cls.delete_service:
            acts += ["delete", "bulk_delete"]
        if cls.bulk_edit_form_class and cls.update_service:
            acts.append("bulk_edit")
        return tuple(acts)

    @classmethod
    def _common(cls) -> dict[str, Any]:
        return {
            "model": cls.model,
            "selector": cls.selector,
            "url_namespace": cls.namespace,
            "actions": cls.actions(),
        }

    @classmethod
    def urls(cls, prefix: str) -> list:
        name = cls.model._meta.model_name
        common = cls._common()
        acts = cls.actions()
        list_attrs: dict[str, Any] = {
            "filterset_class": cls.filterset_class,
            "table_class": cls.table_class,
            "bulk_actions": tuple(a for a in acts if a.startswith("bulk_")),
        }
        if cls.list_template:
            list_attrs["template_name"] = cls.list_template
        detail_attrs: dict[str, Any] = {}
        if cls.detail_template:
            detail_attrs["template_name"] = cls.detail_template
        patterns = [
            path(f"{prefix}/", cls.list_view.as_view(**common, **list_attrs), name=f"{name}_list"),
            path(
                f"{prefix}/<int:pk>/",
                cls.detail_view.as_view(**common, **detail_attrs),
                name=f"{name}_detail",
            ),
            path(
                f"{prefix}/<int:pk>/history/",
                ObjectHistoryView.as_view(**common),
                name=f"{name}_history",
            ),
        ]
        edit_view = cls.edit_view.as_view(  # one view creates (no pk) and edits (pk)
            **common,
            form_class=cls.form_class,
            create_service=cls.create_service,
            update_service=cls.update_service,
        )
        if "add" in acts:
            patterns.append(path(f"{prefix}/add/", edit_view, name=f"{name}_add"))
        if "edit" in acts:
            patterns.append(path(f"{prefix}/<int:pk>/edit/", edit_view, name=f"{name}_edit"))
        if "delete" in acts:
            patterns.append(
                path(
                    f"{prefix}/<int:pk>/delete/",
                    ObjectDeleteView.as_view(**common, delete_service=cls.delete_service),
                    name=f"{name}_delete",
                )
            )
            patterns.append(
                path(
                    f"{prefix}/delete/",
                    BulkDeleteView.as_view(**common, delete_service=cls.delete_service),
                    name=f"{name}_bulk_delete",
                )
            )
        if "bulk_edit" in acts:
            patterns.append(
                path(
                    f"{prefix}/edit/",
                    BulkEditView.as_view(
                        **common,
                        form_class=cls.bulk_edit_form_class,
                        update_service=cls.update_service,
                    ),
                    name=f"{name}_bulk_edit",
                )
            )
        return patterns
