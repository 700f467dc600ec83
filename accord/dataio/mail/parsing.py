"""Reading mail: one message (RFC 5322 / MIME, stdlib `email` with `policy.default`) into plain data,
and the containers messages come in (.eml, mbox, a ZIP of a Maildir or of .eml files).

No database here: `parse_message` turns bytes into a `ParsedMessage` or raises `MessageError` with a
reason a user understands; the capture service decides what to store. Containers are read as
streams with bounded memory: an mbox is split line by line (never loaded whole), a ZIP is read
entry by entry with each entry's real size capped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import errors as email_errors
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from accord.interactions.html import html_to_text, sanitize_email_html

MAX_MESSAGE_BYTES = 50 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_BODY_CHARS = 200_000
MAX_HTML_CHARS = 1_000_000
MAX_ZIP_ENTRIES = 200_000
# A line longer than this is read in pieces (a 100 MB single line must not be held at once).
READ_CHUNK = 1024 * 1024
SUBJECT_MAX = 300
# Dates further ahead than this are a broken clock or spam, not a mail from the future.
FUTURE_SLACK = dt.timedelta(days=1)
EARLIEST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

# Structural damage after which the message's parts cannot be trusted.
FATAL_DEFECTS = (
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.CloseBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.InvalidBase64LengthDefect,
)
ADDRESS_HEADERS = (("from", "from"), ("to", "to"), ("cc", "cc"), ("bcc", "bcc"))
REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|aw|antw|fw|fwd|wg|sv|vs|tr|rif|r)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+", re.I
)
_MESSAGE_ID = re.compile(r"<([^<>]+)>")
_SPACE = re.compile(r"\s+")


class _RawHeaderPolicy(policy.EmailPolicy):
    """`policy.default` (EmailMessage: get_body, iter_attachments, the content manager), except that
    a header is fetched as its raw unfolded text instead of a parsed header object: the header
    registry's parser costs ~1 ms a message, three times the rest. The few headers used are decoded
    here (`_text`, `getaddresses`, `parsedate_to_datetime`); MIME parameters are read by
    `Message.get_param`, which works on the text."""

    def header_fetch_parse(self, name: str, value: str) -> Any:  # type: ignore[override]
        if name.lower() == "content-disposition":  # `is_attachment()` reads its parsed form
            return super().header_fetch_parse(name, value)
        return "".join(value.splitlines())


_POLICY = _RawHeaderPolicy()
_PARSER = BytesParser(policy=_POLICY)


class MessageError(Exception):
    """A message that cannot be imported, with the reason for the job's error list."""


@dataclass
class ParsedAddress:
    role: str
    address: str
    name: str = ""


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ParsedMessage:
    """What a capture needs from one mail; `message_id` is normalised (or synthetic, stable)."""

    message_id: str
    subject: str
    date: dt.datetime
    addresses: list[ParsedAddress]
    references: list[str]
    body: str
    body_html: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    synthetic_id: bool = False
    # Problems that did not stop the import (a date taken from elsewhere, a file too large …).
    warnings: list[str] = field(default_factory=list)

    @property
    def sender(self) -> ParsedAddress | None:
        return next((a for a in self.addresses if a.role == "from"), None)


def max_message_bytes() -> int:
    return int(getattr(settings, "ACCORD_MAIL_MAX_MESSAGE_BYTES", MAX_MESSAGE_BYTES))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "ACCORD_MAIL_MAX_ATTACHMENT_BYTES", MAX_ATTACHMENT_BYTES))


# --- headers ---------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """A raw header value as text: 8-bit bytes smuggled in by the parser decoded as UTF-8
    (else Latin-1), RFC 2047 encoded words decoded."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("ascii", "surrogateescape")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    if "=?" in text:
        with contextlib.suppress(
            LookupError, ValueError, UnicodeError, email_errors.HeaderParseError
        ):
            text = str(make_header(decode_header(text)))
    return _SPACE.sub(" ", text).strip()


def normalize_message_id(value: str) -> str:
    """`<AbC.1@Example.COM>` → `AbC.1@example.com`: brackets and folding whitespace gone, the
    domain part lower-cased (the local part is case-sensitive), at most 998 characters."""
    if not value:
        return ""
    value = _SPACE.sub("", str(value))
    match = _MESSAGE_ID.search(value)
    token = match.group(1) if match else value.strip("<>")
    if not token:
        return ""
    local, at, domain = token.rpartition("@")
    if at:
        token = f"{local}@{domain.lower()}"
    return token[:998]


def message_ids(value: str) -> list[str]:
    """Every Message-ID in a References / In-Reply-To header, normalised, in order."""
    if not value:
        return []
    found = [normalize_message_id(m) for m in _MESSAGE_ID.findall(_SPACE.sub("", value))]
    if not found and value.strip():
        found = [normalize_message_id(value)]
    return [m for m in found if m]


def normalize_subject(subject: str) -> str:
    """The subject without reply and forward prefixes (Re:, AW:, Fwd:, WG: …), lower-cased."""
    return _SPACE.sub(" ", REPLY_PREFIX.sub("", subject or "")).strip().lower()


def is_reply_subject(subject: str) -> bool:
    return bool(REPLY_PREFIX.match(subject or ""))


def normalize_address(address: str) -> str:
    return (address or "").strip().strip("<>").lower()


def _parse_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 reads it as UTC
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _plausible(when: dt.datetime | None, now: dt.datetime) -> bool:
    return when is not None and EARLIEST <= when <= now + FUTURE_SLACK


def _received_date(headers: dict[str, list[str]]) -> dt.datetime | None:
    """The time the newest Received header records (after its last ';')."""
    for value in headers.get("received", []):
        _head, sep, when = str(value).rpartition(";")
        if sep:
            parsed = _parse_date(when.strip())
            if parsed is not None:
                return parsed
    return None


# --- body and parts -----------------------------------------------------------------------------
def _content(part: Message) -> str:
    """A text part's content, whatever charset it claims (unknown ones read as UTF-8/Latin-1)."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        pass
    payload: Any = part.get_payload(decode=True) or b""
    if isinstance(payload, str):
        return payload
    if not isinstance(payload, bytes):
        return ""
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("latin-1")


def _leaves(part: Message) -> Iterator[Message]:
    """Leaf parts in order; an attached message (message/rfc822) counts as one leaf."""
    if part.get_content_maintype() == "message" or not part.is_multipart():
        yield part
        return
    payload: Any = part.get_payload()
    for sub in payload if isinstance(payload, list) else []:
        yield from _leaves(sub)


def _defects(msg: Message) -> list[Any]:
    found = list(msg.defects)
    if msg.is_multipart() and msg.get_content_maintype() != "message":
        payload: Any = msg.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            found += _defects(sub)
    return found


def _attachment(part: Message, index: int) -> ParsedAttachment:
    content_type = part.get_content_type()
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else inner
        data = first.as_bytes() if isinstance(first, Message) else b""
        default_name = f"message-{index}.eml"
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else str(payload or "").encode()
        extension = {"text/plain": ".txt", "text/html": ".html", "text/calendar": ".ics"}.get(
            content_type, ".bin"
        )
        default_name = f"attachment-{index}{extension}"
    filename = _text(part.get_filename() or "") or default_name
    filename = filename.replace("/", "_").replace("\\", "_").replace("\x00", "")[:255]
    content_id = normalize_message_id(str(part.get("content-id", "") or ""))
    return ParsedAttachment(
        filename=filename, content_type=content_type[:255], data=data, content_id=content_id
    )


def _body_and_attachments(
    msg: EmailMessage, warnings: list[str]
) -> tuple[str, str, list[ParsedAttachment]]:
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    text = _content(plain) if plain is not None else ""
    html_text = _content(html) if html is not None else ""
    attachments: list[ParsedAttachment] = []
    limit = max_attachment_bytes()
    extra_text: list[str] = []
    for number, part in enumerate(_leaves(msg), start=1):
        if part is plain or part is html:
            continue
        disposition = part.get_content_disposition()
        if (
            part.get_content_maintype() == "text"
            and not part.get_filename()
            and disposition != "attachment"
        ):
            if part.get_content_subtype() == "plain" and plain is not None:
                extra_text.append(_content(part))  # a text part the client split off the body
            continue
        if part.is_multipart() and part.get_content_maintype() != "message":
            continue
        attachment = _attachment(part, number)
        if len(attachment.data) > limit:
            warnings.append(
                _(
                    "The attachment “%(name)s” (%(size)s MB) is larger than the limit of "
                    "%(limit)s MB and was not kept."
                )
                % {
                    "name": attachment.filename,
                    "size": round(len(attachment.data) / 1048576, 1),
                    "limit": round(limit / 1048576, 1),
                }
            )
            continue
        attachments.append(attachment)
    if extra_text:
        text = "\n\n".join([text, *extra_text])
    return text, html_text, attachments


def synthetic_message_id(raw: bytes, header_values: list[str]) -> str:
    """A stable id for a message without Message-ID: a hash of its main headers and its body,
    line endings normalised (the same mail read from mbox or IMAP gives the same id)."""
    _head, sep, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    digest = hashlib.sha256()
    for value in header_values:
        digest.update(value.encode("utf-8", "surrogateescape") + b"\n")
    digest.update(body.rstrip() if sep else b"")
    return f"{digest.hexdigest()[:40]}@synthetic.accord"


def parse_message(
    raw: bytes,
    *,
    fallback_date: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> ParsedMessage:
    """One mail into plain data; MessageError when it cannot be imported (say why)."""
    now = now or dt.datetime.now(dt.UTC)
    if len(raw) > max_message_bytes():
        raise MessageError(
            _("The message is larger than %(limit)s MB.")
            % {"limit": round(max_message_bytes() / 1048576)}
        )
    if not raw.strip():
        raise MessageError(_("The message is empty."))
    try:
        msg = _PARSER.parsebytes(raw)
    except Exception as exc:  # the parser is lenient; anything it raises means broken input
        raise MessageError(_("The message cannot be read: %(error)s") % {"error": exc}) from exc
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(name.lower(), []).append("".join(str(value).splitlines()))

    def header(name: str) -> str:
        values = headers.get(name)
        return _text(values[0]) if values else ""

    if not any(headers.get(h) for h in ("from", "date", "message-id", "subject", "to")):
        raise MessageError(_("This is not a mail message (it has no mail headers)."))
    fatal = [d for d in _defects(msg) if isinstance(d, FATAL_DEFECTS)]
    if fatal:
        raise MessageError(
            _("Malformed MIME structure: %(defect)s") % {"defect": _defect_text(fatal[0])}
        )
    warnings: list[str] = []
    raw_date = header("date")
    when = _parse_date(raw_date)
    if not _plausible(when, now):
        alternative = _received_date(headers)
        if not _plausible(alternative, now):
            alternative = fallback_date
        if not _plausible(alternative, now):
            raise MessageError(
                _("The date “%(date)s” is not valid and the message gives no other time.")
                % {"date": raw_date[:80] or _("(none)")}
            )
        if raw_date:
            warnings.append(
                _("The date “%(date)s” is not valid; the time it was received is used.")
                % {"date": raw_date[:80]}
            )
        when = alternative
    assert when is not None
    when = min(when, now)
    addresses: list[ParsedAddress] = []
    for name_, role in ADDRESS_HEADERS:
        values = headers.get(name_, [])
        if not values:
            continue
        for name, address in getaddresses([_text(v) for v in values]):
            address = normalize_address(address)
            if "@" in address and len(address) <= 320:
                addresses.append(ParsedAddress(role=role, address=address, name=_text(name)[:200]))
    subject = header("subject")
    try:
        text, html, attachments = _body_and_attachments(msg, warnings)  # type: ignore[arg-type]
    except MessageError:
        raise
    except Exception as exc:  # a part that breaks the stdlib's content manager
        raise MessageError(
            _("Malformed MIME structure: %(defect)s") % {"defect": exc.__class__.__name__}
        ) from exc
    body_html = ""
    if html:
        body_html = sanitize_email_html(html[:MAX_HTML_CHARS])
        if not text:
            text = html_to_text(html[:MAX_HTML_CHARS])
    message_id = normalize_message_id(header("message-id"))
    synthetic = False
    if not message_id:
        synthetic = True
        message_id = synthetic_message_id(
            raw, [header(h) for h in ("from", "to", "cc", "date", "subject")]
        )
    references = message_ids(header("references"))
    for parent in message_ids(header("in-reply-to")):
        if parent not in references:
            references.append(parent)
    return ParsedMessage(
        message_id=message_id,
        subject=subject[:SUBJECT_MAX],
        date=when,
        addresses=addresses,
        references=[r for r in references if r != message_id],
        body=text.replace("\x00", "")[:MAX_BODY_CHARS].strip(),
        body_html=body_html.replace("\x00", ""),
        attachments=attachments,
        synthetic_id=synthetic,
        warnings=warnings,
    )


def _defect_text(defect: Any) -> str:
    names = {
        email_errors.NoBoundaryInMultipartDefect: _("a multipart message without boundary"),
        email_errors.StartBoundaryNotFoundDefect: _("the MIME boundary never occurs"),
        email_errors.CloseBoundaryNotFoundDefect: _("the message ends before its last MIME part"),
        email_errors.MultipartInvariantViolationDefect: _("a multipart message without parts"),
        email_errors.InvalidBase64LengthDefect: _("a base64 part is cut off"),
    }
    return str(names.get(type(defect), defect.__class__.__name__))


# --- containers ------------------------------------------------------------------------------
@dataclass
class RawMessage:
    """One message as bytes, where it was found (`index` counts from 1, `where` names it for
    error messages) and the position to resume after it (`resume`: mbox byte offset or index)."""

    index: int
    raw: bytes
    where: str
    resume: int
    error: str = ""  # set when the container could not give this message (too large …)
    fallback_date: dt.datetime | None = None


KIND_EML, KIND_MBOX, KIND_ZIP = "eml", "mbox", "zip"


def sniff_kind(head: bytes, filename: str = "") -> str:
    """What a file is, by its first bytes (the name only breaks ties)."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return KIND_ZIP
    if head.startswith(b"From "):
        return KIND_MBOX
    lowered = filename.lower()
    if lowered.endswith((".mbox", ".mbx")):
        return KIND_MBOX
    return KIND_EML


_FROM_LINE = re.compile(rb"From \S*[^\n]*\d")
# An empty line, then a line starting with "From ": where the next message begins.
_SEPARATOR = re.compile(rb"\n\r?\n(?=From )")
_ESCAPED_FROM = re.compile(rb"(?m)^>(>*From )")
# How far back to search again after reading more: a separator and its lookahead ("\n\r\nFrom ")
_MARGIN = 8


def iter_mbox(stream: IO[bytes], *, offset: int = 0, index: int = 0) -> Iterator[RawMessage]:
    """Messages of an mbox, streamed: a separator is a `From ` line at the start of the file or
    after an empty line; `>From ` lines are unescaped (mboxrd). The file is read in blocks; memory
    holds at most one message (up to the size limit: a larger one is skipped and reported) and a
    block or two. `offset`/`index` resume a run at a message's `From ` line."""
    blocks = _Blocks(stream, offset)
    while len(blocks.buf) < 5 and not blocks.eof:
        blocks.read(0)
    if not blocks.buf.strip():
        return
    if not blocks.buf.startswith(b"From "):
        raise MessageError(_("This is not an mbox file: it does not start with a “From ” line."))
    limit = max_message_bytes()
    start = 0  # the current message's "From " line, as a position in blocks.buf
    while True:
        line_end = blocks.buf.find(b"\n", start)
        while line_end < 0 and not blocks.eof:
            start -= blocks.read(start)
            line_end = blocks.buf.find(b"\n", start)
        if line_end < 0:
            return  # a "From " line and nothing after it
        body = line_end + 1
        search, too_large = body - 1, False
        while True:
            pending = None
            match = _SEPARATOR.search(blocks.buf, search)
            if match is not None:
                next_line = match.end()
                nl = blocks.buf.find(b"\n", next_line)
                if nl < 0 and not blocks.eof:
                    pending, match = match.start(), None  # the line is incomplete: read on
                elif not _FROM_LINE.match(
                    blocks.buf, next_line, nl if nl >= 0 else len(blocks.buf)
                ):
                    search = next_line
                    continue
            if match is not None or blocks.eof:
                break
            if len(blocks.buf) - body > limit:  # too large: forget its content, keep looking
                too_large = True
                keep = len(blocks.buf) - _MARGIN if pending is None else pending
                blocks.cut(body, keep)
                pending = None if pending is None else body
            search = pending if pending is not None else max(body - 1, len(blocks.buf) - _MARGIN)
            shift = blocks.read(body)
            body, search = body - shift, search - shift
        buf = blocks.buf
        delivered = _from_line_date(buf[body - min(body, 300) : body])
        end = match.start() + 1 if match is not None else len(buf)
        next_start = match.end() if match is not None else len(buf)
        index += 1
        where = _("message %(n)s") % {"n": index}
        resume = blocks.base + next_start
        if too_large or end - body > limit:
            yield RawMessage(
                index=index,
                raw=b"",
                where=where,
                resume=resume,
                error=_("The message is larger than %(limit)s MB.")
                % {"limit": round(limit / 1048576)},
            )
        else:
            raw = buf[body:end]
            if match is None and raw.endswith(b"\n\n"):
                raw = raw[:-1]  # the empty line that ends the file belongs to the mbox
            if b">" in raw:
                raw = _ESCAPED_FROM.sub(rb"\1", raw)
            yield RawMessage(
                index=index, raw=raw, where=where, resume=resume, fallback_date=delivered
            )
        if match is None:
            return
        start = next_start


def _from_line_date(head: bytes) -> dt.datetime | None:
    """The delivery time on an mbox `From sender Mon Mar  3 09:00:00 2025` line (read as UTC)."""
    line = head.rstrip(b"\r\n").rpartition(b"\n")[2]
    parts = line.decode("latin-1").split(None, 2)
    if len(parts) < 3:
        return None
    return _parse_date(parts[2])


def count_mbox(stream: IO[bytes]) -> int:
    """About how many messages an mbox holds (separators counted in one pass over the bytes, no
    message copied): the total of the progress bar."""
    stream.seek(0)
    head = stream.read(5)
    if not head.startswith(b"From "):
        return 0
    count, tail = 1, head
    while True:
        block = stream.read(READ_CHUNK)
        data = tail + block
        if not block:
            count += sum(1 for _m in _SEPARATOR.finditer(data))
            break
        cut = max(0, len(data) - _MARGIN)
        count += sum(1 for m in _SEPARATOR.finditer(data) if m.start() < cut)
        tail = data[cut:]
    stream.seek(0)
    return count


class _Blocks:
    """A window on a stream: `buf` holds the bytes from file position `base` on."""

    def __init__(self, stream: IO[bytes], offset: int) -> None:
        stream.seek(offset)
        self.stream = stream
        self.base = offset
        self.buf = b""
        self.eof = False

    def read(self, keep_from: int) -> int:
        """Append a block; bytes before `keep_from` may be dropped first. Returns by how much
        positions in `buf` moved down (0 when nothing was dropped)."""
        more = self.stream.read(READ_CHUNK)
        if not more:
            self.eof = True
            return 0
        shift = keep_from if keep_from > len(self.buf) // 2 else 0
        self.buf = self.buf[shift:] + more if shift else self.buf + more
        self.base += shift
        return shift

    def cut(self, start: int, end: int) -> None:
        """Forget buf[start:end] (a message too large to keep); later positions move down."""
        self.buf = self.buf[:start] + self.buf[end:]
        self.base += end - start


def iter_zip(stream: IO[bytes], *, index: int = 0) -> Iterator[RawMessage]:
    """Messages in a ZIP: the files in a Maildir's `cur/` and `new/` (any folder depth; `tmp/` is
    skipped) and any `*.eml`, in name order. Each entry is read up to the size limit, whatever
    its header claims (a ZIP bomb stops at the limit)."""
    limit = max_message_bytes()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise MessageError(_("The ZIP file cannot be read: %(error)s") % {"error": exc}) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise MessageError(
                _("The ZIP file has more than %(n)s entries.") % {"n": MAX_ZIP_ENTRIES}
            )
        entries = sorted(
            (i for i in infos if is_mail_entry(i.filename) and not i.is_dir()),
            key=lambda i: (i.filename.rsplit("/", 1)[-1], i.filename),
        )
        if not entries:
            raise MessageError(
                _("The ZIP file holds no mail: expected a Maildir (cur/, new/) or .eml files.")
            )
        for number, info in enumerate(entries, start=1):
            if number <= index:
                continue
            where = _("message %(n)s (%(name)s)") % {"n": number, "name": info.filename}
            try:
                with archive.open(info) as entry:
                    raw = entry.read(limit + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError) as exc:
                yield RawMessage(index=number, raw=b"", where=where, resume=number, error=str(exc))
                continue
            if len(raw) > limit:
                yield RawMessage(
                    index=number,
                    raw=b"",
                    where=where,
                    resume=number,
                    error=_("The message is larger than %(limit)s MB.")
                    % {"limit": round(limit / 1048576)},
                )
                continue
            yield RawMessage(
                index=number,
                raw=raw,
                where=where,
                resume=number,
                fallback_date=_maildir_time(info.filename),
            )


def is_mail_entry(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    if any(p.startswith("__MACOSX") for p in parts) or parts[-1].startswith("."):
        return False
    if parts[-1].lower().endswith(".eml"):
        return True
    return len(parts) >= 2 and parts[-2] in ("cur", "new")


def _maildir_time(name: str) -> dt.datetime | None:
    """A Maildir file name starts with the delivery time (seconds since 1970)."""
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
    if stem.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(stem), dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def iter_eml(stream: IO[bytes], *, filename: str = "", index: int = 0) -> Iterator[RawMessage]:
    if index >= 1:
        return
    limit = max_message_bytes()
    raw = stream.read(limit + 1)
    where = _("message 1 (%(name)s)") % {"name": filename} if filename else _("message 1")
    if len(raw) > limit:
        yield RawMessage(
            index=1,
            raw=b"",
            where=where,
            resume=1,
            error=_("The message is larger than %(limit)s MB.") % {"limit": round(limit / 1048576)},
        )
        return
    yield RawMessage(index=1, raw=raw, where=where, resume=1)


def iter_messages(
    stream: IO[bytes], *, kind: str, filename: str = "", checkpoint: dict | None = None
) -> Iterator[RawMessage]:
    """The messages of an uploaded file, from the checkpoint on (`{"index": n, "offset": b}`)."""
    checkpoint = checkpoint or {}
    index = int(checkpoint.get("index", 0))
    if kind == KIND_MBOX:
        return iter_mbox(stream, offset=int(checkpoint.get("offset", 0)), index=index)
    if kind == KIND_ZIP:
        return iter_zip(stream, index=index)
    return iter_eml(stream, filename=filename, index=index)
