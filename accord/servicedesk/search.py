"""Servicedesk records in global search (discovered by core). Each area registers its models
below; the indexes are created in the app's migrations."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search


# --- appointments and trainings (index: migration 0005_appointment_search_index) ---
def _appointment_subtitle(appointment) -> str:
    """ "Müller GmbH · Maintenance · 12.03.2027 09:00"."""
    when = formats.date_format(timezone.localtime(appointment.starts_at), "SHORT_DATETIME_FORMAT")
    return " · ".join((appointment.organization.name, appointment.get_kind_display(), when))


def _training_subtitle(training) -> str:
    return _appointment_subtitle(training.appointment)


def _register_appointments() -> None:
    from .models import ServiceAppointment, Training

    register_search(
        ServiceAppointment,
        fields=("title", "location"),
        title=lambda appointment: appointment.title,
        subtitle=_appointment_subtitle,
        kind_label=_("Service appointments"),
        select_related=("organization",),
        newest_first="starts_at",
        icon="appointment",
    )
    register_search(
        Training,
        fields=("topic",),
        title=lambda training: training.topic or training.appointment.title,
        subtitle=_training_subtitle,
        kind_label=_("Trainings"),
        select_related=("appointment", "appointment__organization"),
        icon="appointment",
    )


_register_appointments()


# --- cases (index: migration 0003_case_search_index) ---
def _case_subtitle(case) -> str:
    """ "Müller GmbH · Open · High"."""
    return " · ".join(
        (case.organization.name, case.get_status_display(), case.get_priority_display())
    )


def _register_cases() -> None:
    from .models import Case

    register_search(
        Case,
        fields=("number", "subject"),
        title=lambda case: f"{case.number} · {case.subject}",
        subtitle=_case_subtitle,
        kind_label=_("Cases"),
        select_related=("organization",),
        newest_first="opened_at",
        icon="case",
    )


_register_cases()
