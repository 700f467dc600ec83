"""The opportunity board: columns with totals, cards, moving a deal (htmx and plain form), the
stale-version guard, the lost-reason dialog, permissions and query budget."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accord.core.models import Share
from accord.parties.models import Organization
from accord.pipeline.models import Opportunity, StageChange
from accord.pipeline.services import opportunity_update
from accord.pipeline.services.opportunities import opportunity_move

from .factories import lost_reason, make_opportunity, make_organization, renewals, stage

pytestmark = pytest.mark.django_db

BOARD = "/opportunities/board/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "board"}


def move_url(opp) -> str:
    return reverse("pipeline:opportunity_move", args=[opp.pk])


def version(opp) -> str:
    opp.refresh_from_db()
    return opp.updated_at.isoformat()


def column(response, name: str):
    board = response.context["board"]
    return next(c for c in board.columns if c.stage.name == name)


def closed(opp, *, days_ago: float = 1) -> Opportunity:
    Opportunity.objects.filter(pk=opp.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    opp.refresh_from_db()
    return opp


def test_board_url_name_and_link_from_the_list(client, users):
    assert reverse("pipeline:opportunity_board") == BOARD
    client.force_login(users.owner)
    body = client.get("/opportunities/?q=Wartung").content.decode()
    assert f'href="{BOARD}?q=Wartung"' in body
    board = client.get(BOARD + "?q=Wartung").content.decode()
    assert re.search(r'href="/opportunities/\?[^"]*q=Wartung', board)  # and back to the list


def test_totals_per_column_match_the_stored_data(client, users):
    org = make_organization(owner=users.owner, team=users.team_a)
    specs = [
        ("Qualification", "1000.00", 10),
        ("Qualification", "2500.50", 20),
        ("Proposal", "40000.00", 50),
        ("Proposal", "12345.67", 65),
        ("Negotiation", "9999.99", 75),
    ]
    for name, amount, probability in specs:
        make_opportunity(
            owner=users.owner,
            team=users.team_a,
            organization=org,
            stage=stage(name),
            amount=Decimal(amount),
            probability=probability,
        )
    closed(make_opportunity(owner=users.owner, team=users.team_a, stage=stage("Won")))
    old_win = make_opportunity(owner=users.owner, team=users.team_a, stage=stage("Won"))
    closed(old_win, days_ago=200)  # not recent: not on the board
    # another pipeline's deal stays off this board
    make_opportunity(owner=users.owner, team=users.team_a, stage=stage("Renewal due", renewals()))

    client.force_login(users.owner)
    response = client.get(BOARD)
    assert response.status_code == 200
    for name in ("Qualification", "Proposal", "Negotiation", "Won", "Lost"):
        col = column(response, name)
        rows = [s for s in specs if s[0] == name]
        expected_amount = sum((Decimal(a) for _, a, _ in rows), Decimal("0"))
        expected_weighted = sum((Decimal(a) * p / 100 for _, a, p in rows), Decimal("0")).quantize(
            Decimal("0.01")
        )
        if name == "Won":
            expected_amount, expected_weighted = Decimal("12000.00"), Decimal("12000.00")
            rows = [None]
        assert col.count == len(rows), name
        total = col.totals[0] if col.totals else None
        assert (total.amount if total else Decimal("0")) == expected_amount, name
        assert (total.weighted if total else Decimal("0")) == expected_weighted, name
    board = response.context["board"]
    assert board.open_count == 5
    assert board.open_totals[0].amount == Decimal("65846.16")
    body = response.content.decode()
    assert "closed in the last 90 days" in body
    assert "65,846 EUR" in body  # the open pipeline, shown with thousands separators


def test_cards_are_limited_per_column_with_a_link_to_the_rest(client, users):
    org = make_organization(owner=users.owner, team=users.team_a)
    today = timezone.localdate()
    for n in range(33):
        make_opportunity(
            owner=users.owner,
            team=users.team_a,
            organization=org,
            title=f"Deal {n:02d}",
            expected_close_date=today + dt.timedelta(days=n),
        )
    client.force_login(users.owner)
    response = client.get(BOARD)
    col = column(response, "Qualification")
    assert col.count == 33
    assert [c.title for c in col.cards] == [f"Deal {n:02d}" for n in range(30)]  # by close date
    assert col.more == 3
    body = response.content.decode()
    assert "3 more" in body
    link = re.search(r'href="(/opportunities/\?[^"]*)" *>3 more', body) or re.search(
        r'class="board-more small" href="([^"]+)"', body
    )
    listed = client.get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    assert f"stage={stage('Qualification').pk}" in link.group(1)


def test_board_query_count_is_small_and_constant(client, users, django_assert_max_num_queries):
    org = make_organization(owner=users.owner, team=users.team_a)
    for name in ("Qualification", "Needs analysis", "Proposal", "Negotiation"):
        for _ in range(3):
            make_opportunity(
                owner=users.owner, team=users.team_a, organization=org, stage=stage(name)
            )
    ContentType.objects.get_for_models(Opportunity, Organization)
    for user in (users.admin, users.owner):
        client.force_login(user)
        client.get(BOARD)  # warm caches, as a running process has them
        with django_assert_max_num_queries(10):
            assert client.get(BOARD + f"?owner={users.owner.pk}&q=Wartung").status_code == 200
        for name in ("Qualification", "Proposal"):
            for _ in range(10):
                make_opportunity(
                    owner=users.owner, team=users.team_a, organization=org, stage=stage(name)
                )
        with django_assert_max_num_queries(10):
            assert client.get(BOARD).status_code == 200


def test_another_teams_opportunity_is_not_on_a_members_board(client, users):
    mine = make_opportunity(owner=users.owner, team=users.team_a, title="Unser Deal")
    theirs = make_opportunity(
        owner=users.other,
        team=users.team_b,
        title="Fremder Deal",
        organization=make_organization(owner=users.other, team=users.team_b, name="Fremd AG"),
        amount=Decimal("99999"),
    )
    client.force_login(users.owner)
    response = client.get(BOARD)
    body = response.content.decode()
    assert mine.title in body
    assert theirs.title not in body
    assert column(response, "Qualification").count == 1
    assert column(response, "Qualification").totals[0].amount == Decimal("12000.00")
    # and the move endpoint does not find it
    r = client.post(move_url(theirs), {"stage": stage("Proposal").pk, "version": version(theirs)})
    assert r.status_code == 404


def test_filters_narrow_the_board(client, users):
    make_opportunity(owner=users.owner, team=users.team_a, title="Wärmepumpen Halle 3")
    make_opportunity(owner=users.owner, team=users.team_a, title="Lüftung Neubau")
    client.force_login(users.owner)
    response = client.get(BOARD + "?q=wärmepumpen", **HTMX)
    body = response.content.decode()
    assert 'id="board"' in body and "<html" not in body  # the htmx fragment only
    assert "Wärmepumpen Halle 3" in body and "Lüftung Neubau" not in body
    assert column(response, "Qualification").count == 1


def test_second_pipeline_is_chosen_by_parameter(client, users):
    make_opportunity(owner=users.owner, team=users.team_a, stage=stage("Quote sent", renewals()))
    client.force_login(users.owner)
    response = client.get(BOARD + f"?pipeline={renewals().pk}")
    names = [c.stage.name for c in response.context["board"].columns]
    assert names == ["Renewal due", "Quote sent", "Renewed", "Churned"]
    assert column(response, "Quote sent").count == 1
    # the default pipeline comes first when none is named
    assert client.get(BOARD).context["pipeline"].is_default


def test_a_card_moved_through_the_endpoint_changes_stage_and_records_it(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    response = client.post(
        move_url(opp),
        {
            "stage": stage("Proposal").pk,
            "version": version(opp),
            "board": f"pipeline={opp.pipeline_id}",
        },
        **HTMX,
    )
    assert response.status_code == 200
    opp.refresh_from_db()
    assert opp.stage == stage("Proposal")
    assert opp.probability == 50  # the stage's default
    change = StageChange.objects.filter(opportunity=opp).order_by("-changed_at", "-id").first()
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        stage("Qualification"),
        stage("Proposal"),
        users.owner,
    )
    body = response.content.decode()
    assert 'hx-swap-oob="innerHTML"' in body and "moved to “Proposal”" in body
    assert column(response, "Proposal").count == 1  # the totals follow
    assert column(response, "Qualification").count == 0
    assert f'data-focus="opp-{opp.pk}"' in body


def test_the_move_form_works_without_javascript(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    board = client.get(BOARD).content.decode()
    assert f'action="{move_url(opp)}"' in board and 'name="stage"' in board
    response = client.post(
        move_url(opp),
        {"stage": stage("Negotiation").pk, "version": version(opp), "board": "q=Rahmen"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(BOARD) and "q=Rahmen" in response["Location"]
    opp.refresh_from_db()
    assert opp.stage == stage("Negotiation")
    assert "moved to" in client.get(response["Location"]).content.decode()


def test_a_stale_version_is_refused_and_the_stored_record_kept(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    shown = version(opp)
    # meanwhile a colleague moves it
    opportunity_update(actor=users.manager, instance=opp, data={"stage": stage("Needs analysis")})
    changes = StageChange.objects.filter(opportunity=opp).count()
    client.force_login(users.owner)
    response = client.post(move_url(opp), {"stage": stage("Proposal").pk, "version": shown}, **HTMX)
    assert response.status_code == 200
    opp.refresh_from_db()
    assert opp.stage == stage("Needs analysis")  # their change stands
    assert StageChange.objects.filter(opportunity=opp).count() == changes
    body = response.content.decode()
    assert "changed “Rahmenvertrag Wartung” in the meantime" in body
    assert "is in “Needs analysis”" in body and "Reload" in body
    assert "Manager" in body  # who changed it
    assert column(response, "Needs analysis").count == 1  # the board shows their state


def test_lost_without_a_reason_asks_for_it_first(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    competitor = Organization.objects.create(
        name="Kälte-Konkurrenz GmbH", is_competitor=True, owner=users.owner, team=users.team_a
    )
    client.force_login(users.owner)
    shown = version(opp)
    response = client.post(move_url(opp), {"stage": stage("Lost").pk, "version": shown}, **HTMX)
    body = response.content.decode()
    assert "<dialog" in body and "Why was “Rahmenvertrag Wartung” lost?" in body
    assert 'name="lost_reason"' in body and "Kälte-Konkurrenz GmbH" in body
    opp.refresh_from_db()
    assert opp.stage == stage("Qualification")
    # the dialog sent without a reason asks again
    again = client.post(
        move_url(opp), {"stage": stage("Lost").pk, "version": shown, "lost_reason": ""}, **HTMX
    )
    assert "A lost opportunity needs a reason." in again.content.decode()
    # with the reason (and the competitor that won) it moves
    client.post(
        move_url(opp),
        {
            "stage": stage("Lost").pk,
            "version": shown,
            "lost_reason": lost_reason("Price").pk,
            "won_competitor": competitor.pk,
        },
        **HTMX,
    )
    opp.refresh_from_db()
    assert opp.stage == stage("Lost")
    assert opp.lost_reason == lost_reason("Price")
    assert opp.won_competitor == competitor
    assert opp.closed_at is not None


def test_cancelling_the_lost_dialog_moves_nothing(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    response = client.post(
        move_url(opp),
        {"stage": stage("Lost").pk, "version": version(opp), "cancel": "1"},
        **HTMX,
    )
    assert "Not moved." in response.content.decode()
    opp.refresh_from_db()
    assert opp.stage == stage("Qualification")


def test_the_lost_dialog_works_without_javascript(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    shown = version(opp)
    page = client.post(move_url(opp), {"stage": stage("Lost").pk, "version": shown})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" in body and "<dialog" in body and " open " in body
    done = client.post(
        move_url(opp),
        {"stage": stage("Lost").pk, "version": shown, "lost_reason": lost_reason("Timing").pk},
    )
    assert done.status_code == 302
    opp.refresh_from_db()
    assert (opp.stage, opp.lost_reason) == (stage("Lost"), lost_reason("Timing"))


def test_won_without_amount_is_refused_with_the_services_message(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a, amount=Decimal("0"))
    client.force_login(users.owner)
    response = client.post(
        move_url(opp), {"stage": stage("Won").pk, "version": version(opp)}, **HTMX
    )
    assert "A won opportunity needs an amount above zero." in response.content.decode()
    opp.refresh_from_db()
    assert opp.stage == stage("Qualification")


def test_viewers_get_no_move_controls_and_403(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.viewer)
    body = client.get(BOARD).content.decode()
    assert opp.title in body
    assert 'draggable="true"' not in body and 'class="board-move"' not in body
    response = client.post(move_url(opp), {"stage": stage("Proposal").pk, "version": version(opp)})
    assert response.status_code == 403
    opp.refresh_from_db()
    assert opp.stage == stage("Qualification")


def test_a_deal_shared_for_reading_cannot_be_moved(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    Share.objects.create(
        content_type=ContentType.objects.get_for_model(Opportunity),
        object_id=opp.pk,
        user=users.other,
    )
    client.force_login(users.other)
    body = client.get(BOARD).content.decode()
    assert opp.title in body and 'draggable="true"' not in body
    response = client.post(move_url(opp), {"stage": stage("Proposal").pk, "version": version(opp)})
    assert response.status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    assert client.get(BOARD).status_code == 302
    assert client.post(move_url(opp), {"stage": stage("Proposal").pk}).status_code == 302


def test_leaving_the_lost_stage_forgets_the_reason(users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    opportunity_move(
        actor=users.owner, instance=opp, stage=stage("Lost"), lost_reason=lost_reason()
    )
    opp.refresh_from_db()
    assert opp.lost_reason is not None
    opportunity_move(actor=users.owner, instance=opp, stage=stage("Negotiation"))
    opp.refresh_from_db()
    assert (opp.stage, opp.lost_reason, opp.closed_at) == (stage("Negotiation"), None, None)


def test_a_move_stays_within_the_pipeline(client, users):
    opp = make_opportunity(owner=users.owner, team=users.team_a)
    client.force_login(users.owner)
    response = client.post(
        move_url(opp),
        {"stage": stage("Quote sent", renewals()).pk, "version": version(opp)},
        **HTMX,
    )
    assert "was not moved" not in response.content.decode()  # a form error, not a service error
    assert "Choose a stage of “New business” to move “Rahmenvertrag Wartung” to." in (
        response.content.decode()
    )
    opp.refresh_from_db()
    assert opp.pipeline.is_default and opp.stage == stage("Qualification")
