"""Pages that merge two people or two organizations, and the list of likely duplicates.

`/people/<pk>/merge/` asks for the other record (search box), then shows both side by side: which
record stays, and field by field whose value it keeps; posting merges through
`services.party_merge` and returns to the record that stayed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from accord.core import visibility
from accord.core.views import apply_validation_error, message_validation_error

from . import duplicates, selectors, services
from .merge_forms import MergeForm, MergePickForm
from .models import Organization, Person


def _name(obj: Any) -> str:
    return obj.full_name if isinstance(obj, Person) else obj.name


class PartyMergeView(LoginRequiredMixin, View):
    """Merge the record of the URL (A) with another one (B) the user picks."""

    model: Any = None
    selector: Any = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not visibility.may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        obj = get_object_or_404(type(self).selector(self.request.user), pk=self.kwargs["pk"])
        if not visibility.can_change(self.request.user, obj):
            raise PermissionDenied(_("You may not change this record."))
        return obj

    def get_other(self, obj: Any, data: Any) -> tuple[Any, MergePickForm]:
        form = MergePickForm(data=data, user=self.request.user, instance=obj)
        if data is not None and data.get("other") and form.is_valid():
            return form.cleaned_data["other"], form
        return None, form

    def context(self, obj: Any, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "object": obj,
            "object_name": _name(obj),
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "is_person": self.model is Person,
            **extra,
        }

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        other, pick = self.get_other(obj, request.GET if "other" in request.GET else None)
        if other is None:
            return render(request, "parties/merge_pick.html", self.context(obj, form=pick))
        return self.render_compare(obj, other)

    def render_compare(self, obj: Any, other: Any, form: MergeForm | None = None, status=200):
        try:
            plan = services.merge_plan(actor=self.request.user, survivor=obj, loser=other)
        except ValidationError as exc:
            message_validation_error(self.request, exc)
            return HttpResponseRedirect(obj.get_absolute_url())
        form = form or MergeForm(plan=plan)
        ctx = self.context(obj, other=other, other_name=_name(other), plan=plan, form=form)
        return render(self.request, "parties/merge_compare.html", ctx, status=status)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        other, pick = self.get_other(obj, request.POST)
        if other is None:
            ctx = self.context(obj, form=pick)
            return render(request, "parties/merge_pick.html", ctx, status=200)
        plan = services.merge_plan(actor=request.user, survivor=obj, loser=other)
        form = MergeForm(data=request.POST, plan=plan)
        if not form.is_valid():
            return self.render_compare(obj, other, form)
        survivor, loser = (obj, other) if form.survivor_is_a() else (other, obj)
        choices = form.service_choices()
        try:
            result = services.party_merge(
                actor=request.user, survivor=survivor, loser=loser, choices=choices
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_compare(obj, other, form)
        except (ProtectedError, RestrictedError):
            form.add_error(
                None,
                _(
                    "A record linked to one of the two refuses to be moved or removed; nothing "
                    "was changed."
                ),
            )
            return self.render_compare(obj, other, form)
        carried = sum(result.carried.values())
        dropped = sum(result.dropped.values())
        messages.success(
            request,
            _(
                "“%(loser)s” was merged into “%(survivor)s”: %(carried)d related records "
                "carried over, %(dropped)d duplicates left out."
            )
            % {
                "loser": result.loser_label,
                "survivor": _name(result.survivor),
                "carried": carried,
                "dropped": dropped,
            },
        )
        return HttpResponseRedirect(result.survivor.get_absolute_url())


class PersonMergeView(PartyMergeView):
    model = Person
    selector = staticmethod(selectors.person_list)


class OrganizationMergeView(PartyMergeView):
    model = Organization
    selector = staticmethod(selectors.organization_list)


class DuplicateListView(LoginRequiredMixin, View):
    """Groups of likely duplicates among the records the user may see, each with merge links."""

    model: Any = None

    def get(self, request, *args, **kwargs):
        if self.model is Person:
            groups = duplicates.person_duplicates(request.user)
        else:
            groups = duplicates.organization_duplicates(request.user)
        meta = self.model._meta
        ctx = {
            "groups": groups,
            "is_person": self.model is Person,
            "verbose_name_plural": meta.verbose_name_plural,
            "may_write": visibility.may_write(request.user),
            "limit": duplicates.MAX_GROUPS,
        }
        return render(request, "parties/duplicates.html", ctx)


class PersonDuplicateListView(DuplicateListView):
    model = Person


class OrganizationDuplicateListView(DuplicateListView):
    model = Organization
