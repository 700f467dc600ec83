"""Supplier scorecards: exact criterion scores on a constructed quarter, renormalisation, weight
and standing validation, blocking of new orders, visibility and the recompute job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accord.core.jobs import run_jobs_now
from accord.core.testing import make_users
from accord.interactions.models import FollowUp
from accord.procurement.models import ScorecardCriterion, ScorecardStanding, SupplierScore
from accord.procurement.selectors import scorecards as selectors
from accord.procurement.services import scorecards as services

from . import factories_scorecards as f

pytestmark = pytest.mark.django_db

Q3 = dt.date(2026, 7, 1)
NOW = f.aware(dt.date(2026, 11, 29), 12)


@pytest.fixture
def config(db):
    services.restore_scorecard_configuration()


@pytest.fixture
def users(db):
    return make_users()


def build_quarter(users):
    """The supplier's third quarter 2026 (see the expected numbers in the test)."""
    cat = f.category()
    org = f.supplier(owner=users.owner, team=users.team_a, categories=[cat])
    po1 = f.order(
        supplier=org,
        ordered_on=dt.date(2026, 6, 20),
        lines=[
            {"quantity": 100, "unit_price": "10", "delivery_date": dt.date(2026, 7, 15)},
            {"quantity": 50, "unit_price": "20", "delivery_date": dt.date(2026, 8, 10)},
        ],
    )
    po2 = f.order(
        supplier=org,
        ordered_on=dt.date(2026, 8, 1),
        lines=[{"quantity": 10, "unit_price": "100", "delivery_date": dt.date(2026, 9, 20)}],
    )
    # neither a cancelled nor a draft order counts
    f.order(
        supplier=org,
        ordered_on=dt.date(2026, 7, 1),
        status="cancelled",
        lines=[{"quantity": 5, "unit_price": "1", "delivery_date": dt.date(2026, 7, 20)}],
    )
    f.order(
        supplier=org,
        ordered_on=dt.date(2026, 7, 1),
        status="draft",
        lines=[{"quantity": 5, "unit_price": "1", "delivery_date": dt.date(2026, 7, 20)}],
    )
    f.deliver(po1, on=dt.date(2026, 7, 14), lines=[(1, 100, 5, "10.50")])  # on time, 5 rejected
    f.deliver(po1, on=dt.date(2026, 8, 15), lines=[(2, 50, 0, None)])  # late
    f.deliver(po2, on=dt.date(2026, 9, 18), lines=[(1, 6, 0, "100")])  # 6 of 10 by the date
    f.deliver(po2, on=dt.date(2026, 9, 25), lines=[(1, 4, 1, "110")])  # rest late, 1 rejected
    # mails: 24 h, 48 h (to a person there) and 96 h until the reply
    person = f.contact(org)
    f.mail(organization=org, at=f.aware(dt.date(2026, 7, 1)))
    f.mail(organization=org, at=f.aware(dt.date(2026, 7, 2)), direction="inbound")
    f.mail(person=person, at=f.aware(dt.date(2026, 8, 3)))
    f.mail(person=person, at=f.aware(dt.date(2026, 8, 5)), direction="inbound", kind="call")
    f.mail(organization=org, at=f.aware(dt.date(2026, 9, 10)))
    f.mail(organization=org, at=f.aware(dt.date(2026, 9, 14)), direction="inbound")
    f.mail(organization=org, at=f.aware(dt.date(2026, 7, 5)), kind="call")  # no mail
    f.mail(organization=org, at=f.aware(dt.date(2026, 6, 5)))  # before the quarter
    # follow-ups open at the quarter's end: one still open, one done only after it
    still_open = f.follow_up(organization=org, assignee=users.owner)
    done_late = f.follow_up(organization=org, assignee=users.owner, status="done")
    done_early = f.follow_up(organization=org, assignee=users.owner, status="done")
    f.follow_up(organization=org, assignee=users.owner, status="cancelled")
    created = f.aware(dt.date(2026, 8, 1))
    FollowUp.objects.filter(pk=still_open.pk).update(created_at=created)
    FollowUp.objects.filter(pk=done_late.pk).update(
        created_at=created, completed_at=f.aware(dt.date(2026, 10, 15))
    )
    FollowUp.objects.filter(pk=done_early.pk).update(
        created_at=created, completed_at=f.aware(dt.date(2026, 9, 1))
    )
    return org, cat


def _by_code(score: SupplierScore) -> dict[str, dict]:
    return {c["code"]: c for c in score.criteria}


def test_exact_criterion_scores_and_total(config, users):
    org, _cat = build_quarter(users)
    [score] = services.compute_scores(kind="quarter", start=Q3, supplier_ids=[org.pk], now=NOW)
    c = _by_code(score)
    assert c["on_time"]["value"] == pytest.approx(33.33) and c["on_time"]["basis"] == 3
    assert c["quality"]["score"] == 96.25  # 1 − 6 / 160
    assert c["price_variance"]["value"] == 3.0  # 3 090 charged on 3 000 agreed
    assert c["price_variance"]["score"] == 70.0  # tolerance 10 %
    assert c["responsiveness"]["value"] == 48.0  # median of 24, 48, 96 hours
    assert c["responsiveness"]["score"] == 75.0  # (120 − 48) ÷ (120 − 24)
    assert c["open_issues"]["value"] == 4.0  # 2 follow-ups + 2 deliveries with rejects
    assert c["open_issues"]["score"] == 20.0
    # (30 × 33.33 + 25 × 96.25 + 20 × 70 + 15 × 75 + 10 × 20) ÷ 100
    assert score.total == Decimal("61.31")
    assert score.standing_label == "Average" and score.standing_action == "none"
    assert score.left_out == []
    stored = SupplierScore.objects.get(supplier=org, period_kind="quarter", period_start=Q3)
    assert stored.total == Decimal("61.31")


def test_criterion_without_data_is_left_out_and_weights_renormalised(config, users):
    org, _cat = build_quarter(users)
    # another quarter: no deliveries, no mails, the open follow-up only
    [score] = services.compute_scores(
        kind="quarter", start=dt.date(2026, 10, 1), supplier_ids=[org.pk], now=NOW
    )
    assert score.left_out == ["on_time", "quality", "price_variance", "responsiveness"]
    assert score.total == Decimal("80.00")  # one open follow-up of 5: the only criterion
    # without mails the other four share the weight (85 → 100)
    ScorecardCriterion.objects.filter(code="responsiveness").update(target_hours=1, limit_hours=2)
    [q3] = services.compute_scores(kind="quarter", start=Q3, supplier_ids=[org.pk], now=NOW)
    assert q3.left_out == []  # answered late is still data
    ScorecardCriterion.objects.filter(code="responsiveness").update(active=False)
    [q3] = services.compute_scores(kind="quarter", start=Q3, supplier_ids=[org.pk], now=NOW)
    assert q3.total == Decimal("58.90")  # 5 006.25 ÷ 85
    assert "responsiveness" not in _by_code(q3)


def test_renormalised_score_says_so_on_the_page(config, users, client):
    org, _cat = build_quarter(users)
    services.compute_scores(kind="quarter", start=dt.date(2026, 10, 1), supplier_ids=[org.pk])
    client.force_login(users.owner)
    response = client.get(f"/scorecards/{org.pk}/?period=quarter&start=2026-10-01")
    assert response.status_code == 200
    text = response.content.decode()
    assert "left out" in text
    assert "On-time delivery" in text


def test_weights_must_sum_to_100_or_be_normalised(config, users):
    weights = {
        "on_time": 30,
        "quality": 25,
        "price_variance": 20,
        "responsiveness": 10,
        "open_issues": 10,
    }
    with pytest.raises(ValidationError) as exc:
        services.criteria_weights_update(actor=users.admin, weights=weights)
    assert "sum to 95 %" in exc.value.message_dict["weight"][0]
    assert ScorecardCriterion.objects.get(code="responsiveness").weight == Decimal("15")
    services.criteria_weights_update(actor=users.admin, weights=weights, normalise=True)
    saved = dict(ScorecardCriterion.objects.values_list("code", "weight"))
    assert sum(saved.values()) == Decimal("100")
    assert saved["responsiveness"] == Decimal("10.53")
    assert saved["on_time"] == Decimal("31.57")  # 31.58 less the rounding rest
    # deactivating one: the others must sum to 100 again
    with pytest.raises(ValidationError):
        services.criteria_weights_update(
            actor=users.admin, weights={}, active={"open_issues": False}
        )
    with pytest.raises(ValidationError) as exc:
        services.criteria_weights_update(
            actor=users.admin,
            weights={},
            active=dict.fromkeys(saved, False),
        )
    assert "active" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.criteria_weights_update(actor=users.owner, weights=weights, normalise=True)


def test_standings_must_cover_0_to_100(config, users):
    rows = [
        {"low": 0, "high": 40, "label": "Schlecht", "action": "block"},
        {"low": 50, "high": 100, "label": "Gut", "action": "none"},
    ]
    with pytest.raises(ValidationError) as exc:
        services.standings_replace(actor=users.manager, rows=rows)
    assert exc.value.message_dict["low"] == ["No standing covers the scores from 40 to 50."]
    rows[1]["low"] = 30
    with pytest.raises(ValidationError) as exc:
        services.standings_replace(actor=users.manager, rows=rows)
    assert "overlap between 30 and 40" in exc.value.message_dict["low"][0]
    assert ScorecardStanding.objects.count() == 4  # nothing half-written
    rows[1]["low"] = 40
    saved = services.standings_replace(actor=users.manager, rows=rows)
    assert [s.label for s in saved] == ["Schlecht", "Gut"]
    assert ScorecardStanding.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.standings_replace(actor=users.owner, rows=rows)


def test_block_and_warning_from_latest_standing(config, users):
    from accord.procurement.services.purchases import purchase_order_create

    org = f.supplier(owner=users.owner, team=users.team_a)
    po = f.order(
        supplier=org,
        ordered_on=dt.date(2026, 6, 1),
        lines=[{"quantity": 10, "unit_price": "5", "delivery_date": dt.date(2026, 7, 10)}],
    )
    f.deliver(po, on=dt.date(2026, 9, 30), lines=[(1, 10, 10, "9")])  # late, all rejected, +80 %
    for _i in range(5):
        f.follow_up(organization=org, assignee=users.owner)
    ScorecardCriterion.objects.filter(code="responsiveness").update(active=False)
    [score] = services.compute_scores(kind="quarter", start=Q3, supplier_ids=[org.pk])
    # late, all rejected, 80 % dearer: 0 points; one delivery with rejects: 80 points (the
    # follow-ups were opened after the quarter) → 10 × 80 ÷ 85
    assert score.total == Decimal("9.41") and score.standing_action == "block"
    reason = services.ordering_block_reason(org)
    assert "Kabelwerk Süd GmbH" in reason and "9.4" in reason
    with pytest.raises(ValidationError) as exc:
        purchase_order_create(
            actor=users.owner,
            data={
                "supplier": org,
                "lines": [{"description": "Kabel", "quantity": 1, "unit_price": 1}],
            },
        )
    assert "blocked" in exc.value.message_dict["supplier"][0]
    # a later, poor (warning) score lifts the block
    SupplierScore.objects.create(
        supplier=org,
        period_kind="quarter",
        period_start=dt.date(2026, 10, 1),
        total=Decimal("42"),
        standing_label="Poor",
        standing_action="warning",
        computed_at=timezone.now(),
    )
    assert services.ordering_block_reason(org) is None
    assert "42" in services.ordering_warning(org)


def test_order_form_shows_the_suppliers_warning_or_block(config, users, client):
    org = f.supplier(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    assert "alert-warning" not in client.get(f"/purchases/add/?supplier={org.pk}").content.decode()
    for label, action, total in (("Poor", "warning", "42"), ("Very poor", "block", "12")):
        SupplierScore.objects.update_or_create(
            supplier=org,
            period_kind="quarter",
            period_start=Q3,
            defaults={
                "total": Decimal(total),
                "standing_label": label,
                "standing_action": action,
                "computed_at": timezone.now(),
            },
        )
        page = client.get(f"/purchases/add/?supplier={org.pk}").content.decode()
        css = "alert-warning" if action == "warning" else "alert-error"
        assert css in page and f"{total}" in page and "Kabelwerk Süd GmbH" in page
        # the posted form shows it again with the errors
        posted = client.post("/purchases/add/", {"supplier": org.pk}).content.decode()
        assert css in posted
    # a supplier the user may not see tells nothing
    hidden = f.supplier(name="Verborgen GmbH", owner=users.other, team=users.team_b)
    SupplierScore.objects.create(
        supplier=hidden,
        period_kind="quarter",
        period_start=Q3,
        total=Decimal("5"),
        standing_label="Very poor",
        standing_action="block",
        computed_at=timezone.now(),
    )
    page = client.get(f"/purchases/add/?supplier={hidden.pk}").content.decode()
    assert "Verborgen GmbH" not in page


def test_member_sees_only_scores_of_suppliers_they_may_see(config, users, client):
    mine = f.supplier(name="Sichtbar AG", owner=users.owner, team=users.team_a)
    hidden = f.supplier(name="Verborgen GmbH", owner=users.other, team=users.team_b)
    services.compute_scores(kind="quarter", start=Q3, supplier_ids=[mine.pk, hidden.pk])
    visible = selectors.supplier_score_list(users.owner)
    assert {s.supplier_id for s in visible} == {mine.pk}
    client.force_login(users.owner)
    page = client.get("/scorecards/?period=quarter:2026-07-01")
    assert "Sichtbar AG" in page.content.decode()
    assert "Verborgen GmbH" not in page.content.decode()
    assert client.get(f"/scorecards/{hidden.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.supplier_score_recompute(
            actor=users.owner, supplier=hidden, kind="quarter", start=Q3
        )


def test_recompute_job_computes_recent_periods_for_all_suppliers(config, users):
    f.supplier(name="Eins GmbH")
    f.supplier(name="Zwei GmbH")
    job = services.start_recompute(actor=users.admin, kind="quarter", count=3)
    run_jobs_now()
    job.refresh_from_db()
    assert job.status == "succeeded", job.failure
    assert SupplierScore.objects.filter(period_kind="quarter").count() == 6
    assert job.done == 6
    with pytest.raises(PermissionDenied):
        services.start_recompute(actor=users.owner)


def test_periodic_job_recomputes_last_and_current_periods(config, users):
    from accord.procurement.tasks_scorecards import recompute_recent

    f.supplier(name="Eins GmbH")
    written = recompute_recent(today=dt.date(2026, 11, 29))
    assert written == 4  # last and current month and quarter
    starts = set(SupplierScore.objects.values_list("period_kind", "period_start"))
    assert starts == {
        ("month", dt.date(2026, 10, 1)),
        ("month", dt.date(2026, 11, 1)),
        ("quarter", dt.date(2026, 7, 1)),
        ("quarter", dt.date(2026, 10, 1)),
    }
