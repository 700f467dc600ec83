"""Negotiations and their rounds.

Rules (each refused with a message naming the field):

* a negotiation has a title and a counterparty that holds an outside role (client, prospect,
  supplier, service provider, partner or authority — not only an internal unit or a competitor);
* linked records (counterparty, opportunity, contract, purchase order, commitments) must be
  visible to the actor; an opportunity must belong to the counterparty, and so must a contract
  or a purchase order that names one;
* target and walk-away values are not negative; the currency is three letters;
* closing (agreed, broken off, abandoned) needs an outcome / reason; the closing day defaults to
  today, is not before the start nor before the last round; reopening clears it;
* the start is not after the first round;
* rounds are numbered automatically (1, 2, …); a round is not dated before the negotiation
  started, nor before the previous round (nor, when edited, after the next one); a closed
  negotiation takes no new rounds; values are not negative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.parties.models import Organization

from ..models import (
    Commitment,
    Contract,
    Negotiation,
    NegotiationRound,
    NegotiationStatus,
    OfferedBy,
)
from ..models.negotiations import CLOSED_STATUSES

OUTSIDE_ROLES = (
    "is_client",
    "is_prospect",
    "is_supplier",
    "is_service_provider",
    "is_partner",
    "is_authority",
)
ROUND_NUMBERS = ("price", "volume", "term_months", "payment_days")


def _date(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _visible(model: type[models.Model], actor: Any, pk: Any) -> bool:
    if actor is None or pk in (None, ""):
        return True
    return model._default_manager.visible_to(actor).filter(pk=pk).exists()  # type: ignore[attr-defined]


def _purchase_order_model() -> Any:
    return Negotiation._meta.get_field("purchase_order").related_model


def _resolve(model: type[models.Model], value: Any) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    return model._default_manager.filter(pk=value).first()


def _check_links(
    actor: Any, merged: dict[str, Any], data: dict[str, Any], instance: Negotiation | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    counterparty = _resolve(Organization, merged.get("counterparty"))
    if counterparty is None:
        errors["counterparty"] = _("Choose the counterparty.")
    else:
        changed = instance is None or instance.counterparty_id != counterparty.pk
        if changed and not _visible(Organization, actor, counterparty.pk):
            errors["counterparty"] = _("You may choose only organizations you can see.")
        elif changed and not any(getattr(counterparty, f) for f in OUTSIDE_ROLES):
            errors["counterparty"] = _(
                "The counterparty must be a client, prospect, supplier, service provider, "
                "partner or authority."
            )
    links = {
        "opportunity": (
            "pipeline.Opportunity",
            _("You may link only opportunities you can see."),
            "organization_id",
            _("The opportunity belongs to another organization than the counterparty."),
        ),
        "contract": (
            Contract,
            _("You may link only contracts you can see."),
            "counterparty_id",
            _("The contract is with another organization than the counterparty."),
        ),
        "purchase_order": (
            _purchase_order_model(),
            _("You may link only purchase orders you can see."),
            "supplier_id",
            _("The purchase order is with another organization than the counterparty."),
        ),
    }
    from django.apps import apps

    for field, (model, hidden_msg, party_attr, other_msg) in links.items():
        if isinstance(model, str):
            model = apps.get_model(model)
        value = merged.get(field)
        if value in (None, ""):
            continue
        obj = _resolve(model, value)
        if obj is None:
            errors[field] = hidden_msg
            continue
        changed = field in data and (instance is None or getattr(instance, f"{field}_id") != obj.pk)
        if changed and not _visible(model, actor, obj.pk):
            errors[field] = hidden_msg
            continue
        party = getattr(obj, party_attr, None)
        if counterparty is not None and party is not None and party != counterparty.pk:
            errors[field] = other_msg
    if "commitments" in data and actor is not None:
        wanted = list(dict.fromkeys(_pk(v) for v in data["commitments"] or []))
        existing: set[Any] = set()
        if instance is not None and instance.pk:
            existing = set(instance.commitments.values_list("pk", flat=True))
        new = [pk for pk in wanted if pk not in existing]
        visible = Commitment.objects.visible_to(actor)
        if new and visible.filter(pk__in=new).count() != len(new):
            errors["commitments"] = _("You may link only commitments you can see.")
        else:
            hidden = existing - set(visible.filter(pk__in=existing).values_list("pk", flat=True))
            data["commitments"] = wanted + [pk for pk in hidden if pk not in wanted]
    return errors


def _prepare(actor: Any, data: Mapping[str, Any], instance: Negotiation | None) -> dict[str, Any]:
    data = dict(data)
    for key in ("title", "goal", "outcome_reason"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    if "currency" in data:
        data["currency"] = str(data["currency"] or "EUR").strip().upper()
    if data.get("started_on", "") is None:
        data.pop("started_on")

    def current(name: str, default: Any = None) -> Any:
        if name in data:
            return data[name]
        if instance is not None:
            return getattr(instance, f"{name}_id" if name in _FKS else name)
        return default

    merged = {
        name: current(name)
        for name in (
            "title",
            "counterparty",
            "opportunity",
            "contract",
            "purchase_order",
            "target_value",
            "walk_away_value",
            "currency",
            "status",
            "outcome_reason",
            "closed_on",
        )
    }
    started_on = current("started_on") or timezone.localdate()
    status = merged["status"] or NegotiationStatus.OPEN
    errors: dict[str, str] = {}
    if not str(merged["title"] or "").strip():
        errors["title"] = _("Enter a title.")
    errors.update(_check_links(actor, merged, data, instance))
    for name in ("target_value", "walk_away_value"):
        value = merged[name]
        if value is not None and Decimal(value) < 0:
            errors[name] = _("Enter a value of zero or more.")
    currency = str(merged["currency"] or "EUR")
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("Enter a three-letter currency code, e.g. EUR.")

    rounds = instance.rounds.order_by("number") if instance is not None and instance.pk else None
    first_round = rounds.first() if rounds is not None else None
    last_round = rounds.last() if rounds is not None else None
    if first_round is not None and started_on > first_round.date:
        errors["started_on"] = _(
            "The negotiation cannot start after its first round (%(date)s)."
        ) % {"date": _date(first_round.date)}

    if status in CLOSED_STATUSES:
        if not str(merged["outcome_reason"] or "").strip():
            errors["outcome_reason"] = _("Say how the negotiation ended and why before closing it.")
        closed_on = merged["closed_on"] or timezone.localdate()
        if closed_on < started_on:
            errors["closed_on"] = _("A negotiation cannot close before it started (%(date)s).") % {
                "date": _date(started_on)
            }
        elif last_round is not None and closed_on < last_round.date:
            errors["closed_on"] = _(
                "A negotiation cannot close before its last round (%(date)s)."
            ) % {"date": _date(last_round.date)}
        data["closed_on"] = closed_on
    elif "status" in data or "closed_on" in data:
        data["closed_on"] = None
    if errors:
        raise ValidationError(errors)
    return data


_FKS = ("counterparty", "opportunity", "contract", "purchase_order")


def negotiation_create(*, actor: Any, data: Mapping[str, Any]) -> Negotiation:
    core.require_write(actor)
    prepared = _prepare(actor, data, None)
    with transaction.atomic():
        return core.model_create(Negotiation, actor=actor, data=prepared)


def negotiation_update(
    *, actor: Any, instance: Negotiation, data: Mapping[str, Any]
) -> Negotiation:
    core.require_change(actor, instance)
    prepared = _prepare(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def negotiation_delete(*, actor: Any, instance: Negotiation) -> None:
    core.model_delete(instance, actor=actor)


# --- rounds --------------------------------------------------------------------------------------
def _round_errors(
    negotiation: Negotiation, values: Mapping[str, Any], instance: NegotiationRound | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    day = values.get("date")
    if instance is None and negotiation.is_closed:
        errors["negotiation"] = _("The negotiation is closed; reopen it before adding a round.")
    if values.get("offered_by") not in OfferedBy.values:
        errors["offered_by"] = _("Say who made the offer: us or them.")
    for name in ROUND_NUMBERS:
        value = values.get(name)
        if value is not None and Decimal(value) < 0:
            errors[name] = _("Enter a value of zero or more.")
    if not isinstance(day, dt.date):
        errors["date"] = _("Enter the date of the round.")
        return errors
    if day < negotiation.started_on:
        errors["date"] = _("A round cannot be dated before the negotiation started (%(date)s).") % {
            "date": _date(negotiation.started_on)
        }
        return errors
    others = negotiation.rounds.all()
    if instance is not None:
        others = others.exclude(pk=instance.pk)
        previous = others.filter(number__lt=instance.number).order_by("-number").first()
        following = others.filter(number__gt=instance.number).order_by("number").first()
    else:
        previous = others.order_by("-number").first()
        following = None
    if previous is not None and day < previous.date:
        errors["date"] = _(
            "A round cannot be dated before the previous round (round %(number)s on %(date)s)."
        ) % {"number": previous.number, "date": _date(previous.date)}
    elif following is not None and day > following.date:
        errors["date"] = _(
            "A round cannot be dated after the next round (round %(number)s on %(date)s)."
        ) % {"number": following.number, "date": _date(following.date)}
    return errors


_ROUND_FIELDS = (
    "date",
    "offered_by",
    "price",
    "volume",
    "term_months",
    "payment_days",
    "service_level",
    "other_terms",
    "concessions_ours",
    "concessions_theirs",
    "notes",
)


def _round_data(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in _ROUND_FIELDS}
    for key in ("service_level", "other_terms", "concessions_ours", "concessions_theirs", "notes"):
        if key in out:
            out[key] = str(out[key] or "").strip()
    return out


def negotiation_round_create(
    *, actor: Any, negotiation: Negotiation, data: Mapping[str, Any]
) -> NegotiationRound:
    """Add the next round (numbered after the last one)."""
    core.require_write(actor)
    core.require_change(actor, negotiation)
    values = _round_data(data)
    values.setdefault("date", timezone.localdate())
    values.setdefault("offered_by", OfferedBy.US)
    with transaction.atomic():
        locked = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
        errors = _round_errors(locked, values, None)
        if errors:
            raise ValidationError(errors)
        last = locked.rounds.aggregate(n=Max("number"))["n"] or 0
        return core.model_create(
            NegotiationRound,
            actor=actor,
            data={**values, "negotiation": locked, "number": last + 1},
        )


def negotiation_round_update(
    *, actor: Any, instance: NegotiationRound, data: Mapping[str, Any]
) -> NegotiationRound:
    core.require_change(actor, instance)
    values = _round_data(data)
    merged = {name: values.get(name, getattr(instance, name)) for name in _ROUND_FIELDS}
    errors = _round_errors(instance.negotiation, merged, instance)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=values)


def negotiation_round_delete(*, actor: Any, instance: NegotiationRound) -> None:
    """Delete a round; the later rounds move up one number, so the numbers stay 1, 2, …"""
    core.require_change(actor, instance)
    negotiation = instance.negotiation
    number = instance.number
    with transaction.atomic():
        Negotiation.objects.select_for_update().filter(pk=negotiation.pk).first()
        core.model_delete(instance, actor=actor)
        for later in negotiation.rounds.filter(number__gt=number).order_by("number"):
            core.model_update(later, actor=actor, data={"number": later.number - 1})
