"""Competitors: profiles (only for the competitor role), presence on opportunities and at
accounts, "lost to" when a deal is lost to a competitor, the competitor pages, and the permission
matrix of their pages and API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accord.core import testing
from accord.parties.models import Organization
from accord.pipeline.models import (
    AccountCompetitor,
    CompetitorProfile,
    Opportunity,
    OpportunityCompetitor,
)
from accord.pipeline.selectors import competitors as selectors
from accord.pipeline.services import competitors as services
from accord.pipeline.services import opportunity_create, opportunity_update

from .factories import lost_reason, make_opportunity, make_organization, stage
from .factories_competitors import make_competitor

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rival(users):
    return make_competitor(owner=users.owner, team=users.team_a)


@pytest.fixture
def deal(users):
    return make_opportunity(owner=users.owner, team=users.team_a)


# --- profiles ------------------------------------------------------------------------------------
def test_profile_on_an_organization_without_the_competitor_role_is_refused(users):
    client_org = make_organization(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.competitor_profile_save(
            actor=users.owner, organization=client_org, data={"products": "Kältemaschinen"}
        )
    assert "organization" in exc.value.message_dict
    assert "does not have the competitor role" in exc.value.message_dict["organization"][0]
    assert not CompetitorProfile.objects.exists()


def test_profile_is_created_on_first_save_and_changed_afterwards(users, rival):
    first = services.competitor_profile_save(
        actor=users.owner,
        organization=rival,
        data={"products": "KM 500", "price_position": "lower"},
    )
    second = services.competitor_profile_save(
        actor=users.owner, organization=rival, data={"strengths": "Schneller Service"}
    )
    assert first.pk == second.pk
    second.refresh_from_db()
    assert (second.products, second.price_position, second.strengths) == (
        "KM 500",
        "lower",
        "Schneller Service",
    )
    with pytest.raises(PermissionDenied):
        services.competitor_profile_save(actor=users.viewer, organization=rival, data={})
    with pytest.raises(PermissionDenied):
        services.competitor_profile_save(actor=users.other, organization=rival, data={})


def test_profile_page_creates_the_profile_on_first_edit(users, rival):
    client = _client(users.owner)
    assert client.get(reverse("pipeline:competitor_detail", args=[rival.pk])).status_code == 200
    response = client.post(
        reverse("pipeline:competitor_edit", args=[rival.pk]),
        {"products": "Kaltwassersätze", "strengths": "Preis", "price_position": "much_lower"},
    )
    assert response.status_code == 302
    page = client.get(reverse("pipeline:competitor_detail", args=[rival.pk])).content.decode()
    assert "Kaltwassersätze" in page
    assert "Much cheaper than us" in page
    client_org = make_organization(owner=users.owner, team=users.team_a, name="Kein Wettbewerber")
    assert client.get(reverse("pipeline:competitor_edit", args=[client_org.pk])).status_code == 404


# --- presence ------------------------------------------------------------------------------------
def test_presence_needs_a_visible_competitor_that_is_not_the_account(users, deal, rival):
    plain = make_organization(owner=users.owner, team=users.team_a, name="Nur Kunde")
    hidden = make_competitor(owner=users.other, team=users.team_b, name="Versteckt AG")
    for competitor in (plain, hidden, None):
        with pytest.raises(ValidationError) as exc:
            services.opportunity_competitor_add(
                actor=users.owner, opportunity=deal, data={"competitor": competitor}
            )
        assert "competitor" in exc.value.message_dict
    both = deal.organization
    both.is_competitor = True
    both.save()
    with pytest.raises(ValidationError) as exc:
        services.account_competitor_add(actor=users.owner, account=both, data={"competitor": both})
    assert "own competitor" in exc.value.message_dict["competitor"][0]

    presence = services.opportunity_competitor_add(
        actor=users.owner, opportunity=deal, data={"competitor": rival}
    )
    assert presence.status == "shortlisted"
    with pytest.raises(ValidationError) as exc:
        services.opportunity_competitor_add(
            actor=users.owner, opportunity=deal, data={"competitor": rival}
        )
    assert "already" in exc.value.message_dict["competitor"][0]
    at_account = services.account_competitor_add(
        actor=users.owner, account=deal.organization, data={"competitor": rival}
    )
    assert at_account.status == "incumbent"
    changed = services.account_competitor_update(
        actor=users.owner, instance=at_account, data={"status": "replaced"}
    )
    assert changed.status == "replaced"


def test_lost_to_a_competitor_sets_its_presence(users, deal, rival):
    second = make_competitor(owner=users.owner, team=users.team_a, name="Zweite GmbH")
    services.opportunity_competitor_add(
        actor=users.owner, opportunity=deal, data={"competitor": second, "status": "lost_to"}
    )
    opportunity_update(
        actor=users.owner,
        instance=deal,
        data={"stage": stage("Lost"), "lost_reason": lost_reason("Price"), "won_competitor": rival},
    )
    statuses = dict(
        OpportunityCompetitor.objects.filter(opportunity=deal).values_list(
            "competitor__name", "status"
        )
    )
    assert statuses == {"Kälte-Konkurrenz AG": "lost_to", "Zweite GmbH": "shortlisted"}

    # an existing presence changes; nothing is duplicated when the deal is saved again
    opportunity_update(actor=users.owner, instance=deal, data={"won_competitor": second})
    opportunity_update(actor=users.owner, instance=deal, data={"next_step": "Nachbesprechung"})
    statuses = dict(
        OpportunityCompetitor.objects.filter(opportunity=deal).values_list(
            "competitor__name", "status"
        )
    )
    assert statuses == {"Kälte-Konkurrenz AG": "shortlisted", "Zweite GmbH": "lost_to"}


def test_a_deal_created_as_lost_records_the_presence_and_won_deals_do_not(users, rival):
    org = make_organization(owner=users.owner, team=users.team_a, name="Direkt verloren")
    lost = opportunity_create(
        actor=users.owner,
        data={
            "organization": org,
            "title": "Verloren",
            "stage": stage("Lost"),
            "lost_reason": lost_reason("Competitor"),
            "won_competitor": rival,
        },
    )
    won = opportunity_create(
        actor=users.owner,
        data={"organization": org, "title": "Gewonnen", "stage": stage("Won"), "amount": 5},
    )
    assert OpportunityCompetitor.objects.get(opportunity=lost).status == "lost_to"
    assert not OpportunityCompetitor.objects.filter(opportunity=won).exists()


def test_presence_sections_through_htmx(users, deal, rival):
    client = _client(users.owner)
    hx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(
        reverse("pipeline:opportunity_competitor_add", args=[deal.pk]),
        {"competitor-competitor": rival.pk, "competitor-status": "incumbent"},
        **hx,
    )
    assert "Kälte-Konkurrenz AG added." in response.content.decode()
    presence = OpportunityCompetitor.objects.get()
    client.post(
        reverse("pipeline:opportunity_competitor_status", args=[presence.pk]),
        {"status": "replaced"},
        **hx,
    )
    presence.refresh_from_db()
    assert presence.status == "replaced"

    account = deal.organization
    response = client.post(
        reverse("pipeline:account_competitor_add", args=[account.pk]),
        {"account-competitor-competitor": rival.pk, "account-competitor-status": "incumbent"},
        **hx,
    )
    assert "Kälte-Konkurrenz AG added." in response.content.decode()
    section = client.get(reverse("pipeline:account_competitors", args=[account.pk]), **hx)
    assert "Incumbent" in section.content.decode()
    org_page = client.get(account.get_absolute_url()).content.decode()
    assert reverse("pipeline:account_competitors", args=[account.pk]) in org_page
    opp_page = client.get(deal.get_absolute_url()).content.decode()
    assert reverse("pipeline:opportunity_competitors", args=[deal.pk]) in opp_page

    at_account = AccountCompetitor.objects.get()
    client.post(reverse("pipeline:account_competitor_remove", args=[at_account.pk]), **hx)
    client.post(reverse("pipeline:opportunity_competitor_remove", args=[presence.pk]), **hx)
    assert not AccountCompetitor.objects.exists()
    assert not OpportunityCompetitor.objects.exists()


def test_another_team_cannot_see_or_edit_presence(users, deal, rival):
    presence = OpportunityCompetitor.objects.create(opportunity=deal, competitor=rival)
    at_account = AccountCompetitor.objects.create(account=deal.organization, competitor=rival)
    gets = [
        reverse("pipeline:opportunity_competitors", args=[deal.pk]),
        reverse("pipeline:account_competitors", args=[deal.organization.pk]),
        reverse("pipeline:competitor_detail", args=[rival.pk]),
    ]
    posts = [
        (reverse("pipeline:opportunity_competitor_add", args=[deal.pk]), {}),
        (
            reverse("pipeline:opportunity_competitor_status", args=[presence.pk]),
            {"status": "lost_to"},
        ),
        (reverse("pipeline:opportunity_competitor_remove", args=[presence.pk]), {}),
        (reverse("pipeline:account_competitor_add", args=[deal.organization.pk]), {}),
        (
            reverse("pipeline:account_competitor_status", args=[at_account.pk]),
            {"status": "lost_to"},
        ),
        (reverse("pipeline:account_competitor_remove", args=[at_account.pk]), {}),
    ]
    other = _client(users.other)
    for url in gets:
        assert other.get(url).status_code == 404, url
    for url, data in posts:
        assert other.post(url, data).status_code == 404, url
    viewer = _client(users.viewer)
    for url in gets:
        assert viewer.get(url).status_code == 200, url
    for url, data in posts:
        assert viewer.post(url, data).status_code == 403, url
    assert OpportunityCompetitor.objects.get().status == "shortlisted"
    assert AccountCompetitor.objects.get().status == "incumbent"


# --- the competitor list -------------------------------------------------------------------------
def test_competitor_list_counts_open_deals_and_win_rate(users, rival):
    CompetitorProfile.objects.create(organization=rival, price_position="lower", products="KM 9")
    make_competitor(owner=users.owner, team=users.team_a, name="Ohne Profil GmbH")
    make_organization(owner=users.owner, team=users.team_a, name="Nur Kunde")
    for st in ("Qualification", "Proposal", "Won", "Lost", "Lost"):
        deal = make_opportunity(owner=users.owner, team=users.team_a, stage=stage(st))
        OpportunityCompetitor.objects.create(opportunity=deal, competitor=rival)
    make_opportunity(
        owner=users.owner, team=users.team_a, stage=stage("Lost"), won_competitor=rival
    )
    hidden = make_opportunity(owner=users.other, team=users.team_b, stage=stage("Won"))
    OpportunityCompetitor.objects.create(opportunity=hidden, competitor=rival)

    row = selectors.competitor_list(users.owner).get(pk=rival.pk)
    assert (row.open_opportunities, row.won_against, row.lost_against) == (2, 1, 3)
    assert row.win_rate == pytest.approx(25.0)
    assert row.price_position == "lower"
    admin_row = selectors.competitor_list(users.admin).get(pk=rival.pk)
    assert (admin_row.won_against, admin_row.lost_against) == (2, 3)

    client = _client(users.owner)
    page = client.get(reverse("pipeline:competitor_list")).content.decode()
    assert "Kälte-Konkurrenz AG" in page and "Ohne Profil GmbH" in page
    assert "Nur Kunde" not in page
    assert "25 %" in page and "Cheaper than us" in page
    filtered = client.get(reverse("pipeline:competitor_list"), {"profile": "no"}).content.decode()
    assert "Ohne Profil GmbH" in filtered and "Kälte-Konkurrenz AG" not in filtered
    searched = client.get(reverse("pipeline:competitor_list"), {"q": "KM 9"}).content.decode()
    assert "Kälte-Konkurrenz AG" in searched and "Ohne Profil GmbH" not in searched
    present = client.get(reverse("pipeline:competitor_list"), {"present": "open"}).content.decode()
    assert "Kälte-Konkurrenz AG" in present and "Ohne Profil GmbH" not in present


def test_competitor_list_exports_as_shown(users, rival):
    from accord.core.views import list_export_table

    CompetitorProfile.objects.create(organization=rival, price_position="higher")
    table = list_export_table("pipeline:competitor_list", users.owner, "")
    headers = [c.header for c in table.export_columns()]
    rows = list(table.export_rows())
    assert headers[:3] == ["Competitor", "Price position", "Products"]
    assert rows[0][:2] == ["Kälte-Konkurrenz AG", "More expensive than us"]
    assert list(list_export_table("pipeline:competitor_list", users.other, "").export_rows()) == []


# --- permission matrix ---------------------------------------------------------------------------
class WarmContentTypes:
    def setUp(self):
        super().setUp()
        ContentType.objects.get_for_models(Opportunity, Organization)


class CompetitorPages(WarmContentTypes, testing.PageMatrixTestCase):
    """The competitor pages, keyed by the competitor organization; the profile is created on the
    first edit, so there is no add or delete page."""

    model = CompetitorProfile
    namespace = "pipeline"
    has_create = False
    has_delete = False
    list_query_budget = 7
    detail_query_budget = 10

    @classmethod
    def make_object(cls, *, owner, team):
        n = Organization.objects.count()
        org = make_competitor(owner=owner, team=team, name=f"Wettbewerber {n}")
        return CompetitorProfile.objects.create(organization=org, products="KM 100")

    def url(self, action, obj=None):
        args = [obj.organization_id] if obj is not None else []
        return reverse(f"pipeline:competitor_{action}", args=args)

    def form_data(self):
        return {"products": "KM 200", "strengths": "Preis", "price_position": "lower"}


class CompetitorProfileApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = CompetitorProfile
    api_list_url = "/api/pipeline/competitor-profiles/"

    @classmethod
    def make_object(cls, *, owner, team):
        n = Organization.objects.count()
        org = make_competitor(owner=owner, team=team, name=f"API Wettbewerber {n}")
        return CompetitorProfile.objects.create(organization=org)

    def api_data(self):
        org = make_competitor(owner=self.u.other, team=self.u.team_b, name="Neu im Markt AG")
        return {"organization": org.pk, "products": "Wärmepumpen", "price_position": "same"}

    def api_update_data(self, obj):
        return {"weaknesses": "Lange Lieferzeiten"}


class OpportunityCompetitorApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = OpportunityCompetitor
    api_list_url = "/api/pipeline/opportunity-competitors/"

    @classmethod
    def make_object(cls, *, owner, team):
        deal = make_opportunity(owner=owner, team=team)
        n = Organization.objects.count()
        rival = make_competitor(owner=owner, team=team, name=f"Rivale {n}")
        return OpportunityCompetitor.objects.create(opportunity=deal, competitor=rival)

    def api_data(self):
        org = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde GmbH")
        deal = make_opportunity(owner=self.u.other, team=self.u.team_b, organization=org)
        rival = make_competitor(owner=self.u.other, team=self.u.team_b, name="API Rivale")
        return {"opportunity": deal.pk, "competitor": rival.pk, "status": "incumbent"}

    def api_update_data(self, obj):
        return {"status": "replaced"}


class AccountCompetitorApi(WarmContentTypes, testing.ApiMatrixTestCase):
    model = AccountCompetitor
    api_list_url = "/api/pipeline/account-competitors/"

    @classmethod
    def make_object(cls, *, owner, team):
        n = Organization.objects.count()
        account = make_organization(owner=owner, team=team, name=f"Kunde {n}")
        rival = make_competitor(owner=owner, team=team, name=f"Rivale {n}")
        return AccountCompetitor.objects.create(account=account, competitor=rival)

    def api_data(self):
        account = make_organization(owner=self.u.other, team=self.u.team_b, name="API Kunde")
        rival = make_competitor(owner=self.u.other, team=self.u.team_b, name="API Rivale")
        return {"account": account.pk, "competitor": rival.pk, "since": "2023-04-01"}

    def api_update_data(self, obj):
        return {"status": "replaced", "products": "Kältemaschinen"}


def test_api_refuses_a_profile_on_a_non_competitor(users, api):
    plain = make_organization(owner=users.owner, team=users.team_a)
    response = api(users.owner).post(
        "/api/pipeline/competitor-profiles/", {"organization": plain.pk}, format="json"
    )
    assert response.status_code == 400
    assert "competitor role" in response.json()["organization"][0]


def test_api_refuses_a_presence_of_a_non_competitor(users, api, deal):
    plain = make_organization(owner=users.owner, team=users.team_a, name="Kein Rivale")
    response = api(users.owner).post(
        "/api/pipeline/opportunity-competitors/",
        {"opportunity": deal.pk, "competitor": plain.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["competitor"]


def test_amounts_are_decimal(users, rival):
    deal = make_opportunity(
        owner=users.owner, team=users.team_a, stage=stage("Won"), amount=Decimal("1234.50")
    )
    OpportunityCompetitor.objects.create(opportunity=deal, competitor=rival)
    record = selectors.competitor_detail(users.owner, rival)["record"]
    assert record.won_amount == Decimal("1234.50")
