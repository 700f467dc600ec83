"""The user's notifications: the list (unread first), marking read, and the count in the header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import notifications

SHOW_CHOICES = ("unread", "all")


@login_required
def notification_list(request):
    show = request.GET.get("show", "unread")
    if show not in SHOW_CHOICES:
        show = "unread"
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    qs = notifications.user_notifications(request.user, unread=show == "unread", kind=kind, q=q)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notification_list.html",
        {
            "page_obj": page,
            "show": show,
            "kind": kind,
            "kinds": notifications.kinds_of(request.user),
            "q": q,
            "unread_count": notifications.unread_count(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request):
    """Mark one (`id`) or all of the user's notifications read, then go back or follow the link."""
    ids = request.POST.getlist("id")
    picked = [int(i) for i in ids if i.isdigit()] if ids else None
    notifications.mark_read(request.user, picked)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "core:notification_list")


@login_required
def notification_count(request):
    """The unread count for the header badge, fetched by htmx after the page loaded."""
    count = notifications.unread_count(request.user)
    return render(request, "core/partials/notification_count.html", {"count": count})
