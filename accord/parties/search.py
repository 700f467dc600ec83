"""Organizations and people in global search (discovered by core; the index is migration 0003)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.core.search import register_search

from .models import Organization, Person


def organization_subtitle(org: Organization) -> str:
    """Where it is and what it is to us: "Berlin, Germany · Client, Supplier"."""
    place = ", ".join(p for p in (org.city, org.country.name if org.country else "") if p)
    roles = ", ".join(org.get_roles_display())
    return " · ".join(p for p in (place, roles) if p)


def person_subtitle(person: Person) -> str:
    """Job title and organization ("Head of purchasing at Müller GmbH"), or the one that is known."""
    org = person.organization.name if person.organization else ""
    if person.job_title and org:
        return gettext("%(job_title)s at %(organization)s") % {
            "job_title": person.job_title,
            "organization": org,
        }
    return person.job_title or org


register_search(
    Organization,
    fields=("name", "legal_name", "city", "vat_id", "website"),
    title=lambda org: org.name,
    subtitle=organization_subtitle,
    kind_label=_("Organizations"),
    icon="organization",
)

register_search(
    Person,
    fields=("first_name", "last_name", "email", "job_title"),
    name_fields=("first_name", "last_name"),
    title=lambda person: person.full_name,
    subtitle=person_subtitle,
    kind_label=_("People"),
    select_related=("organization",),
    icon="person",
)
