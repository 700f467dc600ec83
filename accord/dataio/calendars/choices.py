from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportFormat(models.TextChoices):
    VCARD = "vcard", _("vCard address book (.vcf)")
    ICALENDAR = "ical", _("iCalendar calendar (.ics)")


class DuplicateMode(models.TextChoices):
    """What happens to a card whose email address an existing person already has (as in the CSV
    import)."""

    UPDATE = "update", _("Update the matched person")
    SKIP = "skip", _("Skip the card")
    CREATE = "create", _("Create a new person anyway")


class VCardVersion(models.TextChoices):
    V3 = "3.0", _("vCard 3.0 (most programs and phones)")
    V4 = "4.0", _("vCard 4.0")
