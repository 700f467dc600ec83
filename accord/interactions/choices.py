from django.db import models
from django.utils.translation import gettext_lazy as _


class InteractionKind(models.TextChoices):
    EMAIL = "email", _("Email")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    NOTE = "note", _("Note")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    INTERNAL = "internal", _("Internal")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class InteractionSource(models.TextChoices):
    """Where an interaction came from: logged by hand, or captured from mail or a calendar.

    Captured interactions are private to their owner by default (no team), and also visible to
    the owners of the people and organizations they are linked to (`Interaction.visibility_extra_q`).
    """

    MANUAL = "manual", _("Logged by hand")
    MAIL = "mail", _("Mail")
    CALENDAR = "calendar", _("Calendar")


class AddressRole(models.TextChoices):
    """Which header of a mail an address stood in."""

    FROM = "from", _("From")
    TO = "to", _("To")
    CC = "cc", _("Cc")
    BCC = "bcc", _("Bcc")
