# ruff: noqa: F811  (the fixtures `users` and `api` come from factories_suppliers)
"""Supplier rules: profiles only for suppliers, the questionnaire before approval, documents and
their reminders (idempotent), the suggested Kraljic class from spend and risk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accord.core.models import Notification
from accord.intelligence.engine import kraljic
from accord.parties.models import Organization
from accord.procurement.selectors import suppliers as selectors
from accord.procurement.services import suppliers as services

from .factories_suppliers import (
    api,  # noqa: F401
    make_document,
    make_order,
    make_profile,
    make_question,
    make_supplier,
    users,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def test_profile_only_for_supplier_or_service_provider(users):
    client = Organization.objects.create(name="Kunde AG", is_client=True, owner=users.owner)
    with pytest.raises(ValidationError) as exc:
        services.supplier_profile_create(actor=users.owner, data={"organization": client})
    assert "organization" in exc.value.message_dict
    assert "no supplier or service provider" in exc.value.message_dict["organization"][0]
    provider = Organization.objects.create(
        name="IT-Service GmbH", is_service_provider=True, owner=users.owner, team=users.team_a
    )
    profile = services.supplier_profile_create(
        actor=users.owner, data={"organization": provider, "supply_risk": 4}
    )
    assert profile.owner == users.owner
    assert profile.name == "IT-Service GmbH"
    assert profile.qualification_status == "candidate"
    with pytest.raises(ValidationError) as exc:
        services.supplier_profile_create(actor=users.owner, data={"organization": provider})
    assert "has a supplier profile already" in exc.value.message_dict["organization"][0]


def test_profile_refuses_invisible_organization_and_bad_risk(users):
    hidden = make_supplier(owner=users.other, team=users.team_b, name="Fremd GmbH")
    with pytest.raises(ValidationError) as exc:
        services.supplier_profile_create(actor=users.owner, data={"organization": hidden})
    assert "organization" in exc.value.message_dict
    mine = make_supplier(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.supplier_profile_create(
            actor=users.owner, data={"organization": mine, "supply_risk": 6}
        )
    assert list(exc.value.message_dict) == ["supply_risk"]


def test_approval_needs_required_answers(users):
    q1 = make_question("ISO 9001 zertifiziert?", required=True, order=1)
    q2 = make_question("Notfallplan vorhanden?", required=True, order=2)
    make_question("Nachhaltigkeitsbericht?", required=False, order=3)
    make_question("Alte Frage", required=True, active=False, order=4)
    profile = make_profile(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.supplier_profile_update(
            actor=users.owner, instance=profile, data={"qualification_status": "approved"}
        )
    message = exc.value.message_dict["qualification_status"][0]
    assert "ISO 9001 zertifiziert?" in message and "Notfallplan vorhanden?" in message
    assert "Alte Frage" not in message and "Nachhaltigkeitsbericht" not in message
    services.qualification_answer_save(actor=users.owner, profile=profile, question=q1, yes_no=True)
    services.qualification_answer_save(actor=users.owner, profile=profile, question=q2, answer="")
    with pytest.raises(ValidationError) as exc:
        services.supplier_profile_update(
            actor=users.owner, instance=profile, data={"qualification_status": "approved"}
        )
    assert "Notfallplan" in exc.value.message_dict["qualification_status"][0]
    assert "ISO 9001" not in exc.value.message_dict["qualification_status"][0]
    services.qualification_answer_save(
        actor=users.owner, profile=profile, question=q2, answer="Ja, Stand 2024"
    )
    profile.refresh_from_db()
    services.supplier_profile_update(
        actor=users.owner, instance=profile, data={"qualification_status": "approved"}
    )
    profile.refresh_from_db()
    assert profile.qualification_status == "approved"
    assert profile.qualified_on is not None
    assert profile.answers.count() == 2  # the second answer to q2 replaced the first


def test_viewer_and_other_team_cannot_change_profile(users):
    profile = make_profile(owner=users.owner, team=users.team_a)
    for user in (users.viewer, users.other):
        with pytest.raises(PermissionDenied):
            services.supplier_profile_update(actor=user, instance=profile, data={"supply_risk": 3})


def test_categories_and_questions_only_for_admins_and_managers(users):
    with pytest.raises(PermissionDenied):
        services.supply_category_create(actor=users.owner, data={"name": "Elektronik"})
    cat = services.supply_category_create(actor=users.manager, data={"name": "Elektronik"})
    child = services.supply_category_create(
        actor=users.admin, data={"name": "Halbleiter", "parent": cat}
    )
    with pytest.raises(ValidationError) as exc:
        services.supply_category_update(actor=users.admin, instance=cat, data={"parent": child})
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.supply_category_create(actor=users.admin, data={"name": "Elektronik"})
    assert "name" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.qualification_question_create(actor=users.viewer, data={"text": "?"})


def test_document_validity_and_reminders_are_idempotent(users):
    today = dt.date(2026, 6, 1)
    profile = make_profile(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.supplier_document_create(
            actor=users.owner,
            data={
                "profile": profile,
                "title": "ISO 14001",
                "kind": "certificate",
                "issued_on": dt.date(2026, 1, 1),
                "valid_until": dt.date(2025, 1, 1),
            },
        )
    assert "valid_until" in exc.value.message_dict
    in_50 = make_document(profile, title="ISO 9001", valid_until=today + dt.timedelta(days=50))
    make_document(
        profile, title="Haftpflicht", kind="insurance", valid_until=today + dt.timedelta(days=10)
    )
    make_document(profile, title="ISO 14001", valid_until=today)
    make_document(profile, title="Weit weg", valid_until=today + dt.timedelta(days=200))
    make_document(profile, title="Ohne Datum")
    assert services.document_reminders(today=today) == 3
    assert services.document_reminders(today=today) == 0  # run again: nothing repeated
    keys = set(Notification.objects.filter(user=users.owner).values_list("key", flat=True))
    assert f"supplierdocument:{in_50.pk}:{in_50.valid_until.isoformat()}:60" in keys
    assert len(keys) == 3
    # 36 days later: the 14-day reminder of ISO 9001 and the expiry of the insurance, once
    later = today + dt.timedelta(days=36)
    assert services.document_reminders(today=later) == 2
    assert services.document_reminders(today=later) == 0
    titles = set(Notification.objects.values_list("title", flat=True))
    assert "Expired: Haftpflicht of " + profile.organization.name in titles


def test_expiring_filter_and_document_rows(users):
    today = dt.date.today()
    a = make_profile(owner=users.owner, team=users.team_a)
    b = make_profile(owner=users.owner, team=users.team_a)
    c = make_profile(owner=users.owner, team=users.team_a)
    make_document(a, valid_until=today - dt.timedelta(days=1))
    make_document(b, valid_until=today + dt.timedelta(days=30))
    make_document(c, valid_until=today + dt.timedelta(days=90))
    qs = selectors.supplier_profile_list(users.owner)
    assert set(selectors.filter_documents(qs, "expired")) == {a}
    assert set(selectors.filter_documents(qs, "expiring")) == {b}
    states = [r.state for r in selectors.document_rows(b)]
    assert states == ["expiring"]


def test_kraljic_engine():
    threshold = kraljic.spend_threshold([100, 200, 300, 400])
    assert threshold == Decimal("250")
    assert kraljic.kraljic_class(spend=300, threshold=threshold, supply_risk=3) == "strategic"
    assert kraljic.kraljic_class(spend=300, threshold=threshold, supply_risk=2) == "leverage"
    assert kraljic.kraljic_class(spend=200, threshold=threshold, supply_risk=5) == "bottleneck"
    assert kraljic.kraljic_class(spend=200, threshold=threshold, supply_risk=1) == "non_critical"
    assert kraljic.kraljic_class(spend=0, threshold=Decimal(0), supply_risk=1) == "non_critical"


def test_suggested_class_from_spend_of_last_12_months(users):
    today = dt.date.today()
    recent = today - dt.timedelta(days=30)
    old = today - dt.timedelta(days=400)
    spends = {"A": 100, "B": 200, "C": 300, "D": 400}
    risks = {"A": 1, "B": 4, "C": 3, "D": 2}
    profiles = {}
    for key, spend in spends.items():
        profile = make_profile(owner=users.owner, team=users.team_a, supply_risk=risks[key])
        profiles[key] = profile
        make_order(
            supplier=profile.organization,
            ordered_on=recent,
            lines=[{"quantity": Decimal("1"), "unit_price": Decimal(spend)}],
        )
    # old and cancelled orders do not count
    make_order(
        supplier=profiles["A"].organization,
        ordered_on=old,
        lines=[{"quantity": Decimal("1"), "unit_price": Decimal("9999")}],
    )
    make_order(
        supplier=profiles["B"].organization,
        ordered_on=recent,
        status="cancelled",
        lines=[{"quantity": Decimal("1"), "unit_price": Decimal("9999")}],
    )
    classes = selectors.suggested_classes(today)
    assert {k: classes[p.pk] for k, p in profiles.items()} == {
        "A": "non_critical",
        "B": "bottleneck",
        "C": "strategic",
        "D": "leverage",
    }


def test_profile_name_follows_organization_rename(users):
    from accord.parties import services as party_services

    profile = make_profile(owner=users.owner, team=users.team_a)
    org = profile.organization
    party_services.organization_update(
        actor=users.owner, instance=org, data={"name": "Neuer Name GmbH"}
    )
    profile.refresh_from_db()
    assert profile.name == "Neuer Name GmbH"
