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


class Job(models.Model):
    """One long operation (import, sync, export, recomputation): who started it, how far it got,
    what it counted, which rows failed and why. Run by `accord.core.jobs` through the task queue."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    heavy = models.BooleanField(_("heavy"), default=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    checkpoint = models.JSONField(_("checkpoint"), default=dict, blank=True)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    failure = models.TextField(_("reason of failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    result_content_type = models.CharField(_("result content type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "status"], name="core_job_user_status")]

    def __str__(self) -> str:
        return self.label or self.kind

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def labelled_counts(self) -> list[tuple[str, int]]:
        from .jobs import labelled_counts

        return labelled_counts(self)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, int(self.done * 100 / self.total))


class PeriodicSchedule(models.Model):
    """When a periodic job kind is next due; workers claim it with one conditional UPDATE, so
    several workers never start the same periodic job twice."""

    kind = models.CharField(_("kind"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("periodic schedule")
        verbose_name_plural = _("periodic schedules")

    def __str__(self) -> str:
        return self.kind


class MergedRecord(models.Model):
    """`loser_id` was merged into `survivor_id` (two records of one model): the survivor's history
    shows the merged record's history too."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    survivor_id = models.PositiveBigIntegerField()
    loser_id = models.PositiveBigIntegerField()
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("merged record")
        verbose_name_plural = _("merged records")
        indexes = [
            models.Index(fields=["content_type", "survivor_id"], name="core_merged_survivor")
        ]

    def __str__(self) -> str:
        return f"{self.content_type} {self.loser_id} → {self.survivor_id}"


class Notification(models.Model):
    """A message for one user: a reminder of a date ahead (a notice deadline, an expiring
    certificate), an alert (a budget that will be exceeded) or news from the portal. Written by
    `accord.core.notifications.notify`, which keeps one per user and key, so a reminder job that
    runs again does not repeat itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="core_notification_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_notification_user_key")
        ]

    def __str__(self) -> str:
        return self.title
