"""Service levels: when the service desk works (service hours per team, with the public holidays
of a German state), what it promises (first-response and resolution targets per priority and
client tier) and which clients have which tier. Kept by administrators and managers."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import TimestampedModel


class CasePriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class ClientTier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    PREMIUM = "premium", _("Premium")
    KEY_ACCOUNT = "key_account", _("Key account")


class GermanState(models.TextChoices):
    """The German states (ISO 3166-2 codes, as the `holidays` package names them)."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]

# The targets a new installation starts with (business hours): first response, resolution.
DEFAULT_POLICIES: dict[tuple[str, str], tuple[str, str]] = {
    ("urgent", "standard"): ("2", "8"),
    ("high", "standard"): ("4", "16"),
    ("normal", "standard"): ("8", "40"),
    ("low", "standard"): ("16", "80"),
    ("urgent", "premium"): ("1", "6"),
    ("high", "premium"): ("2", "12"),
    ("normal", "premium"): ("4", "24"),
    ("low", "premium"): ("8", "60"),
    ("urgent", "key_account"): ("0.5", "4"),
    ("high", "key_account"): ("1", "8"),
    ("normal", "key_account"): ("2", "16"),
    ("low", "key_account"): ("4", "40"),
}
DEFAULT_CATEGORIES = (
    "Störung",
    "Wartung",
    "Ersatzteil",
    "Reklamation",
    "Frage zur Bedienung",
    "Rechnung",
)


class ServiceHours(TimestampedModel):
    """The hours in which service-level clocks run: for one team, or the company default (no
    team) for cases whose team has none. Public holidays are those of Germany plus those of the
    chosen state (e.g. Fronleichnam in Bayern, not in Berlin)."""

    name = models.CharField(_("name"), max_length=100)
    team = models.OneToOneField(
        "users.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_hours",
        help_text=_("Left empty: the company default, for teams without their own hours."),
    )
    weekdays = models.CharField(
        _("working days"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("Weekdays as numbers, Monday = 0."),
    )
    start_time = models.TimeField(_("start"), default="08:00")
    end_time = models.TimeField(_("end"), default="17:00")
    state = models.CharField(
        _("state for public holidays"),
        max_length=2,
        choices=GermanState.choices,
        blank=True,
        help_text=_("Left empty: only the nationwide public holidays."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Berlin")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service hours")
        verbose_name_plural = _("service hours")
        ordering = ["team__name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:servicehours_detail", args=[self.pk])

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip().isdigit()})

    @property
    def weekday_labels(self) -> str:
        names = dict(WEEKDAY_CHOICES)
        return ", ".join(str(names[str(d)]) for d in self.weekday_numbers if str(d) in names)


class ServiceLevelPolicy(TimestampedModel):
    """The targets for cases of one priority from clients of one tier, in business hours: the
    first response and the resolution; the owner is warned when `warning_percent` of a target
    is used up."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.CharField(_("priority"), max_length=10, choices=CasePriority.choices)
    tier = models.CharField(
        _("client tier"), max_length=20, choices=ClientTier.choices, default=ClientTier.STANDARD
    )
    first_response_hours = models.DecimalField(
        _("first response (business hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    resolution_hours = models.DecimalField(
        _("resolution (business hours)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warn at (% of the target used)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service-level policy")
        verbose_name_plural = _("service-level policies")
        ordering = ["tier", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "tier"], name="servicedesk_policy_priority_tier"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:servicelevelpolicy_detail", args=[self.pk])


class OrganizationServiceTier(TimestampedModel):
    """The tier of one client (premium, key account); clients without one are standard. Visible
    with the organization."""

    visibility_parent = "organization"

    organization = models.OneToOneField(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="service_tier",
    )
    tier = models.CharField(
        _("client tier"), max_length=20, choices=ClientTier.choices, default=ClientTier.PREMIUM
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("client service tier")
        verbose_name_plural = _("client service tiers")
        ordering = ["organization__name", "id"]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_tier_display()}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:organizationservicetier_detail", args=[self.pk])


class CaseCategory(TimestampedModel):
    """What a case is about (fault, maintenance, spare part, complaint …): a configurable list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["order", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:casecategory_detail", args=[self.pk])


__all__ = [
    "CasePriority",
    "ClientTier",
    "GermanState",
    "WEEKDAY_CHOICES",
    "DEFAULT_POLICIES",
    "DEFAULT_CATEGORIES",
    "ServiceHours",
    "ServiceLevelPolicy",
    "OrganizationServiceTier",
    "CaseCategory",
]
