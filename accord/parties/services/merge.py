"""Merging two people or two organizations into one: the survivor keeps every related record.

The user picks the survivor and, field by field, whose value to keep (`merge_plan` describes the
choices and their defaults; `party_merge` applies them). Everything that points at the other record
(the loser) is carried to the survivor before the loser is deleted, in one transaction:

* every foreign key to the model, found through `Model._meta` (so records of apps added later — mail
  threads, attachments, unknown senders … — are carried too), including the through tables of
  many-to-many relations (interaction participants, tags);
* every generic relation (`content_type` + `object_id`: shares, import external ids …);
* rows that would become duplicates of the survivor's are dropped instead: equal email addresses,
  equal numbers, identical positions, and whatever a unique constraint of the related model says;
* relationships: both ends; one that would join the survivor to itself, or repeat one the survivor
  already has, is dropped.

Carried and dropped records that keep a history also announce the change (`record_changed`,
"updated" or "deleted"), so webhooks hear of them as of any other change. History
(django-simple-history) of the loser is kept and, through `core.history.record_merge`, shown in the
survivor's history (marked as coming from the merged record); the merge itself is one change of the
survivor whose change reason says "merged with …", and every carried row with history records its
move with the same reason. The survivor's denormalised fields (organization, job title, email, last
interaction) are refreshed; the search index follows through its triggers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from accord.core import services as core
from accord.core import signals, visibility
from accord.core.history import record_merge

from ..models import Organization, Person, PersonEmail, Position, Relationship
from .organizations import organization_update
from .people import _refresh_person_summary, person_update

SURVIVOR = "survivor"
LOSER = "loser"
BOTH = "both"
CHOICES = (SURVIVOR, LOSER, BOTH)

# Rows of these related models that equal one of the survivor's on these fields are dropped.
DEDUP_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("parties.personemail", "person"): ("email",),
    ("parties.personphone", "person"): ("number",),
    ("parties.position", "person"): (
        "organization",
        "title",
        "department",
        "buying_role",
        "start_date",
        "end_date",
    ),
    ("parties.position", "organization"): (
        "person",
        "title",
        "department",
        "buying_role",
        "start_date",
        "end_date",
    ),
    ("core.share", "object_id"): ("user", "team"),
}
ADDRESS_FIELDS = ("street", "postal_code", "city", "region", "country")
MergeParty = Person | Organization


@dataclass
class MergeField:
    """One row of the side-by-side comparison: the two values and the default choice."""

    name: str
    label: str
    survivor_value: str
    loser_value: str
    default: str
    allow_both: bool = False

    @property
    def differs(self) -> bool:
        return self.survivor_value != self.loser_value

    @property
    def options(self) -> list[str]:
        return list(CHOICES) if self.allow_both else [SURVIVOR, LOSER]


@dataclass
class MergePlan:
    """What a merge of `loser` into `survivor` would do: the field choices and the records carried."""

    survivor: Any
    loser: Any
    fields: list[MergeField]
    related: list[tuple[str, int]]  # (what, how many of the loser's)

    def defaults(self) -> dict[str, str]:
        return {f.name: f.default for f in self.fields}


@dataclass
class MergeResult:
    survivor: Any
    loser_id: int
    loser_label: str
    carried: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)


# --- the field choices -------------------------------------------------------------------------


def _display(obj: Any, name: str) -> str:
    if name == "roles":
        return ", ".join(obj.get_roles_display())
    if name == "address":
        parts = [getattr(obj, f) for f in ADDRESS_FIELDS[:-1]]
        parts.append(obj.country.name if obj.country else "")
        return ", ".join(str(p) for p in parts if p)
    if name == "primary_email":
        return obj.email or ""
    if name == "primary_position":
        org = obj.organization.name if obj.organization_id and obj.organization else ""
        return " · ".join(p for p in (obj.job_title, org) if p)
    f = obj._meta.get_field(name)
    value = getattr(obj, name)
    if isinstance(f, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if getattr(f, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    if value is None:
        return ""
    return str(value)


def _field_names(model: type[models.Model]) -> list[tuple[str, Any, bool]]:
    """(name, label, allow_both) for the comparison of this model."""
    return [row for row in _all_field_names(model) if _is_field(model, row[0])]


def _is_field(model: type[models.Model], name: str) -> bool:
    if name in ("roles", "address", "primary_email", "primary_position"):
        return True
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _all_field_names(model: type[models.Model]) -> list[tuple[str, Any, bool]]:
    owned = [("owner", gettext_lazy("owner"), False), ("team", gettext_lazy("team"), False)]
    if model is Person:
        return [
            ("salutation", gettext_lazy("salutation"), False),
            ("academic_title", gettext_lazy("title"), False),
            ("first_name", gettext_lazy("first name"), False),
            ("last_name", gettext_lazy("last name"), False),
            ("primary_email", gettext_lazy("primary email address"), False),
            ("primary_position", gettext_lazy("current organization and job title"), False),
            ("external_id", gettext_lazy("external id"), False),
            ("notes", gettext_lazy("notes"), True),
            *owned,
            ("is_archived", gettext_lazy("archived"), False),
        ]
    return [
        ("name", gettext_lazy("name"), False),
        ("legal_name", gettext_lazy("legal name"), False),
        ("roles", gettext_lazy("roles"), True),
        ("industry", gettext_lazy("industry"), False),
        ("size", gettext_lazy("size"), False),
        ("website", gettext_lazy("website"), False),
        ("email", gettext_lazy("email"), False),
        ("phone", gettext_lazy("phone"), False),
        ("vat_id", gettext_lazy("VAT id"), False),
        ("address", gettext_lazy("address"), False),
        ("external_id", gettext_lazy("external id"), False),
        ("notes", gettext_lazy("notes"), True),
        *owned,
        ("is_archived", gettext_lazy("archived"), False),
    ]


def _default_choice(name: str, survivor: Any, loser: Any, allow_both: bool) -> str:
    """The survivor's value unless it is empty and the loser has one; text fields with both filled
    keep both; the record stays active if either was."""
    if name == "is_archived":
        return LOSER if survivor.is_archived and not loser.is_archived else SURVIVOR
    mine, theirs = _display(survivor, name), _display(loser, name)
    if allow_both and mine and theirs and mine != theirs:
        return BOTH
    return LOSER if not mine and theirs else SURVIVOR


def _check_pair(actor: Any, survivor: Any, loser: Any) -> None:
    if type(survivor) is not type(loser) or not isinstance(survivor, Person | Organization):
        raise ValidationError(_("Only two people or two organizations can be merged."))
    if survivor.pk == loser.pk:
        raise ValidationError(_("Choose two different records to merge."))
    if actor is not None and not (
        visibility.can_change(actor, survivor) and visibility.can_change(actor, loser)
    ):
        raise PermissionDenied(_("You may only merge records you may change, both of them."))


def _related_label(rel: Any) -> str:
    """What the rows of a relation are, for the user: "interactions" for the participants table,
    "tags" for the tag links, the model's plural otherwise (with the field when there are two)."""
    model, target = rel.related_model, rel.field.related_model
    for other in target._meta.get_fields(include_hidden=True):
        if other.many_to_many and getattr(other, "through", None) is model:  # ManyToManyRel
            return str(other.related_model._meta.verbose_name_plural)
    for m2m in target._meta.many_to_many:  # forward (tags)
        if m2m.remote_field.through is model:
            return str(m2m.related_model._meta.verbose_name_plural)
    same_target = [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is target
    ]
    if len(same_target) > 1:
        return f"{model._meta.verbose_name_plural} ({rel.field.verbose_name})"
    return str(model._meta.verbose_name_plural)


def merge_plan(*, actor: Any, survivor: MergeParty, loser: MergeParty) -> MergePlan:
    """The comparison page and the API preview: field values of both, default choices, and how
    many of the loser's related records would be carried."""
    _check_pair(actor, survivor, loser)
    rows = [
        MergeField(
            name=name,
            label=str(label),
            survivor_value=_display(survivor, name),
            loser_value=_display(loser, name),
            default=_default_choice(name, survivor, loser, allow_both),
            allow_both=allow_both,
        )
        for name, label, allow_both in _field_names(type(survivor))
    ]
    counts: dict[str, int] = {}
    for rel in _reverse_relations(type(loser)):
        n = rel.related_model._base_manager.filter(**{rel.field.name: loser}).count()
        if n:
            label = _related_label(rel)
            counts[label] = counts.get(label, 0) + n
    for model, gfk in _generic_relations():
        n = _generic_rows(model, gfk, loser).count()
        if n:
            label = str(model._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + n
    return MergePlan(survivor=survivor, loser=loser, fields=rows, related=sorted(counts.items()))


# --- finding what points at a party ------------------------------------------------------------


def _is_historical(model: type[models.Model]) -> bool:
    """django-simple-history's tables: their rows stay as they were (history is kept)."""
    return getattr(model, "instance_type", None) is not None and hasattr(model, "history_object")


def _has_history(model: type[models.Model]) -> bool:
    return hasattr(model, "history") and hasattr(model.history, "model")


def _reverse_relations(model: type[models.Model]) -> list[Any]:
    """Every foreign key (and one-to-one) pointing at `model`, hidden ones and the through tables of
    many-to-many relations included; history tables left out."""
    found = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        if rel.related_model is None or _is_historical(rel.related_model):
            continue
        found.append(rel)
    return found


def _generic_relations() -> list[tuple[type[models.Model], GenericForeignKey]]:
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if _is_historical(model):
            continue
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                found.append((model, private))
    return found


def _generic_rows(model: type[models.Model], gfk: GenericForeignKey, obj: Any) -> models.QuerySet:
    ct = ContentType.objects.get_for_model(type(obj))
    return model._base_manager.filter(**{gfk.ct_field: ct, gfk.fk_field: obj.pk})


# --- carrying rows -----------------------------------------------------------------------------


class _Mover:
    """Carries the loser's rows to the survivor and counts what it carried and dropped."""

    def __init__(self, actor: Any, survivor: Any, loser: Any, reason: str) -> None:
        self.actor = actor if visibility.is_authenticated(actor) else None
        self.survivor = survivor
        self.loser = loser
        self.reason = reason
        self.result = MergeResult(
            survivor=survivor, loser_id=loser.pk, loser_label=_party_name(loser)
        )

    def _count(self, bucket: dict[str, int], label: str, n: int) -> None:
        if n:
            bucket[label] = bucket.get(label, 0) + n

    def delete_rows(self, model: type[models.Model], pks: Iterable[Any], label: str) -> None:
        pks = list(pks)
        if not pks:
            return
        if _has_history(model):
            for obj in model._base_manager.filter(pk__in=pks):
                obj._history_user = self.actor  # type: ignore[attr-defined]
                obj._change_reason = self.reason  # type: ignore[attr-defined]
                signals.send_record_changed(obj, signals.DELETED, self.actor)
                obj.delete()
        else:
            model._base_manager.filter(pk__in=pks).delete()
        self._count(self.result.dropped, label, len(pks))

    def move_rows(
        self, model: type[models.Model], qs: models.QuerySet, attname: str, value: Any, label: str
    ) -> None:
        if _has_history(model):
            objs = list(qs)
            for obj in objs:
                setattr(obj, attname, value)
            if objs:
                bulk_update_with_history(
                    objs,
                    model,
                    [attname],
                    batch_size=500,
                    default_user=self.actor,
                    default_change_reason=self.reason,
                    manager=model._base_manager,
                )
            for obj in objs:
                signals.send_record_changed(obj, signals.UPDATED, self.actor)
            n = len(objs)
        else:
            n = qs.update(**{attname: value})
        self._count(self.result.carried, label, n)

    # -- dedup ------------------------------------------------------------------------------
    @staticmethod
    def unique_sets(model: type[models.Model], name: str) -> list[tuple[tuple[str, ...], Q]]:
        """The other fields of each uniqueness rule that includes `name` (with its condition)."""
        sets: list[tuple[tuple[str, ...], Q]] = []
        for together in model._meta.unique_together:
            if name in together:
                sets.append((tuple(f for f in together if f != name), Q()))
        for constraint in model._meta.constraints:
            if (
                isinstance(constraint, models.UniqueConstraint)
                and constraint.fields
                and not constraint.expressions
                and name in constraint.fields
            ):
                others = tuple(f for f in constraint.fields if f != name)
                sets.append((others, constraint.condition or Q()))
        f = model._meta.get_field(name)
        if getattr(f, "unique", False) and not getattr(f, "primary_key", False):
            sets.append(((), Q()))
        key = DEDUP_KEYS.get((model._meta.label_lower, name))
        if key:
            sets.append((key, Q()))
        return sets

    def drop_duplicates(
        self,
        model: type[models.Model],
        mine: models.QuerySet,
        theirs: models.QuerySet,
        name: str,
        label: str,
    ) -> None:
        for others, condition in self.unique_sets(model, name):
            keys = set(mine.filter(condition).values_list(*others)) if others else set()
            if not others and mine.filter(condition).exists():
                keys = {()}
            if not keys:
                continue
            rows = theirs.filter(condition).values_list("pk", *others)
            dupes = [row[0] for row in rows if tuple(row[1:]) in keys]
            self.delete_rows(model, dupes, label)

    # -- relations --------------------------------------------------------------------------
    def carry_foreign_key(self, rel: Any) -> None:
        model, fk = rel.related_model, rel.field
        label = _related_label(rel)
        manager = model._base_manager
        mine = manager.filter(**{fk.name: self.survivor})
        theirs = manager.filter(**{fk.name: self.loser})
        if model is type(self.survivor):
            # a record of the same kind pointing at the loser; the survivor itself must not
            # end up pointing at itself
            if fk.null:
                manager.filter(pk=self.survivor.pk, **{fk.name: self.loser}).update(
                    **{fk.attname: None}
                )
            theirs = theirs.exclude(pk=self.survivor.pk)
        self.drop_duplicates(model, mine, theirs, fk.name, label)
        self.move_rows(model, theirs, fk.attname, self.survivor.pk, label)

    def carry_generic(self, model: type[models.Model], gfk: GenericForeignKey) -> None:
        label = str(model._meta.verbose_name_plural)
        mine = _generic_rows(model, gfk, self.survivor)
        theirs = _generic_rows(model, gfk, self.loser)
        self.drop_duplicates(model, mine, theirs, gfk.fk_field, label)
        self.move_rows(model, theirs, gfk.fk_field, self.survivor.pk, label)

    def carry_relationships(self, side: str) -> None:
        """Both ends: the loser's edges now start or end at the survivor, unless that joins the
        survivor to itself or repeats an edge it already has."""
        label = str(Relationship._meta.verbose_name_plural)
        src, dst = f"from_{side}_id", f"to_{side}_id"
        edges = Relationship.objects.filter(
            Q(**{f"from_{side}": self.loser}) | Q(**{f"to_{side}": self.loser})
        ).order_by("pk")
        for rel in edges:
            new_src = self.survivor.pk if getattr(rel, src) == self.loser.pk else getattr(rel, src)
            new_dst = self.survivor.pk if getattr(rel, dst) == self.loser.pk else getattr(rel, dst)
            same = Relationship.objects.filter(
                relationship_type=rel.relationship_type,
                start_date=rel.start_date,
                end_date=rel.end_date,
                **{src: new_src, dst: new_dst},
            ).exclude(pk=rel.pk)
            if new_src == new_dst or same.exists():
                self.delete_rows(Relationship, [rel.pk], label)
                continue
            setattr(rel, src, new_src)
            setattr(rel, dst, new_dst)
            rel._history_user = self.actor  # type: ignore[attr-defined]
            rel._change_reason = self.reason  # type: ignore[attr-defined]
            rel.save(update_fields=[src.removesuffix("_id"), dst.removesuffix("_id")])
            signals.send_record_changed(rel, signals.UPDATED, self.actor)
            self._count(self.result.carried, label, 1)


# --- the merge ---------------------------------------------------------------------------------


def _party_name(obj: Any) -> str:
    return obj.full_name if isinstance(obj, Person) else obj.name


def _merge_reason(loser: Any) -> str:
    return _("merged with “%(name)s” (#%(id)s)") % {"name": _party_name(loser), "id": loser.pk}


def _chosen_values(
    survivor: Any, loser: Any, choices: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The survivor's new field values, and the choices of the two pseudo-fields of people."""
    data: dict[str, Any] = {}
    special: dict[str, str] = {}
    errors: dict[str, str] = {}
    names = {name: allow for name, _label, allow in _field_names(type(survivor))}
    unknown = set(choices) - set(names)
    if unknown:
        raise ValidationError(
            {"fields": _("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    for name, allow_both in names.items():
        choice = choices.get(name) or _default_choice(name, survivor, loser, allow_both)
        if choice not in (CHOICES if allow_both else (SURVIVOR, LOSER)):
            errors[name] = _("Choose whose value to keep: %(options)s.") % {
                "options": ", ".join(CHOICES if allow_both else (SURVIVOR, LOSER))
            }
            continue
        if name in ("primary_email", "primary_position"):
            special[name] = choice
            continue
        if choice == SURVIVOR:
            continue
        if name == "roles":
            chosen = set(loser.roles) | (set(survivor.roles) if choice == BOTH else set())
            data["roles"] = sorted(chosen)
        elif name == "address":
            data.update({f: getattr(loser, f) for f in ADDRESS_FIELDS})
        elif name == "notes" and choice == BOTH:
            data["notes"] = "\n\n".join(n for n in (survivor.notes, loser.notes) if n)
        else:
            data[name] = getattr(loser, name)
    if errors:
        raise ValidationError(errors)
    return data, special


def _lock(model: type[models.Model], pks: list[int]) -> dict[int, Any]:
    rows = model._base_manager.select_for_update().filter(pk__in=pks)
    return {obj.pk: obj for obj in rows}


def party_merge(
    *,
    actor: Any,
    survivor: MergeParty,
    loser: MergeParty,
    choices: Mapping[str, str] | None = None,
) -> MergeResult:
    """Merge `loser` into `survivor` (two people or two organizations) and delete `loser`.

    `choices` maps a field of the comparison (`merge_plan(...).fields`) to "survivor", "loser" or,
    for notes and roles, "both"; fields left out take their default. The actor must be allowed to
    change both records. One transaction: on any error nothing is changed.
    """
    _check_pair(actor, survivor, loser)
    core.require_write(actor)
    return _merge(actor, survivor, loser, choices or {})


def _merge(actor: Any, survivor: Any, loser: Any, choices: Mapping[str, str]) -> MergeResult:
    model = type(survivor)
    with transaction.atomic():
        locked = _lock(model, [survivor.pk, loser.pk])
        if survivor.pk not in locked or loser.pk not in locked:
            raise ValidationError(_("One of the two records no longer exists."))
        survivor, loser = locked[survivor.pk], locked[loser.pk]
        _check_pair(actor, survivor, loser)
        data, special = _chosen_values(survivor, loser, choices)
        reason = _merge_reason(loser)
        mover = _Mover(actor, survivor, loser, reason)
        if isinstance(survivor, Person):
            chosen = _remember_primaries(survivor, loser, special)
        else:
            people = set(
                Position.objects.filter(organization=loser).values_list("person_id", flat=True)
            )
            people |= set(Person.objects.filter(organization=loser).values_list("pk", flat=True))

        side = "person" if isinstance(survivor, Person) else "organization"
        mover.carry_relationships(side)
        for rel in _reverse_relations(model):
            if rel.related_model is Relationship:
                continue
            mover.carry_foreign_key(rel)
        for generic_model, gfk in _generic_relations():
            mover.carry_generic(generic_model, gfk)

        survivor._change_reason = reason  # type: ignore[attr-defined]
        if isinstance(survivor, Person):
            survivor = person_update(actor=actor, instance=survivor, data=data)
        else:
            survivor = organization_update(actor=actor, instance=survivor, data=data)
        newest = max(
            (t for t in (survivor.last_interaction_at, loser.last_interaction_at) if t),
            default=None,
        )
        model._base_manager.filter(pk=survivor.pk).update(last_interaction_at=newest)
        survivor.last_interaction_at = newest

        loser._change_reason = _("merged into “%(name)s” (#%(id)s)") % {  # type: ignore[attr-defined]
            "name": _party_name(survivor),
            "id": survivor.pk,
        }
        record_merge(survivor, loser)
        core.model_delete(loser, actor=actor)

        if isinstance(survivor, Person):
            _apply_primaries(survivor, chosen, mover)
            _refresh_person_summary(survivor)
        else:
            for person in Person.objects.filter(pk__in=people):
                _refresh_person_summary(person)
    mover.result.survivor = survivor
    return mover.result


# --- a person's primary address and position ---------------------------------------------------


def _primary_key(model: type[models.Model], person: Person, keys: tuple[str, ...]) -> Any:
    row = model._base_manager.filter(person=person).order_by("-is_primary", "id").first()
    return tuple(getattr(row, k) for k in keys) if row else None


_POSITION_KEYS = (
    "organization_id",
    "title",
    "department",
    "buying_role",
    "start_date",
    "end_date",
)


def _remember_primaries(survivor: Person, loser: Person, special: Mapping[str, str]) -> dict:
    """Which address and position should be primary after the merge, by value (the loser's rows
    may be dropped as duplicates of the survivor's equal ones)."""
    email_from = loser if special.get("primary_email") == LOSER else survivor
    position_from = loser if special.get("primary_position") == LOSER else survivor
    return {
        "email": _primary_key(PersonEmail, email_from, ("email",))
        or _primary_key(PersonEmail, survivor, ("email",))
        or _primary_key(PersonEmail, loser, ("email",)),
        "position": _primary_position(position_from)
        or _primary_position(survivor)
        or _primary_position(loser),
    }


def _primary_position(person: Person) -> tuple | None:
    row = Position.objects.filter(person=person, is_primary=True).order_by("-id").first()
    return tuple(getattr(row, k) for k in _POSITION_KEYS) if row else None


def _set_only_primary(
    model: type[models.Model], person: Person, match: Callable[[Any], bool], mover: _Mover
) -> None:
    rows: list[Any] = list(model._base_manager.filter(person=person))
    target = next((r for r in rows if match(r)), None)
    if target is None:
        return
    changed = []
    for row in rows:
        wanted = row.pk == target.pk
        if row.is_primary != wanted:
            row.is_primary = wanted
            changed.append(row)
    if changed:
        bulk_update_with_history(
            changed,
            model,
            ["is_primary"],
            default_user=mover.actor,
            default_change_reason=mover.reason,
            manager=model._base_manager,
        )


def _apply_primaries(survivor: Person, chosen: Mapping[str, Any], mover: _Mover) -> None:
    if chosen.get("email"):
        (email,) = chosen["email"]
        _set_only_primary(PersonEmail, survivor, lambda r: r.email == email, mover)
    if chosen.get("position"):
        key = chosen["position"]
        _set_only_primary(
            Position,
            survivor,
            lambda r: tuple(getattr(r, k) for k in _POSITION_KEYS) == key,
            mover,
        )
