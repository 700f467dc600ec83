"""Fixed lists of the pipeline app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class OpportunitySource(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    REFERRAL = "referral", _("Referral")
    PARTNER = "partner", _("Partner")
    EVENT = "event", _("Event")
    EXISTING_CLIENT = "existing_client", _("Existing client")
    OTHER = "other", _("Other")


class PricePosition(models.TextChoices):
    """Where a competitor prices itself against us."""

    MUCH_LOWER = "much_lower", _("Much cheaper than us")
    LOWER = "lower", _("Cheaper than us")
    SAME = "same", _("About our price")
    HIGHER = "higher", _("More expensive than us")
    MUCH_HIGHER = "much_higher", _("Much more expensive than us")


class CompetitorStatus(models.TextChoices):
    """A competitor's standing on an opportunity or at a client account."""

    INCUMBENT = "incumbent", _("Incumbent")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    LOST_TO = "lost_to", _("Lost to")
    REPLACED = "replaced", _("Replaced by us")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class TargetScope(models.TextChoices):
    """Whose target it is: one user, a team, a segment (industry or region) or the company."""

    COMPANY = "company", _("Whole company")
    TEAM = "team", _("Team")
    USER = "user", pgettext_lazy("colleague", "User")
    INDUSTRY = "industry", _("Industry")
    REGION = "region", _("Region")


class SignalKind(models.TextChoices):
    TREND = "trend", _("Industry trend")
    FEEDBACK = "feedback", _("Client feedback")


class SignalDirection(models.TextChoices):
    OPPORTUNITY = "opportunity", _("Opportunity")
    THREAT = "threat", _("Threat")
    REQUEST = "request", _("Request")
