"""Filters of the competitor list (organizations with the competitor role)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.filtersets import ARCHIVED_CHOICES, ArchivedFilterMixin
from accord.parties.models import Organization

from ..choices import PricePosition

PROFILE_CHOICES = (("yes", _("With a profile")), ("no", _("Without a profile")))
PRESENCE_CHOICES = (
    ("open", _("In open opportunities")),
    ("accounts", _("At client accounts")),
)


class CompetitorFilterSet(ArchivedFilterMixin, AccordFilterSet):
    search_fields = (
        "name",
        "legal_name",
        "competitor_profile__products",
        "competitor_profile__strengths",
        "competitor_profile__weaknesses",
        "competitor_profile__notes",
    )

    price_position = django_filters.ChoiceFilter(
        label=_("Price position"),
        choices=PricePosition.choices,
        field_name="competitor_profile__price_position",
    )
    profile = django_filters.ChoiceFilter(
        label=_("Profile"), choices=PROFILE_CHOICES, method="filter_profile"
    )
    present = django_filters.ChoiceFilter(
        label=_("Present"), choices=PRESENCE_CHOICES, method="filter_present"
    )
    archived = django_filters.ChoiceFilter(
        label=_("Archived"),
        choices=ARCHIVED_CHOICES,
        empty_label=_("Active only"),
        method="filter_archived",
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_profile(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(competitor_profile__isnull=False)
        if value == "no":
            return queryset.filter(competitor_profile__isnull=True)
        return queryset

    def filter_present(self, queryset, name, value):
        # the list's annotations count what the user may see
        if value == "open":
            return queryset.filter(open_opportunities__gt=0)
        if value == "accounts":
            return queryset.filter(accounts_present__gt=0)
        return queryset
