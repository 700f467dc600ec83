"""Filters for the interaction and follow-up lists; the same classes serve pages and API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.filters import AccordFilterSet
from accord.parties.forms import organization_widget, person_widget
from accord.parties.models import Organization, Person
from accord.users.models import Team

from .choices import Direction, FollowUpStatus, InteractionKind
from .models import FollowUp, Interaction


class UserTeamChoices:
    """Users and teams for the owner/assignee/team filters, read in one query when first needed.

    The choices are callables, so an API request that does not filter by owner reads nothing.
    """

    def __init__(self) -> None:
        self._rows: list[tuple[str, int, str, str]] | None = None

    def _load(self) -> list[tuple[str, int, str, str]]:
        if self._rows is None:
            users = (
                get_user_model()
                .objects.filter(is_active=True)
                .annotate(
                    k=Value("u"),
                    ident=F("pk"),
                    label=Concat("first_name", Value(" "), "last_name"),
                    extra=F("email"),
                )
                .order_by()
                .values_list("k", "ident", "label", "extra")
            )
            teams = (
                Team.objects.annotate(k=Value("t"), ident=F("pk"), label=F("name"), extra=Value(""))
                .order_by()
                .values_list("k", "ident", "label", "extra")
            )
            self._rows = list(users.union(teams, all=True))
        return self._rows

    def users(self) -> list[tuple[str, str]]:
        rows = [
            (str(pk), label.strip() or email) for k, pk, label, email in self._load() if k == "u"
        ]
        return sorted(rows, key=lambda r: r[1].lower())

    def teams(self) -> list[tuple[str, str]]:
        return sorted(
            ((str(pk), label) for k, pk, label, _e in self._load() if k == "t"),
            key=lambda r: r[1].lower(),
        )


def _visible(model):
    def queryset(request: Any):
        user = getattr(request, "user", None)
        return model.objects.visible_to(user)

    return queryset


def _day_start(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


class InteractionFilterSet(AccordFilterSet):
    search_fields = ("subject", "body")

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InteractionKind.choices)
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Direction.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        field_name="organizations",
        queryset=_visible(Organization),
        widget=organization_widget(),
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"),
        field_name="people",
        queryset=_visible(Person),
        widget=person_widget(),
    )
    owner = django_filters.ChoiceFilter(label=_("Owner"), field_name="owner_id")
    team = django_filters.ChoiceFilter(label=_("Team"), field_name="team_id")
    occurred_after = django_filters.DateFilter(
        label=_("From"), method="filter_after", widget=forms.DateInput(attrs={"type": "date"})
    )
    occurred_before = django_filters.DateFilter(
        label=_("Until"), method="filter_before", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Interaction
        fields = ["q", "kind", "direction", "organization", "person", "owner", "team"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = UserTeamChoices()
        self.filters["owner"].extra["choices"] = choices.users
        self.filters["team"].extra["choices"] = choices.teams

    def filter_after(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_day_start(value)) if value else queryset

    def filter_before(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(occurred_at__lt=_day_start(value + dt.timedelta(days=1)))


class FollowUpFilterSet(AccordFilterSet):
    search_fields = ("title", "notes")

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FollowUpStatus.choices, empty_label=_("Any status")
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="filter_mine", widget=forms.CheckboxInput
    )
    assignee = django_filters.ChoiceFilter(label=_("Assignee"), field_name="assignee_id")
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    due_after = django_filters.DateFilter(
        label=_("Due from"),
        field_name="due_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        label=_("Due until"),
        field_name="due_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        queryset=_visible(Organization),
        widget=organization_widget(),
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"), queryset=_visible(Person), widget=person_widget()
    )

    class Meta:
        model = FollowUp
        fields = ["q", "status", "mine", "assignee", "overdue", "organization", "person"]

    # What the follow-up page shows when opened without a filter: my open follow-ups.
    page_defaults = {"status": FollowUpStatus.OPEN, "mine": "on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["assignee"].extra["choices"] = UserTeamChoices().users

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(assignee=user) if value and user is not None else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=FollowUpStatus.OPEN, due_date__lt=timezone.localdate())
