"""Building test mail: single messages, mbox files and Maildir ZIPs."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime

BASE = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def mail(
    *,
    msgid: str | None = "<m1@kunde.example>",
    sender: str = "Jörg Müller <joerg@kunde.example>",
    to: str = "Anna Vertrieb <anna@example.test>",
    cc: str = "",
    subject: str = "Angebot Rahmenvertrag",
    date: dt.datetime | str | None = BASE,
    text: str = "Sehr geehrte Frau Vertrieb,\n\nbitte senden Sie uns das Angebot.\n",
    html: str = "",
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    if isinstance(date, dt.datetime):
        message["Date"] = format_datetime(date)
    if msgid:
        message["Message-ID"] = msgid
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _sep, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    raw = message.as_bytes()
    if isinstance(date, str):  # written raw: the stdlib would refuse an invalid date
        raw = f"Date: {date}\n".encode() + raw
    return raw


def mbox(*messages: bytes) -> bytes:
    """An mboxrd file: `From ` separators, `From ` lines in bodies escaped."""
    out = io.BytesIO()
    for number, raw in enumerate(messages):
        out.write(f"From sender{number}@example.test Mon Mar  3 09:00:00 2025\n".encode())
        for line in raw.replace(b"\r\n", b"\n").split(b"\n"):
            if line.lstrip(b">").startswith(b"From "):
                line = b">" + line
            out.write(line + b"\n")
        out.write(b"\n")
    return out.getvalue()


def maildir_zip(*messages: bytes, folder: str = "Mail") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/tmp/", b"")
        for number, raw in enumerate(messages):
            box = "cur" if number % 2 else "new"
            archive.writestr(f"{folder}/{box}/17409{number:05d}.M1P1.host:2,S", raw)
        archive.writestr(f"{folder}/tmp/1740900000.half-written", b"From: x\n\npartial")
    return out.getvalue()
