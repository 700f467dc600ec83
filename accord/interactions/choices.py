from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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

    FROM = "from", pgettext_lazy("mail header", "From")
    TO = "to", pgettext_lazy("mail header", "To")
    CC = "cc", pgettext_lazy("mail header", "Cc")
    BCC = "bcc", pgettext_lazy("mail header", "Bcc")
