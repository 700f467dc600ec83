"""Filters for the organization, person and relationship lists; the same classes serve the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accord.core.filters import AccordFilterSet

from . import selectors
from .choices import BuyingRole, Industry, OrganizationRole, RelationshipType
from .forms import organization_widget, person_widget
from .models import Organization, Person, Position, Relationship, role_field

ARCHIVED_CHOICES = [("only", _("Archived only")), ("all", _("Active and archived"))]


@extend_schema_field(OpenApiTypes.INT)
class RowChoiceFilter(django_filters.ChoiceFilter):
    """A choice among rows (owner, team, tag) by id; the choices are filled by the filterset."""


@extend_schema_field(OpenApiTypes.INT)
class PartyChoiceFilter(django_filters.ModelChoiceFilter):
    """An organization or person by id, chosen on the page with a search box."""


class _RowChoices:
    """Callable choices of one filter; the filters of a filterset share one query's result.

    Form fields are deep-copied per form; this callable is shared, not copied.
    """

    def __init__(self, cache: dict[str, Any], kind: str) -> None:
        self.cache = cache
        self.kind = kind

    def __call__(self) -> list[tuple[str, str]]:
        if "rows" not in self.cache:
            self.cache["rows"] = selectors.filter_choices()
        return self.cache["rows"][self.kind]

    def __deepcopy__(self, memo: dict) -> _RowChoices:
        return self


class ChoicesFromDatabaseMixin:
    """Owner, team and tag choices come from one query, made only when a form needs them."""

    choice_filters: dict[str, str] = {"owner": "user", "team": "team", "tag": "tag"}

    def __init__(self, data=None, *args: Any, **kwargs: Any) -> None:
        # An unbound filterset filters nothing; bind it so that the defaults (hide archived) apply.
        super().__init__(data if data is not None else {}, *args, **kwargs)  # type: ignore[call-arg]
        cache: dict[str, Any] = {}
        for name, kind in self.choice_filters.items():
            if name in self.filters:  # type: ignore[attr-defined]
                self.filters[name].extra["choices"] = _RowChoices(cache, kind)  # type: ignore[attr-defined]


class ArchivedFilterMixin:
    """Archived records are hidden unless the filter asks for them."""

    def filter_queryset(self, queryset):
        value = self.form.cleaned_data.get("archived")  # type: ignore[attr-defined]
        if not value:
            queryset = queryset.filter(is_archived=False)
        elif value == "only":
            queryset = queryset.filter(is_archived=True)
        return super().filter_queryset(queryset)  # type: ignore[misc]

    def filter_archived(self, queryset, name, value):
        return queryset  # applied in filter_queryset, where its absence counts too


class PartyFilterSet(ChoicesFromDatabaseMixin, ArchivedFilterMixin, AccordFilterSet):
    """What organizations and people are both filtered by: owner, team, tag, archived."""

    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")
    tag = RowChoiceFilter(label=_("Tag"), field_name="tags__id")
    archived = django_filters.ChoiceFilter(
        label=_("Archived"),
        choices=ARCHIVED_CHOICES,
        empty_label=_("Active only"),
        method="filter_archived",
    )

    # the form shows the search, then the kind's own filters, then these
    common_filters = ("owner", "team", "tag", "archived")

    @property
    def form(self):
        form = super().form
        own = [n for n in form.fields if n != "q" and n not in self.common_filters]
        form.order_fields(["q", *own, *self.common_filters])
        return form


class OrganizationFilterSet(PartyFilterSet):
    search_fields = ("name", "legal_name", "city", "vat_id")

    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=OrganizationRole.choices, method="filter_role"
    )
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=Industry.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=countries)

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_role(self, queryset, name, value):
        return queryset.filter(**{role_field(value): True})


class PersonFilterSet(PartyFilterSet):
    search_fields = ("first_name", "last_name", "email")

    organization = django_filters.CharFilter(
        label=_("Organization"),
        method="filter_organization",
        help_text=_("Name or number of an organization the person works or worked at."),
    )
    buying_role = django_filters.ChoiceFilter(
        label=_("Buying role"), choices=BuyingRole.choices, method="filter_buying_role"
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_organization(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if value.isascii() and value.isdigit():
            if int(value) >= 2**63:  # beyond any id (SQLite would overflow)
                return queryset.none()
            return queryset.filter(
                Q(organization_id=int(value))
                | Q(pk__in=Position.objects.filter(organization_id=int(value)).values("person_id"))
            )
        return queryset.filter(
            pk__in=Position.objects.filter(organization__name__icontains=value).values("person_id")
        )

    def filter_buying_role(self, queryset, name, value):
        positions = Position.objects.filter(buying_role=value)
        return queryset.filter(pk__in=positions.values("person_id"))


def _visible(model):
    """The rows a filter may name: those the requesting user may see (by id, one search box)."""

    def queryset(request: Any):
        return model.objects.visible_to(getattr(request, "user", None))

    return queryset


class RelationshipFilterSet(ChoicesFromDatabaseMixin, AccordFilterSet):
    search_fields = (
        "notes",
        "from_organization__name",
        "to_organization__name",
        "from_person__last_name",
        "to_person__last_name",
    )
    choice_filters = {"owner": "user", "team": "team"}

    relationship_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=RelationshipType.choices
    )
    organization = PartyChoiceFilter(
        label=_("Organization (either end)"),
        queryset=_visible(Organization),
        method="filter_organization",
        widget=organization_widget(),
    )
    person = PartyChoiceFilter(
        label=_("Person (either end)"),
        queryset=_visible(Person),
        method="filter_person",
        widget=person_widget(),
    )
    owner = RowChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = RowChoiceFilter(label=_("Team"), field_name="team_id")

    class Meta:
        model = Relationship
        fields: list[str] = []

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(from_organization=value) | Q(to_organization=value))

    def filter_person(self, queryset, name, value):
        return queryset.filter(Q(from_person=value) | Q(to_person=value))
