"""Negotiations: the rules of the services (rounds, closing, links), the analysis numbers on a
constructed set (engine, page and API), the pages (detail with rounds, add round, fragments,
export) and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accord.contracts.models import Negotiation, NegotiationRound
from accord.contracts.selectors import negotiations as selectors
from accord.contracts.services import negotiations as services
from accord.intelligence.engine import negotiation as engine

from .factories_negotiations import api, make_negotiation, make_party, make_round, users

__all__ = ["api", "users"]

pytestmark = pytest.mark.django_db

D = dt.date


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- the constructed set -------------------------------------------------------------------------
def build_set(u):
    """A: sales, agreed, 5 rounds; B: purchase, broken off, 4 rounds (both negotiated by `owner`);
    C: sales, open, 2 rounds, same counterparty as A, negotiated by `other`."""
    client = make_party(owner=u.owner, team=u.team_a, name="Kälte Nord GmbH")
    supplier = make_party(owner=u.owner, team=u.team_a, name="Verdichter Süd AG", is_supplier=True)
    a = services.negotiation_create(
        actor=u.owner,
        data={
            "title": "Wartungsvertrag Kälte Nord",
            "counterparty": client,
            "kind": "sales",
            "started_on": D(2026, 1, 1),
            "target_value": Decimal("100000"),
            "walk_away_value": Decimal("80000"),
        },
    )
    for day, side, price, volume, term, pay in (
        (D(2026, 1, 5), "us", "110000", "100", 24, 30),
        (D(2026, 1, 10), "them", "80000", "80", 12, 60),
        (D(2026, 1, 20), "us", "100000", "100", 24, 30),
        (D(2026, 1, 25), "them", "90000", "100", 24, 45),
        (D(2026, 1, 30), "us", "95000", "100", 24, 45),
    ):
        services.negotiation_round_create(
            actor=u.owner,
            negotiation=a,
            data={
                "date": day,
                "offered_by": side,
                "price": Decimal(price),
                "volume": Decimal(volume),
                "term_months": term,
                "payment_days": pay,
            },
        )
    a = services.negotiation_update(
        actor=u.owner,
        instance=a,
        data={
            "status": "agreed",
            "outcome_reason": "Einigung bei 95.000 €",
            "closed_on": D(2026, 1, 31),
        },
    )
    b = services.negotiation_create(
        actor=u.owner,
        data={
            "title": "Verdichter Rahmenvertrag",
            "counterparty": supplier,
            "kind": "purchase",
            "started_on": D(2026, 2, 1),
            "target_value": Decimal("50000"),
            "walk_away_value": Decimal("60000"),
        },
    )
    for day, side, price, pay in (
        (D(2026, 2, 2), "them", "70000", 30),
        (D(2026, 2, 5), "us", "45000", 60),
        (D(2026, 2, 10), "them", "63000", 30),
        (D(2026, 2, 15), "us", "50000", 60),
    ):
        services.negotiation_round_create(
            actor=u.owner,
            negotiation=b,
            data={"date": day, "offered_by": side, "price": Decimal(price), "payment_days": pay},
        )
    b = services.negotiation_update(
        actor=u.owner,
        instance=b,
        data={
            "status": "broken_off",
            "outcome_reason": "Lieferant blieb über unserem Limit",
            "closed_on": D(2026, 2, 21),
        },
    )
    c = services.negotiation_create(
        actor=None,
        data={
            "title": "Erweiterung Filiale Kassel",
            "counterparty": client,
            "kind": "sales",
            "started_on": D(2026, 3, 1),
            "owner": u.other,
            "team": u.team_a,
        },
    )
    for day, side, price in ((D(2026, 3, 2), "us", "20000"), (D(2026, 3, 9), "them", "15000")):
        services.negotiation_round_create(
            actor=None,
            negotiation=c,
            data={"date": day, "offered_by": side, "price": Decimal(price)},
        )
    return a, b, c, client, supplier


def test_rounds_are_numbered_automatically(users):
    a, b, c, *_ = build_set(users)
    assert list(a.rounds.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert list(c.rounds.values_list("number", flat=True)) == [1, 2]


def test_analysis_of_each_negotiation(users):
    a, b, c, *_ = build_set(users)
    report = selectors.negotiation_analysis(users.admin)
    by_id = {row.negotiation.pk: row.analysis for row in report.rows}

    ra = by_id[a.pk]
    assert ra.rounds == 5
    assert ra.days_to_close == 30
    assert ra.our_concession == pytest.approx(15000 / 110000 * 100)  # 13.636 %
    assert ra.their_concession == pytest.approx(12.5)
    assert ra.final_price == Decimal("95000")
    assert ra.final_vs_goal == pytest.approx(-5.0)
    assert ra.met_goal is False
    assert ra.margin_to_walk_away == pytest.approx(18.75)
    assert ra.within_walk_away is True
    assert ra.terms == {
        "price": "partly",
        "volume": "won",
        "term_months": "won",
        "payment_days": "partly",
    }

    rb = by_id[b.pk]
    assert (rb.rounds, rb.days_to_close) == (4, 20)
    assert rb.our_concession == pytest.approx(5000 / 45000 * 100)  # raised our price: 11.1 %
    assert rb.their_concession == pytest.approx(10.0)  # lowered theirs by 7,000 of 70,000
    assert rb.final_vs_goal == pytest.approx(0.0)
    assert rb.met_goal is True
    assert rb.margin_to_walk_away == pytest.approx(10000 / 60000 * 100)
    assert rb.terms == {"price": "won", "payment_days": "won"}

    rc = by_id[c.pk]
    assert (rc.rounds, rc.days_to_close) == (2, None)
    assert (rc.our_concession, rc.their_concession) == (0.0, 0.0)
    assert rc.final_vs_goal is None
    assert rc.terms == {"price": "lost"}


def test_analysis_by_counterparty_negotiator_and_total(users):
    a, b, c, client, supplier = build_set(users)
    report = selectors.negotiation_analysis(users.admin)
    assert [g.key for g in report.by_counterparty] == [client.pk, supplier.pk]
    g = report.by_counterparty[0]
    assert (g.count, g.closed, g.agreed) == (2, 1, 1)
    assert g.rounds.mean == pytest.approx(3.5)
    assert (g.days_to_close.count, g.days_to_close.mean) == (1, pytest.approx(30))
    assert g.our_concession.mean == pytest.approx(15000 / 110000 * 100 / 2)
    assert g.their_concession.median == pytest.approx(6.25)
    assert (g.terms_won, g.terms_lost) == (2, 1)

    negotiators = {g.key: g for g in report.by_negotiator}
    mine = negotiators[users.owner.pk]
    assert (mine.count, mine.closed, mine.agreed, mine.agreement_rate) == (2, 2, 1, 50.0)
    assert mine.rounds.median == pytest.approx(4.5)
    assert mine.days_to_close.mean == pytest.approx(25)
    assert mine.our_concession.mean == pytest.approx((15000 / 110000 + 5000 / 45000) * 50)
    assert mine.their_concession.mean == pytest.approx(11.25)
    assert mine.final_vs_goal.mean == pytest.approx(-2.5)
    assert (mine.terms_won, mine.terms_lost) == (4, 0)
    assert negotiators[users.other.pk].count == 1

    total = report.total
    assert (total.count, total.closed, total.agreed) == (3, 2, 1)
    assert total.rounds.mean == pytest.approx(11 / 3)
    assert total.rounds.median == 4
    assert total.their_concession.mean == pytest.approx(7.5)


def test_analysis_filters_and_visibility(users):
    a, b, c, client, supplier = build_set(users)
    only_purchase = selectors.negotiation_analysis(users.admin, kind="purchase")
    assert [r.negotiation.pk for r in only_purchase.rows] == [b.pk]
    period = selectors.negotiation_analysis(users.admin, start=D(2026, 2, 1), end=D(2026, 3, 31))
    assert {r.negotiation.pk for r in period.rows} == {b.pk, c.pk}
    by_party = selectors.negotiation_analysis(users.admin, counterparty=client.pk)
    assert {r.negotiation.pk for r in by_party.rows} == {a.pk, c.pk}
    by_person = selectors.negotiation_analysis(users.admin, negotiator=users.other.pk)
    assert [r.negotiation.pk for r in by_person.rows] == [c.pk]
    # "other" is in team B: sees only the negotiation it owns
    assert [r.negotiation.pk for r in selectors.negotiation_analysis(users.other).rows] == [c.pk]


def test_analysis_page_and_api_show_the_numbers(users, client, api):
    a, b, c, client_org, supplier = build_set(users)
    client.force_login(users.owner)
    response = client.get(reverse("contracts:negotiation_analysis"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "13.6" in body and "18.8" in body
    assert f'data-negotiation="{a.pk}"' in body

    data = api(users.owner).get("/api/contracts/negotiations/analysis/?kind=sales").json()
    assert [r["id"] for r in data["negotiations"]] == [c.pk, a.pk]
    row = data["negotiations"][1]
    assert row["their_concession"] == pytest.approx(12.5)
    assert row["final_price"] == "95000.00"
    assert row["terms"]["volume"] == "won"
    assert data["total"]["count"] == 2
    assert data["by_counterparty"][0]["id"] == client_org.pk
    assert data["by_counterparty"][0]["rounds"]["mean"] == pytest.approx(3.5)
    bad = api(users.owner).get(
        "/api/contracts/negotiations/analysis/?start=2026-03-01&end=2026-01-01"
    )
    assert bad.status_code == 400 and "end" in bad.json()


# --- engine (no database) --------------------------------------------------------------------
def test_engine_directions_per_kind():
    assert engine.direction("sales") == 1
    assert engine.direction("purchase") == -1
    assert engine.direction("purchase", engine.PAYMENT) == 1
    assert engine.direction("authority", engine.VOLUME) == -1
    assert engine.concession("purchase", engine.US, Decimal(100), Decimal(110)) == pytest.approx(10)
    assert engine.concession("sales", engine.US, Decimal(100), Decimal(110)) == pytest.approx(-10)
    assert engine.concession("sales", engine.THEM, None, None) is None
    assert engine.summarize([1, None, 2, 6]) == engine.Summary(3, 3.0, 2.0)
    assert engine.summarize([]) == engine.Summary(0, None, None)


# --- rules -----------------------------------------------------------------------------------
def test_a_round_before_the_previous_one_is_refused_naming_date(users):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    services.negotiation_round_create(
        actor=users.owner, negotiation=n, data={"date": D(2026, 1, 10), "offered_by": "us"}
    )
    with pytest.raises(ValidationError) as exc:
        services.negotiation_round_create(
            actor=users.owner, negotiation=n, data={"date": D(2026, 1, 9), "offered_by": "them"}
        )
    errors = _errors(exc)
    assert list(errors) == ["date"]
    assert "previous round" in errors["date"][0]
    assert "01/10/2026" in errors["date"][0] or "10.01.2026" in errors["date"][0]
    assert n.rounds.count() == 1


def test_round_dates_not_before_the_start_and_edits_stay_in_order(users):
    n = make_negotiation(owner=users.owner, team=users.team_a, started_on=D(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.negotiation_round_create(
            actor=users.owner, negotiation=n, data={"date": D(2025, 12, 31), "offered_by": "us"}
        )
    assert list(_errors(exc)) == ["date"]
    r1 = services.negotiation_round_create(
        actor=users.owner, negotiation=n, data={"date": D(2026, 1, 5), "offered_by": "us"}
    )
    services.negotiation_round_create(
        actor=users.owner, negotiation=n, data={"date": D(2026, 1, 8), "offered_by": "them"}
    )
    with pytest.raises(ValidationError) as exc:
        services.negotiation_round_update(
            actor=users.owner, instance=r1, data={"date": D(2026, 1, 9)}
        )
    assert "next round" in _errors(exc)["date"][0]
    with pytest.raises(ValidationError) as exc:
        services.negotiation_update(
            actor=users.owner, instance=n, data={"started_on": D(2026, 1, 6)}
        )
    assert list(_errors(exc)) == ["started_on"]


def test_negative_values_and_missing_side_are_refused(users):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.negotiation_round_create(
            actor=users.owner,
            negotiation=n,
            data={"date": D(2026, 1, 2), "offered_by": "nobody", "price": Decimal("-1")},
        )
    assert set(_errors(exc)) == {"offered_by", "price"}


def test_closing_needs_an_outcome_and_sets_the_day(users):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    make_round(n, date=D(2026, 1, 20))
    with pytest.raises(ValidationError) as exc:
        services.negotiation_update(actor=users.owner, instance=n, data={"status": "agreed"})
    assert list(_errors(exc)) == ["outcome_reason"]
    with pytest.raises(ValidationError) as exc:
        services.negotiation_update(
            actor=users.owner,
            instance=n,
            data={
                "status": "abandoned",
                "outcome_reason": "Kein Bedarf",
                "closed_on": D(2026, 1, 19),
            },
        )
    assert "last round" in _errors(exc)["closed_on"][0]
    n.refresh_from_db()
    assert n.status == "open"
    services.negotiation_update(
        actor=users.owner, instance=n, data={"status": "abandoned", "outcome_reason": "Kein Bedarf"}
    )
    n.refresh_from_db()
    assert n.closed_on is not None and n.is_closed
    with pytest.raises(ValidationError) as exc:
        services.negotiation_round_create(
            actor=users.owner, negotiation=n, data={"date": D(2026, 1, 25), "offered_by": "us"}
        )
    assert "negotiation" in _errors(exc)
    services.negotiation_update(actor=users.owner, instance=n, data={"status": "open"})
    n.refresh_from_db()
    assert n.closed_on is None


def test_counterparty_must_be_visible_and_outside(users):
    hidden = make_party(owner=users.other, team=users.team_b, name="Fremd GmbH")
    unit = make_party(owner=users.owner, team=users.team_a, name="Werk Nord", is_internal=True)
    for org, word in ((hidden, "can see"), (unit, "client")):
        with pytest.raises(ValidationError) as exc:
            services.negotiation_create(
                actor=users.owner, data={"title": "X", "counterparty": org, "kind": "sales"}
            )
        assert word in _errors(exc)["counterparty"][0]
    with pytest.raises(ValidationError) as exc:
        services.negotiation_create(actor=users.owner, data={"title": " ", "kind": "sales"})
    assert set(_errors(exc)) == {"title", "counterparty"}
    assert not Negotiation.objects.exists()


def test_opportunity_must_belong_to_the_counterparty(users):
    from accord.pipeline.tests.factories import make_opportunity

    party = make_party(owner=users.owner, team=users.team_a)
    elsewhere = make_opportunity(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.negotiation_create(
            actor=users.owner,
            data={"title": "X", "counterparty": party, "kind": "sales", "opportunity": elsewhere},
        )
    assert list(_errors(exc)) == ["opportunity"]
    own = make_opportunity(owner=users.owner, team=users.team_a, organization=party)
    n = services.negotiation_create(
        actor=users.owner,
        data={"title": "X", "counterparty": party, "kind": "sales", "opportunity": own},
    )
    assert n.opportunity == own and n.owner == users.owner


def test_viewer_and_other_team_may_not_add_rounds(users):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    for actor in (users.viewer, users.other):
        with pytest.raises(PermissionDenied):
            services.negotiation_round_create(
                actor=actor, negotiation=n, data={"date": D(2026, 1, 2), "offered_by": "us"}
            )


def test_deleting_a_round_renumbers_the_later_ones(users):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    r1 = make_round(n, date=D(2026, 1, 2))
    make_round(n, date=D(2026, 1, 3), offered_by="them")
    make_round(n, date=D(2026, 1, 4))
    services.negotiation_round_delete(actor=users.owner, instance=r1)
    assert list(n.rounds.values_list("number", "date")) == [(1, D(2026, 1, 3)), (2, D(2026, 1, 4))]


# --- pages -----------------------------------------------------------------------------------
def test_detail_shows_the_rounds_and_adds_one(users, client):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    make_round(n, date=D(2026, 1, 5), price=Decimal("110000"))
    client.force_login(users.owner)
    page = client.get(n.get_absolute_url())
    assert page.status_code == 200
    assert 'id="round-1"' in page.content.decode()
    url = reverse("contracts:negotiationround_add", args=[n.pk])
    bad = client.post(url, {"date": "2026-01-04", "offered_by": "them", "price": "90000"})
    assert bad.status_code == 200
    assert "previous round" in bad.content.decode()
    good = client.post(url, {"date": "2026-01-07", "offered_by": "them", "price": "90000"})
    assert good.status_code == 302 and good["Location"].endswith("#round-2")
    assert n.rounds.get(number=2).price == Decimal("90000")
    edit = reverse("contracts:negotiationround_edit", args=[n.rounds.get(number=2).pk])
    assert client.get(edit).status_code == 200
    assert (
        client.post(
            edit, {"date": "2026-01-08", "offered_by": "them", "price": "91000"}
        ).status_code
        == 302
    )
    client.force_login(users.viewer)
    assert client.post(url, {"date": "2026-01-09", "offered_by": "us"}).status_code == 403
    client.force_login(users.other)
    assert client.post(url, {"date": "2026-01-09", "offered_by": "us"}).status_code == 404


def test_fragments_and_list_filters(users, client):
    from accord.pipeline.tests.factories import make_opportunity

    party = make_party(owner=users.owner, team=users.team_a)
    opp = make_opportunity(owner=users.owner, team=users.team_a, organization=party)
    n = make_negotiation(owner=users.owner, team=users.team_a, counterparty=party, opportunity=opp)
    hidden = make_negotiation(
        owner=users.other, team=users.team_b, counterparty=party, title="Geheim"
    )
    client.force_login(users.owner)
    for name, pk in (("organization_negotiations", party.pk), ("opportunity_negotiations", opp.pk)):
        body = client.get(reverse(f"contracts:{name}", args=[pk])).content.decode()
        assert n.title in body and hidden.title not in body
    org_page = client.get(party.get_absolute_url()).content.decode()
    assert reverse("contracts:organization_negotiations", args=[party.pk]) in org_page
    opp_page = client.get(opp.get_absolute_url()).content.decode()
    assert reverse("contracts:opportunity_negotiations", args=[opp.pk]) in opp_page
    listing = client.get(reverse("contracts:negotiation_list"), {"kind": "purchase"})
    assert n.get_absolute_url() not in listing.content.decode()
    listing = client.get(reverse("contracts:negotiation_list"), {"q": "Wartung"})
    assert n.get_absolute_url() in listing.content.decode()


def test_export_lists_only_visible_rows(users):
    from accord.core.views import list_export_table

    make_negotiation(owner=users.owner, team=users.team_a, title="Sichtbar")
    make_negotiation(owner=users.other, team=users.team_b, title="Unsichtbar")
    table = list_export_table("contracts:negotiation_list", users.owner, "")
    titles = [row.get_cell_value("title") for row in table.rows]
    assert titles == ["Sichtbar"]


# --- API -------------------------------------------------------------------------------------
def test_api_rounds_are_numbered_and_checked(users, api):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    client = api(users.owner)
    first = client.post(
        "/api/contracts/negotiation-rounds/",
        {"negotiation": n.pk, "date": "2026-01-05", "offered_by": "us", "price": "100.00"},
        format="json",
    )
    assert first.status_code == 201, first.content
    assert first.json()["number"] == 1
    late = client.post(
        "/api/contracts/negotiation-rounds/",
        {"negotiation": n.pk, "date": "2026-01-04", "offered_by": "them"},
        format="json",
    )
    assert late.status_code == 400 and "date" in late.json()
    assert (
        api(users.other)
        .post(
            "/api/contracts/negotiation-rounds/",
            {"negotiation": n.pk, "date": "2026-01-06", "offered_by": "them"},
            format="json",
        )
        .status_code
        == 400
    )  # the negotiation is not one it may see
    assert NegotiationRound.objects.count() == 1
    rows = client.get(f"/api/contracts/negotiation-rounds/?negotiation={n.pk}").json()["results"]
    assert [r["number"] for r in rows] == [1]


def test_api_closing_without_outcome_names_the_field(users, api):
    n = make_negotiation(owner=users.owner, team=users.team_a)
    response = api(users.owner).patch(
        f"/api/contracts/negotiations/{n.pk}/", {"status": "agreed"}, format="json"
    )
    assert response.status_code == 400 and "outcome_reason" in response.json()
