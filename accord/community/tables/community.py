"""List tables of the community app."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import (
    Concern,
    Consultation,
    EngagementPlan,
    StakeholderAssessment,
    StakeholderProject,
)


def _party_link(record) -> str:
    party = record.stakeholder if hasattr(record, "stakeholder") else None
    if party is None:
        party = record.organization or record.person
    if party is None:
        return "—"
    return format_html('<a href="{}">{}</a>', party.get_absolute_url(), _name(party))


def _name(party) -> str:
    return getattr(party, "name", None) or str(party)


class StakeholderProjectTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name", "id"))
    location = tables.Column(verbose_name=_("Area / location"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))
    team = tables.Column(verbose_name=_("Team"), order_by=("team__name", "id"))

    class Meta(AccordTable.Meta):
        model = StakeholderProject
        fields = ("name", "location", "is_active", "owner", "team")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No projects yet. Add the projects and topics the community cares about.")


class StakeholderAssessmentTable(AccordTable):
    stakeholder = tables.Column(
        verbose_name=_("Stakeholder"),
        accessor="pk",
        order_by=("organization__name", "person__last_name", "id"),
    )
    project = tables.Column(verbose_name=_("Project"), order_by=("project__name", "id"))
    category = tables.Column(verbose_name=_("Category"), order_by=("category", "id"))
    power = tables.Column(verbose_name=_("Power"), order_by=("power", "id"))
    interest = tables.Column(verbose_name=_("Interest"), order_by=("interest", "id"))
    salience = tables.Column(verbose_name=_("Salience"), order_by=("salience", "id"))
    attitude = tables.Column(verbose_name=_("Attitude"), order_by=("attitude", "id"))
    assessed_on = tables.DateColumn(
        verbose_name=_("Assessed on"),
        format="SHORT_DATE_FORMAT",
        order_by=("assessed_on", "id"),
        linkify=True,
    )
    is_current = tables.BooleanColumn(verbose_name=_("Current"), orderable=False)
    actions = tables.Column(
        verbose_name=_("Actions"), accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(AccordTable.Meta):
        model = StakeholderAssessment
        fields = (
            "stakeholder",
            "project",
            "category",
            "power",
            "interest",
            "salience",
            "attitude",
            "assessed_on",
            "is_current",
            "actions",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No assessments yet. Assess the stakeholders of your projects.")

    def render_stakeholder(self, record):
        return _party_link(record)

    def value_stakeholder(self, record):
        return record.stakeholder_name

    def render_actions(self, record):
        url = reverse("community:stakeholderassessment_add")
        return format_html(
            '<a class="btn btn-small" href="{}?from={}">{}</a> <a class="btn btn-small btn-link" href="{}">{}</a>',
            url,
            record.pk,
            _("Re-assess"),
            record.get_absolute_url(),
            _("History"),
        )


class EngagementPlanTable(AccordTable):
    stakeholder = tables.Column(
        verbose_name=_("Stakeholder"),
        accessor="pk",
        order_by=("organization__name", "person__last_name", "id"),
    )
    project = tables.Column(verbose_name=_("Project"), order_by=("project__name", "id"))
    current_level = tables.Column(verbose_name=_("Current engagement"))
    target_level = tables.Column(verbose_name=_("Target engagement"))
    gap = tables.Column(verbose_name=_("Gap"), accessor="gap", orderable=False)
    next_review_on = tables.DateColumn(
        verbose_name=_("Next review"), format="SHORT_DATE_FORMAT", linkify=True
    )
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = EngagementPlan
        fields = (
            "stakeholder",
            "project",
            "current_level",
            "target_level",
            "gap",
            "next_review_on",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No engagement plans yet.")

    def render_stakeholder(self, record):
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), record.stakeholder_name
        )

    def value_stakeholder(self, record):
        return record.stakeholder_name

    def render_gap(self, value):
        return f"+{value}" if value > 0 else str(value).replace("-", "−")


class ConcernTable(AccordTable):
    received_on = tables.DateColumn(
        verbose_name=_("Received on"), format="SHORT_DATE_FORMAT", order_by=("received_on", "id")
    )
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    raised_by = tables.Column(
        verbose_name=_("Raised by"), accessor="pk", order_by=("organization__name", "id")
    )
    project = tables.Column(verbose_name=_("Project"), order_by=("project__name", "id"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))
    response_due_on = tables.DateColumn(
        verbose_name=_("Answer due"), format="SHORT_DATE_FORMAT", order_by=("response_due_on", "id")
    )
    responded_on = tables.DateColumn(verbose_name=_("Answered on"), format="SHORT_DATE_FORMAT")
    overdue = tables.Column(verbose_name=_("Overdue"), accessor="pk", orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Concern
        fields = (
            "received_on",
            "title",
            "raised_by",
            "project",
            "status",
            "response_due_on",
            "responded_on",
            "overdue",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No concerns recorded.")

    def render_raised_by(self, record):
        parts = [p for p in (record.organization, record.person) if p is not None]
        if not parts:
            return "—"
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(parts)),
            *[x for p in parts for x in (p.get_absolute_url(), _name(p))],
        )

    def value_raised_by(self, record):
        return " · ".join(_name(p) for p in (record.organization, record.person) if p is not None)

    def _overdue(self, record) -> bool:
        return record.is_overdue_on(timezone.localdate())

    def render_overdue(self, record):
        if self._overdue(record):
            return format_html('<span class="badge badge-danger">{}</span>', _("Overdue"))
        return ""

    def value_overdue(self, record):
        return str(_("Yes")) if self._overdue(record) else ""


class ConsultationTable(AccordTable):
    starts_on = tables.DateColumn(
        verbose_name=_("Date"), format="SHORT_DATE_FORMAT", order_by=("starts_on", "id")
    )
    title = tables.Column(linkify=True, verbose_name=_("Title"), order_by=("title", "id"))
    kind = tables.Column(verbose_name=_("Kind"))
    project = tables.Column(verbose_name=_("Project"), order_by=("project__name", "id"))
    place = tables.Column(verbose_name=_("Place"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Consultation
        fields = ("starts_on", "title", "kind", "project", "place", "owner")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No consultations yet.")
