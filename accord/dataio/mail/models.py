"""Mail capture: a user's IMAP accounts and the senders mail brought in that are nobody yet.

Both belong to one user and are seen by that user only (not by the team, not by admins in the
app): an account holds a mailbox password, a suggestion list is a private work list. The mails
themselves are interactions (`accord.interactions`), with their own visibility rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.models import TimestampedModel


class Security(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (unencrypted)")


class SyncStatus(models.TextChoices):
    NEVER = "never", _("Not synced yet")
    OK = "ok", _("OK")
    ERROR = "error", _("Failed")


class MailAccount(TimestampedModel):
    """An IMAP mailbox a user lets Accord read; synced incrementally (UID per folder).

    The password is stored encrypted (`crypto.encrypt`, Fernet) and never shown again. `folder_state`
    holds per folder `{"uidvalidity": int, "last_uid": int}`: a changed UIDVALIDITY means the server
    renumbered the folder, so it is read again from the start (Message-IDs keep that from
    duplicating anything).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="mail_accounts",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    host = models.CharField(_("server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("encryption"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=255)
    password_encrypted = models.TextField(_("password (encrypted)"), blank=True, editable=False)
    folders = models.JSONField(_("folders"), default=list, blank=True)
    own_addresses = models.JSONField(
        _("my addresses"),
        default=list,
        blank=True,
        help_text=_("Addresses that are you: mail from them is outbound."),
    )
    folder_state = models.JSONField(default=dict, blank=True, editable=False)
    is_active = models.BooleanField(_("sync automatically"), default=True)
    last_sync_at = models.DateTimeField(_("last sync"), null=True, blank=True, editable=False)
    last_sync_status = models.CharField(
        _("last sync status"),
        max_length=10,
        choices=SyncStatus.choices,
        default=SyncStatus.NEVER,
        editable=False,
    )
    last_sync_error = models.TextField(_("last sync error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mail account")
        verbose_name_plural = _("mail accounts")
        ordering = ["owner", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "host", "username"], name="mail_account_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.username} @ {self.host}"

    def get_absolute_url(self) -> str:
        return reverse("mail:account_edit", args=[self.pk])

    @property
    def has_password(self) -> bool:
        return bool(self.password_encrypted)


class SenderStatus(models.TextChoices):
    NEW = "new", _("Suggested")
    CREATED = "created", _("Added as person")
    IGNORED = "ignored", _("Ignored")


class UnknownSender(TimestampedModel):
    """An address in a user's captured mail that belongs to no person the user may see: offered
    as a new person, never created silently."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="unknown_senders",
    )
    address = models.CharField(_("address"), max_length=320)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    message_count = models.PositiveIntegerField(_("messages"), default=0)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SenderStatus.choices,
        default=SenderStatus.NEW,
        db_index=True,
    )
    person = models.ForeignKey(
        "parties.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suggested person")
        verbose_name_plural = _("suggested people")
        ordering = ["-message_count", "-last_seen", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "address"], name="unknown_sender_unique")
        ]
        indexes = [models.Index(fields=["owner", "status", "-message_count"])]

    def __str__(self) -> str:
        return f"{self.display_name} <{self.address}>" if self.display_name else self.address

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]
