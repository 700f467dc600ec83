"""Calendars and address books: uploaded .vcf/.ics files being imported, and each user's private
calendar subscription (feed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DuplicateMode, ImportFormat


class CalendarImport(models.Model):
    """One uploaded address book (.vcf) or calendar (.ics), imported by a background job.

    The file is kept as uploaded; the job reads it card by card (event by event), so a retried job
    reads it again from its checkpoint.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="calendar_imports",
    )
    file_format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    file = models.FileField(_("file"), upload_to="calendars/%Y/%m/", max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    on_duplicate = models.CharField(
        _("matched people"),
        max_length=10,
        choices=DuplicateMode.choices,
        default=DuplicateMode.UPDATE,
    )
    create_organizations = models.BooleanField(_("create missing organizations"), default=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("calendar or address book import")
        verbose_name_plural = _("calendar and address book imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class CalendarFeed(models.Model):
    """A user's private iCalendar subscription URL. Only a SHA-256 hash of the secret token is
    stored: the URL is shown once, when it is created or replaced; deleting the row revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.user)
