"""Talking to an IMAP server (imapclient): connect, list folders, read new messages by UID.

Only this module touches the network; tests replace `IMAPClient` here with a fake at its method
boundary. Errors come out as `ImapError` with a message a user can act on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from imapclient import IMAPClient
from imapclient import exceptions as imap_errors

from .models import Security

TIMEOUT_SECONDS = 30
FETCH_CHUNK = 100


class ImapError(Exception):
    """Connecting, logging in or reading failed; the message says what to check."""


@dataclass
class Folder:
    name: str
    flags: tuple[str, ...]

    @property
    def selectable(self) -> bool:
        return "\\Noselect" not in self.flags and "\\NonExistent" not in self.flags


@dataclass
class FetchedMessage:
    uid: int
    raw: bytes
    internal_date: dt.datetime | None
    size: int


@contextmanager
def connect(*, host: str, port: int, security: str, username: str, password: str) -> Iterator[Any]:
    """A logged-in client; logged out at the end whatever happens."""
    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            host,
            port=port,
            ssl=security == Security.SSL,
            ssl_context=context if security == Security.SSL else None,
            timeout=TIMEOUT_SECONDS,
        )
        client.normalise_times = False  # aware datetimes, not the worker's local time
        if security == Security.STARTTLS:
            client.starttls(context)
    except (TimeoutError, OSError, ssl.SSLError, imap_errors.IMAPClientError) as exc:
        raise ImapError(
            _("Cannot connect to %(host)s:%(port)s (%(error)s). Check server, port and encryption.")
            % {"host": host, "port": port, "error": exc}
        ) from exc
    try:
        try:
            client.login(username, password)
        except imap_errors.LoginError as exc:
            raise ImapError(
                _("The server refused the login (%(error)s). Check user name and password.")
                % {"error": exc}
            ) from exc
        yield client
    except (OSError, imap_errors.IMAPClientError) as exc:
        raise ImapError(
            _("The IMAP server stopped the session: %(error)s") % {"error": exc}
        ) from exc
    finally:
        with contextlib.suppress(Exception):  # the session is over either way
            client.logout()


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def list_folders(client: Any) -> list[Folder]:
    folders = [
        Folder(name=_text(name), flags=tuple(_text(f) for f in flags))
        for flags, _delimiter, name in client.list_folders()
    ]
    return sorted((f for f in folders if f.selectable), key=lambda f: (f.name != "INBOX", f.name))


def select(client: Any, folder: str) -> int:
    """Open a folder read-only; returns its UIDVALIDITY."""
    info = client.select_folder(folder, readonly=True)
    return int(info.get(b"UIDVALIDITY", info.get("UIDVALIDITY", 0)) or 0)


def new_uids(client: Any, last_uid: int) -> list[int]:
    """UIDs above `last_uid`, ascending (`n:*` also answers the highest UID when none is newer)."""
    return sorted(int(u) for u in client.search(["UID", f"{last_uid + 1}:*"]) if int(u) > last_uid)


def fetch(client: Any, uids: list[int], *, max_bytes: int) -> Iterator[FetchedMessage]:
    """The messages with these UIDs; a message larger than `max_bytes` comes without content."""
    for start in range(0, len(uids), FETCH_CHUNK):
        chunk = uids[start : start + FETCH_CHUNK]
        sizes = client.fetch(chunk, ["RFC822.SIZE"])
        small = [u for u in chunk if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= max_bytes]
        bodies = client.fetch(small, ["BODY.PEEK[]", "INTERNALDATE"]) if small else {}
        for uid in chunk:
            size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
            data = bodies.get(uid, {})
            raw = data.get(b"BODY[]", b"") or b""
            when = data.get(b"INTERNALDATE")
            if isinstance(when, dt.datetime) and when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            yield FetchedMessage(uid=uid, raw=raw, internal_date=when, size=size)
