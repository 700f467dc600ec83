"""The sharing panel of any owned record: who else may read it."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import visibility
from .models import TEAM_MODEL, OwnedModel, Share
from .sharing import share_create, share_delete, shares_of


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("colleague"), queryset=None, required=False)  # type: ignore[arg-type]
    team = forms.ModelChoiceField(label=gettext_lazy("team"), queryset=None, required=False)  # type: ignore[arg-type]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["team"].queryset = apps.get_model(TEAM_MODEL).objects.all()


def _target(request, model_label: str, pk: int):
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not issubclass(model, OwnedModel):
        raise Http404
    return get_object_or_404(model.objects.visible_to(request.user), pk=pk)


@login_required
def share_panel(request, model_label: str, pk: int):
    obj = _target(request, model_label, pk)
    can_change = visibility.can_change(request.user, obj)
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("You may not share this record."))
        if form.is_valid():
            try:
                share_create(actor=request.user, obj=obj, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Shared."))
                return redirect(request.path)
    template = "core/partials/share_list.html" if request.htmx else "core/share.html"
    return render(
        request,
        template,
        {
            "object": obj,
            "shares": shares_of(obj),
            "form": form,
            "can_change": can_change,
            "share_url": request.path,
        },
    )


@login_required
def share_remove(request, share_id: int):
    if request.method != "POST":
        raise Http404
    share = get_object_or_404(Share, pk=share_id)
    target = share.target
    if target is None or not visibility.can_view(request.user, target):
        raise Http404
    share_delete(actor=request.user, share=share)
    messages.success(request, _("No longer shared."))
    return redirect("share", model_label=target._meta.label_lower, pk=target.pk)
