"""The events an endpoint can subscribe to, and the states of a delivery."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The main records whose changes are announced: model label → name used in event names.
RECORD_TYPES: dict[str, str] = {
    "parties.organization": "organization",
    "parties.person": "person",
    "parties.relationship": "relationship",
    "interactions.interaction": "interaction",
    "interactions.followup": "followup",
}
RECORD_LABELS = {
    "organization": _("Organization"),
    "person": _("Person"),
    "relationship": _("Relationship"),
    "interaction": _("Interaction"),
    "followup": _("Follow-up"),
}
ACTION_LABELS = {
    "created": pgettext_lazy("webhook event", "created"),
    "updated": pgettext_lazy("webhook event", "updated"),
    "deleted": pgettext_lazy("webhook event", "deleted"),
}
TEST_EVENT = "webhook.test"


def event_name(record_type: str, action: str) -> str:
    return f"{record_type}.{action}"


EVENTS: list[str] = [event_name(t, a) for t in RECORD_LABELS for a in ACTION_LABELS]


def event_choices() -> list[tuple[str, str]]:
    """("organization.created", "Organization created") … for forms and filters."""
    choices = []
    for record_type, record_label in RECORD_LABELS.items():
        for action, action_label in ACTION_LABELS.items():
            label = _("%(record)s %(action)s") % {"record": record_label, "action": action_label}
            choices.append((event_name(record_type, action), str(label)))
    return choices


def all_event_choices() -> list[tuple[str, str]]:
    return [*event_choices(), (TEST_EVENT, str(_("Test event")))]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    FAILED = "failed", _("Failed, will retry")
    SUCCEEDED = "succeeded", _("Succeeded")
    GAVE_UP = "gave_up", _("Gave up")
    SKIPPED = "skipped", _("Skipped")


OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
