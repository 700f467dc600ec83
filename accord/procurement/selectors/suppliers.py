"""Reads of suppliers: categories and questions (everyone signed in), supplier profiles under the
visibility rule, their answers and documents, the suggested Kraljic class, expiring documents and
the summary shown on an organization's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accord.core import visibility
from accord.intelligence.engine import kraljic
from accord.parties.models import Organization

from ..models import (
    QualificationAnswer,
    QualificationQuestion,
    SupplierDocument,
    SupplierProfile,
    SupplyCategory,
)
from . import purchases as purchase_selectors

EXPIRING_DAYS = 60


def may_configure(user: Any) -> bool:
    return visibility.sees_everything(user) and visibility.may_write(user)


def supply_category_list(user: Any) -> QuerySet[SupplyCategory]:
    if not visibility.is_authenticated(user):
        return SupplyCategory.objects.none()
    return SupplyCategory.objects.select_related("parent").order_by("name", "id")


def qualification_question_list(user: Any) -> QuerySet[QualificationQuestion]:
    if not visibility.is_authenticated(user):
        return QualificationQuestion.objects.none()
    return QualificationQuestion.objects.order_by("order", "id")


def supplier_organizations(user: Any) -> QuerySet[Organization]:
    """The organizations with the supplier or service-provider role the user may see."""
    return Organization.objects.visible_to(user).filter(
        Q(is_supplier=True) | Q(is_service_provider=True)
    )


def internal_units(user: Any) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user).filter(is_internal=True)


def _expiry_q(prefix: str, kind: str, today: dt.date) -> Q:
    if kind == "expired":
        return Q(**{f"{prefix}valid_until__lt": today})
    return Q(
        **{
            f"{prefix}valid_until__gte": today,
            f"{prefix}valid_until__lte": today + dt.timedelta(days=EXPIRING_DAYS),
        }
    )


def with_document_state(qs: QuerySet[SupplierProfile]) -> QuerySet[SupplierProfile]:
    today = timezone.localdate()
    docs = SupplierDocument.objects.filter(profile=OuterRef("pk"))
    return qs.annotate(
        has_expired=Exists(docs.filter(_expiry_q("", "expired", today))),
        has_expiring=Exists(docs.filter(_expiry_q("", "expiring", today))),
    )


def supplier_profile_list(user: Any) -> QuerySet[SupplierProfile]:
    return with_document_state(
        SupplierProfile.objects.visible_to(user).select_related("organization", "owner", "team")
    ).prefetch_related("categories")


def supplier_document_list(user: Any) -> QuerySet[SupplierDocument]:
    return SupplierDocument.objects.visible_to(user).select_related("profile__organization")


def qualification_answer_list(user: Any) -> QuerySet[QualificationAnswer]:
    return QualificationAnswer.objects.visible_to(user).select_related("question", "answered_by")


def filter_documents(qs: QuerySet[SupplierProfile], state: str) -> QuerySet[SupplierProfile]:
    """Profiles with an expired document, or one expiring within 60 days."""
    if state not in ("expired", "expiring"):
        return qs
    today = timezone.localdate()
    return qs.filter(
        pk__in=SupplierDocument.objects.filter(_expiry_q("", state, today)).values("profile_id")
    )


def spend_last_12_months(today: dt.date | None = None) -> dict[int, Decimal]:
    """Ordered value per supplier organization over the last twelve months (all orders)."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=365)
    return purchase_selectors.spend_by_supplier(start=start, end=today)


def suggested_classes(today: dt.date | None = None) -> dict[int, str]:
    """The suggested Kraljic class per profile id: spend of the last twelve months above the
    median across all profiled suppliers counts as high, supply risk from 3 as high."""
    spend = spend_last_12_months(today)
    profiles = list(SupplierProfile.objects.values_list("pk", "organization_id", "supply_risk"))
    by_org = {org: risk for _pk, org, risk in profiles}
    classes = kraljic.suggest_classes(spend, by_org)
    return {pk: classes[org] for pk, org, _risk in profiles}


@dataclass
class DocumentRow:
    document: SupplierDocument
    state: str  # "expired", "expiring", "valid", ""
    days_left: int | None


def document_rows(profile: SupplierProfile) -> list[DocumentRow]:
    today = timezone.localdate()
    rows = []
    for doc in profile.documents.order_by("valid_until", "id"):
        left = (doc.valid_until - today).days if doc.valid_until else None
        if left is None:
            state = ""
        elif left < 0:
            state = "expired"
        elif left <= EXPIRING_DAYS:
            state = "expiring"
        else:
            state = "valid"
        rows.append(DocumentRow(document=doc, state=state, days_left=left))
    return rows


@dataclass
class QuestionRow:
    question: QualificationQuestion
    answer: QualificationAnswer | None

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.is_answered


def question_rows(profile: SupplierProfile) -> list[QuestionRow]:
    """The active questions with the profile's answers (and answered inactive ones)."""
    answers = {a.question_id: a for a in profile.answers.select_related("answered_by", "question")}
    rows = [
        QuestionRow(question=q, answer=answers.get(q.pk))
        for q in QualificationQuestion.objects.order_by("order", "id")
        if q.active or q.pk in answers
    ]
    return rows


def profile_detail(user: Any, profile: SupplierProfile) -> dict[str, Any]:
    today = timezone.localdate()
    spend = spend_last_12_months(today)
    classes = suggested_classes(today)
    facts = purchase_selectors.delivery_facts(
        user=user, supplier_ids=[profile.organization_id], start=today - dt.timedelta(days=365)
    )
    return {
        "documents": document_rows(profile),
        "questions": question_rows(profile),
        "spend_12m": spend.get(profile.organization_id, Decimal("0")),
        "suggested_class": classes.get(profile.pk, ""),
        "recent_orders": purchase_selectors.recent_orders_of_supplier(
            user, profile.organization_id, limit=10
        ),
        "delivery_summary": purchase_selectors.summarize_deliveries(facts),
    }


def organization_summary(user: Any, organization_id: int) -> dict[str, Any]:
    """What the organization page shows of a supplier (nothing for other organizations)."""
    org = Organization.objects.visible_to(user).filter(pk=organization_id).first()
    if org is None:
        return {"organization": None}
    profile = (
        SupplierProfile.objects.visible_to(user)
        .select_related("owner")
        .filter(organization_id=organization_id)
        .first()
    )
    ctx: dict[str, Any] = {
        "organization": org,
        "is_supplier": org.is_supplier or org.is_service_provider,
        "profile": profile,
        "recent_orders": purchase_selectors.recent_orders_of_supplier(user, organization_id),
    }
    if profile is not None:
        ctx["documents"] = [r for r in document_rows(profile) if r.state in ("expired", "expiring")]
        ctx["suggested_class"] = suggested_classes().get(profile.pk, "")
    return ctx
