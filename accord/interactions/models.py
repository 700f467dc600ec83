"""What happened between us and our parties (interactions) and what we promised to do next (follow-ups)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accord.core.models import OwnedModel, TimestampedModel
from accord.core.visibility import VisibleQuerySet
from accord.parties.models import Organization, Person

from .choices import AddressRole, Direction, FollowUpStatus, InteractionKind, InteractionSource

# RFC 5322 allows 998 characters per header line: the longest Message-ID a mail can carry.
SOURCE_ID_MAX_LENGTH = 998


class Thread(TimestampedModel):
    """A conversation: the mails that answer one another (found by In-Reply-To and References, else by
    subject and participants). Not owned: each of its interactions is visible by its own rule."""

    subject = models.CharField(_("subject"), max_length=300)
    normalized_subject = models.CharField(
        _("normalised subject"), max_length=300, blank=True, db_index=True
    )
    # Hash of the normalised subject and the sorted participant addresses: the fallback match for
    # replies whose client dropped In-Reply-To and References.
    key = models.CharField(_("key"), max_length=64, blank=True, db_index=True)
    started_at = models.DateTimeField(_("started"), db_index=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Interaction(OwnedModel):
    """An email, call, meeting, visit, letter or note, with its participants on both sides."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=InteractionKind.choices, db_index=True
    )
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.OUTBOUND
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # Sanitised when captured (accord.interactions.html): no script, no handlers, nothing remote.
    body_html = models.TextField(_("HTML text"), blank=True, editable=False)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=InteractionSource.choices,
        default=InteractionSource.MANUAL,
        editable=False,
    )
    # The normalised Message-ID of a mail, or "ical:<UID>" of a calendar event: a captured record
    # exists once, whoever captures it again (unique among the non-empty values).
    source_id = models.CharField(
        _("source id"), max_length=SOURCE_ID_MAX_LENGTH, blank=True, db_index=True, editable=False
    )
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("thread"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        editable=False,
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations"),
        blank=True,
        related_name="interactions",
        through="InteractionOrganization",
    )
    people = models.ManyToManyField(
        Person,
        verbose_name=_("their people"),
        blank=True,
        related_name="interactions",
        through="InteractionPerson",
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our participants"),
        blank=True,
        related_name="interactions",
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "body_html"])

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["owner", "-occurred_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"],
                condition=~Q(source_id=""),
                name="interaction_source_id_unique",
                violation_error_message=_("This message or event has been captured already."),
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("interactions:interaction_detail", args=[self.pk])

    @property
    def is_captured(self) -> bool:
        return self.source != InteractionSource.MANUAL

    @classmethod
    def visibility_extra_q(cls, user: Any, prefix: str) -> Q:
        """Our users who took part in an interaction see it (a correlated EXISTS: a member's
        participations are many, an IN list of them would be built on every query).

        A captured interaction (mail, calendar) has no team: besides its owner and its participants,
        the owners of the people and organizations it is linked to see it, nobody else by default.
        """
        pk = OuterRef(f"{prefix}pk")
        took_part = cls.users.through.objects.filter(user=user, interaction_id=pk)
        owns_person = InteractionPerson.objects.filter(interaction_id=pk, person__owner=user)
        owns_org = InteractionOrganization.objects.filter(
            interaction_id=pk, organization__owner=user
        )
        captured = ~Q(**{f"{prefix}source": InteractionSource.MANUAL})
        return Q(Exists(took_part)) | (captured & (Q(Exists(owns_person)) | Q(Exists(owns_org))))


class InteractionOrganization(models.Model):
    """Links an interaction to an organization; denormalises the time for a fast timeline."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    occurred_at = models.DateTimeField(db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "interaction"], name="interaction_org_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.interaction_id} ↔ organization {self.organization_id}"


class InteractionPerson(models.Model):
    """Links an interaction to one of their people; denormalises the time for a fast timeline."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    occurred_at = models.DateTimeField(db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "interaction"], name="interaction_person_unique"
            )
        ]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.interaction_id} ↔ person {self.person_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored by content (sha256): the same file attached to many mails is kept once."""
    digest = instance.sha256
    return f"interactions/attachments/{digest[:2]}/{digest}"


class Attachment(TimestampedModel):
    """A file that came with a captured mail; downloaded through a view that checks visibility."""

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # The Content-ID of an inline part (an image the HTML shows as "cid:…").
    content_id = models.CharField(_("content id"), max_length=255, blank=True)

    visibility_parent = "interaction"
    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["interaction", "id"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("interactions:attachment_download", args=[self.pk])


class InteractionAddress(models.Model):
    """An address a mail came from or went to, as its headers gave it: shown on the mail, and the
    way to link earlier mails when an unknown sender later becomes a person."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="addresses")
    role = models.CharField(_("role"), max_length=10, choices=AddressRole.choices)
    address = models.CharField(_("address"), max_length=320, db_index=True)
    name = models.CharField(_("name"), max_length=200, blank=True)

    visibility_parent = "interaction"
    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("mail address")
        verbose_name_plural = _("mail addresses")
        ordering = ["interaction", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.address}"


class FollowUp(OwnedModel):
    """A task someone must do by a date, about an organization, a person or an interaction."""

    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    due_date = models.DateField(_("due"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        db_index=True,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interactions:followup_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_date < timezone.localdate()

    @classmethod
    def visibility_extra_q(cls, user: Any, prefix: str) -> Q:
        """The assignee sees the follow-up even when it belongs to another team."""
        return Q(**{f"{prefix}assignee": user})

    def change_extra(self, user: Any) -> bool:
        return self.assignee_id == user.pk


# --- requests between internal business units ---
class UnitRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


UNIT_REQUEST_OPEN_STATUSES = (UnitRequestStatus.OPEN, UnitRequestStatus.IN_PROGRESS)


class UnitRequest(OwnedModel):
    """A request from one internal business unit to another (e.g. the plant asks central
    purchasing for a new supplier): what is asked, by whom, until when, and how far it got.
    Both units hold the internal role; a unit does not ask itself."""

    requester = models.ForeignKey(
        Organization,
        verbose_name=_("requesting unit"),
        on_delete=models.PROTECT,
        related_name="unit_requests_made",
    )
    server = models.ForeignKey(
        Organization,
        verbose_name=_("serving unit"),
        on_delete=models.PROTECT,
        related_name="unit_requests_received",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=UnitRequestStatus.choices,
        default=UnitRequestStatus.OPEN,
        db_index=True,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        Person,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit_requests",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("unit request")
        verbose_name_plural = _("unit requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="interactions_unitreq_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("server")),
                name="interactions_unitrequest_not_self",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("interactions:unitrequest_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in UNIT_REQUEST_OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_on and self.due_on < timezone.localdate())
