"""Suppliers: supply categories and the qualification questionnaire (configured by administrators
and managers), supplier profiles, their answers and documents, and the expiry reminders.

Rules (each refused with a message naming the field):

* a profile belongs to an organization with the supplier or service-provider role, one profile
  per organization, and the organization must be visible to the actor;
* supply risk is 1–5;
* a profile becomes `approved` only when every active required question is answered (the message
  lists the questions); the qualification date is set when the status changes and none is given;
* a document's validity ends on or after its issue date;
* a category is not its own ancestor; a category or question in use cannot be deleted
  (deactivate it instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core import visibility
from accord.core.notifications import notify
from accord.parties.models import Organization

from ..models import (
    QualificationAnswer,
    QualificationQuestion,
    QualificationStatus,
    SupplierDocument,
    SupplierProfile,
    SupplyCategory,
)

REMINDER_DAYS = (60, 14)


def may_configure(user: Any) -> bool:
    """Administrators and managers keep categories and questions; everyone signed in reads them."""
    return visibility.sees_everything(user) and visibility.may_write(user)


def require_configure(actor: Any) -> None:
    if actor is not None and not may_configure(actor):
        raise PermissionDenied(_("Only administrators and managers may change this setting."))


def is_supplier(org: Organization | None) -> bool:
    return bool(org is not None and (org.is_supplier or org.is_service_provider))


# --- categories ---------------------------------------------------------------------------------


def _check_category(data: Mapping[str, Any], instance: SupplyCategory | None) -> dict[str, Any]:
    data = dict(data)
    if "name" in data:
        data["name"] = str(data["name"] or "").strip()
        if not data["name"]:
            raise ValidationError({"name": _("Enter a name.")})
    parent = data.get("parent")
    if parent is not None and instance is not None and instance.pk:
        seen = set()
        node: SupplyCategory | None = parent
        while node is not None and node.pk not in seen:
            if node.pk == instance.pk:
                raise ValidationError(
                    {"parent": _("A category cannot be placed below itself or its children.")}
                )
            seen.add(node.pk)
            node = node.parent
    return data


def supply_category_create(*, actor: Any, data: Mapping[str, Any]) -> SupplyCategory:
    require_configure(actor)
    return core.model_create(SupplyCategory, actor=actor, data=_check_category(data, None))


def supply_category_update(
    *, actor: Any, instance: SupplyCategory, data: Mapping[str, Any]
) -> SupplyCategory:
    require_configure(actor)
    return core.model_update(instance, actor=actor, data=_check_category(data, instance))


def supply_category_delete(*, actor: Any, instance: SupplyCategory) -> None:
    require_configure(actor)
    core.model_delete(instance, actor=actor)


# --- questions ----------------------------------------------------------------------------------


def qualification_question_create(*, actor: Any, data: Mapping[str, Any]) -> QualificationQuestion:
    require_configure(actor)
    data = dict(data)
    if not str(data.get("text") or "").strip():
        raise ValidationError({"text": _("Enter the question.")})
    return core.model_create(QualificationQuestion, actor=actor, data=data)


def qualification_question_update(
    *, actor: Any, instance: QualificationQuestion, data: Mapping[str, Any]
) -> QualificationQuestion:
    require_configure(actor)
    if "text" in data and not str(data.get("text") or "").strip():
        raise ValidationError({"text": _("Enter the question.")})
    return core.model_update(instance, actor=actor, data=dict(data))


def qualification_question_delete(*, actor: Any, instance: QualificationQuestion) -> None:
    require_configure(actor)
    core.model_delete(instance, actor=actor)


# --- profiles -----------------------------------------------------------------------------------


def unanswered_required_questions(profile: SupplierProfile | None) -> list[QualificationQuestion]:
    """The active required questions the profile has no answer to (text or yes/no)."""
    questions = list(QualificationQuestion.objects.filter(active=True, required=True))
    if profile is None or not profile.pk:
        return questions
    answered = {
        a.question_id for a in QualificationAnswer.objects.filter(profile=profile) if a.is_answered
    }
    return [q for q in questions if q.pk not in answered]


def _prepare_profile(
    actor: Any, data: Mapping[str, Any], instance: SupplierProfile | None
) -> dict[str, Any]:
    data = dict(data)
    errors: dict[str, str] = {}
    if instance is not None and "organization" in data:
        org_pk = getattr(data["organization"], "pk", data["organization"])
        if org_pk != instance.organization_id:
            errors["organization"] = _("The organization of a profile cannot be changed.")
    org = data.get("organization") if instance is None else instance.organization
    if instance is None:
        if org is None:
            errors["organization"] = _("Choose the organization.")
        elif not is_supplier(org):
            errors["organization"] = _(
                "“%(org)s” is no supplier or service provider: give it one of these roles first."
            ) % {"org": org}
        elif actor is not None and not visibility.can_view(actor, org):
            errors["organization"] = _("You may choose only organizations you can see.")
        elif SupplierProfile.objects.filter(organization=org).exists():
            errors["organization"] = _("“%(org)s” has a supplier profile already.") % {"org": org}
    risk = data.get("supply_risk", instance.supply_risk if instance else 2)
    try:
        risk_ok = risk is not None and not isinstance(risk, bool) and 1 <= int(risk) <= 5
    except (TypeError, ValueError):
        risk_ok = False
    if not risk_ok:
        errors["supply_risk"] = _("The supply risk is a number from 1 to 5.")
    for key in ("kraljic_class", "qualification_note", "notes"):
        if key in data and data[key] is None:
            data[key] = ""
    old_status = instance.qualification_status if instance else None
    status = data.get("qualification_status") or old_status or QualificationStatus.CANDIDATE
    if status == QualificationStatus.APPROVED and old_status != QualificationStatus.APPROVED:
        missing = unanswered_required_questions(instance)
        if missing:
            errors["qualification_status"] = _(
                "Answer the required questions before approving: %(questions)s"
            ) % {"questions": "; ".join(q.text for q in missing)}
    if status != old_status and not data.get("qualified_on"):
        data["qualified_on"] = timezone.localdate()
    if errors:
        raise ValidationError(errors)
    if instance is None and org is not None:
        data["name"] = org.name
    return data


def refresh_profile_names(organization: Organization) -> int:
    """Copy a renamed organization's name onto its supplier profile (for search)."""
    return (
        SupplierProfile.objects.filter(organization=organization)
        .exclude(name=organization.name)
        .update(name=organization.name)
    )


def supplier_profile_create(*, actor: Any, data: Mapping[str, Any]) -> SupplierProfile:
    core.require_write(actor)
    with transaction.atomic():
        prepared = _prepare_profile(actor, data, None)
        return core.model_create(SupplierProfile, actor=actor, data=prepared)


def supplier_profile_update(
    *, actor: Any, instance: SupplierProfile, data: Mapping[str, Any]
) -> SupplierProfile:
    core.require_change(actor, instance)
    with transaction.atomic():
        prepared = _prepare_profile(actor, data, instance)
        return core.model_update(instance, actor=actor, data=prepared)


def supplier_profile_delete(*, actor: Any, instance: SupplierProfile) -> None:
    core.model_delete(instance, actor=actor)


# --- answers ------------------------------------------------------------------------------------


def qualification_answer_save(
    *,
    actor: Any,
    profile: SupplierProfile,
    question: QualificationQuestion,
    answer: str = "",
    yes_no: bool | None = None,
) -> QualificationAnswer:
    """Answer one question for a profile (a second answer replaces the first)."""
    core.require_write(actor)
    core.require_change(actor, profile)
    data = {
        "answer": str(answer or "").strip(),
        "yes_no": yes_no,
        "answered_by": actor if visibility.is_authenticated(actor) else None,
        "answered_at": timezone.now(),
    }
    with transaction.atomic():
        existing = QualificationAnswer.objects.filter(profile=profile, question=question).first()
        if existing is not None:
            return core.model_update(existing, actor=actor, data=data)
        return core.model_create(
            QualificationAnswer,
            actor=actor,
            data={"profile": profile, "question": question, **data},
        )


def qualification_answer_delete(*, actor: Any, instance: QualificationAnswer) -> None:
    core.model_delete(instance, actor=actor)


# --- documents ----------------------------------------------------------------------------------


def _check_document(data: Mapping[str, Any], instance: SupplierDocument | None) -> dict[str, Any]:
    data = dict(data)
    if "title" in data:
        data["title"] = str(data["title"] or "").strip()
        if not data["title"]:
            raise ValidationError({"title": _("Enter a title.")})
    issued = data.get("issued_on", instance.issued_on if instance else None)
    until = data.get("valid_until", instance.valid_until if instance else None)
    if issued and until and until < issued:
        raise ValidationError({"valid_until": _("The validity cannot end before the issue date.")})
    if "note" in data and data["note"] is None:
        data["note"] = ""
    if "file" in data and data["file"] in (None, False):
        data.pop("file")  # keep the stored file unless a new one comes
    return data


def supplier_document_create(*, actor: Any, data: Mapping[str, Any]) -> SupplierDocument:
    core.require_write(actor)
    profile = data.get("profile")
    if profile is None:
        raise ValidationError({"profile": _("Choose the supplier profile.")})
    core.require_change(actor, profile)
    return core.model_create(SupplierDocument, actor=actor, data=_check_document(data, None))


def supplier_document_update(
    *, actor: Any, instance: SupplierDocument, data: Mapping[str, Any]
) -> SupplierDocument:
    data = dict(data)
    data.pop("profile", None)
    return core.model_update(instance, actor=actor, data=_check_document(data, instance))


def supplier_document_delete(*, actor: Any, instance: SupplierDocument) -> None:
    core.model_delete(instance, actor=actor)


def document_reminders(*, today: dt.date | None = None) -> int:
    """Notify the owner of each profile whose document expires in 60 or 14 days or expired today
    (or earlier, not yet told). Idempotent: one notification per document, date and step."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    sent = 0
    docs = (
        SupplierDocument.objects.filter(
            valid_until__isnull=False,
            valid_until__lte=horizon,
            valid_until__gte=today - dt.timedelta(days=30),
            profile__owner__isnull=False,
            profile__owner__is_active=True,
        )
        .select_related("profile__organization", "profile__owner")
        .order_by("valid_until", "id")
    )
    for doc in docs:
        assert doc.valid_until is not None
        left = (doc.valid_until - today).days
        if left <= 0:
            step = "expired"
            title = _("Expired: %(doc)s of %(org)s") % {
                "doc": doc.title,
                "org": doc.profile.organization.name,
            }
        else:
            due = [d for d in REMINDER_DAYS if left <= d]
            if not due:
                continue
            step = str(min(due))
            title = _("%(doc)s of %(org)s expires in %(days)d days") % {
                "doc": doc.title,
                "org": doc.profile.organization.name,
                "days": left,
            }
        key = f"supplierdocument:{doc.pk}:{doc.valid_until.isoformat()}:{step}"
        note = notify(
            doc.profile.owner,
            key=key,
            title=title,
            body=_("Valid until %(date)s. Ask the supplier for a renewed document.")
            % {"date": doc.valid_until.isoformat()},
            url=doc.profile.get_absolute_url(),
            kind="supplier_document",
            due_on=doc.valid_until,
        )
        if note is not None:
            sent += 1
    return sent


def _organization_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action == "updated" and isinstance(instance, Organization):
        refresh_profile_names(instance)


def connect_signals() -> None:
    """Keep the profile's copy of the organization's name (for search) when it is renamed."""
    from accord.core.signals import record_changed

    record_changed.connect(
        _organization_changed, sender=Organization, dispatch_uid="procurement_profile_name"
    )
