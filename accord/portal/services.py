"""Portal accounts: inviting a client's person, accepting the invitation, signing in, and telling
the owning team about what clients do in the portal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accord.core import notifications, visibility
from accord.core.services import model_create, model_update, require_change
from accord.parties.models import Organization, Person

from .models import PortalAccount

INVITATION_SALT = "accord.portal.invitation"
INVITATION_MAX_AGE = timedelta(days=14)
MAX_FAILED_SIGN_INS = 5
SIGN_IN_LOCK = timedelta(minutes=15)
PERMISSIONS = ("can_order", "can_see_invoices", "can_open_cases", "can_book_services")


def _state(account: PortalAccount) -> str:
    """Changes when the password is set or the account is switched off: old links stop working."""
    value = f"{account.pk}|{account.password}|{account.accepted_at}|{account.is_active}"
    return salted_hmac(INVITATION_SALT, value).hexdigest()[:20]


def invitation_token(account: PortalAccount) -> str:
    return signing.dumps({"a": account.pk, "s": _state(account)}, salt=INVITATION_SALT)


def invitation_path(account: PortalAccount) -> str:
    return reverse("portal:accept", args=[invitation_token(account)])


def account_for_token(token: str) -> PortalAccount:
    """The account an invitation link is for; a clear error when it is expired or used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This invitation has expired. Ask your contact for a new one.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This invitation link is not valid.")) from None
    account = PortalAccount.objects.filter(pk=data.get("a")).first()
    if account is None or _state(account) != data.get("s") or not account.is_active:
        raise ValidationError(
            _("This invitation link has been used or withdrawn. Sign in, or ask for a new one.")
        )
    return account


def _person_email(person: Person) -> str:
    primary = person.emails.order_by("-is_primary", "pk").first()
    return primary.email if primary else ""


def invite(
    *,
    actor: Any,
    person: Person,
    organization: Organization | None = None,
    email: str = "",
    language: str = "de",
    permissions: dict[str, bool] | None = None,
    base_url: str = "",
) -> tuple[PortalAccount, str]:
    """Invite a person at a client organization to the portal (or send a new invitation).

    Returns the account and the invitation link; the link is mailed to the person too."""
    require_change(actor, person)
    if organization is None:
        organization = person.organization
    if organization is None:
        raise ValidationError(
            {"organization": _("Choose the client organization this person acts for.")}
        )
    if not visibility.can_view(actor, organization):
        raise ValidationError({"organization": _("You may not see this organization.")})
    if not (organization.is_client or organization.is_prospect):
        raise ValidationError(
            {"organization": _("Only people at client or prospect organizations can be invited.")}
        )
    at_org = (
        person.organization_id == organization.pk
        or person.positions.filter(organization=organization).exists()
    )
    if not at_org:
        raise ValidationError(
            {
                "person": _("%(person)s holds no position at %(org)s.")
                % {"person": person, "org": organization}
            }
        )
    email = (email or _person_email(person)).strip().lower()
    if not email:
        raise ValidationError({"email": _("This person has no email address; enter one.")})
    taken = PortalAccount.objects.filter(email__iexact=email).exclude(person=person)
    if taken.exists():
        raise ValidationError({"email": _("Another portal account already uses this address.")})
    with transaction.atomic():
        account = PortalAccount.objects.filter(person=person).first()
        fields = {
            "organization": organization,
            "email": email,
            "language": language,
            "is_active": True,
            "invited_by": actor,
            "invited_at": timezone.now(),
        }
        fields.update({k: bool(v) for k, v in (permissions or {}).items() if k in PERMISSIONS})
        if account is None:
            account = model_create(PortalAccount, actor=actor, data={"person": person, **fields})
        else:
            account = model_update(account, actor=actor, data=fields)
    link = base_url.rstrip("/") + invitation_path(account)
    transaction.on_commit(lambda: _mail_invitation(account, link))
    return account, link


def _mail_invitation(account: PortalAccount, link: str) -> None:
    with translation.override(account.language):
        subject = _("Your access to the %(org)s client portal") % {"org": account.organization.name}
        body = _(
            "Hello %(name)s,\n\nyou have been invited to the client portal, where you can see "
            "your quotes, orders and invoices, follow your cases and book trainings.\n\n"
            "Choose your password here (the link is valid for 14 days):\n%(link)s\n"
        ) % {"name": account.person, "link": link}
    send_mail(subject, body, None, [account.email], fail_silently=True)


def accept_invitation(*, token: str, password: str, password_again: str) -> PortalAccount:
    account = account_for_token(token)
    if password != password_again:
        raise ValidationError({"password_again": _("The two passwords differ.")})
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    account.set_password(password)  # hashed here; the history leaves the password out
    return model_update(
        account, actor=None, data={"password": account.password, "accepted_at": timezone.now()}
    )


def _lock_key(email: str) -> str:
    return f"portal-sign-in:{email.strip().lower()}"


def authenticate(*, email: str, password: str) -> PortalAccount:
    """The active account with this address and password; after five failed tries the address is
    locked for 15 minutes. The message never says which of address and password was wrong."""
    key = _lock_key(email)
    failures = cache.get(key, 0)
    if failures >= MAX_FAILED_SIGN_INS:
        raise ValidationError(
            _("Too many failed sign-ins for this address. Try again in 15 minutes.")
        )
    account = PortalAccount.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if account is None or not account.check_password(password):
        cache.set(key, failures + 1, SIGN_IN_LOCK.total_seconds())
        raise ValidationError(_("The email address or the password is not right."))
    cache.delete(key)
    account.last_login = timezone.now()
    account.save(update_fields=["last_login"])
    return account


def change_password(
    *, account: PortalAccount, current: str, password: str, password_again: str
) -> PortalAccount:
    if not account.check_password(current):
        raise ValidationError({"current": _("The current password is not right.")})
    if password != password_again:
        raise ValidationError({"password_again": _("The two passwords differ.")})
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    account.set_password(password)
    return model_update(account, actor=None, data={"password": account.password})


def update_account(*, actor: Any, account: PortalAccount, data: dict[str, Any]) -> PortalAccount:
    """Change permissions, language or active state (staff who may change the person)."""
    allowed = {*PERMISSIONS, "language", "is_active"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    return model_update(account, actor=actor, data=data)


def deactivate(*, actor: Any, account: PortalAccount) -> PortalAccount:
    if not visibility.can_change(actor, account):
        raise PermissionDenied(_("You may not change this record."))
    return model_update(account, actor=actor, data={"is_active": False})


def notify_team(
    organization: Organization, *, key: str, title: str, body: str = "", url: str = ""
) -> int:
    """Tell the organization's owner and its team that a client did something in the portal."""
    users: list[Any] = []
    owner, team = organization.owner, organization.team
    if owner is not None and owner.is_active:
        users.append(owner)
    if team is not None:
        users.extend(team.members.filter(is_active=True))
    return len(
        notifications.notify_many(users, key=key, title=title, body=body, url=url, kind="portal")
    )


# --- the catalogue of products a client may order in the portal ---------------------------------


def _catalogue_data(actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    org = data.get("organization")
    if org is not None:
        if not visibility.can_view(actor, org):
            raise ValidationError({"organization": _("Choose an organization you can see.")})
        if not visibility.can_change(actor, org):
            raise ValidationError(
                {"organization": _("You may not change this organization's catalogue.")}
            )
    return data


def catalogue_item_create(*, actor: Any, data: dict[str, Any]) -> Any:
    from .models import CatalogueItem

    return model_create(CatalogueItem, actor=actor, data=_catalogue_data(actor, dict(data)))


def catalogue_item_update(*, actor: Any, instance: Any, data: dict[str, Any]) -> Any:
    return model_update(instance, actor=actor, data=_catalogue_data(actor, dict(data)))


def catalogue_item_delete(*, actor: Any, instance: Any) -> None:
    from accord.core.services import model_delete

    model_delete(instance, actor=actor)
