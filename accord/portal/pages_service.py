"""The client's pages of the service side: cases, trainings and appointments. Every record is
looked up within the account's organization: another organization's record is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accord.core.views import apply_validation_error, message_validation_error

from . import selectors, servicing
from .auth import portal_required
from .filtersets import PortalCaseFilterSet
from .forms import CaseAnswerForm, CaseForm, MaintenanceRequestForm
from .pages import client_list
from .registry import PortalSection, register_section

register_section(
    PortalSection(
        gettext_lazy("Cases"),
        "portal:cases",
        40,
        "can_open_cases",
        gettext_lazy("Report a problem and follow its answers."),
    )
)
register_section(
    PortalSection(
        gettext_lazy("Services"),
        "portal:services",
        50,
        "",
        gettext_lazy("Upcoming appointments, trainings to book, maintenance to request."),
    )
)


@portal_required(permission="can_open_cases")
def cases(request):
    qs = selectors.portal_cases(request.portal_account)
    return client_list(request, PortalCaseFilterSet, qs, "portal/cases.html")


@portal_required(permission="can_open_cases")
def case_new(request):
    form = CaseForm(request.POST) if request.method == "POST" else CaseForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            case = servicing.open_case(
                account=request.portal_account,
                subject=data["subject"],
                description=data["description"],
                priority=data["priority"] or "normal",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Thank you! Your case number is %(number)s; we will answer soon.")
                % {"number": case.number},
            )
            return redirect("portal:case_detail", pk=case.pk)
    return render(
        request,
        "portal/case_new.html",
        {"form": form, "priorities": servicing.PORTAL_PRIORITIES},
        status=400 if form.errors else 200,
    )


@portal_required(permission="can_open_cases")
def case_detail(request, pk: int):
    case = get_object_or_404(selectors.portal_cases(request.portal_account), pk=pk)
    form = CaseAnswerForm(request.POST) if request.method == "POST" else CaseAnswerForm()
    if form.is_bound and form.is_valid():
        try:
            servicing.answer_case(
                account=request.portal_account, case=case, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("portal:case_detail", pk=case.pk)
    return render(
        request,
        "portal/case_detail.html",
        {"case": case, "conversation": selectors.case_conversation(case), "form": form},
        status=400 if form.errors else 200,
    )


@portal_required
def services(request):
    account = request.portal_account
    now = timezone.now()
    upcoming = (
        selectors.portal_appointments(account)
        .filter(ends_at__gte=now)
        .exclude(status="cancelled")[:50]
    )
    trainings = list(selectors.portal_trainings(account)[:50])
    for training in trainings:
        training.free = max(0, training.capacity - training.taken)
    booked = set(
        account.person.training_registrations.exclude(status="cancelled").values_list(
            "training_id", flat=True
        )
    )
    return render(
        request,
        "portal/services.html",
        {"upcoming": upcoming, "trainings": trainings, "booked": booked},
    )


@portal_required(permission="can_book_services")
@require_POST
def training_book(request, pk: int):
    training = get_object_or_404(selectors.portal_trainings(request.portal_account), pk=pk)
    try:
        registration = servicing.book_training(account=request.portal_account, training=training)
    except ValidationError as exc:
        message_validation_error(request, exc)
    else:
        if registration.status == "waitlisted":
            messages.warning(request, _("The training is full; you are on the waiting list."))
        else:
            messages.success(request, _("Your place is booked."))
    return redirect("portal:services")


@portal_required(permission="can_book_services")
def maintenance_request(request):
    if request.method == "POST":
        form = MaintenanceRequestForm(request.POST)
    else:
        form = MaintenanceRequestForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            servicing.request_maintenance(
                account=request.portal_account,
                title=data["title"],
                wished_start=data["starts_at"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Thank you! We will confirm the appointment or suggest another time.")
            )
            return redirect("portal:services")
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    return render(
        request,
        "portal/maintenance_request.html",
        {"form": form, "min": tomorrow.strftime("%Y-%m-%dT08:00")},
        status=400 if form.errors else 200,
    )
