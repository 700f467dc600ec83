"""Competitors: the profile of an organization with the competitor role, and where competitors are
present (on an opportunity, at a client account).

Rules (refused with a message naming the field): a profile belongs to an organization with the
competitor role, one per organization; a presence names a competitor (an organization with the
competitor role that the actor may see), never the account itself, once per opportunity or
account; only who may change the opportunity, the account or the competitor organization edits.

When an opportunity is lost to a competitor (`won_competitor`), that competitor's presence on the
opportunity becomes "lost to" (created if missing): `opportunity_lost_to_record`, called by the
opportunity service, keeps that rule in this one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.parties.models import Organization

from ..choices import CompetitorStatus, StageKind
from ..models import AccountCompetitor, CompetitorProfile, Opportunity, OpportunityCompetitor

PROFILE_FIELDS = ("products", "strengths", "weaknesses", "price_position", "notes")


# --- profiles -----------------------------------------------------------------------------------
def _require_competitor_role(organization: Organization | None, field: str) -> Organization:
    if organization is None:
        raise ValidationError({field: _("Choose a competitor.")})
    if not organization.is_competitor:
        raise ValidationError(
            {
                field: _(
                    "%(organization)s does not have the competitor role; give it the role first."
                )
                % {"organization": organization}
            }
        )
    return organization


def competitor_profile_save(
    *, actor: Any, organization: Organization, data: Mapping[str, Any]
) -> CompetitorProfile:
    """Create the competitor's profile on its first edit, change it afterwards."""
    _require_competitor_role(organization, "organization")
    core.require_change(actor, organization)
    values = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    for name in PROFILE_FIELDS:
        if name in values and values[name] is None:
            values[name] = ""
    with transaction.atomic():
        profile = (
            CompetitorProfile.objects.select_for_update().filter(organization=organization).first()
        )
        if profile is None:
            return core.model_create(
                CompetitorProfile, actor=actor, data={**values, "organization": organization}
            )
        return core.model_update(profile, actor=actor, data=values)


def competitor_profile_create(*, actor: Any, data: Mapping[str, Any]) -> CompetitorProfile:
    """The API's create: the organization comes in the data; a second profile is refused."""
    organization = _require_competitor_role(data.get("organization"), "organization")
    if CompetitorProfile.objects.filter(organization=organization).exists():
        raise ValidationError(
            {"organization": _("This competitor has a profile already; change that one.")}
        )
    return competitor_profile_save(actor=actor, organization=organization, data=data)


def competitor_profile_update(
    *, actor: Any, instance: CompetitorProfile, data: Mapping[str, Any]
) -> CompetitorProfile:
    if "organization" in data and data["organization"] != instance.organization:
        raise ValidationError({"organization": _("A profile cannot move to another organization.")})
    return competitor_profile_save(actor=actor, organization=instance.organization, data=data)


def competitor_profile_delete(*, actor: Any, instance: CompetitorProfile) -> None:
    core.model_delete(instance, actor=actor)


# --- presence -----------------------------------------------------------------------------------
def _validate_competitor(actor: Any, competitor: Organization | None, party: Organization) -> None:
    competitor = _require_competitor_role(competitor, "competitor")
    if (
        actor is not None
        and not Organization.objects.visible_to(actor).filter(pk=competitor.pk).exists()
    ):
        raise ValidationError({"competitor": _("You may not see this organization.")})
    if competitor.pk == party.pk:
        raise ValidationError(
            {"competitor": _("An organization cannot be its own competitor here.")}
        )


def _validate_status(status: Any) -> str:
    if status not in CompetitorStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    return str(status)


def _duplicate(competitor: Organization, where: Any) -> ValidationError:
    return ValidationError(
        {
            "competitor": _("%(competitor)s is recorded on %(where)s already; change that entry.")
            % {"competitor": competitor, "where": where}
        }
    )


def opportunity_competitor_add(
    *, actor: Any, opportunity: Opportunity, data: Mapping[str, Any]
) -> OpportunityCompetitor:
    """A competitor in the running for the opportunity (default: shortlisted)."""
    core.require_change(actor, opportunity)
    competitor = data.get("competitor")
    _validate_competitor(actor, competitor, opportunity.organization)
    assert competitor is not None
    status = _validate_status(data.get("status") or CompetitorStatus.SHORTLISTED)
    if OpportunityCompetitor.objects.filter(
        opportunity=opportunity, competitor=competitor
    ).exists():
        raise _duplicate(competitor, opportunity)
    values = {
        "opportunity": opportunity,
        "competitor": competitor,
        "status": status,
        "notes": data.get("notes") or "",
    }
    with transaction.atomic():
        return core.model_create(OpportunityCompetitor, actor=actor, data=values)


def opportunity_competitor_create(*, actor: Any, data: Mapping[str, Any]) -> OpportunityCompetitor:
    opportunity = data.get("opportunity")
    if opportunity is None:
        raise ValidationError({"opportunity": _("Choose an opportunity.")})
    return opportunity_competitor_add(actor=actor, opportunity=opportunity, data=data)


def opportunity_competitor_update(
    *, actor: Any, instance: OpportunityCompetitor, data: Mapping[str, Any]
) -> OpportunityCompetitor:
    """Change status or notes (the competitor and the opportunity stay)."""
    core.require_change(actor, instance)
    data = dict(data)
    for name, label in (
        ("opportunity", _("A presence cannot move to another opportunity.")),
        ("competitor", _("Remove this entry and add the other competitor instead.")),
    ):
        if name in data and data[name] != getattr(instance, name):
            raise ValidationError({name: label})
        data.pop(name, None)
    if "status" in data:
        data["status"] = _validate_status(data["status"])
    if "notes" in data and data["notes"] is None:
        data["notes"] = ""
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=data)


def opportunity_competitor_remove(*, actor: Any, instance: OpportunityCompetitor) -> None:
    core.model_delete(instance, actor=actor)


def account_competitor_add(
    *, actor: Any, account: Organization, data: Mapping[str, Any]
) -> AccountCompetitor:
    """A competitor present at a client account (default: the incumbent)."""
    core.require_change(actor, account)
    competitor = data.get("competitor")
    _validate_competitor(actor, competitor, account)
    assert competitor is not None
    status = _validate_status(data.get("status") or CompetitorStatus.INCUMBENT)
    if AccountCompetitor.objects.filter(account=account, competitor=competitor).exists():
        raise _duplicate(competitor, account)
    values = {
        "account": account,
        "competitor": competitor,
        "status": status,
        "since": data.get("since"),
        "products": data.get("products") or "",
        "notes": data.get("notes") or "",
    }
    with transaction.atomic():
        return core.model_create(AccountCompetitor, actor=actor, data=values)


def account_competitor_create(*, actor: Any, data: Mapping[str, Any]) -> AccountCompetitor:
    account = data.get("account")
    if account is None:
        raise ValidationError({"account": _("Choose the client account.")})
    return account_competitor_add(actor=actor, account=account, data=data)


def account_competitor_update(
    *, actor: Any, instance: AccountCompetitor, data: Mapping[str, Any]
) -> AccountCompetitor:
    """Change status, since, products or notes (the competitor and the account stay)."""
    core.require_change(actor, instance)
    data = dict(data)
    for name, label in (
        ("account", _("A presence cannot move to another account.")),
        ("competitor", _("Remove this entry and add the other competitor instead.")),
    ):
        if name in data and data[name] != getattr(instance, name):
            raise ValidationError({name: label})
        data.pop(name, None)
    if "status" in data:
        data["status"] = _validate_status(data["status"])
    for name in ("products", "notes"):
        if name in data and data[name] is None:
            data[name] = ""
    with transaction.atomic():
        return core.model_update(instance, actor=actor, data=data)


def account_competitor_remove(*, actor: Any, instance: AccountCompetitor) -> None:
    core.model_delete(instance, actor=actor)


# --- lost to a competitor -----------------------------------------------------------------------
def opportunity_lost_to_record(
    *, actor: Any, opportunity: Opportunity
) -> OpportunityCompetitor | None:
    """A lost opportunity with `won_competitor`: that competitor's presence becomes "lost to"
    (created if missing) and no other competitor stays "lost to" on it. Called by the opportunity
    service inside its transaction; does nothing for open, won, or lost-without-competitor deals.
    """
    competitor_id = opportunity.won_competitor_id
    if (
        competitor_id is None
        or opportunity.stage.kind != StageKind.LOST
        or competitor_id == opportunity.organization_id
    ):
        return None
    if actor is not None and not visibility.can_change(actor, opportunity):
        actor = None  # the change that lost the deal also handed it on: a consequence, not a choice
    presences = list(OpportunityCompetitor.objects.filter(opportunity=opportunity))
    for other in presences:
        if other.competitor_id != competitor_id and other.status == CompetitorStatus.LOST_TO:
            core.model_update(other, actor=actor, data={"status": CompetitorStatus.SHORTLISTED})
    presence = next((p for p in presences if p.competitor_id == competitor_id), None)
    if presence is None:
        return core.model_create(
            OpportunityCompetitor,
            actor=actor,
            data={
                "opportunity": opportunity,
                "competitor_id": competitor_id,
                "status": CompetitorStatus.LOST_TO,
            },
        )
    if presence.status != CompetitorStatus.LOST_TO:
        return core.model_update(presence, actor=actor, data={"status": CompetitorStatus.LOST_TO})
    return presence
