from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Organizations")
    PEOPLE = "people", _("People with positions")
    INTERACTIONS = "interactions", _("Interactions")
    FOLLOW_UPS = "follow_ups", _("Follow-ups")
    PURCHASE_ORDERS = "purchase_orders", _("Purchase orders (one row per order line)")
    DELIVERIES = "deliveries", _("Deliveries of purchase orders")


class ImportStatus(models.TextChoices):
    """upload → mapping → checking → checked → importing → done (or failed at any step)."""

    MAPPING = "mapping", _("Columns to map")
    CHECKING = "checking", _("Dry run running")
    CHECKED = "checked", _("Dry run done, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class DuplicateMode(models.TextChoices):
    """What happens to a row that matches an existing record."""

    UPDATE = "update", _("Update the matched record")
    SKIP = "skip", _("Skip the row")
    CREATE = "create", _("Create a new record anyway")


class FuzzyDefault(models.TextChoices):
    """What happens to a row whose name only resembles an existing record (no exact match)."""

    IDENTICAL = "identical", _("The same record when the names are identical, else a new one")
    NEW = "new", _("Always a new record")
    SAME = "same", _("Always the same record")


class RowAction(models.TextChoices):
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    SKIP = "skip", _("skip")
    ERROR = "error", _("error")
