"""The client's pages of the service side: cases, trainings and appointments. Every record is
looked up within the account's organization: another organization's record is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accord.servicedesk.models.cases import CaseStatus

from . import selectors, servicing
from .auth import portal_required
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


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    """Field errors by field; errors of the whole form under "general"."""
    if not hasattr(exc, "error_dict"):
        return {"general": exc.messages}
    errors = dict(exc.message_dict)
    if "__all__" in errors:
        errors["general"] = errors.pop("__all__")
    return errors


@portal_required(permission="can_open_cases")
def cases(request):
    qs = selectors.portal_cases(request.portal_account)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(subject__icontains=q) | qs.filter(number__icontains=q)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/cases.html",
        {"page_obj": page, "statuses": CaseStatus.choices, "status": status, "q": q},
    )


@portal_required(permission="can_open_cases")
def case_new(request):
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            case = servicing.open_case(
                account=request.portal_account,
                subject=request.POST.get("subject", ""),
                description=request.POST.get("description", ""),
                priority=request.POST.get("priority", "normal"),
            )
        except ValidationError as exc:
            errors = _errors(exc)
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
        {"errors": errors, "values": request.POST, "priorities": servicing.PORTAL_PRIORITIES},
        status=400 if errors else 200,
    )


@portal_required(permission="can_open_cases")
def case_detail(request, pk: int):
    case = get_object_or_404(selectors.portal_cases(request.portal_account), pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            servicing.answer_case(
                account=request.portal_account, case=case, text=request.POST.get("text", "")
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("portal:case_detail", pk=case.pk)
    return render(
        request,
        "portal/case_detail.html",
        {
            "case": case,
            "conversation": selectors.case_conversation(case),
            "errors": errors,
            "text": request.POST.get("text", ""),
        },
        status=400 if errors else 200,
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
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == "waitlisted":
            messages.warning(request, _("The training is full; you are on the waiting list."))
        else:
            messages.success(request, _("Your place is booked."))
    return redirect("portal:services")


@portal_required(permission="can_book_services")
def maintenance_request(request):
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        raw = request.POST.get("starts_at", "")
        wished = parse_datetime(raw) if raw else None
        if wished is not None and timezone.is_naive(wished):
            wished = timezone.make_aware(wished)
        try:
            if raw and wished is None:
                raise ValidationError({"starts_at": _("Enter a date and time.")})
            servicing.request_maintenance(
                account=request.portal_account,
                title=request.POST.get("title", ""),
                wished_start=wished,  # type: ignore[arg-type]
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(
                request, _("Thank you! We will confirm the appointment or suggest another time.")
            )
            return redirect("portal:services")
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    return render(
        request,
        "portal/maintenance_request.html",
        {"errors": errors, "values": request.POST, "min": tomorrow.strftime("%Y-%m-%dT08:00")},
        status=400 if errors else 200,
    )
