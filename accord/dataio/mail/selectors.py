"""Reads of the mail app: a user's accounts, mail imports and suggested people (each user sees only
their own; the captured mails are interactions, read through `accord.interactions.selectors`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accord.core.jobs import visible_jobs
from accord.core.models import Job
from accord.parties.models import Organization, PersonEmail

from .addresses import FREE_MAIL_DOMAINS, domain_of
from .models import MailAccount, SenderStatus, UnknownSender
from .services.accounts import SYNC_KIND
from .services.imports import IMPORT_KIND

HOME_LIMIT = 10


def mail_accounts(user: Any) -> QuerySet[MailAccount]:
    return MailAccount.objects.filter(owner=user).order_by("name", "host", "id")


def mail_account_get(user: Any, pk: Any) -> MailAccount:
    """One of the user's accounts (DoesNotExist for anyone else's)."""
    return mail_accounts(user).get(pk=int(pk))


def mail_imports(user: Any) -> QuerySet[Job]:
    """The user's mail uploads (jobs), newest first."""
    return visible_jobs(user).filter(kind=IMPORT_KIND, started_by=user).order_by("-created_at")


def mail_import_get(user: Any, pk: Any) -> Job:
    return visible_jobs(user).filter(kind__in=[IMPORT_KIND, SYNC_KIND]).get(pk=int(pk))


def unknown_senders(user: Any, *, status: str = SenderStatus.NEW) -> QuerySet[UnknownSender]:
    """The user's suggested people with this status, most mail first. New suggestions whose address
    has meanwhile become a person the user may see are left out."""
    qs = UnknownSender.objects.filter(owner=user)
    if status:
        qs = qs.filter(status=status)
    if status == SenderStatus.NEW:
        known = PersonEmail.objects.visible_to(user).filter(email=OuterRef("address"))
        qs = qs.exclude(Exists(known))
    return qs.order_by("-message_count", "-last_seen", "id")


def unknown_sender_get(user: Any, pk: Any) -> UnknownSender:
    return UnknownSender.objects.filter(owner=user).get(pk=int(pk))


def mail_home(user: Any) -> dict[str, Any]:
    senders = unknown_senders(user)
    return {
        "accounts": list(mail_accounts(user)),
        "imports": list(mail_imports(user)[:HOME_LIMIT]),
        "senders": list(senders[:HOME_LIMIT]),
        "sender_count": senders.count(),
    }


def organization_for_address(user: Any, address: str) -> Organization | None:
    """The organization (visible to the user) whose website or email is at the address's domain,
    if exactly one is: the suggestion when a sender becomes a person."""
    domain = address.rpartition("@")[2].lower()
    if not domain or domain in FREE_MAIL_DOMAINS:
        return None
    candidates = (
        Organization.objects.visible_to(user)
        .filter(is_archived=False)
        .filter(Q(website__icontains=domain) | Q(email__iendswith=f"@{domain}"))
        .only("pk", "name", "website", "email")[:20]
    )
    matches = [o for o in candidates if domain in (domain_of(o.website), domain_of(o.email))]
    return matches[0] if len(matches) == 1 else None
