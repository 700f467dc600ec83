"""Base models every record holding relationship data builds on.

`core` imports no domain app: the owner is the configured user model and the team is referenced by
its app label ("users.Team"), so the rule in `visibility.py` works for every model that inherits here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .visibility import VisibleQuerySet

TEAM_MODEL = "users.Team"


class TimestampedModel(models.Model):
    """Creation and last-change times, kept by the database layer."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class OwnedModel(TimestampedModel):
    """A record with an owner and a team: the two facts the visibility rule decides on."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        TEAM_MODEL,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True


class Share(models.Model):
    """One record shared with one user or one team beyond the owner's team (read access)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
    )
    team = models.ForeignKey(
        TEAM_MODEL, verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [
            models.Index(fields=["content_type", "user", "object_id"]),
            models.Index(fields=["content_type", "team", "object_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(team__isnull=False),
                name="share_has_user_or_team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model}#{self.object_id} → {self.user or self.team}"
