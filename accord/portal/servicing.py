"""What a client does with the service side in the portal: open a case and answer in it, book a
place in a training, request a maintenance appointment. Each goes through the service-desk
services as a system write, belongs to the organization's owner and team, and tells them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.interactions.choices import Direction, InteractionKind
from accord.servicedesk.models import Case, ServiceAppointment, Training, TrainingRegistration
from accord.servicedesk.models.appointments import AppointmentKind, AppointmentStatus
from accord.servicedesk.models.cases import CaseStatus
from accord.servicedesk.models.servicelevels import CasePriority
from accord.servicedesk.services.appointments import appointment_create
from accord.servicedesk.services.cases import case_add_interaction, case_create, case_set_status
from accord.servicedesk.services.trainings import registration_create

from .models import PortalAccount
from .services import notify_team

PORTAL_PRIORITIES = (CasePriority.LOW, CasePriority.NORMAL, CasePriority.HIGH)
SUBJECT_MAX = 200
TEXT_MAX = 10_000


def _require(account: PortalAccount, permission: str) -> None:
    if not getattr(account, permission):
        raise ValidationError(_("Your portal account may not do this; ask your contact person."))


def _text(value: str, field: str, limit: int, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters, please.") % {"n": f"{limit:,}"}})
    return text


def open_case(
    *, account: PortalAccount, subject: str, description: str, priority: str = "normal"
) -> Case:
    _require(account, "can_open_cases")
    subject = _text(subject, "subject", SUBJECT_MAX, _("Say in a few words what it is about."))
    description = _text(description, "description", TEXT_MAX, _("Describe the problem."))
    if priority not in PORTAL_PRIORITIES:
        raise ValidationError({"priority": _("Choose low, normal or high.")})
    org = account.organization
    with transaction.atomic():
        case = case_create(
            actor=None,
            data={
                "organization": org,
                "person": account.person,
                "subject": subject,
                "description": description,
                "priority": priority,
                "owner": org.owner,
                "team": org.team,
            },
        )
        notify_team(
            org,
            key=f"portal:case:{case.pk}",
            title=_("%(org)s opened case %(number)s in the portal")
            % {"org": org.name, "number": case.number},
            body=subject,
            url=case.get_absolute_url(),
        )
    return case


def answer_case(*, account: PortalAccount, case: Case, text: str) -> Any:
    """The client's message in the case's conversation (an inbound mail-like interaction); a case
    waiting on the client is open again."""
    _require(account, "can_open_cases")
    if case.organization_id != account.organization_id:
        raise ValidationError(_("This case is not yours."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed; open a new one, please."))
    text = _text(text, "text", TEXT_MAX, _("Write your message."))
    with transaction.atomic():
        interaction = case_add_interaction(
            actor=None,
            case=case,
            data={
                "kind": InteractionKind.NOTE,
                "direction": Direction.INBOUND,
                "subject": _("Portal message on %(number)s") % {"number": case.number},
                "body": text,
                "people": [account.person_id],
                "owner": case.owner,
                "team": case.team,
            },
        )
        if case.status in (CaseStatus.WAITING, CaseStatus.RESOLVED):
            case_set_status(actor=None, case=case, status=CaseStatus.OPEN)
        notify_team(
            account.organization,
            key=f"portal:case-message:{interaction.pk}",
            title=_("New message from %(org)s on case %(number)s")
            % {"org": account.organization.name, "number": case.number},
            body=text[:500],
            url=case.get_absolute_url(),
        )
    return interaction


def book_training(*, account: PortalAccount, training: Training) -> TrainingRegistration:
    """A place for the account's own person (or the waitlist when the training is full)."""
    _require(account, "can_book_services")
    if training.appointment.organization_id != account.organization_id:
        raise ValidationError(_("This training is not offered to you."))
    if training.appointment.starts_at <= timezone.now():
        raise ValidationError({"person": _("This training has started already.")})
    with transaction.atomic():
        registration = registration_create(
            actor=None, training=training, person=account.person, note=_("Booked in the portal")
        )
        notify_team(
            account.organization,
            key=f"portal:training:{registration.pk}:{registration.status}",
            title=_("%(person)s booked the training “%(title)s”")
            % {"person": account.person, "title": training.appointment.title},
            body=registration.get_status_display(),
            url=training.appointment.get_absolute_url(),
        )
    return registration


def request_maintenance(
    *, account: PortalAccount, title: str, wished_start: dt.datetime, note: str = ""
) -> ServiceAppointment:
    """A maintenance appointment in status "requested" at the wished time (two hours); the team
    confirms or moves it."""
    _require(account, "can_book_services")
    title = _text(title, "title", 200, _("Say what should be maintained."))
    if wished_start is None:
        raise ValidationError({"starts_at": _("Choose a wished date and time.")})
    if wished_start <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    org = account.organization
    with transaction.atomic():
        appointment = appointment_create(
            actor=None,
            data={
                "organization": org,
                "kind": AppointmentKind.MAINTENANCE,
                "title": title,
                "starts_at": wished_start,
                "ends_at": wished_start + dt.timedelta(hours=2),
                "status": AppointmentStatus.REQUESTED,
                "outcome": str(note or "").strip()[:TEXT_MAX],
                "requested_by_portal": True,
                "people": [account.person_id],
                "owner": org.owner,
                "team": org.team,
            },
        )
        notify_team(
            org,
            key=f"portal:appointment:{appointment.pk}",
            title=_("%(org)s requested a maintenance appointment") % {"org": org.name},
            body=f"{title} · {timezone.localtime(wished_start):%d.%m.%Y %H:%M}",
            url=appointment.get_absolute_url(),
        )
    return appointment
