"""Pages for one's own profile and API token, and (for administrators) users and teams."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accord.core.views import apply_validation_error

from . import selectors, services
from .choices import Role
from .forms import ProfileForm, TeamForm, UserAccessForm
from .models import User


def _is_admin(user) -> bool:
    return bool(user.is_superuser or user.role == Role.ADMIN)


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.user_update_profile(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                return redirect("users:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "time_zone": user.time_zone,
            }
        )
    token = Token.objects.filter(user=user).first()
    return render(request, "users/profile.html", {"form": form, "token": token})


@login_required
@require_POST
def token_regenerate(request):
    token = services.api_token_regenerate(actor=request.user)
    messages.success(request, _("A new API token was created. The old one no longer works."))
    return render(
        request,
        "users/profile.html",
        {
            "form": ProfileForm(
                initial={
                    "first_name": request.user.first_name,
                    "last_name": request.user.last_name,
                    "time_zone": request.user.time_zone,
                }
            ),
            "token": token,
            "token_fresh": True,
        },
    )


@login_required
@require_POST
def token_revoke(request):
    services.api_token_revoke(actor=request.user)
    messages.success(request, _("Your API token was revoked."))
    return redirect("users:profile")


@login_required
def user_list(request):
    q = request.GET.get("q", "").strip()
    users = selectors.user_list(request.user)
    if q:
        users = (
            users.filter(email__icontains=q)
            | users.filter(last_name__icontains=q)
            | users.filter(first_name__icontains=q)
        )
    return render(
        request,
        "users/user_list.html",
        {
            "users": users[:500],
            "teams": selectors.team_list(request.user),
            "q": q,
            "is_admin": _is_admin(request.user),
        },
    )


@login_required
def user_access(request, pk: int):
    if not _is_admin(request.user):
        raise PermissionDenied(_("Only administrators manage users and teams."))
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        form = UserAccessForm(request.POST)
        if form.is_valid():
            try:
                services.user_set_access(actor=request.user, user=target, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Access of %(user)s saved.") % {"user": target})
                return redirect("users:user_list")
    else:
        form = UserAccessForm(
            initial={
                "role": target.role,
                "teams": target.teams.all(),
                "is_active": target.is_active,
            }
        )
    return render(request, "users/user_access.html", {"form": form, "target": target})


@login_required
def team_add(request):
    if not _is_admin(request.user):
        raise PermissionDenied(_("Only administrators manage users and teams."))
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Team created."))
            return redirect("users:user_list")
    return render(request, "users/team_add.html", {"form": form})
