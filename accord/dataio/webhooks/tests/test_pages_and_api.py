"""Pages and API: who may use them, the secret shown once, the delivery log, actions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accord.dataio.webhooks import services
from accord.dataio.webhooks.choices import DeliveryStatus
from accord.dataio.webhooks.models import AllowedWebhookHost, WebhookDelivery, WebhookEndpoint
from accord.parties import services as parties

from .conftest import run_webhook_tasks

URL = "http://127.0.0.1:9/hook"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- pages -----------------------------------------------------------------------------------


def test_only_admins_and_managers_reach_the_pages(users, make_endpoint, client):
    endpoint = make_endpoint(URL)
    pages = [
        reverse("webhooks:webhookendpoint_list"),
        reverse("webhooks:webhookendpoint_add"),
        endpoint.get_absolute_url(),
        reverse("webhooks:webhookendpoint_edit", args=[endpoint.pk]),
        reverse("webhooks:delivery_log", args=[endpoint.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
        for user in (users.owner, users.viewer):
            assert client_for(user).get(url).status_code in (403, 404), (url, user)
        for user in (users.admin, users.manager):
            assert client_for(user).get(url).status_code == 200, (url, user)
    assert client_for(users.owner).get(reverse("webhooks:index")).status_code == 302


def test_endpoint_list_filters_by_status(users, make_endpoint):
    make_endpoint(URL, name="Running")
    make_endpoint(URL, name="Paused", is_active=False)
    client = client_for(users.admin)
    url = reverse("webhooks:webhookendpoint_list")
    active = client.get(url, {"is_active": "yes"}).content.decode()
    assert ">Running</a>" in active and ">Paused</a>" not in active
    paused = client.get(url, {"is_active": "no"}).content.decode()
    assert ">Running</a>" not in paused and ">Paused</a>" in paused


def test_menu_entry_for_admins_and_managers_only(users):
    hub = reverse("core:data_hub")
    webhooks = reverse("webhooks:webhookendpoint_list")
    assert webhooks in client_for(users.manager).get(hub).content.decode()
    assert webhooks not in client_for(users.owner).get(hub).content.decode()


def test_add_shows_the_secret_once(users):
    client = client_for(users.manager)
    add = reverse("webhooks:webhookendpoint_add")
    page = client.get(add).content.decode()
    assert 'type="checkbox" name="events" value="person.updated"' in page
    response = client.post(
        add, {"name": "ERP", "url": "http://169.254.169.254/latest/", "all_events": "on"}
    )
    assert response.status_code == 200
    assert "internal address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    response = client.post(
        add,
        {
            "name": "ERP",
            "url": URL,
            "events": ["person.created", "person.updated"],
            "is_active": "on",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == endpoint.get_absolute_url()
    assert endpoint.owner == users.manager
    assert endpoint.events == ["person.created", "person.updated"] and not endpoint.all_events
    assert endpoint.secret.startswith("whsec_")
    first = client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret in first
    second = client.get(endpoint.get_absolute_url()).content.decode()
    assert endpoint.secret not in second


def test_form_needs_events_or_all(users):
    response = client_for(users.admin).post(
        reverse("webhooks:webhookendpoint_add"), {"name": "X", "url": URL}
    )
    assert "Choose at least one event" in response.content.decode()


def test_edit_delete_and_history(users, make_endpoint):
    endpoint = make_endpoint(URL)
    client = client_for(users.admin)
    response = client.post(
        reverse("webhooks:webhookendpoint_edit", args=[endpoint.pk]),
        {"name": "Renamed", "url": URL, "all_events": "on", "is_active": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.name == "Renamed"
    assert endpoint.history.count() == 2
    assert (
        endpoint.secret
        not in client.get(
            reverse("webhooks:webhookendpoint_history", args=[endpoint.pk])
        ).content.decode()
    )
    response = client.post(reverse("webhooks:webhookendpoint_delete", args=[endpoint.pk]))
    assert response.status_code == 302 and not WebhookEndpoint.objects.exists()


def test_test_event_re_enable_and_new_secret_buttons(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    services.disable_endpoint(endpoint, "Disabled after 10 failed attempts in a row.")
    client = client_for(users.manager)
    page = client.get(endpoint.get_absolute_url()).content.decode()
    assert "Disabled after 10 failed attempts in a row." in page
    assert reverse("webhooks:endpoint_enable", args=[endpoint.pk]) in page
    response = client.post(reverse("webhooks:endpoint_test", args=[endpoint.pk]))
    delivery = WebhookDelivery.objects.get(is_test=True)
    assert response["Location"] == delivery.get_absolute_url()
    assert 'hx-trigger="every 2s"' in client.get(delivery.get_absolute_url()).content.decode()
    run_webhook_tasks()
    page = client.get(delivery.get_absolute_url()).content.decode()
    assert "Succeeded" in page and "every 2s" not in page and "webhook.test" in page
    client.post(reverse("webhooks:endpoint_enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and not endpoint.disabled_reason
    old = endpoint.secret
    client.post(reverse("webhooks:endpoint_rotate_secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in client.get(endpoint.get_absolute_url()).content.decode()


def test_re_enable_refuses_a_url_that_became_internal(users, make_endpoint, settings):
    endpoint = make_endpoint(URL)
    services.disable_endpoint(endpoint, "broken")
    settings.ACCORD_WEBHOOK_ALLOWED_HOSTS = []
    client = client_for(users.admin)
    response = client.post(reverse("webhooks:endpoint_enable", args=[endpoint.pk]), follow=True)
    assert "internal address" in response.content.decode()
    endpoint.refresh_from_db()
    assert not endpoint.is_active


def test_delivery_log_filters_and_pages(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    for i in range(3):
        parties.organization_create(actor=users.admin, data={"name": f"Org {i}"})
    run_webhook_tasks()
    receiver.status = 500
    person = parties.person_create(actor=users.admin, data={"last_name": "Failing"})
    run_webhook_tasks()
    client = client_for(users.manager)
    log = reverse("webhooks:delivery_log", args=[endpoint.pk])
    org_row, person_row = ">organization.created</td>", ">person.created</td>"
    page = client.get(log).content.decode()
    assert page.count(org_row) == 3 and person_row in page
    failed = client.get(log, {"status": DeliveryStatus.FAILED}).content.decode()
    assert person_row in failed and org_row not in failed
    by_event = client.get(log, {"event": "organization.created"}).content.decode()
    assert person_row not in by_event and by_event.count(org_row) == 3
    first = client.get(log, {"per_page": 2}).content.decode()
    assert 'rel="next"' in first
    second = client.get(log, {"per_page": 2, "page": 2}).content.decode()
    assert 'rel="prev"' in second
    partial = client.get(log, {"status": "failed"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and person_row in partial
    assert person.pk


def test_other_endpoints_deliveries_stay_out_of_the_log(users, make_endpoint):
    one = make_endpoint(URL, name="One", all_events=False, events=["person.created"])
    make_endpoint(URL, name="Two")
    parties.organization_create(actor=users.admin, data={"name": "Only two"})
    page = client_for(users.admin).get(reverse("webhooks:delivery_log", args=[one.pk]))
    assert ">organization.created</td>" not in page.content.decode()


def test_redeliver(users, make_endpoint, receiver):
    make_endpoint(receiver.url)
    parties.organization_create(actor=users.admin, data={"name": "Again"})
    run_webhook_tasks()
    delivery = WebhookDelivery.objects.get()
    response = client_for(users.admin).post(
        reverse("webhooks:delivery_redeliver", args=[delivery.pk])
    )
    new = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert response["Location"] == new.get_absolute_url()
    run_webhook_tasks()
    first, second = receiver.json(0), receiver.json(1)
    assert first["record"] == second["record"] and first["id"] != second["id"]


def test_allowed_hosts_page_for_admins(users):
    url = reverse("webhooks:allowed_hosts")
    assert client_for(users.manager).get(url).status_code == 403
    client = client_for(users.admin)
    assert "No internal host is allowed" in client.get(url).content.decode()
    response = client.post(url, {"host": "Hooks.Intranet", "note": "ERP"})
    assert response.status_code == 302
    host = AllowedWebhookHost.objects.get()
    assert (host.host, host.created_by) == ("hooks.intranet", users.admin)
    response = client.post(url, {"host": "hooks.intranet"})
    assert "already allowed" in response.content.decode()
    client.post(url, {"delete": host.pk})
    assert not AllowedWebhookHost.objects.exists()


# --- API ---------------------------------------------------------------------------------------


def test_api_create_returns_the_secret_once(users):
    api = api_for(users.manager)
    response = api.post(
        "/api/webhooks/endpoints/",
        {"name": "BI", "url": URL, "all_events": False, "events": ["interaction.created"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert data["secret"] == endpoint.secret and data["owner"] == users.manager.pk
    shown = api.get(f"/api/webhooks/endpoints/{endpoint.pk}/").json()
    assert "secret" not in shown and shown["events"] == ["interaction.created"]
    assert endpoint.secret not in str(api.get("/api/webhooks/endpoints/").json())


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/x", "http://10.0.0.1/x", "http://[::1]/x", "file:///etc/passwd"],
)
def test_api_refuses_internal_urls(users, url, settings):
    settings.ACCORD_WEBHOOK_ALLOWED_HOSTS = []
    response = api_for(users.admin).post(
        "/api/webhooks/endpoints/", {"name": "X", "url": url}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()


def test_api_refuses_unknown_events(users):
    response = api_for(users.admin).post(
        "/api/webhooks/endpoints/",
        {"name": "X", "url": URL, "all_events": False, "events": ["invoice.paid"]},
        format="json",
    )
    assert response.status_code == 400 and "events" in response.json()


def test_api_is_for_admins_and_managers(users, make_endpoint):
    endpoint = make_endpoint(URL)
    for user in (users.owner, users.viewer):
        api = api_for(user)
        assert api.get("/api/webhooks/endpoints/").status_code == 403
        assert api.get("/api/webhooks/deliveries/").status_code == 403
        assert api.post(f"/api/webhooks/endpoints/{endpoint.pk}/test/").status_code == 403
    assert APIClient().get("/api/webhooks/endpoints/").status_code in (401, 403)
    assert api_for(users.manager).get("/api/webhooks/allowed-hosts/").status_code == 403


def test_api_actions_and_delivery_log(users, make_endpoint, receiver):
    endpoint = make_endpoint(receiver.url)
    api = api_for(users.admin)
    secret = api.post(f"/api/webhooks/endpoints/{endpoint.pk}/rotate-secret/").json()["secret"]
    endpoint.refresh_from_db()
    assert secret == endpoint.secret
    test = api.post(f"/api/webhooks/endpoints/{endpoint.pk}/test/")
    assert test.status_code == 202 and test.json()["event"] == "webhook.test"
    parties.organization_create(actor=users.admin, data={"name": "Logged"})
    run_webhook_tasks()
    log = api.get("/api/webhooks/deliveries/", {"endpoint": endpoint.pk}).json()["results"]
    assert {d["event"] for d in log} == {"webhook.test", "organization.created"}
    assert "payload" not in log[0]
    ok = api.get("/api/webhooks/deliveries/", {"event": "organization.created"}).json()
    (row,) = ok["results"]
    detail = api.get(f"/api/webhooks/deliveries/{row['id']}/").json()
    assert detail["payload"]["record"]["data"]["name"] == "Logged"
    assert api.get("/api/webhooks/deliveries/", {"status": "failed"}).json()["results"] == []
    services.disable_endpoint(endpoint, "broken")
    again = api.post(f"/api/webhooks/deliveries/{row['id']}/redeliver/")
    assert again.status_code == 400
    enabled = api.post(f"/api/webhooks/endpoints/{endpoint.pk}/enable/").json()
    assert enabled["is_active"] is True and enabled["disabled_at"] is None


def test_api_allowed_hosts(users):
    api = api_for(users.admin)
    response = api.post("/api/webhooks/allowed-hosts/", {"host": "HOOKS.intranet."}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["host"] == "hooks.intranet"
    again = api.post("/api/webhooks/allowed-hosts/", {"host": "hooks.intranet"}, format="json")
    assert again.status_code == 400 and "host" in again.json()
    pk = response.json()["id"]
    assert api.delete(f"/api/webhooks/allowed-hosts/{pk}/").status_code == 204
