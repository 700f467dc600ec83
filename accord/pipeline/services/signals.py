"""Market signals: trends and client feedback, and turning one into an opportunity.

Rules (each refused with a message naming the field): a title and a topic; not observed in the
future; linked organizations, people and interactions must be visible to the actor (links that
were already there and that the actor cannot see are kept, so an edit never drops what another
user linked). A topic typed in another case than an existing one takes the existing spelling, so
that the trend view counts "fernwartung" and "Fernwartung" as one topic.

A signal becomes an opportunity at most once, for one of its organizations, in one transaction:
the opportunity is created by `opportunity_create` (its rules apply) and the signal points to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.interactions.models import Interaction
from accord.parties.models import Organization, Person

from ..choices import OpportunitySource
from ..models import MarketSignal, Opportunity
from .opportunities import opportunity_create

_SPACES = re.compile(r"\s+")

# the many-to-many links of a signal and the model each points to
LINKS: dict[str, type[models.Model]] = {
    "organizations": Organization,
    "people": Person,
    "interactions": Interaction,
}


def _link_message(field: str) -> str:
    return {
        "organizations": _("You may link only organizations you can see."),
        "people": _("You may link only people you can see."),
        "interactions": _("You may link only interactions you can see."),
    }[field]


def normalize_topic(topic: Any) -> str:
    """Spaces trimmed and collapsed; the spelling of an existing topic that differs only in case."""
    text = _SPACES.sub(" ", str(topic or "")).strip()
    if not text:
        return ""
    existing = (
        MarketSignal.objects.filter(topic__iexact=text)
        .order_by("id")
        .values_list("topic", flat=True)
        .first()
    )
    return existing or text


def _pks(values: Iterable[Any]) -> list[Any]:
    return [getattr(v, "pk", v) for v in values]


def _resolve_links(
    actor: Any, data: dict[str, Any], instance: MarketSignal | None
) -> dict[str, str]:
    """Check the linked rows against the actor's visibility; keep the links already there that
    the actor cannot see. Returns the errors by field; sets the final id lists in `data`."""
    errors: dict[str, str] = {}
    for field, model in LINKS.items():
        if field not in data:
            continue
        wanted = list(dict.fromkeys(_pks(data[field] or [])))
        existing: set[Any] = set()
        if instance is not None and instance.pk:
            existing = set(getattr(instance, field).values_list("pk", flat=True))
        if actor is None:  # a system write (demo, import): no visibility to apply
            data[field] = wanted
            continue
        visible_qs = model._default_manager.visible_to(actor)  # type: ignore[attr-defined]
        new = [pk for pk in wanted if pk not in existing]
        if new and visible_qs.filter(pk__in=new).count() != len(new):
            errors[field] = _link_message(field)
            continue
        if existing:
            visible_existing = set(visible_qs.filter(pk__in=existing).values_list("pk", flat=True))
            hidden = [pk for pk in existing if pk not in visible_existing]
            wanted += [pk for pk in hidden if pk not in wanted]
        data[field] = wanted
    return errors


def validate_signal(values: Mapping[str, Any]) -> dict[str, str]:
    """The rules of one signal's (future) state: the errors by field."""
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Enter a title.")
    if not str(values.get("topic") or "").strip():
        errors["topic"] = _("Enter a topic or product area.")
    observed = values.get("observed_on")
    if observed is not None and observed > timezone.localdate():
        errors["observed_on"] = _("A signal cannot be observed in the future.")
    return errors


def _prepare(actor: Any, data: Mapping[str, Any], instance: MarketSignal | None) -> dict[str, Any]:
    data = dict(data)
    data.pop("opportunity", None)  # set only by turning the signal into an opportunity
    for key in ("title", "note"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    if "topic" in data:
        data["topic"] = normalize_topic(data["topic"])
    if "industry" in data and data["industry"] is None:
        data["industry"] = ""
    if "observed_on" in data and data["observed_on"] is None:
        data.pop("observed_on")
    merged = {
        "title": data.get("title", instance.title if instance else ""),
        "topic": data.get("topic", instance.topic if instance else ""),
        "observed_on": data.get("observed_on", instance.observed_on if instance else None),
    }
    errors = validate_signal(merged)
    errors.update(_resolve_links(actor, data, instance))
    if errors:
        raise ValidationError(errors)
    return data


def market_signal_create(*, actor: Any, data: Mapping[str, Any]) -> MarketSignal:
    core.require_write(actor)
    prepared = _prepare(actor, data, None)
    with transaction.atomic():
        return core.model_create(MarketSignal, actor=actor, data=prepared)


def market_signal_update(
    *, actor: Any, instance: MarketSignal, data: Mapping[str, Any]
) -> MarketSignal:
    core.require_change(actor, instance)
    prepared = _prepare(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def market_signal_delete(*, actor: Any, instance: MarketSignal) -> None:
    core.model_delete(instance, actor=actor)


def market_signal_to_opportunity(
    *, actor: Any, signal: MarketSignal, data: Mapping[str, Any]
) -> Opportunity:
    """Create an opportunity from the signal for one of its organizations and link it.

    `data`: `organization` (required, one of the signal's organizations the actor can see),
    optional `title` (default: the signal's title), `pipeline`, `stage`, `amount`, `currency`,
    `expected_close_date`. Refused when the signal was turned into an opportunity already, or
    when the actor may not create records or change the signal.
    """
    core.require_write(actor)
    core.require_change(actor, signal)
    data = dict(data)
    with transaction.atomic():
        locked = MarketSignal.objects.select_for_update().get(pk=signal.pk)
        if locked.opportunity_id is not None:
            raise ValidationError(
                {
                    "opportunity": _(
                        "This signal was already turned into an opportunity: “%(opportunity)s”."
                    )
                    % {"opportunity": locked.opportunity}
                }
            )
        organization = data.get("organization")
        org_pk = getattr(organization, "pk", organization)
        linked = locked.organizations.all()
        if actor is not None:
            linked = linked.filter(visibility.visibility_q(Organization, actor))
        if not linked.exists():
            raise ValidationError({"organization": _("Link the signal to an organization first.")})
        try:
            chosen = linked.filter(pk=int(org_pk)).first() if org_pk not in (None, "") else None
        except (TypeError, ValueError):
            chosen = None
        if chosen is None:
            raise ValidationError({"organization": _("Choose one of the signal’s organizations.")})
        values: dict[str, Any] = {
            "organization": chosen,
            "title": str(data.get("title") or "").strip() or locked.title,
            "source": OpportunitySource.OTHER,
        }
        for key in ("pipeline", "stage", "amount", "currency", "expected_close_date"):
            if data.get(key) not in (None, ""):
                values[key] = data[key]
        opportunity = opportunity_create(actor=actor, data=values)
        core.model_update(locked, actor=actor, data={"opportunity": opportunity})
        signal.opportunity = opportunity
    return opportunity
