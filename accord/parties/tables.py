"""List tables: every row links to its record; sorting keeps a stable order (ties broken by id)."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import F
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from .models import Organization, Person, Relationship


def _nulls_last(queryset, field: str, is_descending: bool):
    expr = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
    return queryset.order_by(expr, "id"), True


class OrganizationTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name", "id"))
    roles = tables.Column(verbose_name=_("Roles"), accessor="pk", orderable=False, empty_values=())
    industry = tables.Column(verbose_name=_("Industry"))
    city = tables.Column(verbose_name=_("City"), order_by=("city", "name", "id"))
    country = tables.Column(verbose_name=_("Country"), order_by=("country", "name", "id"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))
    last_interaction_at = tables.DateTimeColumn(
        verbose_name=_("Last interaction"), format="SHORT_DATE_FORMAT"
    )
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), visible=False)

    class Meta(AccordTable.Meta):
        model = Organization
        fields = (
            "name",
            "roles",
            "industry",
            "city",
            "country",
            "owner",
            "last_interaction_at",
            "created_at",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}

    def render_roles(self, record):
        return format_html_join(
            " ",
            '<span class="badge badge-role">{}</span>',
            ((r,) for r in record.get_roles_display()),
        )

    def value_roles(self, record):
        """The roles as exports write them: "Client, Supplier"."""
        return ", ".join(record.get_roles_display())

    def render_country(self, value, record):
        return record.country.name

    def order_last_interaction_at(self, queryset, is_descending):
        return _nulls_last(queryset, "last_interaction_at", is_descending)

    def order_created_at(self, queryset, is_descending):
        return _nulls_last(queryset, "created_at", is_descending)


class PersonTable(AccordTable):
    name = tables.Column(
        verbose_name=_("Name"),
        accessor="full_name",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("last_name", "first_name", "id"),
    )
    organization = tables.Column(
        verbose_name=_("Organization"),
        linkify=True,
        order_by=("organization__name", "last_name", "id"),
    )
    job_title = tables.Column(verbose_name=_("Job title"))
    email = tables.EmailColumn(verbose_name=_("Email"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))
    last_interaction_at = tables.DateTimeColumn(
        verbose_name=_("Last interaction"), format="SHORT_DATE_FORMAT"
    )
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), visible=False)

    class Meta(AccordTable.Meta):
        model = Person
        fields = (
            "name",
            "organization",
            "job_title",
            "email",
            "owner",
            "last_interaction_at",
            "created_at",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}

    def order_last_interaction_at(self, queryset, is_descending):
        return _nulls_last(queryset, "last_interaction_at", is_descending)

    def order_created_at(self, queryset, is_descending):
        return _nulls_last(queryset, "created_at", is_descending)


class RelationshipTable(AccordTable):
    source = tables.Column(verbose_name=_("From"), accessor="pk", orderable=False)
    relationship_type = tables.Column(
        verbose_name=_("Relationship"), linkify=lambda record: record.get_absolute_url()
    )
    target = tables.Column(verbose_name=_("To"), accessor="pk", orderable=False)
    start_date = tables.DateColumn(verbose_name=_("Since"))
    end_date = tables.DateColumn(verbose_name=_("Until"))
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = Relationship
        fields = ("source", "relationship_type", "target", "start_date", "end_date", "owner")

    @staticmethod
    def _party(party):
        if party is None:
            return "—"
        return format_html('<a href="{}">{}</a>', party.get_absolute_url(), party)

    def render_source(self, record):
        return self._party(record.source)

    def render_target(self, record):
        return self._party(record.target)
