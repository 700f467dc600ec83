"""IMAP accounts: add, change, test, choose folders, delete, and sync them incrementally.

An account belongs to one user and only that user changes it. The password is encrypted before it
is stored and never given back; leaving it empty on a change keeps the stored one. A sync reads,
per chosen folder, the messages with a UID above the last one captured (all of them again when the
folder's UIDVALIDITY changed) and captures them in batches; each batch and the folder's new last
UID commit together, so a sync stopped at any point continues where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import visibility
from accord.core.jobs import JobContext, JobFailed, is_stalled, start_job
from accord.core.models import Job

from .. import crypto, imap
from ..models import MailAccount, Security, SyncStatus
from ..parsing import MessageError, max_message_bytes, parse_message
from .capture import CaptureItem, MailCapture

logger = logging.getLogger(__name__)

SYNC_KIND = "mail.sync_account"
SYNC_ALL_KIND = "mail.sync_all"
DEFAULT_PORTS = {Security.SSL: 993, Security.STARTTLS: 143, Security.NONE: 143}
EDITABLE = ("name", "host", "port", "security", "username", "folders", "own_addresses", "is_active")
SYNC_BATCH = 100


def _require_owner(actor: Any, account: MailAccount) -> None:
    if actor is not None and account.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the owner of a mail account may change it."))


def _addresses(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.replace(";", ",").replace("\n", ",").split(",")
    found = []
    for value in values or []:
        address = str(value).strip().lower()
        if address and address not in found:
            found.append(address)
    return found


def _validate(account: MailAccount, errors: dict[str, Any]) -> None:
    if not account.host.strip():
        errors["host"] = _("Enter the IMAP server, e.g. imap.example.com.")
    if not (0 < int(account.port or 0) < 65536):
        errors["port"] = _("Enter a port between 1 and 65535.")
    if account.security not in Security.values:
        errors["security"] = _("Choose an encryption.")
    if not account.username.strip():
        errors["username"] = _("Enter the user name of the mailbox.")
    bad = [a for a in account.own_addresses if "@" not in a]
    if bad:
        errors["own_addresses"] = _("“%(value)s” is not an email address.") % {"value": bad[0]}
    if not isinstance(account.folders, list) or not all(
        isinstance(f, str) for f in account.folders
    ):
        errors["folders"] = _("Choose folders by name.")


def _apply(account: MailAccount, data: Mapping[str, Any]) -> None:
    for name in EDITABLE:
        if name in data:
            value = data[name]
            if name == "own_addresses":
                value = _addresses(value)
            elif name == "folders":
                value = [str(f) for f in value or []]
            elif name in ("host", "username", "name"):
                value = str(value or "").strip()
            setattr(account, name, value)
    password = data.get("password")
    if password:
        account.password_encrypted = crypto.encrypt(str(password))


def _save(account: MailAccount) -> MailAccount:
    errors: dict[str, Any] = {}
    _validate(account, errors)
    if errors:
        raise ValidationError(errors)
    try:
        account.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"username": _("You have added this mailbox already.")}) from exc
        raise
    account.save()
    return account


def mail_account_create(*, actor: Any, data: Mapping[str, Any]) -> MailAccount:
    """Add an IMAP account for the actor (the password is stored encrypted)."""
    if not visibility.may_write(actor):
        raise PermissionDenied(_("Your role may only read."))
    security = data.get("security") or Security.SSL
    account = MailAccount(owner=actor, security=security, port=DEFAULT_PORTS.get(security, 993))
    _apply(account, data)
    if not data.get("password"):
        raise ValidationError({"password": _("Enter the password of the mailbox.")})
    if not account.folders:
        account.folders = ["INBOX"]
    with transaction.atomic():
        return _save(account)


def mail_account_update(
    *, actor: Any, instance: MailAccount, data: Mapping[str, Any]
) -> MailAccount:
    """Change an account; an empty password keeps the stored one. A changed server or user name
    starts the folders' sync state afresh."""
    _require_owner(actor, instance)
    before = (instance.host, instance.username)
    _apply(instance, data)
    if (instance.host, instance.username) != before:
        instance.folder_state = {}
    with transaction.atomic():
        return _save(instance)


def mail_account_delete(*, actor: Any, instance: MailAccount) -> None:
    """Remove the account (mails already captured stay)."""
    _require_owner(actor, instance)
    instance.delete()


def _session(account: MailAccount, password: str | None = None) -> Any:
    try:
        secret = password if password else crypto.decrypt(account.password_encrypted)
    except crypto.DecryptionError as exc:
        raise imap.ImapError(
            _(
                "The stored password cannot be read any more (the server key changed); enter it again."
            )
        ) from exc
    return imap.connect(
        host=account.host,
        port=account.port,
        security=account.security,
        username=account.username,
        password=secret,
    )


def mail_account_folders(*, actor: Any, instance: MailAccount) -> list[imap.Folder]:
    """Log in and list the account's folders (ImapError says why not)."""
    _require_owner(actor, instance)
    with _session(instance) as client:
        return imap.list_folders(client)


def mail_account_test(*, actor: Any, instance: MailAccount) -> list[imap.Folder]:
    """Try the connection and login; the folders on success, ImapError (with the reason) else.
    The outcome is noted on the account."""
    _require_owner(actor, instance)
    try:
        folders = mail_account_folders(actor=actor, instance=instance)
    except imap.ImapError as exc:
        _note_status(instance, SyncStatus.ERROR, str(exc), synced=False)
        raise
    return folders


def _note_status(account: MailAccount, status: str, error: str, *, synced: bool) -> None:
    values: dict[str, Any] = {"last_sync_status": status, "last_sync_error": error[:2000]}
    if synced:
        values["last_sync_at"] = timezone.now()
    MailAccount.objects.filter(pk=account.pk).update(**values)
    for name, value in values.items():
        setattr(account, name, value)


def mail_account_sync_start(*, actor: Any, instance: MailAccount) -> Job:
    """Queue a sync of this account now (the actor's heavy-job limit applies)."""
    _require_owner(actor, instance)
    return start_job(actor, SYNC_KIND, params={"account_id": instance.pk}, label=str(instance))


def _sync_pending(account_id: int) -> bool:
    active = (
        Job.objects.filter(
            kind=SYNC_KIND,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            params__account_id=account_id,
        )
        .order_by("-created_at")
        .first()
    )
    return active is not None and not is_stalled(active)


def mail_sync_all_start() -> list[Job]:
    """Queue a sync for every active account with folders that has none queued or running."""
    started = []
    accounts = MailAccount.objects.filter(is_active=True, owner__is_active=True).exclude(
        password_encrypted=""
    )
    for account in accounts:
        if not account.folders or _sync_pending(account.pk):
            continue
        started.append(
            start_job(None, SYNC_KIND, params={"account_id": account.pk}, label=str(account))
        )
    return started


def mail_account_sync(ctx: JobContext) -> None:
    """The job `mail.sync_account`: capture new messages of each chosen folder."""
    account = (
        MailAccount.objects.select_related("owner")
        .filter(pk=ctx.job.params.get("account_id"))
        .first()
    )
    if account is None:
        raise JobFailed(_("The mail account no longer exists."))
    if not account.owner.is_active:
        raise JobFailed(_("The owner of this mail account is no longer active."))
    capture = MailCapture(owner=account.owner, report_repeats=False)
    limit = max_message_bytes()
    try:
        with _session(account) as client:
            for folder in account.folders:
                _sync_folder(ctx, account, capture, client, folder, limit)
    except imap.ImapError as exc:
        _note_status(account, SyncStatus.ERROR, str(exc), synced=True)
        raise JobFailed(str(exc)) from exc
    _note_status(account, SyncStatus.OK, "", synced=True)


def _sync_folder(
    ctx: JobContext,
    account: MailAccount,
    capture: MailCapture,
    client: Any,
    folder: str,
    limit: int,
) -> None:
    try:
        validity = imap.select(client, folder)
    except Exception as exc:  # a folder deleted on the server: say so, sync the others
        ctx.error(
            where=folder,
            message=_("The folder cannot be opened: %(error)s") % {"error": exc},
        )
        return
    state = dict(account.folder_state.get(folder) or {})
    last_uid = int(state.get("last_uid", 0)) if state.get("uidvalidity") == validity else 0
    uids = imap.new_uids(client, last_uid)
    if not uids:
        _save_folder_state(account, folder, validity, last_uid)
        return
    ctx.set_total((ctx.job.total or 0) + len(uids))
    batch: list[CaptureItem] = []
    pending_errors: list[tuple[str, str]] = []
    consumed = 0
    now = timezone.now()
    for fetched in imap.fetch(client, uids, max_bytes=limit):
        consumed += 1
        where = _("%(folder)s, UID %(uid)s") % {"folder": folder, "uid": fetched.uid}
        if not fetched.raw:
            pending_errors.append(
                (where, _("The message is larger than %(limit)s MB.") % {"limit": limit // 1048576})
            )
        else:
            try:
                message = parse_message(fetched.raw, fallback_date=fetched.internal_date, now=now)
            except MessageError as exc:
                pending_errors.append((where, str(exc)))
            else:
                where = f"{where} <{message.message_id}>"
                pending_errors += [(where, w) for w in message.warnings]
                batch.append(CaptureItem(where=where, message=message))
        if consumed >= SYNC_BATCH:
            _flush(
                ctx,
                account,
                capture,
                folder,
                validity,
                fetched.uid,
                batch,
                pending_errors,
                consumed,
            )
            batch, pending_errors, consumed = [], [], 0
    if consumed or batch or pending_errors:
        _flush(ctx, account, capture, folder, validity, uids[-1], batch, pending_errors, consumed)


def _save_folder_state(account: MailAccount, folder: str, validity: int, last_uid: int) -> None:
    state = dict(
        MailAccount.objects.values_list("folder_state", flat=True).get(pk=account.pk) or {}
    )
    state[folder] = {"uidvalidity": validity, "last_uid": last_uid}
    MailAccount.objects.filter(pk=account.pk).update(folder_state=state)
    account.folder_state = state


def _flush(
    ctx: JobContext,
    account: MailAccount,
    capture: MailCapture,
    folder: str,
    validity: int,
    last_uid: int,
    batch: list[CaptureItem],
    errors: list[tuple[str, str]],
    consumed: int,
) -> None:
    outcome = capture.write(
        batch, inside=lambda: _save_folder_state(account, folder, validity, last_uid)
    )
    for where, message in [*errors, *outcome.errors]:
        ctx.error(where=where, message=message)
    failed = consumed - outcome.created - outcome.duplicates
    ctx.advance(consumed, created=outcome.created, duplicates=outcome.duplicates, failed=failed)
    ctx.flush()
