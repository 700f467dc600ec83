"""The case list table, with the service-level state of each case."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.core.tables import AccordTable

from ..models import OPEN_STATUSES, RUNNING_STATUSES, Case, CaseStatus


def sla_state(case: Case) -> tuple[str, str]:
    """(css class, label) of the case's service-level state, from the stored due times."""
    now = timezone.now()
    if getattr(case, "has_breach", False):
        return "badge-danger", _("Target missed")
    unanswered = case.first_responded_at is None and case.status in OPEN_STATUSES
    running = case.status in RUNNING_STATUSES
    dues = []
    if unanswered and case.first_response_due_at:
        dues.append((case.first_response_due_at, case.first_response_warn_at))
    if running and case.resolution_due_at:
        dues.append((case.resolution_due_at, case.resolution_warn_at))
    if any(due <= now for due, _w in dues):
        return "badge-danger", _("Overdue")
    if any(warn is not None and warn <= now for _d, warn in dues):
        return "badge-warning", _("At risk")
    if case.status == CaseStatus.WAITING:
        return "badge-muted", _("Paused")
    if dues:
        return "badge-info", _("On track")
    return "badge-muted", "—"


def next_due(case: Case):
    dues = []
    if case.first_responded_at is None and case.status in OPEN_STATUSES:
        dues.append(case.first_response_due_at)
    if case.status in RUNNING_STATUSES:
        dues.append(case.resolution_due_at)
    dues = [d for d in dues if d is not None]
    return min(dues) if dues else None


class CaseTable(AccordTable):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("Number"), order_by=("number",))
    subject = tables.Column(verbose_name=gettext_lazy("Subject"), order_by=("subject", "id"))
    organization = tables.Column(
        linkify=True,
        verbose_name=gettext_lazy("Organization"),
        order_by=("organization__name", "id"),
    )
    priority = tables.Column(verbose_name=gettext_lazy("Priority"), order_by=("priority", "id"))
    status = tables.Column(verbose_name=gettext_lazy("Status"), order_by=("status", "id"))
    sla = tables.Column(verbose_name=gettext_lazy("Service level"), accessor="pk", orderable=False)
    due = tables.Column(
        verbose_name=gettext_lazy("Next due"), accessor="pk", order_by=("resolution_due_at", "id")
    )
    owner = tables.Column(verbose_name=gettext_lazy("Owner"), order_by=("owner__first_name", "id"))
    opened_at = tables.DateTimeColumn(
        verbose_name=gettext_lazy("Opened"),
        format="SHORT_DATETIME_FORMAT",
        order_by=("opened_at", "id"),
    )

    class Meta(AccordTable.Meta):
        model = Case
        fields = (
            "number",
            "subject",
            "organization",
            "priority",
            "status",
            "sla",
            "due",
            "owner",
            "opened_at",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = gettext_lazy(
            "No cases. Open one when a client reports a problem or asks for help."
        )

    def render_sla(self, record):
        css, label = sla_state(record)
        return format_html('<span class="badge {}">{}</span>', css, label)

    def value_sla(self, record):
        return str(sla_state(record)[1])

    def render_due(self, record):
        due = next_due(record)
        if due is None:
            return "—"
        local = timezone.localtime(due)
        return format_html(
            '<time datetime="{}">{}</time>',
            due.isoformat(),
            formats.date_format(local, "SHORT_DATETIME_FORMAT"),
        )

    def value_due(self, record):
        due = next_due(record)
        return timezone.localtime(due).isoformat() if due else ""
