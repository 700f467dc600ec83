"""Tables of the supplier pages: profiles, categories, questions."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accord.core.tables import AccordTable

from ..models import KraljicClass, QualificationQuestion, SupplierProfile, SupplyCategory
from ..selectors import suppliers as selectors

KRALJIC = dict(KraljicClass.choices)


class SupplierProfileTable(AccordTable):
    organization = tables.Column(
        verbose_name=_("Supplier"), linkify=False, order_by=("organization__name", "id")
    )
    categories = tables.Column(verbose_name=_("Categories"), accessor="pk", orderable=False)
    kraljic_class = tables.Column(verbose_name=_("Kraljic class"), order_by=("kraljic_class", "id"))
    suggested = tables.Column(verbose_name=_("Suggested class"), accessor="pk", orderable=False)
    supply_risk = tables.Column(verbose_name=_("Supply risk"), order_by=("supply_risk", "id"))
    qualification_status = tables.Column(
        verbose_name=_("Qualification"), order_by=("qualification_status", "id")
    )
    documents = tables.Column(verbose_name=_("Documents"), accessor="pk", orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), order_by=("owner__first_name", "id"))

    class Meta(AccordTable.Meta):
        model = SupplierProfile
        fields = (
            "organization",
            "categories",
            "kraljic_class",
            "suggested",
            "supply_risk",
            "qualification_status",
            "documents",
            "owner",
        )
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _(
            "No supplier profiles yet. Add one for an organization with the supplier or "
            "service-provider role."
        )

    def _suggestions(self) -> dict[int, str]:
        if not hasattr(self, "_suggested_cache"):
            self._suggested_cache = selectors.suggested_classes()
        return self._suggested_cache

    def render_organization(self, record):
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), record.organization.name
        )

    def value_organization(self, record):
        return record.organization.name

    def render_categories(self, record):
        return ", ".join(c.name for c in record.categories.all()) or "—"

    def value_categories(self, record):
        return ", ".join(c.name for c in record.categories.all())

    def render_suggested(self, record):
        return str(KRALJIC.get(self._suggestions().get(record.pk, ""), "—"))

    value_suggested = render_suggested

    def value_documents(self, record):
        if getattr(record, "has_expired", False):
            return str(_("expired"))
        if getattr(record, "has_expiring", False):
            return str(_("expiring"))
        return ""

    def render_documents(self, record):
        text = self.value_documents(record)
        if not text:
            return "—"
        css = (
            "badge badge-danger" if getattr(record, "has_expired", False) else "badge badge-warning"
        )
        return format_html('<span class="{}">{}</span>', css, text)


class SupplyCategoryTable(AccordTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), order_by=("name", "id"))
    parent = tables.Column(verbose_name=_("Parent category"), order_by=("parent__name", "id"))
    active = tables.BooleanColumn(verbose_name=_("Active"), order_by=("active", "id"))

    class Meta(AccordTable.Meta):
        model = SupplyCategory
        fields = ("name", "parent", "active")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No supply categories yet.")


class QualificationQuestionTable(AccordTable):
    order = tables.Column(verbose_name=_("Order"), order_by=("order", "id"))
    text = tables.Column(linkify=True, verbose_name=_("Question"), order_by=("text", "id"))
    required = tables.BooleanColumn(verbose_name=_("Required"), order_by=("required", "id"))
    active = tables.BooleanColumn(verbose_name=_("Active"), order_by=("active", "id"))

    class Meta(AccordTable.Meta):
        model = QualificationQuestion
        fields = ("order", "text", "required", "active")
        row_attrs = {"data-href": lambda record: record.get_absolute_url()}
        empty_text = _("No qualification questions yet.")
