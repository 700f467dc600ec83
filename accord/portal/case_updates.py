"""Mails to the client about their case: when our side answers in it, asks them for something
(waiting on client) or resolves it. Receivers of `servicedesk.signals`.

Who is told: the case's contact person, when they have an active portal account at the case's
organization that has accepted its invitation and may open cases. Nobody else at the client is
mailed about every case. The mail is in the account's language, names the case and links to it in
the portal (`ACCORD_BASE_URL`); it never quotes the message (the client reads it after signing in),
and it is sent once the change is committed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accord.servicedesk.models.cases import CaseStatus

from .models import PortalAccount


def account_to_tell(case: Any) -> PortalAccount | None:
    """The portal account of the case's contact person that may follow the case, or None."""
    if case.person_id is None:
        return None
    return (
        PortalAccount.objects.filter(
            person_id=case.person_id,
            organization_id=case.organization_id,
            is_active=True,
            accepted_at__isnull=False,
            can_open_cases=True,
        )
        .select_related("person")
        .first()
    )


def _link(case: Any) -> str:
    path = reverse("portal:case_detail", args=[case.pk])
    return getattr(settings, "ACCORD_BASE_URL", "").rstrip("/") + path


def _mail(account: PortalAccount, case: Any, what: str) -> None:
    with translation.override(account.language):
        names = {"number": case.number, "subject": case.subject}
        subjects = {
            "answered": _("New reply in your case %(number)s: %(subject)s"),
            CaseStatus.WAITING: _("We need your answer in case %(number)s: %(subject)s"),
            CaseStatus.RESOLVED: _("Your case %(number)s is resolved: %(subject)s"),
        }
        texts = {
            "answered": _("we have written to you in your case."),
            CaseStatus.WAITING: _("we need an answer or some information from you to go on."),
            CaseStatus.RESOLVED: _(
                "we have resolved your case. If it is not solved for you, answer in the case "
                "and we will take it up again."
            ),
        }
        subject = subjects[what] % names
        body = _(
            "Hello %(name)s,\n\n%(text)s\n\nRead it and answer in the client portal:\n%(link)s\n"
        ) % {
            "name": account.person,
            "text": texts[what],
            "link": _link(case),
        }
    send_mail(subject, body, None, [account.email], fail_silently=True)


def _tell(case: Any, what: str) -> None:
    account = account_to_tell(case)
    if account is not None:
        transaction.on_commit(lambda: _mail(account, case, what))


def on_case_answered(sender: Any, *, case: Any, interaction: Any, **kwargs: Any) -> None:
    _tell(case, "answered")


def on_case_status_changed(sender: Any, *, case: Any, old: str, new: str, **kwargs: Any) -> None:
    if new in (CaseStatus.WAITING, CaseStatus.RESOLVED):
        _tell(case, new)
