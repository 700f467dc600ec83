"""Reading and writing vCard (3.0, 4.0) and iCalendar text, without the database.

Files are read as a stream of lines, one card or event at a time, so a large or hostile file never
sits in memory whole: a physical line longer than `MAX_LINE_BYTES` or a card/event larger than
`MAX_BLOCK_BYTES` makes that card or event fail with a message naming its number, and reading goes
on with the next one. Each block is then parsed on its own (vobject for cards, icalendar for
events), so one broken card does not stop the others.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import icalendar
import vobject
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_LINE_BYTES = 64 * 1024
MAX_BLOCK_BYTES = 1024 * 1024
MAX_TIMEZONE_BYTES = 256 * 1024
SNIFF_BYTES = 8192
BOM = b"\xef\xbb\xbf"
_CHARSET = re.compile(rb";CHARSET=([A-Za-z0-9_\-]+)", re.IGNORECASE)


# --- splitting a file into blocks --------------------------------------------------------------


@dataclass
class Block:
    """One BEGIN:<name> … END:<name> block of a file: its text, or why it cannot be read."""

    name: str  # VCARD, VEVENT, VTIMEZONE
    number: int  # 1-based among the blocks of this name
    line: int  # the file line of its BEGIN
    text: str = ""
    error: str = ""


def _begin_end(line: bytes) -> tuple[str, str] | None:
    stripped = line.strip()
    if len(stripped) > 40 or b":" not in stripped:
        return None
    key, _sep, value = stripped.partition(b":")
    key = key.upper()
    if key in (b"BEGIN", b"END"):
        return key.decode("ascii"), value.strip().upper().decode("ascii", "replace")
    return None


def _decode(data: bytes, block: Block) -> None:
    if b"\x00" in data:
        block.error = _("it contains binary data (NUL bytes), not text")
        return
    try:
        block.text = data.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = _CHARSET.search(data)  # vCard 2.1 names its charset per property
    if declared:
        try:
            block.text = data.decode(codecs.lookup(declared.group(1).decode()).name)
            return
        except (LookupError, UnicodeDecodeError):
            pass
    line = data[: utf8_error.start].count(b"\n") + block.line
    block.error = _(
        "it is not UTF-8 text (byte 0x%(byte)02x on line %(line)d); save the file as UTF-8"
    ) % {"byte": data[utf8_error.start], "line": line}


def iter_blocks(stream: IO[bytes], names: Iterable[str]) -> Iterator[Block]:
    """Yield every top-level BEGIN:<name> … END:<name> block for the given names, in file order,
    each with its text or an error. Nested blocks (a VALARM in a VEVENT) stay inside their parent.
    Memory is bounded by one block, however the file is built."""
    wanted = {n.upper() for n in names}
    counters = dict.fromkeys(wanted, 0)
    current: Block | None = None
    depth = 0
    parts: list[bytes] = []
    size = 0
    line_no = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            break
        line_no += 1
        if line_no == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            # a line longer than any real card or event has: skip the rest of it, unread
            while True:
                rest = stream.readline(MAX_LINE_BYTES + 1)
                if not rest or rest.endswith(b"\n"):
                    break
            if current is not None and not current.error:
                current.error = _("line %(line)d is longer than %(kb)d KB") % {
                    "line": line_no,
                    "kb": MAX_LINE_BYTES // 1024,
                }
                parts, size = [], 0
            continue
        marker = _begin_end(line)
        if current is None:
            if marker and marker[0] == "BEGIN" and marker[1] in wanted:
                counters[marker[1]] += 1
                current = Block(name=marker[1], number=counters[marker[1]], line=line_no)
                depth, parts, size = 1, [line], len(line)
            continue
        if marker and marker[1] == current.name:
            depth += 1 if marker[0] == "BEGIN" else -1
        if not current.error:
            size += len(line)
            if size > MAX_BLOCK_BYTES:
                current.error = _("it is larger than %(mb)d MB") % {
                    "mb": MAX_BLOCK_BYTES // (1024 * 1024)
                }
                parts = []
            else:
                parts.append(line)
        if depth == 0:
            if not current.error:
                _decode(b"".join(parts), current)
            yield current
            current, parts, size = None, [], 0
    if current is not None:
        current.error = current.error or _("it is not closed (END:%(name)s is missing)") % {
            "name": current.name
        }
        yield current


def count_blocks(stream: IO[bytes], name: str) -> int:
    """How many BEGIN:<name> lines the file has at the top level (for the progress bar)."""
    return sum(1 for _block in _begin_lines(stream, name.upper()))


def _begin_lines(stream: IO[bytes], name: str) -> Iterator[int]:
    depth = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        marker = _begin_end(line.removeprefix(BOM))
        if marker and marker[1] == name:
            if marker[0] == "BEGIN":
                depth += 1
                if depth == 1:
                    yield 1
            else:
                depth = max(0, depth - 1)


def sniff(head: bytes, name: str) -> bool:
    """Whether the start of a file looks like a vCard (name VCARD) or iCalendar (VCALENDAR) file."""
    for line in head.removeprefix(BOM).splitlines()[:50]:
        if not line.strip():
            continue
        marker = _begin_end(line)
        return bool(marker and marker == ("BEGIN", name))
    return False


# --- vCard -------------------------------------------------------------------------------------

SALUTATIONS = {
    *("herr", "frau", "divers", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx."),
    *("mme", "mme.", "mlle", "m.", "sr.", "sra.", "sig.", "sig.ra"),
}
KIND_FROM_TYPE = {
    "work": "work",
    "home": "private",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
}
TYPE_FROM_KIND = {"work": "work", "private": "home", "mobile": "cell", "other": ""}


@dataclass
class PersonCard:
    """What a vCard says about a person, in Accord's terms."""

    number: int
    first_name: str = ""
    last_name: str = ""
    salutation: str = ""
    academic_title: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, kind), preferred first
    phones: list[tuple[str, str]] = field(default_factory=list)  # (number, kind)
    organization: str = ""
    department: str = ""
    title: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    uid: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or (self.emails[0][0] if self.emails else "")

    def where(self) -> str:
        label = self.label
        if label:
            return _("card %(number)d (%(name)s)") % {"number": self.number, "name": label}
        return _("card %(number)d") % {"number": self.number}


class CardError(ValueError):
    """A card that cannot become a person; the message says why."""


def _types(prop: Any) -> list[str]:
    """TYPE values of a property, lower case, however they were written (TYPE=a,b; TYPE="a,b";
    several TYPE params; vCard 2.1 bare parameters)."""
    found: list[str] = []
    for key, values in getattr(prop, "params", {}).items():
        if key.upper() == "TYPE":
            for value in values:
                found += [v.strip().lower() for v in str(value).split(",") if v.strip()]
        elif key.upper() not in ("PREF", "VALUE", "CHARSET", "ENCODING", "LABEL"):
            found.append(key.lower())  # vCard 2.1: EMAIL;WORK;PREF:…
    return found


def _is_preferred(prop: Any) -> bool:
    params = getattr(prop, "params", {})
    return "pref" in _types(prop) or any(k.upper() == "PREF" for k in params)


def _kind(prop: Any) -> str:
    for t in _types(prop):
        if t in KIND_FROM_TYPE:
            return KIND_FROM_TYPE[t]
    return "work"


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value if v)
    return " ".join(str(value or "").split())


def _first(card: Any, name: str) -> Any:
    items = card.contents.get(name.lower())
    return items[0] if items else None


def parse_vcard(block: Block) -> PersonCard:
    """A card block → PersonCard, or CardError naming the problem."""
    if block.error:
        raise CardError(block.error)
    try:
        card = vobject.readOne(block.text, validate=False, ignoreUnreadable=True)
    except Exception as exc:  # noqa: BLE001 - vobject raises many kinds; the user needs the text
        raise CardError(_("it cannot be read: %(reason)s") % {"reason": str(exc)[:200]}) from exc
    if getattr(card, "name", "").upper() != "VCARD":
        raise CardError(_("it is not a vCard"))
    result = PersonCard(number=block.number)
    kind = _first(card, "kind") or _first(card, "x-abshowas")
    if kind is not None and str(kind.value).strip().lower() in ("org", "organization", "company"):
        raise CardError(_("it describes an organization, not a person"))
    name = _first(card, "n")
    if name is not None and isinstance(name.value, vobject.vcard.Name):
        n = name.value
        result.last_name = _text(n.family)
        result.first_name = _text([n.given, n.additional])
        prefixes = n.prefix if isinstance(n.prefix, list) else str(n.prefix or "").split(",")
        for prefix in (p.strip() for p in prefixes if p and p.strip()):
            if prefix.lower() in SALUTATIONS and not result.salutation:
                result.salutation = prefix
            else:
                result.academic_title = " ".join(p for p in (result.academic_title, prefix) if p)
    formatted = _first(card, "fn")
    if not result.last_name and formatted is not None:
        words = _text(formatted.value).split()
        if words:
            result.last_name = words[-1]
            result.first_name = result.first_name or " ".join(words[:-1])
    emails: list[tuple[bool, int, str, str]] = []
    for prop in card.contents.get("email", []):
        address = _text(prop.value).removeprefix("mailto:").strip().lower()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            result.warnings.append(
                _("“%(value)s” is not an email address; left out") % {"value": address[:100]}
            )
            continue
        emails.append((not _is_preferred(prop), len(emails), address, _kind(prop)))
    seen: set[str] = set()
    for _pref, _i, address, kind_ in sorted(emails):
        if address not in seen:
            seen.add(address)
            result.emails.append((address, kind_))
    for prop in card.contents.get("tel", []):
        number = _text(prop.value)
        number = re.sub(r"^tel:", "", number, flags=re.IGNORECASE).split(";")[0].strip()
        if number:
            result.phones.append((number[:40], _kind(prop)))
    org = _first(card, "org")
    if org is not None:
        units = org.value if isinstance(org.value, list) else [org.value]
        units = [_text(u) for u in units if _text(u)]
        if units:
            result.organization = units[0][:200]
            result.department = " / ".join(units[1:])[:150]
    title = _first(card, "title") or _first(card, "role")
    if title is not None:
        result.title = _text(title.value)[:150]
    note = _first(card, "note")
    if note is not None:
        result.notes = str(note.value or "").strip()[:20000]
    for prop in card.contents.get("categories", []):
        values = prop.value if isinstance(prop.value, list) else str(prop.value).split(",")
        result.tags += [_text(v)[:60] for v in values if _text(v)]
    uid = _first(card, "uid")
    if uid is not None:
        result.uid = _text(uid.value)[:200]
    if not result.last_name:
        raise CardError(_("it has no name (N or FN)"))
    result.first_name = result.first_name[:100]
    result.last_name = result.last_name[:100]
    result.salutation = result.salutation[:30]
    result.academic_title = result.academic_title[:40]
    return result


VCARD_CONTENT_TYPE = "text/vcard; charset=utf-8"


def vcard_stream(cards: Iterable[CardData], version: str = "3.0") -> Iterator[str]:
    """Many people as one .vcf, card by card (for a streamed response)."""
    for data in cards:
        yield vcard_text(data, version)


def person_uid(pk: int, namespace: str = "accord") -> str:
    """A stable UID for a person's card: the same person gives the same UID in every export."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{namespace}:person:{pk}')}"


@dataclass
class CardData:
    """What an export writes for one person (plain values; the selector fills it)."""

    pk: int
    first_name: str
    last_name: str
    salutation: str = ""
    academic_title: str = ""
    organization: str = ""
    title: str = ""
    notes: str = ""
    emails: list[tuple[str, str, bool]] = field(default_factory=list)  # address, kind, primary
    phones: list[tuple[str, str]] = field(default_factory=list)  # E.164 number, kind
    tags: list[str] = field(default_factory=list)
    updated_at: dt.datetime | None = None
    url: str = ""


def vcard_text(data: CardData, version: str = "3.0", namespace: str = "accord") -> str:
    """One person as a vCard 3.0 or 4.0 (CRLF line ends, folded at 75 octets)."""
    v4 = version == "4.0"
    card = vobject.vCard()
    card.add("version").value = "4.0" if v4 else "3.0"
    if v4:
        card.add("kind").value = "individual"
    prefixes = [p for p in (data.salutation, data.academic_title) if p]
    card.add("n").value = vobject.vcard.Name(
        family=data.last_name, given=data.first_name, prefix=prefixes or ""
    )
    card.add("fn").value = " ".join(
        p for p in (data.academic_title, data.first_name, data.last_name) if p
    )
    if data.organization:
        card.add("org").value = [data.organization]
    if data.title:
        card.add("title").value = data.title
    for address, kind, primary in sorted(data.emails, key=lambda e: not e[2]):
        prop = card.add("email")
        prop.value = address
        types = [t for t in (TYPE_FROM_KIND.get(kind, ""),) if t]
        if v4:
            if types:
                prop.type_param = types
            if primary:
                prop.params["PREF"] = ["1"]
        else:
            types = ["INTERNET", *(t.upper() for t in types)]
            if primary:
                types.append("PREF")
            prop.type_param = types
    for number, kind in data.phones:
        prop = card.add("tel")
        kind_type = TYPE_FROM_KIND.get(kind, "") or "voice"
        if v4:
            prop.value = f"tel:{number}"
            prop.params["VALUE"] = ["uri"]
            prop.type_param = [kind_type]
        else:
            prop.value = number
            prop.type_param = [kind_type.upper()]
    if data.notes:
        card.add("note").value = data.notes
    if data.tags:
        card.add("categories").value = list(data.tags)
    if data.url:
        card.add("url").value = data.url
    card.add("uid").value = person_uid(data.pk, namespace)
    if data.updated_at is not None:
        stamp = data.updated_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        card.add("rev").value = stamp
    card.add("prodid").value = "-//Accord//Accord CRM//EN"
    return card.serialize()


# --- iCalendar events --------------------------------------------------------------------------


@dataclass
class CalendarEvent:
    """What a VEVENT says about a meeting, in Accord's terms."""

    number: int
    uid: str
    summary: str
    start: dt.datetime
    duration_minutes: int | None = None
    description: str = ""
    location: str = ""
    organizer: str = ""  # email, lower case
    attendees: list[str] = field(default_factory=list)  # emails, lower case
    recurrence_id: str = ""  # UTC, 20240112T090000Z
    cancelled: bool = False

    @property
    def source_id(self) -> str:
        """ "ical:<UID>", with the RECURRENCE-ID of a changed occurrence; hashed when too long."""
        key = self.uid + (f"|{self.recurrence_id}" if self.recurrence_id else "")
        if len(key) > 900:
            key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
        return f"ical:{key}"

    def where(self) -> str:
        return _("event %(number)d (“%(summary)s”, UID %(uid)s)") % {
            "number": self.number,
            "summary": self.summary[:80],
            "uid": self.uid[:80],
        }


class EventError(ValueError):
    """An event that cannot become an interaction; the message says why, `where` which one."""

    where = ""


def event_where(block: Block, uid: str = "", summary: str = "") -> str:
    if uid or summary:
        return _("event %(number)d (“%(summary)s”, UID %(uid)s)") % {
            "number": block.number,
            "summary": summary[:80],
            "uid": uid[:80],
        }
    return _("event %(number)d (line %(line)d)") % {"number": block.number, "line": block.line}


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


def _aware(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """An all-day date is midnight in the user's zone; a floating time is in the user's zone."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0, 0), tzinfo=tz)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=tz)
    return value


def parse_vevent(block: Block, timezones: str, tz: dt.tzinfo) -> CalendarEvent:
    """A VEVENT block (with the file's VTIMEZONE blocks) → CalendarEvent, or EventError (whose
    `where` names the event by number, title and UID as far as they could be read)."""
    if block.error:
        exc = EventError(block.error)
        exc.where = event_where(block)
        raise exc
    context: dict[str, str] = {}
    try:
        return _parse_vevent(block, timezones, tz, context)
    except EventError as exc:
        exc.where = event_where(block, context.get("uid", ""), context.get("summary", ""))
        raise


def _parse_vevent(
    block: Block, timezones: str, tz: dt.tzinfo, context: dict[str, str]
) -> CalendarEvent:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Accord//import//EN\r\n"
        + timezones
        + block.text
        + ("" if block.text.endswith("\n") else "\r\n")
        + "END:VCALENDAR\r\n"
    )
    try:
        calendar = icalendar.Calendar.from_ical(text)
        events = list(calendar.walk("VEVENT"))
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError, KeyError …
        raise EventError(_("it cannot be read: %(reason)s") % {"reason": str(exc)[:200]}) from exc
    if len(events) != 1:
        raise EventError(_("it cannot be read"))
    event = events[0]
    uid = _text(event.get("UID"))[:900]
    summary = _text(event.get("SUMMARY"))[:300]
    context.update(uid=uid, summary=summary)
    broken = {name.upper(): reason for name, reason in getattr(event, "errors", [])}
    for name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
        if name in broken:
            raise EventError(
                _("its %(field)s is not a valid date or time (%(reason)s)")
                % {"field": name, "reason": str(broken[name])[:120]}
            )
    if not uid:
        raise EventError(_("it has no UID"))
    try:
        start_raw = event.decoded("DTSTART")
    except KeyError as exc:
        raise EventError(_("it has no start (DTSTART)")) from exc
    except Exception as exc:  # noqa: BLE001
        raise EventError(_("its DTSTART cannot be read")) from exc
    if not isinstance(start_raw, dt.date):
        raise EventError(_("its DTSTART is not a valid date or time"))
    start = _aware(start_raw, tz)
    if not (1900 <= start.year <= 2200):
        raise EventError(_("its start (%(value)s) is out of range") % {"value": start.isoformat()})
    duration: dt.timedelta | None = None
    try:
        if event.get("DTEND") is not None:
            end_raw = event.decoded("DTEND")
            if isinstance(end_raw, dt.date):
                duration = _aware(end_raw, tz) - start
        elif event.get("DURATION") is not None:
            value = event.decoded("DURATION")
            duration = value if isinstance(value, dt.timedelta) else None
    except Exception as exc:  # noqa: BLE001
        raise EventError(_("its end (DTEND or DURATION) cannot be read")) from exc
    minutes = None
    if duration is not None:
        if duration < dt.timedelta(0):
            raise EventError(_("it ends before it starts"))
        minutes = int(duration.total_seconds() // 60)
        if minutes > 60 * 24 * 14:
            minutes = None  # a span of weeks is no meeting length
    recurrence = ""
    if event.get("RECURRENCE-ID") is not None:
        try:
            rid = event.decoded("RECURRENCE-ID")
        except Exception as exc:  # noqa: BLE001
            raise EventError(_("its RECURRENCE-ID cannot be read")) from exc
        rid = _aware(rid, tz) if isinstance(rid, dt.date) else None
        if rid is None:
            raise EventError(_("its RECURRENCE-ID is not a valid date or time"))
        recurrence = rid.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    attendees = event.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    emails = list(dict.fromkeys(a for a in (_address(x) for x in attendees) if a))
    return CalendarEvent(
        number=block.number,
        uid=uid,
        summary=summary or _("(no title)"),
        start=start,
        duration_minutes=minutes,
        description=str(event.get("DESCRIPTION") or "").strip()[:100_000],
        location=_text(event.get("LOCATION"))[:300],
        organizer=_address(event.get("ORGANIZER")),
        attendees=emails,
        recurrence_id=recurrence,
        cancelled=_text(event.get("STATUS")).upper() == "CANCELLED",
    )


def read_timezones(stream: IO[bytes]) -> tuple[str, list[str]]:
    """The VTIMEZONE blocks of an .ics file as one text (capped), and problems found in them."""
    parts: list[str] = []
    size = 0
    problems: list[str] = []
    for block in iter_blocks(stream, ["VTIMEZONE"]):
        if block.error:
            problems.append(
                _("time zone %(number)d: %(reason)s")
                % {"number": block.number, "reason": block.error}
            )
            continue
        size += len(block.text)
        if size > MAX_TIMEZONE_BYTES:
            problems.append(_("the file defines too many time zones; the rest are ignored"))
            break
        parts.append(block.text if block.text.endswith("\n") else block.text + "\r\n")
    return "".join(parts), problems


def user_zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC
