"""Reads of the graph of parties, with the visibility rule applied and the joins each page needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Trim
from django.utils import timezone

from accord.core import visibility
from accord.core.search import search_ids
from accord.core.search.query import name_ranking, parse_terms

from .choices import EXPECTED_BUYING_ROLES, INVERSE_LABELS, BuyingRole, RelationshipType
from .models import Organization, Person, PersonEmail, PersonPhone, Position, Relationship, Tag


def organization_list(user: Any) -> QuerySet[Organization]:
    """Every organization the user may see, archived ones included (the filter hides those)."""
    return Organization.objects.visible_to(user).select_related("owner", "team")


def person_list(user: Any) -> QuerySet[Person]:
    return Person.objects.visible_to(user).select_related("organization", "owner", "team")


def relationship_list(user: Any) -> QuerySet[Relationship]:
    return Relationship.objects.visible_to(user).select_related(
        "from_organization", "to_organization", "from_person", "to_person", "owner", "team"
    )


def position_list(user: Any) -> QuerySet[Position]:
    return Position.objects.visible_to(user).select_related("person", "organization")


def person_email_list(user: Any) -> QuerySet[PersonEmail]:
    return PersonEmail.objects.visible_to(user).select_related("person")


def person_phone_list(user: Any) -> QuerySet[PersonPhone]:
    return PersonPhone.objects.visible_to(user).select_related("person")


def tag_list(user: Any) -> QuerySet[Tag]:
    """Tags are shared labels: everyone signed in sees them all."""
    if not visibility.is_authenticated(user):
        return Tag.objects.none()
    return Tag.objects.all()


def people_with_email(user: Any, email: str, *, exclude_person: Any = None) -> list[Person]:
    """The people the user may see who already have this address (the duplicate warning)."""
    email = (email or "").strip().lower()
    if not email:
        return []
    qs = Person.objects.visible_to(user).filter(emails__email=email)
    if exclude_person is not None and getattr(exclude_person, "pk", None):
        qs = qs.exclude(pk=exclude_person.pk)
    return list(qs.distinct()[:5])


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Owners, teams and tags for the list filters, in one query (a list page has six)."""
    from django.apps import apps

    team_model = apps.get_model("users", "Team")
    user_label = Case(
        When(Q(first_name="") & Q(last_name=""), then=F("email")),
        default=Trim(Concat("first_name", Value(" "), "last_name")),
        output_field=CharField(),
    )

    def rows(qs, kind: str, label) -> QuerySet:
        return qs.annotate(
            kind=Value(kind, output_field=CharField()), key=F("pk"), label=label
        ).values_list("kind", "key", "label")

    union = rows(Tag.objects.order_by(), "tag", F("name")).union(
        rows(team_model.objects.order_by(), "team", F("name")),
        rows(get_user_model().objects.filter(is_active=True).order_by(), "user", user_label),
        all=True,
    )
    result: dict[str, list[tuple[str, str]]] = {"tag": [], "team": [], "user": []}
    for kind, key, label in union:
        result[kind].append((str(key), label))
    for values in result.values():
        values.sort(key=lambda c: c[1].casefold())
    return result


# --- choosing an organization or a person -------------------------------------------------------

AUTOCOMPLETE_LIMIT = 20
AUTOCOMPLETE_CANDIDATES = 500
_AUTOCOMPLETE_FIELDS = {
    "organization": ("id", "name", "city", "country"),
    "person": (
        "id",
        "academic_title",
        "first_name",
        "last_name",
        "job_title",
        "organization__id",
        "organization__name",
    ),
}


def _name_q(kind: str, terms: list[str]) -> Q:
    """Each word within the name, as typed or capitalised (SQLite folds only ASCII case)."""
    fields = ("first_name", "last_name") if kind == "person" else ("name",)
    q = Q()
    for term in terms:
        variants = {term, term.capitalize(), term.upper()}
        q &= Q(*[Q(**{f"{f}__icontains": v}) for f in fields for v in variants], _connector=Q.OR)
    return q


def _autocomplete_name(kind: str, obj: Any) -> str:
    return f"{obj.first_name} {obj.last_name}" if kind == "person" else obj.name


def party_autocomplete(
    user: Any, kind: str, q: str, limit: int = AUTOCOMPLETE_LIMIT
) -> list[Organization] | list[Person]:
    """Up to `limit` visible, not archived organizations (`kind="organization"`) or people
    (`kind="person"`) matching what was typed, for the search box of a form field.

    Every typed word is a prefix of a word of the record (name first; also legal name, city … as
    the search index holds them, see `parties/search.py`), so "mül gm" finds "Müller GmbH". The
    index's best `AUTOCOMPLETE_CANDIDATES` matches are read (one query), the visible ones loaded
    (one query) and ordered by name (whole name, then names holding every word, alphabetically).
    When the index's best matches were mostly rows the user may not see (a member, a common
    word), the rows they may see are also searched by name directly, so those are not missed.
    """
    terms = parse_terms(q)
    if not terms or not visibility.is_authenticated(user):
        return []
    model: Any = Person if kind == "person" else Organization
    kind = "person" if model is Person else "organization"
    visible = model.objects.visible_to(user).filter(is_archived=False)
    if model is Person:
        visible = visible.select_related("organization")
    visible = visible.only(*_AUTOCOMPLETE_FIELDS[kind]).order_by()
    ids = search_ids(model, q, limit=AUTOCOMPLETE_CANDIDATES)
    rows = list(visible.filter(pk__in=ids)) if ids else []
    if len(rows) < limit and len(ids) >= AUTOCOMPLETE_CANDIDATES:
        seen = [row.pk for row in rows]
        more = visible.filter(_name_q(kind, terms)).exclude(pk__in=seen)
        rows += list(more.order_by(*model._meta.ordering)[: limit - len(rows)])
    key = name_ranking(terms)
    rows.sort(key=lambda row: (key(_autocomplete_name(kind, row)), row.pk))
    return rows[:limit]


def organization_place(org: Organization) -> str:
    """Where an organization is ("Berlin, Germany"), for the line under its name."""
    country = getattr(org.country, "name", "") if org.country else ""
    return ", ".join(p for p in (org.city, country) if p)


# --- detail pages ------------------------------------------------------------------------------


def _edges(user: Any, qs: QuerySet[Relationship], me: Any, side: str) -> list[dict[str, Any]]:
    """Relationships of `me` read from its own end: "supplies X" or "is supplied by X"."""
    edges = []
    for rel in qs:
        outgoing = getattr(rel, f"from_{side}_id") == me.pk
        other = getattr(rel, f"to_{side}") if outgoing else getattr(rel, f"from_{side}")
        label = (
            rel.get_relationship_type_display()
            if outgoing
            else INVERSE_LABELS[RelationshipType(rel.relationship_type)]
        )
        edges.append({"relationship": rel, "label": label, "other": other, "outgoing": outgoing})
    edges.sort(key=lambda e: (str(e["label"]), str(e["other"])))
    return edges


def _relationships_of(user: Any, model: type, me: Any, side: str) -> list[dict[str, Any]]:
    """Edges of either direction whose other end the user may also see."""
    other_from = visibility.visibility_q(model, user, prefix=f"from_{side}__")
    other_to = visibility.visibility_q(model, user, prefix=f"to_{side}__")
    qs = (
        Relationship.objects.visible_to(user)
        .filter((Q(**{f"from_{side}": me}) & other_to) | (Q(**{f"to_{side}": me}) & other_from))
        .select_related(f"from_{side}", f"to_{side}")
    )
    return _edges(user, qs, me, side)


def organization_360(user: Any, org: Organization) -> dict[str, Any]:
    """Everything the organization page shows besides the timeline and follow-ups (htmx fragments).

    `buying_center`: the current positions of visible people at this organization grouped by buying
    role; `gaps`: the expected roles nobody covers; `unassigned`: people without a buying role.
    """
    today = timezone.localdate()
    positions = list(
        Position.objects.filter(organization=org)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(visibility.visibility_q(Person, user, prefix="person__"))
        .filter(person__is_archived=False)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    by_role: dict[str, list[Position]] = {}
    for pos in positions:
        by_role.setdefault(pos.buying_role, []).append(pos)
    buying_center = [
        {"role": role.value, "label": role.label, "positions": by_role[role.value]}
        for role in BuyingRole
        if role.value in by_role
    ]
    gaps = [{"role": r.value, "label": r.label} for r in EXPECTED_BUYING_ROLES if r not in by_role]
    return {
        "roles": [
            (r, str(label)) for r, label in zip(org.roles, org.get_roles_display(), strict=True)
        ],
        "buying_center": buying_center,
        "unassigned": by_role.get("", []),
        "gaps": gaps,
        "people_count": len({p.person_id for p in positions}),
        "relationships": _relationships_of(user, Organization, org, "organization"),
        "tags": list(org.tags.all()),
    }


def _position_sort_key(pos: Position) -> tuple:
    if pos.is_current:
        start = pos.start_date.toordinal() if pos.start_date else 0
        return (0, not pos.is_primary, -start, -pos.pk)
    end = pos.end_date.toordinal() if pos.end_date else 0
    return (1, -end, -pos.pk)


def person_detail(user: Any, person: Person) -> dict[str, Any]:
    """The person page: positions over time (current first, then past), addresses, numbers, edges.

    Positions at organizations the user may not see are left out, like relationships whose other
    end the user may not see.
    """
    positions = sorted(
        Position.objects.filter(person=person)
        .filter(visibility.visibility_q(Organization, user, prefix="organization__"))
        .select_related("organization"),
        key=_position_sort_key,
    )
    return {
        "current_positions": [p for p in positions if p.is_current],
        "past_positions": [p for p in positions if not p.is_current],
        "emails": list(PersonEmail.objects.filter(person=person)),
        "phones": list(PersonPhone.objects.filter(person=person)),
        "relationships": _relationships_of(user, Person, person, "person"),
        "tags": list(person.tags.all()),
    }


def organization_people(user: Any, org: Organization) -> QuerySet[Person]:
    """Visible people holding any position at the organization (for links and API use)."""
    return person_list(user).filter(positions__organization=org).distinct()
