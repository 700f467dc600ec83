"""Pages of calendars and address books: vCard import and export, iCalendar import, the private
calendar subscription and the feed it serves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.core import visibility
from accord.core.views import apply_validation_error
from accord.parties.filtersets import PersonFilterSet

from . import selectors, services
from .choices import ImportFormat
from .feeds import render_feed
from .forms import ICalImportForm, VCardExportForm, VCardImportForm
from .parsing import VCARD_CONTENT_TYPE as VCARD_TYPE
from .parsing import vcard_stream, vcard_text

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- vCard ---------------------------------------------------------------------------------------


def _start_import(request, form, file_format: str, template: str, extra: dict[str, Any]):
    if form.is_valid():
        try:
            upload = services.calendar_import_start(
                actor=request.user,
                file_format=file_format,
                uploaded_file=form.cleaned_data["file"],
                on_duplicate=form.cleaned_data.get("on_duplicate") or "update",
                create_organizations=form.cleaned_data.get("create_organizations", True),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("“%(file)s” is being imported.") % {"file": upload.filename}
            )
            return redirect(upload.job.get_absolute_url())
    ctx = {
        "form": form,
        "imports": selectors.recent_imports(request.user),
        "may_write": visibility.may_write(request.user),
        **extra,
    }
    return render(request, template, ctx, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def vcard_import(request):
    """Upload a .vcf; the page also offers the export of people as vCards."""
    form = VCardImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        form = VCardImportForm()
    extra = {"export_form": VCardExportForm(), "export_url": reverse("calendars:vcard_export")}
    return _start_import(request, form, ImportFormat.VCARD, "calendars/vcard_import.html", extra)


@login_required
@require_http_methods(["GET", "POST"])
def vcard_export(request):
    """People as one .vcf, streamed: the people list's filters in the query string narrow it, and
    rows selected on the list (`pk`, posted) narrow it further."""
    version = VCardExportForm(request.GET).version_value()
    people = selectors.people_for_export(request.user)
    filterset = PersonFilterSet(request.GET, queryset=people, request=request)
    people = filterset.qs if filterset.is_valid() else people.none()
    if request.method == "POST":
        pks = [pk for pk in request.POST.getlist("pk") if pk.isdigit() and len(pk) < 19]
        if pks:
            people = people.filter(pk__in=pks)
    response = StreamingHttpResponse(
        vcard_stream(selectors.iter_card_data(people, _base_url(request)), version),
        content_type=VCARD_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="people.vcf"'
    return response


@login_required
@require_GET
def person_vcard(request, pk: int):
    """One person's card (404 for a person the user may not see)."""
    person = get_object_or_404(
        selectors.people_for_export(request.user).prefetch_related("emails", "phones", "tags"),
        pk=pk,
    )
    version = VCardExportForm(request.GET).version_value()
    text = vcard_text(selectors.card_data(person, _base_url(request)), version)
    response = HttpResponse(text, content_type=VCARD_TYPE)
    name = slugify(person.full_name) or f"person-{person.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.vcf"'
    return response


# --- iCalendar import ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ical_import(request):
    form = ICalImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        form = ICalImportForm()
    return _start_import(request, form, ImportFormat.ICALENDAR, "calendars/ical_import.html", {})


# --- the subscription ----------------------------------------------------------------------------


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendars:feed", args=[token]))


@login_required
@require_GET
def subscription(request):
    """The user's calendar subscription: whether there is one, when it was last fetched, and the
    buttons to create, replace or revoke it. The URL itself is shown only right after (re)creation."""
    return render(
        request,
        "calendars/subscription.html",
        {"feed": selectors.feed_of(request.user), "feed_url": None},
    )


@login_required
@require_POST
def subscription_rotate(request):
    had_one = selectors.feed_of(request.user) is not None
    token = services.calendar_feed_rotate(actor=request.user)
    if had_one:
        messages.success(
            request, _("A new subscription URL was created; the old one no longer works.")
        )
    else:
        messages.success(request, _("Your subscription URL was created."))
    response = render(
        request,
        "calendars/subscription.html",
        {"feed": selectors.feed_of(request.user), "feed_url": _feed_url(request, token)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def subscription_revoke(request):
    if services.calendar_feed_revoke(actor=request.user):
        messages.success(
            request, _("Your subscription URL was revoked; calendars can no longer read it.")
        )
    return redirect("calendars:subscription")


@require_GET
def feed(request, token: str):
    """The iCalendar feed behind a subscription URL: no session, the token is the key. An unknown
    or revoked token (or an inactive user) answers 404, like any address that does not exist."""
    subscription = selectors.feed_for_token(token)
    if subscription is None:
        raise Http404
    user = subscription.user
    services.calendar_feed_touch(feed=subscription)
    body = render_feed(
        user=user,
        meetings=selectors.feed_meetings(user),
        follow_ups=selectors.feed_follow_ups(user),
        base_url=_base_url(request),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = 'inline; filename="accord.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
