"""List tables for interactions and follow-ups."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from .models import FollowUp, Interaction


class InteractionTable(AccordTable):
    occurred_at = tables.DateTimeColumn(verbose_name=_("Time"), format="SHORT_DATETIME_FORMAT")
    kind = tables.TemplateColumn(
        verbose_name=_("Kind"),
        template_code=(
            '{% include "core/icon.html" with name=record.kind %} {{ record.get_kind_display }}'
        ),
        order_by=("kind",),
    )
    direction = tables.Column(verbose_name=_("Direction"))
    subject = tables.Column(verbose_name=_("Subject"), linkify=True)
    organizations = tables.TemplateColumn(
        verbose_name=_("Organizations"),
        template_name="interactions/partials/organization_cell.html",
        orderable=False,
        accessor="first_organization_name",
    )
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__last_name", "owner__email"))

    class Meta(AccordTable.Meta):
        model = Interaction
        fields = ("occurred_at", "kind", "direction", "subject", "organizations", "owner")
        order_by = ("-occurred_at",)
        empty_text = _("No interactions yet. Log a call, meeting or email to start the history.")


class FollowUpTable(AccordTable):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    due_date = tables.TemplateColumn(
        verbose_name=_("Due"),
        template_name="interactions/partials/due_cell.html",
    )
    status = tables.TemplateColumn(
        verbose_name=_("Status"),
        template_name="interactions/partials/followup_status_cell.html",
    )
    assignee = tables.Column(
        verbose_name=_("Assignee"), order_by=("assignee__last_name", "assignee__email")
    )
    about = tables.TemplateColumn(
        verbose_name=_("About"),
        template_name="interactions/partials/followup_about.html",
        orderable=False,
        empty_values=(),
    )

    class Meta(AccordTable.Meta):
        model = FollowUp
        fields = ("title", "due_date", "status", "assignee", "about")
        order_by = ("due_date",)
        empty_text = _("No follow-ups match. Well done — or widen the filter.")
