"""List tables for interactions and follow-ups."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from .models import FollowUp, Interaction


class InteractionTable(AccordTable):
    occurred_at = tables.DateTimeColumn(verbose_name=_("time"), format="SHORT_DATETIME_FORMAT")
    kind = tables.TemplateColumn(
        verbose_name=_("kind"),
        template_code=(
            '{% include "core/icon.html" with name=record.kind %} {{ record.get_kind_display }}'
        ),
        order_by=("kind",),
    )
    direction = tables.Column(verbose_name=_("direction"))
    subject = tables.Column(verbose_name=_("subject"), linkify=True)
    organizations = tables.TemplateColumn(
        verbose_name=_("organizations"),
        template_name="interactions/partials/organization_cell.html",
        orderable=False,
        accessor="first_organization_name",
    )
    owner = tables.Column(verbose_name=_("owner"), order_by=("owner__last_name", "owner__email"))

    class Meta(AccordTable.Meta):
        model = Interaction
        fields = ("occurred_at", "kind", "direction", "subject", "organizations", "owner")
        order_by = ("-occurred_at",)
        empty_text = _("No interactions yet. Log a call, meeting or email to start the history.")


class FollowUpTable(AccordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    due_date = tables.TemplateColumn(
        verbose_name=_("due"),
        template_name="interactions/partials/due_cell.html",
    )
    status = tables.TemplateColumn(
        verbose_name=_("status"),
        template_name="interactions/partials/followup_status_cell.html",
    )
    assignee = tables.Column(
        verbose_name=_("assignee"), order_by=("assignee__last_name", "assignee__email")
    )
    about = tables.TemplateColumn(
        verbose_name=_("about"),
        template_name="interactions/partials/followup_about.html",
        orderable=False,
        empty_values=(),
    )

    class Meta(AccordTable.Meta):
        model = FollowUp
        fields = ("title", "due_date", "status", "assignee", "about")
        order_by = ("due_date",)
        empty_text = _("No follow-ups match. Well done — or widen the filter.")
