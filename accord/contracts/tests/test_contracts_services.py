"""Rules of the contract services, each refused with a message naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accord.contracts.models import Contract
from accord.contracts.services import contracts as services
from accord.pipeline.tests.factories import make_opportunity

from . import factories_contracts as fx
from .factories_contracts import make_contract, make_org

api = fx.api
users = fx.users
D = dt.date


def data(counterparty, **kw):
    values = {
        "title": "Rahmenvertrag Schrauben 2025",
        "side": "buy",
        "contract_type": "framework",
        "counterparty": counterparty,
        "value": Decimal("50000"),
        "currency": "eur",
        "start_date": D(2025, 1, 1),
        "end_date": D(2025, 12, 31),
        "notice_period": 3,
        "notice_unit": "months",
        "status": "active",
    }
    values.update(kw)
    return values


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}


def test_create_sets_owner_team_currency_and_search_name(users):
    org = make_org(owner=users.owner, team=users.team_a, name="Schrauben Müller KG")
    contract = services.contract_create(actor=users.owner, data=data(org))
    assert contract.owner == users.owner
    assert contract.team == users.team_a
    assert contract.currency == "EUR"
    assert contract.counterparty_name == "Schrauben Müller KG"


def test_end_before_start_is_refused(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=users.owner, data=data(org, start_date=D(2025, 5, 1), end_date=D(2025, 4, 30))
        )
    assert errors_of(exc.value) == {"end_date": ["The end date must not be before the start date."]}
    assert not Contract.objects.exists()


def test_notice_period_longer_than_term_is_refused_with_both_lengths(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=users.owner,
            data=data(org, end_date=D(2025, 3, 31), notice_period=6, notice_unit="months"),
        )
    assert errors_of(exc.value) == {
        "notice_period": [
            "The notice period of 6 months is longer than the contract term of 3 months."
        ]
    }


def test_notice_period_equal_to_term_is_accepted(users):
    org = make_org(owner=users.owner, team=users.team_a)
    contract = services.contract_create(
        actor=users.owner, data=data(org, end_date=D(2025, 3, 31), notice_period=3)
    )
    assert contract.pk


def test_notice_in_days_against_a_term_in_days(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=users.owner,
            data=data(org, end_date=D(2025, 1, 10), notice_period=2, notice_unit="weeks"),
        )
    assert errors_of(exc.value)["notice_period"] == [
        "The notice period of 2 weeks is longer than the contract term of 10 days."
    ]


def test_notice_longer_than_renewal_term_is_refused(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=users.owner,
            data=data(
                org,
                end_date=D(2026, 12, 31),
                notice_period=6,
                auto_renewal=True,
                renewal_term_months=3,
            ),
        )
    assert errors_of(exc.value) == {
        "notice_period": [
            "The notice period of 6 months is longer than the renewal term of 3 months."
        ]
    }


def test_auto_renewal_needs_a_renewal_term(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=users.owner, data=data(org, auto_renewal=True))
    assert errors_of(exc.value) == {
        "renewal_term_months": ["Enter the renewal term: the contract renews automatically."]
    }


def test_counterparty_must_be_visible(users):
    hidden = make_org(owner=users.other, team=users.team_b, name="Fremd GmbH")
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=users.owner, data=data(hidden))
    assert errors_of(exc.value) == {
        "counterparty": ["You may choose only an organization you can see."]
    }


def test_hidden_counterparty_already_linked_is_kept_on_edit(users):
    hidden = make_org(owner=users.other, team=users.team_b, name="Fremd GmbH")
    contract = make_contract(owner=users.owner, team=users.team_a, counterparty=hidden)
    services.contract_update(
        actor=users.owner, instance=contract, data={"counterparty": hidden, "title": "Neu"}
    )
    contract.refresh_from_db()
    assert contract.title == "Neu"
    assert contract.counterparty == hidden


def test_hidden_further_parties_are_kept_visible_ones_checked(users):
    mine = make_org(owner=users.owner, team=users.team_a, name="Meine AG")
    hidden = make_org(owner=users.other, team=users.team_b, name="Fremd GmbH")
    contract = make_contract(owner=users.owner, team=users.team_a, further_parties=[hidden])
    services.contract_update(actor=users.owner, instance=contract, data={"further_parties": [mine]})
    assert set(contract.further_parties.all()) == {mine, hidden}
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=users.owner, data=data(mine, number="X-1", further_parties=[hidden])
        )
    assert "further_parties" in exc.value.error_dict


def test_business_unit_must_be_internal(users):
    org = make_org(owner=users.owner, team=users.team_a)
    client = make_org(owner=users.owner, team=users.team_a, name="Kunde AG", is_client=True)
    unit = make_org(owner=users.owner, team=users.team_a, name="Sparte Kälte", is_internal=True)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=users.owner, data=data(org, business_unit=client))
    assert errors_of(exc.value) == {"business_unit": ["Choose one of our internal business units."]}
    contract = services.contract_create(actor=users.owner, data=data(org, business_unit=unit))
    assert contract.business_unit == unit


def test_opportunity_must_be_visible(users):
    org = make_org(owner=users.owner, team=users.team_a)
    foreign = make_opportunity(owner=users.other, team=users.team_b)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=users.owner, data=data(org, opportunity=foreign))
    assert errors_of(exc.value) == {
        "opportunity": ["You may link only an opportunity you can see."]
    }


def test_negative_value_and_duplicate_number_are_refused(users):
    org = make_org(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=users.owner, data=data(org, value=Decimal("-1")))
    assert "value" in exc.value.error_dict
    services.contract_create(actor=users.owner, data=data(org, number="V-2025-001"))
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=users.owner, data=data(org, number="V-2025-001"))
    assert "number" in exc.value.error_dict
    # an empty number is no number (several contracts may have none)
    services.contract_create(actor=users.owner, data=data(org, number=""))
    services.contract_create(actor=users.owner, data=data(org, number="  "))
    assert Contract.objects.filter(number__isnull=True).count() == 2


def test_terminating_without_a_date_means_today(users):
    contract = make_contract(owner=users.owner, team=users.team_a)
    services.contract_update(actor=users.owner, instance=contract, data={"status": "terminated"})
    contract.refresh_from_db()
    assert contract.terminated_on == timezone.localdate()


def test_viewer_and_other_team_may_not_write(users):
    org = make_org(owner=users.owner, team=users.team_a)
    contract = make_contract(owner=users.owner, team=users.team_a)
    with pytest.raises(PermissionDenied):
        services.contract_create(actor=users.viewer, data=data(org))
    with pytest.raises(PermissionDenied):
        services.contract_update(actor=users.other, instance=contract, data={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.contract_delete(actor=users.viewer, instance=contract)


def test_renaming_the_counterparty_updates_the_search_name(users):
    org = make_org(owner=users.owner, team=users.team_a, name="Alt GmbH")
    contract = make_contract(owner=users.owner, team=users.team_a, counterparty=org)
    from accord.parties.services import organization_update

    organization_update(actor=users.owner, instance=org, data={"name": "Neu GmbH"})
    contract.refresh_from_db()
    assert contract.counterparty_name == "Neu GmbH"
