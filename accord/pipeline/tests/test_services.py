"""The opportunity rules, on the service and through the API (400 naming the field)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accord.pipeline import services
from accord.pipeline.models import Opportunity, StageChange

from .factories import (
    lost_reason,
    make_opportunity,
    make_organization,
    make_product,
    renewals,
    stage,
)

URL = "/api/pipeline/opportunities/"
LONG_AGO = timezone.localdate() - dt.timedelta(days=400)


def create(users, **data):
    org = data.pop("organization", None) or make_organization(owner=users.owner, team=users.team_a)
    return services.opportunity_create(
        actor=users.owner, data={"organization": org, "title": "Neues Geschäft", **data}
    )


BAD_INPUT = [
    ("amount", {"amount": Decimal("-1")}),
    ("expected_close_date", {"expected_close_date": LONG_AGO}),
    ("probability", {"probability": 101}),
    ("probability", {"probability": -5}),
    ("amount", {"stage": "Won", "amount": Decimal("0")}),
    ("lost_reason", {"stage": "Lost"}),
    ("stage", {"stage": "Renewal due", "pipeline": "New business"}),
]


def _resolve(data):
    data = dict(data)
    if data.get("stage") in ("Renewal due",):
        data["stage"] = stage("Renewal due", renewals())
    elif "stage" in data:
        data["stage"] = stage(data["stage"])
    if data.get("pipeline") == "New business":
        data["pipeline"] = stage("Qualification").pipeline
    return data


@pytest.mark.parametrize(("field", "data"), BAD_INPUT)
def test_service_refuses_bad_input_naming_the_field(users, field, data):
    with pytest.raises(ValidationError) as exc:
        create(users, **_resolve(data))
    assert field in exc.value.message_dict
    assert not Opportunity.objects.exists()


def _api_value(value):
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


@pytest.mark.parametrize(("field", "data"), BAD_INPUT)
def test_api_refuses_bad_input_with_400_naming_the_field(users, api, field, data):
    org = make_organization(owner=users.owner, team=users.team_a)
    payload = {"organization": org.pk, "title": "Über die API"}
    payload.update({k: _api_value(v) for k, v in _resolve(data).items()})
    response = api(users.owner).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Opportunity.objects.exists()


def test_closed_deals_far_in_the_past_are_fine(users):
    opp = create(
        users, stage=stage("Lost"), lost_reason=lost_reason(), expected_close_date=LONG_AGO
    )
    assert opp.closed_at is not None


def test_probability_defaults_from_the_stage_and_can_be_overridden(users):
    opp = create(users, stage=stage("Proposal"))
    assert opp.probability == 50
    assert opp.pipeline == stage("Proposal").pipeline
    opp = services.opportunity_update(
        actor=users.owner, instance=opp, data={"stage": stage("Negotiation")}
    )
    assert opp.probability == 75
    opp = services.opportunity_update(actor=users.owner, instance=opp, data={"probability": 40})
    assert opp.probability == 40
    assert create(users, stage=stage("Proposal"), probability=33).probability == 33


def test_no_stage_means_the_default_pipelines_first_stage(users):
    opp = create(users)
    assert opp.pipeline.name == "New business"
    assert opp.stage.name == "Qualification"
    assert opp.probability == 10


def test_every_stage_change_is_recorded(users):
    opp = create(users)
    services.opportunity_update(actor=users.owner, instance=opp, data={"stage": stage("Proposal")})
    services.opportunity_update(actor=users.owner, instance=opp, data={"title": "Umbenannt"})
    services.opportunity_update(
        actor=users.owner,
        instance=opp,
        data={"stage": stage("Lost"), "lost_reason": lost_reason("Competitor")},
    )
    changes = list(StageChange.objects.filter(opportunity=opp).order_by("changed_at", "id"))
    assert [(c.from_stage and c.from_stage.name, c.to_stage.name) for c in changes] == [
        (None, "Qualification"),
        ("Qualification", "Proposal"),
        ("Proposal", "Lost"),
    ]
    assert all(c.changed_by == users.owner for c in changes)
    opp.refresh_from_db()
    assert opp.closed_at is not None
    services.opportunity_update(actor=users.owner, instance=opp, data={"stage": stage("Proposal")})
    opp.refresh_from_db()
    assert opp.closed_at is None


def test_amount_follows_the_lines(users):
    opp = create(users, amount=Decimal("999"))
    product = make_product(list_price=Decimal("1000.00"))
    line = services.opportunity_line_add(
        actor=users.owner, opportunity=opp, data={"product": product, "quantity": Decimal("2")}
    )
    assert line.unit_price == Decimal("1000.00")
    opp.refresh_from_db()
    assert opp.amount == Decimal("2000.00")
    services.opportunity_line_update(
        actor=users.owner, instance=line, data={"discount": Decimal("10")}
    )
    opp.refresh_from_db()
    assert opp.amount == Decimal("1800.00")
    services.opportunity_update(actor=users.owner, instance=opp, data={"amount": Decimal("5")})
    opp.refresh_from_db()
    assert opp.amount == Decimal("1800.00")
    services.opportunity_line_add(
        actor=users.owner,
        opportunity=opp,
        data={"product": product, "quantity": Decimal("1"), "unit_price": Decimal("200")},
    )
    opp.refresh_from_db()
    assert opp.amount == Decimal("2000.00")


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("quantity", {"quantity": Decimal("0")}),
        ("discount", {"discount": Decimal("101")}),
        ("unit_price", {"unit_price": Decimal("-1")}),
    ],
)
def test_bad_lines_are_refused(users, field, data):
    opp = create(users)
    with pytest.raises(ValidationError) as exc:
        services.opportunity_line_add(
            actor=users.owner, opportunity=opp, data={"product": make_product(), **data}
        )
    assert field in exc.value.message_dict
    assert not opp.lines.exists()


def test_stale_update_is_refused_and_keeps_the_other_change(users):
    opp = create(users)
    seen = opp.updated_at
    other_copy = Opportunity.objects.get(pk=opp.pk)
    services.opportunity_update(
        actor=users.manager, instance=other_copy, data={"stage": stage("Proposal")}
    )
    with pytest.raises(ValidationError) as exc:
        services.opportunity_update(
            actor=users.owner,
            instance=opp,
            data={"stage": stage("Negotiation"), "version": seen},
        )
    assert "version" in exc.value.message_dict
    opp.refresh_from_db()
    assert opp.stage.name == "Proposal"
    # with the current version the move goes through
    opp = services.opportunity_update(
        actor=users.owner,
        instance=opp,
        data={"stage": stage("Negotiation"), "expected_updated_at": opp.updated_at},
    )
    assert opp.stage.name == "Negotiation"


def test_stale_update_via_api_is_refused(users, api):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client = api(users.owner)
    seen = client.get(f"{URL}{opp.pk}/").json()["updated_at"]
    assert (
        client.patch(f"{URL}{opp.pk}/", {"title": "Erste Änderung"}, format="json").status_code
        == 200
    )
    response = client.patch(
        f"{URL}{opp.pk}/", {"stage": stage("Proposal").pk, "version": seen}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()
    opp.refresh_from_db()
    assert opp.stage.name == "Qualification"


def test_stale_edit_page_is_refused(users, client):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    url = f"/opportunities/{opp.pk}/edit/"
    version = client.get(url).context["form"]["version"].value()
    services.opportunity_update(actor=users.manager, instance=opp, data={"title": "Vom Chef"})
    response = client.post(
        url,
        {
            "organization": opp.organization_id,
            "title": "Meine Änderung",
            "stage": stage("Proposal").pk,
            "amount": "100",
            "currency": "EUR",
            "version": version,
        },
    )
    assert response.status_code == 200
    assert "in the meantime" in response.content.decode()
    opp.refresh_from_db()
    assert opp.title == "Vom Chef"


def test_detail_page_shows_lines_and_stage_history(users, client):
    opp = create(users)
    services.opportunity_line_add(
        actor=users.owner, opportunity=opp, data={"product": make_product(name="Schulung ß")}
    )
    services.opportunity_update(actor=users.owner, instance=opp, data={"stage": stage("Proposal")})
    client.force_login(users.viewer)
    page = client.get(opp.get_absolute_url()).content.decode()
    assert "Schulung ß" in page
    assert "Qualification" in page and "Proposal" in page


def test_list_filters(users, client):
    a = make_opportunity(owner=users.owner, team=users.team_a, title="Alpha-Deal")
    make_opportunity(
        owner=users.owner,
        team=users.team_a,
        title="Beta-Deal",
        stage=stage("Renewal due", renewals()),
        expected_close_date=timezone.localdate() + dt.timedelta(days=90),
    )
    client.force_login(users.owner)
    page = client.get("/opportunities/", {"pipeline": a.pipeline_id}).content.decode()
    assert "Alpha-Deal" in page and "Beta-Deal" not in page
    page = client.get(
        "/opportunities/", {"close_after": timezone.localdate().isoformat()}
    ).content.decode()
    assert "Beta-Deal" in page and "Alpha-Deal" not in page
    page = client.get("/opportunities/", {"q": "Müller"}).content.decode()
    assert "Alpha-Deal" in page


def test_lines_are_visible_like_their_opportunity(users, api):
    opp = create(users)
    services.opportunity_line_add(
        actor=users.owner, opportunity=opp, data={"product": make_product()}
    )
    assert len(api(users.viewer).get("/api/pipeline/opportunity-lines/").json()["results"]) == 1
    assert api(users.other).get("/api/pipeline/opportunity-lines/").json()["results"] == []


def test_organization_page_lists_its_open_opportunities(users, client):
    opp = make_opportunity(owner=users.owner, team=users.team_a, title="Offener Deal")
    make_opportunity(
        owner=users.owner,
        team=users.team_a,
        organization=opp.organization,
        title="Verlorener Deal",
        stage=stage("Lost"),
        lost_reason=lost_reason(),
    )
    client.force_login(users.owner)
    page = client.get(opp.organization.get_absolute_url()).content.decode()
    fragment_url = f"/opportunities/of-organization/{opp.organization_id}/"
    assert fragment_url in page
    fragment = client.get(fragment_url).content.decode()
    assert "Offener Deal" in fragment and "Verlorener Deal" not in fragment
    client.force_login(users.other)
    assert "Offener Deal" not in client.get(fragment_url).content.decode()
