"""Choices of the community app: stakeholder categories, attitude, salience, engagement levels,
concern statuses and consultation kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.intelligence.engine import salience as engine


class StakeholderCategory(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    URBAN_DEVELOPMENT = "urban_development", _("Urban-development authority")
    AUTHORITY = "authority", _("Authority")
    ASSOCIATION = "association", _("Association")
    MEDIA = "media", _("Media")
    NEIGHBOURS = "neighbours", _("Neighbours / residents")
    POLITICS = "politics", _("Politics")
    OTHER = "other", _("Other")


class Attitude(models.TextChoices):
    """Most supportive first; `engine.salience.ATTITUDE_SCORES` gives +2 … −2."""

    STRONGLY_SUPPORTIVE = "strongly_supportive", _("Strongly supportive")
    SUPPORTIVE = "supportive", _("Supportive")
    NEUTRAL = "neutral", _("Neutral")
    SCEPTICAL = "sceptical", _("Sceptical")
    OPPOSED = "opposed", _("Opposed")


class Salience(models.TextChoices):
    """Mitchell, Agle & Wood (1997): computed from power, legitimacy and urgency."""

    NON_STAKEHOLDER = engine.NON_STAKEHOLDER, _("Non-stakeholder")
    DORMANT = engine.DORMANT, _("Dormant (power)")
    DISCRETIONARY = engine.DISCRETIONARY, _("Discretionary (legitimacy)")
    DEMANDING = engine.DEMANDING, _("Demanding (urgency)")
    DOMINANT = engine.DOMINANT, _("Dominant (power, legitimacy)")
    DANGEROUS = engine.DANGEROUS, _("Dangerous (power, urgency)")
    DEPENDENT = engine.DEPENDENT, _("Dependent (legitimacy, urgency)")
    DEFINITIVE = engine.DEFINITIVE, _("Definitive (all three)")


class Quadrant(models.TextChoices):
    MANAGE_CLOSELY = engine.MANAGE_CLOSELY, _("Manage closely")
    KEEP_SATISFIED = engine.KEEP_SATISFIED, _("Keep satisfied")
    KEEP_INFORMED = engine.KEEP_INFORMED, _("Keep informed")
    MONITOR = engine.MONITOR, _("Monitor")


class EngagementLevel(models.TextChoices):
    """The Stakeholder Engagement Assessment Matrix (PMBOK), least engaged first."""

    UNAWARE = "unaware", _("Unaware")
    RESISTANT = "resistant", _("Resistant")
    NEUTRAL = "neutral", _("Neutral")
    SUPPORTIVE = "supportive", _("Supportive")
    LEADING = "leading", _("Leading")


class ConcernStatus(models.TextChoices):
    """Only forward, in this order; a resolved concern can be reopened (with a reason)."""

    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


CONCERN_ORDER = [s.value for s in ConcernStatus]
OPEN_CONCERN_STATUSES = (
    ConcernStatus.RECEIVED,
    ConcernStatus.ACKNOWLEDGED,
    ConcernStatus.IN_PROGRESS,
)


class ConsultationKind(models.TextChoices):
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    HEARING = "hearing", _("Hearing")
    CONSULTATION_ROUND = "round", _("Consultation round")
    SITE_VISIT = "site_visit", _("Site visit")
