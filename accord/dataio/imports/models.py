"""An import of a CSV or XLSX file, from upload through mapping and dry run to the committed rows,
and the column mappings users save for the next file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import DuplicateMode, FuzzyDefault, ImportKind, ImportStatus


class ImportRun(models.Model):
    """One file being imported by one user.

    The file is stored as uploaded and never changed; `headers`, `encoding`, `delimiter` come from
    the inspection right after the upload. `rows_committed` is the checkpoint of the import job:
    the number of the last file row whose batch is committed, written in the same transaction as
    the batch, so a retried job continues after it and imports every row exactly once.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="imports",
    )
    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ImportStatus.choices,
        default=ImportStatus.MAPPING,
        db_index=True,
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True)
    sheet = models.CharField(_("worksheet"), max_length=100, blank=True)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    sample = models.JSONField(_("first rows"), default=list, blank=True)
    mapping = models.JSONField(
        _("column mapping"), default=dict, blank=True, help_text=_("Column number → field.")
    )
    on_duplicate = models.CharField(
        _("matched records"),
        max_length=10,
        choices=DuplicateMode.choices,
        default=DuplicateMode.UPDATE,
    )
    fuzzy_default = models.CharField(
        _("similar names"),
        max_length=10,
        choices=FuzzyDefault.choices,
        default=FuzzyDefault.IDENTICAL,
    )
    fuzzy_decisions = models.JSONField(
        _("decisions on similar names"),
        default=dict,
        blank=True,
        help_text=_("Row number → new or same."),
    )
    report = models.JSONField(_("dry run result"), default=dict, blank=True)
    result = models.JSONField(_("import result"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_committed = models.PositiveIntegerField(_("last committed row"), default=0)
    error = models.TextField(_("error"), blank=True)
    check_job = models.ForeignKey(
        "core.Job",
        verbose_name=_("dry run job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_job = models.ForeignKey(
        "core.Job",
        verbose_name=_("import job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    checked_at = models.DateTimeField(_("dry run finished"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("imports:import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)


class SavedMapping(models.Model):
    """A column mapping a user saved by name, applied to later files by their column headers."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="import_mappings",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    columns = models.JSONField(
        _("columns"), default=dict, blank=True, help_text=_("Normalised column header → field.")
    )
    on_duplicate = models.CharField(
        _("matched records"),
        max_length=10,
        choices=DuplicateMode.choices,
        default=DuplicateMode.UPDATE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved mapping")
        verbose_name_plural = _("saved mappings")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="import_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
