"""Suggested people: addresses from captured mail that belong to nobody the user may see.

Nothing is created until the user decides: "add as person" creates the person through the parties
services (with the address, and a position at the organization chosen) and links the user's
captured mails from and to that address to the new person; "ignore" hides the address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.interactions.services import capture as bulk
from accord.parties import services as parties
from accord.parties.models import Organization, Person

from ..models import SenderStatus, UnknownSender


def _require_owner(actor: Any, sender: UnknownSender) -> None:
    if actor is None or sender.owner_id != actor.pk:
        raise PermissionDenied(_("This suggestion belongs to another user."))


def split_name(display_name: str, address: str) -> tuple[str, str]:
    """(first name, last name) from "Jörg Müller", "Müller, Jörg" or, failing that, the address."""
    name = (display_name or "").strip().strip("\"'")
    if "@" in name:
        name = ""
    if "," in name:
        last, _sep, first = name.partition(",")
        return first.strip(), last.strip()
    if name:
        first, _sep, last = name.rpartition(" ")
        return (first.strip(), last.strip()) if first else ("", name)
    local = address.partition("@")[0]
    parts = [p for p in local.replace("_", ".").replace("-", ".").split(".") if p]
    if len(parts) >= 2:
        return parts[0].title(), parts[-1].title()
    return "", (parts[0].title() if parts else address)


def unknown_sender_create_person(
    *, actor: Any, instance: UnknownSender, data: Mapping[str, Any]
) -> Person:
    """Create the person for a suggested address and link the actor's mails with it to them.

    `data`: first_name, last_name, organization (optional, one the actor may see), title.
    """
    _require_owner(actor, instance)
    if instance.status == SenderStatus.CREATED and instance.person_id:
        raise ValidationError(_("A person was created for this address already."))
    organization = data.get("organization")
    if organization is not None and not isinstance(organization, Organization):
        organization = Organization.objects.visible_to(actor).filter(pk=organization).first()
        if organization is None:
            raise ValidationError({"organization": _("Choose an organization you may see.")})
    person_data: dict[str, Any] = {
        "first_name": str(data.get("first_name") or "").strip(),
        "last_name": str(data.get("last_name") or "").strip(),
        "emails": [{"email": instance.address, "is_primary": True}],
    }
    if not person_data["last_name"]:
        raise ValidationError({"last_name": _("Enter the last name.")})
    if organization is not None:
        person_data["positions"] = [
            {
                "organization": organization,
                "title": str(data.get("title") or "").strip(),
                "is_primary": True,
            }
        ]
    with transaction.atomic():
        person = parties.person_create(actor=actor, data=person_data)
        UnknownSender.objects.filter(pk=instance.pk).update(
            status=SenderStatus.CREATED, person=person
        )
        instance.status, instance.person = SenderStatus.CREATED, person
        bulk.interactions_link_address(
            owner_id=actor.pk,
            address=instance.address,
            person_id=person.pk,
            organization_id=organization.pk if organization is not None else None,
        )
    return person


def unknown_sender_ignore(*, actor: Any, instance: UnknownSender) -> UnknownSender:
    """Hide a suggestion (mail from the address still counts, it is just not offered)."""
    _require_owner(actor, instance)
    UnknownSender.objects.filter(pk=instance.pk).update(status=SenderStatus.IGNORED)
    instance.status = SenderStatus.IGNORED
    return instance


def unknown_sender_restore(*, actor: Any, instance: UnknownSender) -> UnknownSender:
    """Offer an ignored suggestion again."""
    _require_owner(actor, instance)
    if instance.status == SenderStatus.IGNORED:
        UnknownSender.objects.filter(pk=instance.pk).update(status=SenderStatus.NEW)
        instance.status = SenderStatus.NEW
    return instance
