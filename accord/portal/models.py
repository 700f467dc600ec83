"""Portal accounts: one per person at a client organization who was invited to the portal."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import TimestampedModel
from accord.core.visibility import VisibleQuerySet


class PortalAccount(TimestampedModel):
    """A client's own login to the portal, for one person at one organization.

    Staff see an account when they may see its person (`visibility_parent`). The password is
    hashed with Django's hashers; an account without a usable password has not accepted its
    invitation yet."""

    person = models.OneToOneField(
        "parties.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="portal_account",
    )
    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="portal_accounts",
        help_text=_("The client organization whose records this account sees."),
    )
    email = models.EmailField(_("email address"), unique=True)
    # blank until the invitation is accepted; never kept in the history
    password = models.CharField(_("password"), max_length=128, blank=True, editable=False)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="de"
    )
    is_active = models.BooleanField(_("active"), default=True)
    can_order = models.BooleanField(
        _("may order"), default=True, help_text=_("Accept quotes and reorder.")
    )
    can_see_invoices = models.BooleanField(_("may see invoices"), default=True)
    can_open_cases = models.BooleanField(_("may open cases"), default=True)
    can_book_services = models.BooleanField(
        _("may book services"), default=True, help_text=_("Book trainings, request maintenance.")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("invitation accepted"), null=True, blank=True)
    last_login = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    visibility_parent = "person"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "password", "last_login"])

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")
        ordering = ["organization__name", "email"]

    def __str__(self) -> str:
        return f"{self.person} ({self.email})"

    def get_absolute_url(self) -> str:
        return reverse("portal:portalaccount_detail", args=[self.pk])

    # The password-reset token generator reads these like a user's.
    def get_email_field_name(self) -> str:
        return "email"

    @property
    def has_accepted(self) -> bool:
        return self.accepted_at is not None

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)


class CatalogueItem(TimestampedModel):
    """A product a client organization may order in the portal, optionally at its own price."""

    organization = models.ForeignKey(
        "parties.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="portal_catalogue",
    )
    product = models.ForeignKey(
        "commerce.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="portal_catalogue",
    )
    unit_price = models.DecimalField(
        _("price for this client"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for the list price."),
    )
    active = models.BooleanField(_("active"), default=True)

    visibility_parent = "organization"
    objects = VisibleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("portal catalogue item")
        verbose_name_plural = _("portal catalogue")
        ordering = ["organization__name", "product__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "product"],
                name="portal_catalogue_once",
                violation_error_message=_("This product is in this client's catalogue already."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__isnull=True) | models.Q(unit_price__gte=0),
                name="portal_catalogue_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("portal:catalogueitem_detail", args=[self.pk])

    @property
    def price(self):
        return self.product.list_price if self.unit_price is None else self.unit_price
