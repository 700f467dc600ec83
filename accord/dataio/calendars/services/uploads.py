"""Uploading a .vcf or .ics file: check it, keep it, start its import job (same transaction)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.jobs import start_job

from ..choices import DuplicateMode, ImportFormat
from ..models import CalendarImport
from ..parsing import SNIFF_BYTES, sniff

JOB_KINDS = {
    ImportFormat.VCARD: "calendars.vcard_import",
    ImportFormat.ICALENDAR: "calendars.ical_import",
}
EXPECTED = {ImportFormat.VCARD: "VCARD", ImportFormat.ICALENDAR: "VCALENDAR"}


def calendar_import_start(
    *,
    actor: Any,
    file_format: str,
    uploaded_file: Any,
    on_duplicate: str = DuplicateMode.UPDATE,
    create_organizations: bool = True,
) -> CalendarImport:
    """Keep the uploaded file and start the job that imports it; errors name the field "file"."""
    core.require_write(actor)
    if file_format not in ImportFormat.values:
        raise ValidationError({"file_format": _("Choose vCard or iCalendar.")})
    if on_duplicate not in DuplicateMode.values:
        raise ValidationError({"on_duplicate": _("Choose what to do with matched people.")})
    name = str(getattr(uploaded_file, "name", "") or "upload")[:255]
    size = int(getattr(uploaded_file, "size", 0) or 0)
    limit = settings.ACCORD_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("“%(file)s” is larger than %(limit)s.")
                % {"file": name, "limit": filesizeformat(limit)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("“%(file)s” is empty.") % {"file": name}})
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    if not sniff(head, EXPECTED[ImportFormat(file_format)]):
        message = (
            _("“%(file)s” is not a vCard file: it does not start with BEGIN:VCARD.")
            if file_format == ImportFormat.VCARD
            else _("“%(file)s” is not an iCalendar file: it does not start with BEGIN:VCALENDAR.")
        )
        raise ValidationError({"file": message % {"file": name}})
    upload = CalendarImport(
        owner=actor,
        file_format=file_format,
        filename=name,
        file_size=size,
        on_duplicate=on_duplicate,
        create_organizations=create_organizations,
    )
    suffix = ".vcf" if file_format == ImportFormat.VCARD else ".ics"
    upload.file.save(f"upload{suffix}", uploaded_file, save=False)
    try:
        with transaction.atomic():
            upload.save()
            job = start_job(
                actor,
                JOB_KINDS[ImportFormat(file_format)],
                params={"import_id": upload.pk},
                label=_("Import of %(file)s") % {"file": name},
            )
            upload.job = job
            upload.save(update_fields=["job"])
    except Exception:
        upload.file.delete(save=False)
        raise
    return upload
