"""Concerns raised by the community: recording, the status workflow and the response reminders.

A concern names who raised it (an organization, a person or both). Its answer is due
`response_days` after it was received (the project's, else the setting
`ACCORD_CONCERN_RESPONSE_DAYS`, default 14) unless a date is given. The status moves only forward
(received → acknowledged → in progress → resolved → closed, steps may be skipped); a resolved
concern can be reopened (back to in progress) with a reason; a closed one is final. The first step
beyond "received" records the day of the answer (`responded_on`). Every refusal names the field
and says why.

`concern_reminders` (a daily job) tells the owner (or, without one, the owning team) three days
before the answer is due and once it is overdue; `notify` keeps each message once per key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.notifications import notify_many

from ..choices import CONCERN_ORDER, OPEN_CONCERN_STATUSES, ConcernStatus
from ..models import Concern, StakeholderProject
from ..models.community import response_days
from .common import check_links, merged, trim

REMIND_DAYS_BEFORE = 3


def default_due(received_on: dt.date, project: Any = None) -> dt.date:
    """The day the answer to a concern received on `received_on` is due."""
    days = None
    if project is not None:
        if not isinstance(project, StakeholderProject):
            project = StakeholderProject.objects.filter(pk=project).first()
        days = getattr(project, "response_days", None)
    return received_on + dt.timedelta(days=days or response_days())


def _concern_data(actor: Any, data: Mapping[str, Any], instance: Any) -> dict[str, Any]:
    data = dict(data)
    for name in ("status", "responded_on", "resolved_on", "reopen_reason"):
        data.pop(name, None)  # the workflow (`concern_transition`) sets these
    trim(data, "title", "description")
    if "description" in data and data["description"] is None:
        data["description"] = ""
    if "received_on" in data and data["received_on"] is None:
        data.pop("received_on")
    values = merged(data, instance, "title", "received_on", "response_due_on")
    org = data.get("organization", getattr(instance, "organization_id", None))
    person = data.get("person", getattr(instance, "person_id", None))
    errors: dict[str, str] = {}
    if not str(values["title"] or "").strip():
        errors["title"] = _("Enter a title.")
    if org in (None, "") and person in (None, ""):
        errors["organization"] = _("Name the organization or the person who raised the concern.")
    received = values["received_on"] or timezone.localdate()
    if received > timezone.localdate():
        errors["received_on"] = _("A concern cannot be received in the future.")
    due = values["response_due_on"]
    if due is not None and due < received:
        errors["response_due_on"] = _("The answer cannot be due before the concern was received.")
    errors.update(check_links(actor, data, instance))
    if errors:
        raise ValidationError(errors)
    if instance is None and due is None:
        data["response_due_on"] = default_due(received, data.get("project"))
    return data


def concern_create(*, actor: Any, data: Mapping[str, Any]) -> Concern:
    core.require_write(actor)
    prepared = _concern_data(actor, data, None)
    with transaction.atomic():
        return core.model_create(Concern, actor=actor, data=prepared)


def concern_update(*, actor: Any, instance: Concern, data: Mapping[str, Any]) -> Concern:
    core.require_change(actor, instance)
    prepared = _concern_data(actor, data, instance)
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=prepared)


def concern_delete(*, actor: Any, instance: Concern) -> None:
    core.model_delete(instance, actor=actor)


def _label(status: str) -> str:
    return str(ConcernStatus(status).label)


def allowed_transitions(concern: Concern) -> list[str]:
    """The statuses the concern may move to now (for the workflow buttons)."""
    if concern.status == ConcernStatus.CLOSED:
        return []
    later = CONCERN_ORDER[CONCERN_ORDER.index(concern.status) + 1 :]
    if concern.status == ConcernStatus.RESOLVED:
        return [ConcernStatus.IN_PROGRESS.value, *later]
    return later


def concern_transition(
    *,
    actor: Any,
    concern: Concern,
    status: str,
    reason: str = "",
    on: dt.date | None = None,
) -> Concern:
    """Move the concern to `status` (see the module docstring for the rule)."""
    core.require_change(actor, concern)
    reason = str(reason or "").strip()
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        current = locked.status
        if status not in CONCERN_ORDER:
            raise ValidationError({"status": _("“%(status)s” is no status.") % {"status": status}})
        if status == current:
            raise ValidationError(
                {"status": _("The concern is “%(status)s” already.") % {"status": _label(status)}}
            )
        if current == ConcernStatus.CLOSED:
            raise ValidationError({"status": _("A closed concern cannot change any more.")})
        values: dict[str, Any] = {"status": status}
        reopen = current == ConcernStatus.RESOLVED and status == ConcernStatus.IN_PROGRESS
        if reopen:
            if not reason:
                raise ValidationError({"reason": _("Say why the concern is reopened.")})
            values["reopen_reason"] = reason
            values["resolved_on"] = None
        elif CONCERN_ORDER.index(status) < CONCERN_ORDER.index(current):
            allowed = ", ".join(f"“{_label(s)}”" for s in allowed_transitions(locked))
            raise ValidationError(
                {
                    "status": _(
                        "A concern moves only forward: from “%(current)s” it can go to %(allowed)s."
                    )
                    % {"current": _label(current), "allowed": allowed}
                }
            )
        if locked.responded_on is None:
            values["responded_on"] = max(day, locked.received_on)
        if status == ConcernStatus.RESOLVED:
            values["resolved_on"] = day
        saved = core.model_update(locked, actor=actor, data=values)
    for name in ("status", "responded_on", "resolved_on", "reopen_reason", "updated_at"):
        setattr(concern, name, getattr(saved, name))
    return saved


# --- reminders ---------------------------------------------------------------------------------
def _recipients(concern: Concern) -> list[Any]:
    if concern.owner_id is not None:
        owner = concern.owner
        return [owner] if owner is not None and owner.is_active else []
    if concern.team_id is not None:
        return list(get_user_model().objects.filter(teams=concern.team_id, is_active=True))
    return []


def concern_reminders(*, today: dt.date | None = None) -> int:
    """Tell the owners of unanswered concerns when the answer is due in three days or less, and
    when it is overdue. Safe to run any number of times: each message goes out once per concern,
    kind and deadline. Returns how many notifications were created."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    pending = (
        Concern.objects.filter(
            status__in=OPEN_CONCERN_STATUSES,
            responded_on__isnull=True,
            response_due_on__isnull=False,
            response_due_on__lte=horizon,
        )
        .select_related("owner", "project")
        .order_by("response_due_on", "id")
    )
    sent = 0
    for concern in pending.iterator(chunk_size=500):
        due = concern.response_due_on
        assert due is not None
        names = {"title": concern.title, "due": due.strftime("%d.%m.%Y")}
        if due < today:
            key = f"concern:{concern.pk}:overdue:{due.isoformat()}"
            title = _("Concern not answered in time: %(title)s") % names
            body = _("The answer to this concern was due on %(due)s.") % names
        else:
            key = f"concern:{concern.pk}:due:{due.isoformat()}:{REMIND_DAYS_BEFORE}"
            title = _("Concern to answer by %(due)s: %(title)s") % names
            body = _("The community expects an answer to this concern by %(due)s.") % names
        sent += len(
            notify_many(
                _recipients(concern),
                key=key,
                title=str(title),
                body=str(body),
                url=concern.get_absolute_url(),
                kind="concern",
                due_on=due,
            )
        )
    return sent
