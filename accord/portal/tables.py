from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from .models import CatalogueItem, PortalAccount


class PortalAccountTable(AccordTable):
    email = tables.Column(linkify=True, verbose_name=_("Email address"), order_by=("email",))
    person = tables.Column(verbose_name=_("Person"), order_by=("person__last_name", "id"))
    organization = tables.Column(verbose_name=_("Organization"), order_by=("organization__name",))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    accepted_at = tables.DateTimeColumn(
        verbose_name=_("Invitation accepted"), format="SHORT_DATE_FORMAT", default="—"
    )
    last_login = tables.DateTimeColumn(
        verbose_name=_("Last sign-in"), format="SHORT_DATETIME_FORMAT", default="—"
    )

    class Meta(AccordTable.Meta):
        model = PortalAccount
        fields = ("email", "person", "organization", "is_active", "accepted_at", "last_login")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _(
            "No portal accounts yet. Invite a client's person from their page "
            "(“Invite to the portal”)."
        )


class CatalogueItemTable(AccordTable):
    organization = tables.Column(
        linkify=True, verbose_name=_("Organization"), order_by=("organization__name", "id")
    )
    product = tables.Column(verbose_name=_("Product"), order_by=("product__name", "id"))
    unit_price = tables.Column(verbose_name=_("Price for this client"), default="—")
    active = tables.BooleanColumn(verbose_name=_("Active"))
    edit = tables.LinkColumn(
        "portal:catalogueitem_detail",
        args=[tables.A("pk")],
        text=_("Open"),
        orderable=False,
        verbose_name="",
    )

    class Meta(AccordTable.Meta):
        model = CatalogueItem
        fields = ("organization", "product", "unit_price", "active")
        empty_text = _(
            "No products are enabled for the portal yet. Add one so that a client can order it."
        )
