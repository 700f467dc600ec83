"""The portal session: separate from the staff login (another session key, another model).

`portal_required` gives a view `request.portal_account` and `request.portal_organization`, or sends
the visitor to the portal's sign-in page. Every portal query filters on
`request.portal_organization`; a record of another organization is a 404, never a 403, so a
client cannot even learn that it exists."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import PortalAccount
from .registry import allows

SESSION_KEY = "_accord_portal_account"
SESSION_HASH = "_accord_portal_hash"


def _session_hash(account: PortalAccount) -> str:
    return salted_hmac("accord.portal.session", account.password).hexdigest()


def sign_in(request, account: PortalAccount) -> None:
    request.session.cycle_key()  # no session fixation
    request.session[SESSION_KEY] = account.pk
    request.session[SESSION_HASH] = _session_hash(account)


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_HASH, None)
    request.session.cycle_key()


def current_account(request) -> PortalAccount | None:
    """The signed-in portal account; None when nobody is signed in, the account was switched off
    or its password changed since (other sessions end then)."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    account = (
        PortalAccount.objects.select_related("organization", "person")
        .filter(pk=pk, is_active=True)
        .first()
    )
    if account is None or not constant_time_compare(
        request.session.get(SESSION_HASH, ""), _session_hash(account)
    ):
        return None
    return account


def portal_required(view=None, *, permission: str = ""):
    """Decorator for portal views; with `permission` the account must hold it (else 404)."""

    def decorate(fn):
        @wraps(fn)
        def wrapper(request, *args: Any, **kwargs: Any):
            account = current_account(request)
            if account is None:
                login = reverse("portal:login")
                return redirect(f"{login}?next={request.path}")
            if not allows(account, permission):
                raise Http404
            request.portal_account = account
            request.portal_organization = account.organization
            with translation.override(request.LANGUAGE_CODE or account.language):
                return fn(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
