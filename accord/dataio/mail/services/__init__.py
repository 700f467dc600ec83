"""Writes of the mail app: capture (mail → interactions), uploads, IMAP accounts and their sync,
suggested people. Views, API and tasks call these; nothing else writes the mail models."""

from .accounts import (
    SYNC_ALL_KIND,
    SYNC_KIND,
    mail_account_create,
    mail_account_delete,
    mail_account_folders,
    mail_account_sync,
    mail_account_sync_start,
    mail_account_test,
    mail_account_update,
    mail_sync_all_start,
)
from .capture import BatchOutcome, CaptureItem, MailCapture, capture_messages, own_addresses
from .imports import IMPORT_KIND, mail_import_run, mail_import_start
from .senders import (
    split_name,
    unknown_sender_create_person,
    unknown_sender_ignore,
    unknown_sender_restore,
)

__all__ = [
    "IMPORT_KIND",
    "SYNC_ALL_KIND",
    "SYNC_KIND",
    "BatchOutcome",
    "CaptureItem",
    "MailCapture",
    "capture_messages",
    "mail_account_create",
    "mail_account_delete",
    "mail_account_folders",
    "mail_account_sync",
    "mail_account_sync_start",
    "mail_account_test",
    "mail_account_update",
    "mail_import_run",
    "mail_import_start",
    "mail_sync_all_start",
    "own_addresses",
    "split_name",
    "unknown_sender_create_person",
    "unknown_sender_ignore",
    "unknown_sender_restore",
]
