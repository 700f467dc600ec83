"""Market signals: the rules of the services, turning a signal into an opportunity, the pages
(prefill, organization and opportunity fragments, export), search and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accord.core.search import search
from accord.pipeline import services
from accord.pipeline.models import MarketSignal, Opportunity

from .factories import make_organization, new_business, renewals
from .factories_signals import make_interaction, make_person, make_signal

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _data(**extra):
    return {
        "title": "Kunde fragt nach Fernwartung",
        "topic": "Fernwartung",
        "kind": "feedback",
        "direction": "request",
        "observed_on": YESTERDAY,
        **extra,
    }


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- rules ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "make", "word"),
    [
        (
            "organizations",
            lambda u: make_organization(owner=u.other, team=u.team_b),
            "organizations",
        ),
        ("people", lambda u: make_person(owner=u.other, team=u.team_b), "people"),
        ("interactions", lambda u: make_interaction(owner=u.other, team=u.team_b), "interactions"),
    ],
)
def test_linking_a_record_the_user_cannot_see_is_refused_naming_the_field(users, field, make, word):
    hidden = make(users)
    with pytest.raises(ValidationError) as exc:
        services.market_signal_create(actor=users.owner, data=_data(**{field: [hidden]}))
    errors = _errors(exc)
    assert list(errors) == [field]
    assert word in errors[field][0]
    assert not MarketSignal.objects.exists()


def test_the_form_refuses_an_invisible_organization(users, client):
    hidden = make_organization(owner=users.other, team=users.team_b, name="Fremd GmbH")
    client.force_login(users.owner)
    response = client.post(
        reverse("pipeline:marketsignal_add"),
        {
            "title": "X",
            "topic": "Fernwartung",
            "kind": "trend",
            "direction": "threat",
            "observed_on": YESTERDAY.isoformat(),
            "organizations": [hidden.pk],
        },
    )
    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors
    assert not MarketSignal.objects.exists()


def test_a_future_date_is_refused(users):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.market_signal_create(actor=users.owner, data=_data(observed_on=tomorrow))
    assert list(_errors(exc)) == ["observed_on"]
    assert "future" in _errors(exc)["observed_on"][0]


def test_title_and_topic_are_required(users):
    with pytest.raises(ValidationError) as exc:
        services.market_signal_create(actor=users.owner, data=_data(title="  ", topic=""))
    assert set(_errors(exc)) == {"title", "topic"}


def test_a_topic_typed_in_another_case_takes_the_existing_spelling(users):
    services.market_signal_create(actor=users.owner, data=_data(topic="Predictive Maintenance"))
    second = services.market_signal_create(
        actor=users.owner, data=_data(topic="  predictive   maintenance ")
    )
    assert second.topic == "Predictive Maintenance"


def test_a_viewer_may_not_record_signals(users):
    with pytest.raises(PermissionDenied):
        services.market_signal_create(actor=users.viewer, data=_data())


def test_an_edit_keeps_links_the_editor_cannot_see(users):
    mine = make_organization(owner=users.owner, team=users.team_a, name="Eigene GmbH")
    theirs = make_organization(owner=users.other, team=users.team_b, name="Fremd GmbH")
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[mine, theirs])
    services.market_signal_update(
        actor=users.owner, instance=signal, data={"title": "Neu", "organizations": [mine]}
    )
    assert set(signal.organizations.values_list("name", flat=True)) == {
        "Eigene GmbH",
        "Fremd GmbH",
    }


def test_links_the_user_can_see_are_stored(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    person = make_person(owner=users.owner, team=users.team_a, organization=org)
    interaction = make_interaction(owner=users.owner, team=users.team_a)
    signal = services.market_signal_create(
        actor=users.owner,
        data=_data(organizations=[org], people=[person], interactions=[interaction]),
    )
    assert list(signal.organizations.all()) == [org]
    assert list(signal.people.all()) == [person]
    assert list(signal.interactions.all()) == [interaction]
    assert signal.owner == users.owner and signal.team == users.team_a


# --- turning a signal into an opportunity ------------------------------------------------------
def test_a_signal_becomes_an_opportunity_once(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    opportunity = services.market_signal_to_opportunity(
        actor=users.owner,
        signal=signal,
        data={"organization": org, "pipeline": renewals(), "amount": "25000"},
    )
    signal.refresh_from_db()
    assert signal.opportunity == opportunity
    assert opportunity.title == signal.title
    assert opportunity.organization == org
    assert opportunity.pipeline == renewals()
    assert opportunity.stage.pipeline == renewals()
    assert opportunity.source == "other"
    assert opportunity.owner == users.owner
    assert opportunity.stage_changes.count() == 1

    with pytest.raises(ValidationError) as exc:
        services.market_signal_to_opportunity(
            actor=users.owner, signal=signal, data={"organization": org}
        )
    assert "already" in _errors(exc)["opportunity"][0]
    assert Opportunity.objects.count() == 1


def test_a_viewer_may_not_turn_a_signal_into_an_opportunity(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    with pytest.raises(PermissionDenied):
        services.market_signal_to_opportunity(
            actor=users.viewer, signal=signal, data={"organization": org}
        )
    assert not Opportunity.objects.exists()
    signal.refresh_from_db()
    assert signal.opportunity is None


def test_the_opportunity_is_for_one_of_the_signals_organizations(users):
    org = make_organization(owner=users.owner, team=users.team_a, name="Verlinkt GmbH")
    other = make_organization(owner=users.owner, team=users.team_a, name="Andere GmbH")
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    with pytest.raises(ValidationError) as exc:
        services.market_signal_to_opportunity(
            actor=users.owner, signal=signal, data={"organization": other}
        )
    assert list(_errors(exc)) == ["organization"]
    bare = make_signal(owner=users.owner, team=users.team_a)
    with pytest.raises(ValidationError) as exc:
        services.market_signal_to_opportunity(
            actor=users.owner, signal=bare, data={"organization": org}
        )
    assert "organization" in _errors(exc)["organization"][0]


def test_an_opportunitys_rules_still_apply(users):
    org = make_organization(owner=users.owner, team=users.team_a)
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    with pytest.raises(ValidationError) as exc:
        services.market_signal_to_opportunity(
            actor=users.owner, signal=signal, data={"organization": org, "amount": "-5"}
        )
    assert "amount" in _errors(exc)
    signal.refresh_from_db()
    assert signal.opportunity is None and not Opportunity.objects.exists()


def test_turn_into_opportunity_page_leads_to_the_new_opportunity(users, client):
    org = make_organization(owner=users.owner, team=users.team_a, name="Kälte Süd AG")
    signal = make_signal(
        owner=users.owner, team=users.team_a, organizations=[org], title="Neue F-Gase-Regeln"
    )
    client.force_login(users.owner)
    detail = client.get(signal.get_absolute_url()).content.decode()
    url = reverse("pipeline:marketsignal_to_opportunity", args=[signal.pk])
    assert url in detail
    form = client.get(url)
    assert form.status_code == 200
    assert "Kälte Süd AG" in form.content.decode()
    response = client.post(
        url,
        {
            "organization": org.pk,
            "title": "",
            "pipeline": new_business().pk,
            "amount": "48000",
            "expected_close_date": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        },
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == opportunity.get_absolute_url()
    assert opportunity.title == "Neue F-Gase-Regeln"
    # the opportunity page loads "From signal: …"
    page = client.get(opportunity.get_absolute_url()).content.decode()
    fragment_url = reverse("pipeline:opportunity_signals", args=[opportunity.pk])
    assert fragment_url in page
    fragment = client.get(fragment_url).content.decode()
    assert "From signal:" in fragment and "Neue F-Gase-Regeln" in fragment
    # the signal page now names it, and offers no second conversion
    detail = client.get(signal.get_absolute_url()).content.decode()
    assert opportunity.get_absolute_url() in detail
    assert url not in detail
    again = client.post(url, {"organization": org.pk})
    assert again.status_code == 200
    assert "already" in again.content.decode()
    assert Opportunity.objects.count() == 1


def test_viewer_gets_no_turn_into_opportunity_page(users, client):
    org = make_organization(owner=users.owner, team=users.team_a)
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    client.force_login(users.viewer)
    url = reverse("pipeline:marketsignal_to_opportunity", args=[signal.pk])
    assert url not in client.get(signal.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"organization": org.pk}).status_code == 403
    client.force_login(users.other)
    assert client.get(url).status_code == 404


def test_opportunity_fragment_hides_signals_the_user_may_not_see(users, client):
    org = make_organization(owner=users.owner, team=users.team_a)
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    opportunity = services.market_signal_to_opportunity(
        actor=users.owner, signal=signal, data={"organization": org}
    )
    client.force_login(users.other)
    fragment = client.get(reverse("pipeline:opportunity_signals", args=[opportunity.pk]))
    assert signal.title not in fragment.content.decode()


# --- pages -----------------------------------------------------------------------------------------
def test_record_a_signal_from_an_interaction_prefills_the_form(users, client):
    org = make_organization(owner=users.owner, team=users.team_a, name="Brauerei Fulda")
    org.industry = "food"
    org.save()
    person = make_person(owner=users.owner, team=users.team_a, organization=org, last_name="Kern")
    interaction = make_interaction(owner=users.owner, team=users.team_a, subject="Werksbesuch")
    interaction.organizations.through.objects.create(
        interaction=interaction, organization=org, occurred_at=interaction.occurred_at
    )
    interaction.people.through.objects.create(
        interaction=interaction, person=person, occurred_at=interaction.occurred_at
    )
    client.force_login(users.owner)
    response = client.get(f"{reverse('pipeline:marketsignal_add')}?interaction={interaction.pk}")
    form = response.context["form"]
    assert form.initial["interactions"] == [interaction.pk]
    assert form.initial["organizations"] == [org.pk]
    assert form.initial["people"] == [person.pk]
    assert form.initial["industry"] == "food"
    html = response.content.decode()
    assert "Brauerei Fulda" in html and "Werksbesuch" in html


def test_the_interaction_page_offers_to_record_a_signal_to_writers_only(users, client):
    interaction = make_interaction(owner=users.owner, team=users.team_a, subject="Werksbesuch")
    link = f"{reverse('pipeline:marketsignal_add')}?interaction={interaction.pk}"
    client.force_login(users.owner)
    assert link in client.get(interaction.get_absolute_url()).content.decode()
    client.force_login(users.viewer)
    page = client.get(interaction.get_absolute_url())
    assert page.status_code == 200 and link not in page.content.decode()


def test_prefill_ignores_records_the_user_cannot_see(users, client):
    hidden = make_organization(owner=users.other, team=users.team_b, name="Fremd GmbH")
    client.force_login(users.owner)
    response = client.get(f"{reverse('pipeline:marketsignal_add')}?organization={hidden.pk}")
    assert "organizations" not in response.context["form"].initial
    assert "Fremd GmbH" not in response.content.decode()


def test_organization_page_lists_its_recent_signals(users, client):
    org = make_organization(owner=users.owner, team=users.team_a, name="Molkerei Nord")
    make_signal(owner=users.owner, team=users.team_a, organizations=[org], title="Kältebedarf")
    make_signal(owner=users.other, team=users.team_b, organizations=[org], title="Geheim")
    client.force_login(users.owner)
    page = client.get(org.get_absolute_url()).content.decode()
    fragment_url = reverse("pipeline:organization_signals", args=[org.pk])
    assert fragment_url in page
    fragment = client.get(fragment_url).content.decode()
    assert "Kältebedarf" in fragment and "Geheim" not in fragment
    assert f"{reverse('pipeline:marketsignal_add')}?organization={org.pk}" in fragment


def test_list_filters_by_topic_direction_and_organization(users, client):
    org = make_organization(owner=users.owner, team=users.team_a)
    make_signal(owner=users.owner, team=users.team_a, title="A", topic="Fernwartung")
    make_signal(
        owner=users.owner,
        team=users.team_a,
        title="B",
        topic="Energiekosten",
        direction="threat",
        organizations=[org],
    )
    client.force_login(users.owner)
    url = reverse("pipeline:marketsignal_list")

    def titles(query):
        table = client.get(f"{url}?{query}").context["table"]
        return sorted(row.record.title for row in table.page.object_list)

    assert titles("topic=fernwartung") == ["A"]
    assert titles("direction=threat") == ["B"]
    assert titles(f"organization={org.pk}") == ["B"]
    assert titles("q=energie") == ["B"]
    assert titles("") == ["A", "B"]


def test_empty_list_says_so(users, client):
    client.force_login(users.owner)
    html = client.get(reverse("pipeline:marketsignal_list")).content.decode()
    assert "No market signals yet" in html


def test_csv_export_has_the_visible_organizations(users, client):
    org = make_organization(owner=users.owner, team=users.team_a, name="Sichtbar GmbH")
    hidden = make_organization(owner=users.other, team=users.team_b, name="Fremd GmbH")
    make_signal(owner=users.owner, team=users.team_a, organizations=[org, hidden])
    client.force_login(users.owner)
    url = reverse("exports:list", args=["pipeline:marketsignal_list", "csv"])
    response = client.post(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    text = body.decode("utf-8-sig")
    assert "Sichtbar GmbH" in text and "Fremd GmbH" not in text
    assert "Fernwartung" in text


# --- search --------------------------------------------------------------------------------------
def test_search_finds_a_signal_by_topic_under_the_visibility_rule(users):
    make_signal(
        owner=users.owner, team=users.team_a, title="Anfrage Kunde", topic="Kältemittel-Verordnung"
    )
    hits = search(users.owner, "kältemittel")["marketsignal"]
    assert [r.title for r in hits.results] == ["Anfrage Kunde"]
    assert search(users.owner, "anfrage")["marketsignal"].results
    assert not search(users.other, "kältemittel")["marketsignal"].results


# --- API -----------------------------------------------------------------------------------------
def test_api_creates_with_links_and_refuses_invisible_ones(users, api):
    org = make_organization(owner=users.owner, team=users.team_a)
    person = make_person(owner=users.owner, team=users.team_a, organization=org)
    hidden = make_organization(owner=users.other, team=users.team_b, name="Fremd GmbH")
    client = api(users.owner)
    response = client.post(
        "/api/pipeline/signals/",
        {
            "title": "Fachkräfte fehlen im Service",
            "topic": "Fachkräftemangel Service",
            "kind": "trend",
            "direction": "opportunity",
            "organizations": [org.pk],
            "people": [person.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organizations"] == [org.pk] and body["people"] == [person.pk]
    assert body["opportunity"] is None

    refused = client.post(
        "/api/pipeline/signals/",
        {"title": "X", "topic": "Y", "organizations": [hidden.pk]},
        format="json",
    )
    assert refused.status_code == 400
    assert "organization" in refused.json()["organizations"][0]

    missing = client.post("/api/pipeline/signals/", {"title": "X"}, format="json")
    assert missing.status_code == 400
    assert "topic" in missing.json()

    future = client.post(
        "/api/pipeline/signals/",
        {"title": "X", "topic": "Y", "observed_on": "2999-01-01"},
        format="json",
    )
    assert future.status_code == 400 and "observed_on" in future.json()


def test_api_filters_as_the_list(users, api):
    org = make_organization(owner=users.owner, team=users.team_a)
    make_signal(owner=users.owner, team=users.team_a, title="A", topic="Fernwartung")
    make_signal(
        owner=users.owner,
        team=users.team_a,
        title="B",
        topic="Energiekosten",
        direction="threat",
        industry="food",
        organizations=[org],
        observed_on=timezone.localdate() - dt.timedelta(days=40),
    )
    client = api(users.owner)

    def titles(query):
        response = client.get(f"/api/pipeline/signals/?{query}")
        assert response.status_code == 200, response.content
        return sorted(row["title"] for row in response.json()["results"])

    assert titles("topic=Fernwartung") == ["A"]
    assert titles("direction=threat") == ["B"]
    assert titles("industry=food") == ["B"]
    assert titles(f"organization={org.pk}") == ["B"]
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert titles(f"observed_after={since}") == ["A"]
    assert titles(f"owner={users.owner.pk}") == ["A", "B"]
    assert titles("q=energie") == ["B"]


def test_api_turns_a_signal_into_an_opportunity(users, api):
    org = make_organization(owner=users.owner, team=users.team_a)
    signal = make_signal(owner=users.owner, team=users.team_a, organizations=[org])
    url = f"/api/pipeline/signals/{signal.pk}/to-opportunity/"
    assert api(users.viewer).post(url, {"organization": org.pk}, format="json").status_code == 403
    assert api(users.other).post(url, {"organization": org.pk}, format="json").status_code == 404
    client = api(users.owner)
    response = client.post(url, {"organization": org.pk, "amount": "9000.00"}, format="json")
    assert response.status_code == 201, response.content
    opportunity = Opportunity.objects.get()
    assert response.json()["id"] == opportunity.pk
    assert response.json()["amount"] == "9000.00"
    assert client.get(f"/api/pipeline/signals/{signal.pk}/").json()["opportunity"] == opportunity.pk
    again = client.post(url, {"organization": org.pk}, format="json")
    assert again.status_code == 400
    assert "already" in again.json()["opportunity"][0]


def test_interaction_search_box_offers_only_visible_interactions(users, client):
    make_interaction(owner=users.owner, team=users.team_a, subject="Wartung Kälteanlage Halle 3")
    make_interaction(owner=users.other, team=users.team_b, subject="Wartung Kälteanlage geheim")
    client.force_login(users.owner)
    url = reverse("pipeline:marketsignal_interaction_autocomplete")
    html = client.get(url, {"kind": "interaction", "field": "interactions", "q": "wartung"})
    text = html.content.decode()
    assert "Halle 3" in text and "geheim" not in text
    assert 'role="option"' in text


def test_the_form_offers_topics_in_use(users, client):
    make_signal(owner=users.owner, team=users.team_a, topic="Abwärmenutzung")
    make_signal(owner=users.other, team=users.team_b, topic="Geheimes Thema")
    client.force_login(users.owner)
    html = client.get(reverse("pipeline:marketsignal_add")).content.decode()
    assert '<option value="Abwärmenutzung">' in html
    assert "Geheimes Thema" not in html
    assert 'list="id_topic_suggestions"' in html


def test_list_updates_as_a_fragment_for_htmx(users, client):
    make_signal(owner=users.owner, team=users.team_a, title="Fragment")
    client.force_login(users.owner)
    response = client.get(
        reverse("pipeline:marketsignal_list"), {"q": "fragment"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Fragment" in html and "<html" not in html
