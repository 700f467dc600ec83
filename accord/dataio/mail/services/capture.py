"""Captured mail becomes interactions: one per Message-ID, linked, threaded, directed, private.

`MailCapture` is one run for one owner (an upload, or one account's sync). It takes parsed messages
in batches and, per batch, with a handful of queries whatever the batch size:

* drops what exists already (`source_id` = normalised Message-ID, whoever captured it: a second
  account's copy only adds its owner as participant) and what this run has seen (reported for
  an upload, counted for a sync: the same mail in INBOX and Sent);
* finds the people behind the addresses (any `PersonEmail`, or `Person.email`) among the people
  the owner may see, their organization, else an organization by the address's domain (website or
  email of an organization the owner may see; free-mail domains never match);
* tells direction from the owner's own addresses (user email, addresses of their mail accounts)
  and our other users' addresses;
* groups into threads: In-Reply-To/References first, else, for a reply ("Re:", "AW:", "Fwd:",
  "WG: …"), the same normalised subject and the same participants;
* writes everything through `accord.interactions.services.capture` in one transaction, with the addresses
  nobody is known by collected as suggested people (`UnknownSender`), never created silently.

Captured mails have no team: their owner, our users who took part, and the owners of the people
and organizations they are linked to see them (`Interaction.visibility_extra_q`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.interactions.choices import AddressRole, Direction, InteractionKind, InteractionSource
from accord.interactions.services import capture as bulk
from accord.parties.models import Organization, Person, PersonEmail

from ..addresses import FREE_MAIL_DOMAINS, domain_of, is_no_reply
from ..models import MailAccount, UnknownSender
from ..parsing import ParsedMessage, is_reply_subject, normalize_subject

logger = logging.getLogger(__name__)

MAX_DOMAIN_MATCHES = 3
# Whether captured mails are announced through `record_changed` (and so reach outbound webhooks).
# Off: a mail is private to its owner and the owners of what it is linked to, and a webhook
# endpoint's owner is neither; a mailbox sync would also send one event per mail (and the
# announcement costs about 40 % of the capture speed). The lead decides; see the issue note.
ANNOUNCE_CAPTURED = False
# How many message ids a run remembers for threading before it forgets the oldest half.
THREAD_MEMORY = 200_000


@dataclass
class CaptureItem:
    """One parsed message and how to name it in an error ("message 17 <id>")."""

    where: str
    message: ParsedMessage


@dataclass
class BatchOutcome:
    created: int = 0
    duplicates: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: BatchOutcome) -> None:
        self.created += other.created
        self.duplicates += other.duplicates
        self.errors += other.errors


@dataclass
class _Plan:
    drafts: list[bulk.InteractionDraft]
    participants: list[tuple[int, int]]
    unknown: dict[str, list[Any]]  # address → [name, count, first, last]
    threads: dict[str, bulk.ThreadDraft | int]
    keys: dict[str, bulk.ThreadDraft | int]
    seen: dict[str, str]
    outcome: BatchOutcome


def own_addresses(user: Any) -> set[str]:
    """The addresses that are `user`: their login email and those of their mail accounts."""
    found = {user.email.strip().lower()} if getattr(user, "email", "") else set()
    for username, addresses in MailAccount.objects.filter(owner=user).values_list(
        "username", "own_addresses"
    ):
        if "@" in username:
            found.add(username.strip().lower())
        found.update(str(a).strip().lower() for a in addresses or [] if a)
    return found


class MailCapture:
    """One capture run for one owner; `write(items)` per batch (see the module doc)."""

    def __init__(self, *, owner: Any, history: bool = True, report_repeats: bool = True) -> None:
        """`report_repeats`: a Message-ID met twice in this run is an error to report (a file);
        in a sync it is the same mail in two folders (INBOX and Sent), simply counted."""
        self.owner = owner
        self.history = history
        self.report_repeats = report_repeats
        self.own = own_addresses(owner)
        user_model = get_user_model()
        # our users by address (the owner's own addresses map to the owner)
        self.ours: dict[str, int] = {}
        for pk, address in user_model.objects.filter(is_active=True).values_list("pk", "email"):
            if address:
                self.ours[address.strip().lower()] = pk
        for owner_id, username, addresses in MailAccount.objects.filter(
            owner__is_active=True
        ).values_list("owner_id", "username", "own_addresses"):
            for address in [username, *(addresses or [])]:
                address = str(address or "").strip().lower()
                if "@" in address:
                    self.ours.setdefault(address, owner_id)
        for address in self.own:
            self.ours[address] = owner.pk
        self.seen: dict[str, str] = {}  # message id → where this run saw it first
        self.thread_memory: dict[str, bulk.ThreadDraft | int] = {}
        self.key_memory: dict[str, bulk.ThreadDraft | int] = {}
        self._domains: dict[str, list[int]] | None = None

    # --- lookups --------------------------------------------------------------------------------
    def _people(self, addresses: set[str]) -> tuple[dict[str, list[int]], dict[int, int | None]]:
        """address → ids of people (visible to the owner) with that address; person → organization."""
        by_address: dict[str, list[int]] = {}
        wanted = sorted(addresses)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = PersonEmail.objects.visible_to(self.owner).filter(email__in=chunk)
            for address, person_id in rows.values_list("email", "person_id"):
                by_address.setdefault(address.lower(), []).append(person_id)
            rows_p = Person.objects.visible_to(self.owner).filter(email__in=chunk)
            for address, person_id in rows_p.values_list("email", "pk"):
                ids = by_address.setdefault(address.lower(), [])
                if person_id not in ids:
                    ids.append(person_id)
        person_ids = sorted({p for ids in by_address.values() for p in ids})
        organization_of: dict[int, int | None] = {}
        for start in range(0, len(person_ids), 500):
            organization_of.update(
                Person.objects.filter(pk__in=person_ids[start : start + 500]).values_list(
                    "pk", "organization_id"
                )
            )
        return by_address, organization_of

    def _domain_map(self) -> dict[str, list[int]]:
        """Domain → organizations (visible to the owner) whose website or email is at it."""
        if self._domains is None:
            domains: dict[str, list[int]] = {}
            rows = (
                Organization.objects.visible_to(self.owner)
                .filter(is_archived=False)
                .exclude(website="", email="")
                .values_list("pk", "website", "email")
            )
            for pk, website, email in rows.iterator(chunk_size=5000):
                for domain in {domain_of(website), domain_of(email)}:
                    if domain and domain not in FREE_MAIL_DOMAINS:
                        ids = domains.setdefault(domain, [])
                        if pk not in ids:
                            ids.append(pk)
            self._domains = domains
        return self._domains

    def _organizations_for_domain(self, address: str) -> list[int]:
        domain = address.rpartition("@")[2]
        if not domain or domain in FREE_MAIL_DOMAINS:
            return []
        domains = self._domain_map()
        labels = domain.split(".")
        for start in range(len(labels) - 1):
            found = domains.get(".".join(labels[start:]))
            if found:
                return found if len(found) <= MAX_DOMAIN_MATCHES else []
        return []

    # --- planning ---------------------------------------------------------------------------------
    def _direction(self, message: ParsedMessage) -> str:
        sender = message.sender
        if sender is None or sender.address not in self.ours:
            return Direction.INBOUND
        others = [a for a in message.addresses if a.role != AddressRole.FROM]
        if others and all(a.address in self.ours for a in others):
            return Direction.INTERNAL
        return Direction.OUTBOUND

    @staticmethod
    def _thread_key(message: ParsedMessage, normalized: str) -> str:
        participants = sorted({a.address for a in message.addresses})
        return hashlib.sha1(  # noqa: S324 - a grouping key, not security
            f"{normalized}\n{','.join(participants)}".encode()
        ).hexdigest()

    def _plan(self, items: Sequence[CaptureItem]) -> _Plan:
        outcome = BatchOutcome()
        seen: dict[str, str] = {}
        fresh: list[CaptureItem] = []
        for item in items:
            mid = item.message.message_id
            first = self.seen.get(mid) or seen.get(mid)
            if first is not None:
                outcome.duplicates += 1
                if not self.report_repeats:
                    continue
                outcome.errors.append(
                    (
                        item.where,
                        _(
                            "The Message-ID <%(id)s> occurred already (%(first)s); the message "
                            "is imported once."
                        )
                        % {"id": mid, "first": first},
                    )
                )
                continue
            seen[mid] = item.where
            fresh.append(item)
        existing = bulk.existing_source_ids(i.message.message_id for i in fresh)
        participants: list[tuple[int, int]] = []
        todo: list[CaptureItem] = []
        for item in fresh:
            pk = existing.get(item.message.message_id)
            if pk is None:
                todo.append(item)
            else:
                outcome.duplicates += 1
                participants.append((pk, self.owner.pk))
        external = {
            a.address for i in todo for a in i.message.addresses if a.address not in self.ours
        }
        people, organization_of = self._people(external)
        # threads: references known to this run or stored, else the subject-and-participants key
        refs = {r for i in todo for r in (*i.message.references, i.message.message_id)}
        stored_threads = bulk.threads_of(r for r in refs if r not in self.thread_memory)
        keys_wanted: dict[str, str] = {}
        for i in todo:
            if is_reply_subject(i.message.subject):
                normalized = normalize_subject(i.message.subject)
                if normalized:
                    keys_wanted[i.message.message_id] = self._thread_key(i.message, normalized)
        stored_keys = bulk.threads_by_key(
            k for k in keys_wanted.values() if k not in self.key_memory
        )
        threads: dict[str, bulk.ThreadDraft | int] = {}
        keys: dict[str, bulk.ThreadDraft | int] = {}
        unknown: dict[str, list[Any]] = {}
        drafts: list[bulk.InteractionDraft] = []
        for item in todo:
            message = item.message
            drafts.append(
                self._draft(
                    message,
                    people=people,
                    organization_of=organization_of,
                    thread=self._thread_for(
                        message, threads, keys, stored_threads, stored_keys, keys_wanted
                    ),
                    unknown=unknown,
                )
            )
        outcome.created = len(drafts)
        return _Plan(drafts, participants, unknown, threads, keys, seen, outcome)

    def _thread_for(
        self,
        message: ParsedMessage,
        threads: dict[str, bulk.ThreadDraft | int],
        keys: dict[str, bulk.ThreadDraft | int],
        stored_threads: dict[str, int],
        stored_keys: dict[str, int],
        keys_wanted: dict[str, str],
    ) -> bulk.ThreadDraft | int:
        mid = message.message_id
        candidates = [mid, *reversed(message.references)]
        thread: bulk.ThreadDraft | int | None = None
        for ref in candidates:
            thread = threads.get(ref) or self.thread_memory.get(ref) or stored_threads.get(ref)
            if thread is not None:
                break
        key = keys_wanted.get(mid)
        if thread is None and key:
            thread = keys.get(key) or self.key_memory.get(key) or stored_keys.get(key)
        if thread is None:
            normalized = normalize_subject(message.subject)
            thread = bulk.ThreadDraft(
                subject=message.subject or normalized,
                normalized_subject=normalized,
                key=self._thread_key(message, normalized),
                started_at=message.date,
            )
            keys.setdefault(thread.key, thread)
        for ref in candidates:
            threads.setdefault(ref, thread)
        if key:
            keys.setdefault(key, thread)
        return thread

    def _draft(
        self,
        message: ParsedMessage,
        *,
        people: dict[str, list[int]],
        organization_of: dict[int, int | None],
        thread: bulk.ThreadDraft | int,
        unknown: dict[str, list[Any]],
    ) -> bulk.InteractionDraft:
        direction = self._direction(message)
        person_ids: list[int] = []
        organization_ids: list[int] = []
        user_ids: list[int] = [self.owner.pk]
        for a in message.addresses:
            if a.address in self.ours:
                user_ids.append(self.ours[a.address])
                continue
            found = people.get(a.address, [])
            person_ids += found
            orgs = [organization_of[p] for p in found if organization_of.get(p)]
            organization_ids += [o for o in orgs if o is not None] or (
                self._organizations_for_domain(a.address)
            )
            offered = (
                a.role == AddressRole.FROM
                if direction == Direction.INBOUND
                else (
                    direction == Direction.OUTBOUND and a.role in (AddressRole.TO, AddressRole.CC)
                )
            )
            if not found and offered and not is_no_reply(a.address):
                entry = unknown.setdefault(a.address, [a.name, 0, message.date, message.date])
                entry[0] = entry[0] or a.name
                entry[1] += 1
                entry[2] = min(entry[2], message.date)
                entry[3] = max(entry[3], message.date)
        return bulk.InteractionDraft(
            owner_id=self.owner.pk,
            occurred_at=message.date,
            subject=message.subject or _("(no subject)"),
            body=message.body,
            body_html=message.body_html,
            kind=InteractionKind.EMAIL,
            direction=direction,
            source=InteractionSource.MAIL,
            source_id=message.message_id,
            thread=thread,
            organization_ids=list(dict.fromkeys(organization_ids)),
            person_ids=list(dict.fromkeys(person_ids)),
            user_ids=list(dict.fromkeys(user_ids)),
            addresses=[(a.role, a.address, a.name) for a in message.addresses],
            attachments=[
                bulk.AttachmentDraft(
                    filename=f.filename,
                    content_type=f.content_type,
                    data=f.data,
                    content_id=f.content_id,
                )
                for f in message.attachments
            ],
        )

    # --- writing --------------------------------------------------------------------------------
    def _upsert_unknown(self, unknown: dict[str, list[Any]]) -> None:
        """Add this batch's counts to the owner's suggested people (one statement per new row set,
        one `executemany` for the counts of those seen before)."""
        if not unknown:
            return
        addresses = sorted(unknown)
        existing: dict[str, int] = {}
        for start in range(0, len(addresses), 500):
            existing.update(
                UnknownSender.objects.filter(
                    owner=self.owner, address__in=addresses[start : start + 500]
                ).values_list("address", "pk")
            )
        UnknownSender.objects.bulk_create(
            [
                UnknownSender(
                    owner=self.owner,
                    address=address,
                    display_name=(name or "")[:200],
                    message_count=count,
                    first_seen=first,
                    last_seen=last,
                )
                for address, (name, count, first, last) in unknown.items()
                if address not in existing
            ]
        )
        if not existing:
            return
        adapt = connection.ops.adapt_datetimefield_value
        least, greatest = ("MIN", "MAX") if connection.vendor == "sqlite" else ("LEAST", "GREATEST")
        table = connection.ops.quote_name(UnknownSender._meta.db_table)
        sql = (
            f"UPDATE {table} SET message_count = message_count + %s, "  # noqa: S608 - from meta
            f"first_seen = {least}(first_seen, %s), last_seen = {greatest}(last_seen, %s), "
            "display_name = CASE WHEN display_name = '' THEN %s ELSE display_name END, "
            "updated_at = %s WHERE id = %s"
        )
        now = adapt(timezone.now())
        rows = [
            (count, adapt(first), adapt(last), (name or "")[:200], now, existing[address])
            for address, (name, count, first, last) in unknown.items()
            if address in existing
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def _write_plan(self, plan: _Plan, inside: Callable[[], None] | None) -> None:
        with transaction.atomic():
            bulk.interactions_bulk_create(
                plan.drafts, history=self.history, announce=ANNOUNCE_CAPTURED, actor=self.owner
            )
            bulk.interaction_add_participants(plan.participants)
            self._upsert_unknown(plan.unknown)
            if inside is not None:
                inside()

    def _remember(self, plan: _Plan) -> None:
        if len(self.thread_memory) > THREAD_MEMORY:
            for key in list(self.thread_memory)[: THREAD_MEMORY // 2]:
                del self.thread_memory[key]
            self.key_memory.clear()
        for memory, new in ((self.thread_memory, plan.threads), (self.key_memory, plan.keys)):
            for key, thread in new.items():
                pk = thread.pk if isinstance(thread, bulk.ThreadDraft) else thread
                if pk is not None:
                    memory[key] = pk
        self.seen.update(plan.seen)

    def write(
        self, items: Sequence[CaptureItem], *, inside: Callable[[], None] | None = None
    ) -> BatchOutcome:
        """Capture a batch in one transaction (`inside` runs in it too: a sync's folder state).

        A batch that collides with another writer (a unique constraint) is planned and written
        again; one that still fails is written message by message, so that one bad message is
        reported and the others are kept.
        """
        for _attempt in range(2):
            plan = self._plan(items)
            try:
                self._write_plan(plan, inside)
            except IntegrityError:
                logger.info("mail capture batch collided with another writer; retrying")
                continue
            except DatabaseError:
                logger.exception("mail capture batch failed; writing one by one")
                break
            self._remember(plan)
            return plan.outcome
        outcome = BatchOutcome()
        for item in items:
            plan = self._plan([item])
            try:
                self._write_plan(plan, None)
            except DatabaseError as exc:
                logger.exception("mail capture of %s failed", item.where)
                outcome.errors.append(
                    (item.where, _("The message could not be stored: %(error)s") % {"error": exc})
                )
                continue
            self._remember(plan)
            outcome.add(plan.outcome)
        if inside is not None:
            with transaction.atomic():
                inside()
        return outcome


def capture_messages(
    *, owner: Any, items: Iterable[CaptureItem], batch_size: int = 500
) -> BatchOutcome:
    """Capture messages for `owner` in batches (tests, small uploads); errors in the outcome."""
    capture = MailCapture(owner=owner)
    outcome = BatchOutcome()
    batch: list[CaptureItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            outcome.add(capture.write(batch))
            batch = []
    if batch:
        outcome.add(capture.write(batch))
    return outcome
