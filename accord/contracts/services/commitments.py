"""Writes of commitments (the one ledger of promises) and the daily commitment reminders.

Rules (each refused with a message naming the field): a title; a commitment names at least an
organization, a person or a contract; linked records are ones the actor may see (unchanged links
are kept); a commitment under a contract without an organization takes the contract's
counterparty. A fulfilled commitment without a date was fulfilled today; one not fulfilled has no
fulfilment date; the fulfilment date is not in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.notifications import notify
from accord.parties.models import Organization, Person

from ..models.commitments import OPEN_STATUSES, Commitment, CommitmentStatus
from ..models.contracts import Contract
from .contracts import _check_link, _pk

DUE_REMINDER_DAYS = 7


def _prepare(actor: Any, data: Mapping[str, Any], instance: Commitment | None) -> dict[str, Any]:
    data = dict(data)
    for key in ("title", "description", "source"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()

    def current(key: str) -> Any:
        if key in data:
            return data[key]
        return getattr(instance, key) if instance is not None else None

    errors: dict[str, str] = {}
    if not str(current("title") or "").strip():
        errors["title"] = _("Enter a title.")
    _check_link(
        actor,
        data,
        instance,
        "contract",
        Contract,
        _("You may link only a contract you can see."),
        errors,
    )
    _check_link(
        actor,
        data,
        instance,
        "organization",
        Organization,
        _("You may choose only an organization you can see."),
        errors,
    )
    _check_link(
        actor,
        data,
        instance,
        "person",
        Person,
        _("You may choose only a person you can see."),
        errors,
    )
    contract = current("contract")
    if (
        contract not in (None, "")
        and current("organization") in (None, "")
        and "contract" not in errors
    ):
        found = contract if isinstance(contract, Contract) else Contract.objects.get(pk=contract)
        data["organization"] = Organization.objects.get(pk=found.counterparty_id)
    if all(current(k) in (None, "") for k in ("contract", "organization", "person")):
        errors["organization"] = _(
            "A commitment needs an organization, a person or a contract it was made to or under."
        )
    status = current("status") or CommitmentStatus.OPEN
    fulfilled_on = current("fulfilled_on")
    if status == CommitmentStatus.FULFILLED:
        if not fulfilled_on:
            data["fulfilled_on"] = timezone.localdate()
        elif fulfilled_on > timezone.localdate():
            errors["fulfilled_on"] = _("The fulfilment date must not be in the future.")
    elif fulfilled_on:
        data["fulfilled_on"] = None
    if errors:
        raise ValidationError(errors)
    return data


def commitment_create(*, actor: Any, data: Mapping[str, Any]) -> Commitment:
    core.require_write(actor)
    prepared = _prepare(actor, data, None)
    with transaction.atomic():
        return core.model_create(Commitment, actor=actor, data=prepared)


def commitment_update(*, actor: Any, instance: Commitment, data: Mapping[str, Any]) -> Commitment:
    core.require_change(actor, instance)
    prepared = _prepare(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def commitment_delete(*, actor: Any, instance: Commitment) -> None:
    core.model_delete(instance, actor=actor)


def commitment_set_status(
    *, actor: Any, instance: Commitment, status: str, fulfilled_on: dt.date | None = None
) -> Commitment:
    """Mark a commitment fulfilled, missed, waived, in progress or open again."""
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    data: dict[str, Any] = {"status": status}
    if fulfilled_on is not None:
        data["fulfilled_on"] = fulfilled_on
    return commitment_update(actor=actor, instance=instance, data=data)


def send_commitment_reminders(*, today: dt.date | None = None) -> int:
    """Tell each open commitment's owner once when it is due within 7 days and once when it is
    overdue (keys name the commitment and its due date: a moved due date is told again)."""
    today = today or timezone.localdate()
    due = (
        Commitment.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=DUE_REMINDER_DAYS),
            owner__isnull=False,
            owner__is_active=True,
        )
        .select_related("owner")
        .order_by("due_date", "id")
    )
    sent = 0
    for commitment in due.iterator(chunk_size=500):
        when = commitment.due_date
        assert when is not None
        if when < today:
            key = f"commitment:{commitment.pk}:overdue:{when.isoformat()}"
            title = _("Commitment “%(title)s” is overdue (due %(date)s)") % {
                "title": commitment.title,
                "date": when.isoformat(),
            }
            kind = "commitment_overdue"
        else:
            key = f"commitment:{commitment.pk}:due:{when.isoformat()}:{DUE_REMINDER_DAYS}"
            title = _("Commitment “%(title)s” is due on %(date)s") % {
                "title": commitment.title,
                "date": when.isoformat(),
            }
            kind = "commitment_due"
        note = notify(
            commitment.owner,
            key=key,
            title=title,
            body=commitment.description[:500],
            url=commitment.get_absolute_url(),
            kind=kind,
            due_on=when,
        )
        sent += note is not None
    return sent


__all__ = [
    "commitment_create",
    "commitment_delete",
    "commitment_set_status",
    "commitment_update",
    "send_commitment_reminders",
    "_pk",
]
