"""SSRF protection: internal targets refused when saved and again when delivered, also after DNS
resolution; an administrator's allow-list overrides; deliveries connect to the vetted address."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from django.core.exceptions import ValidationError

from accord.dataio.webhooks import services, targets, transport
from accord.dataio.webhooks.choices import DeliveryStatus
from accord.dataio.webhooks.models import AllowedWebhookHost
from accord.parties import services as parties

from .conftest import deliveries, run_webhook_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_allowed(settings):
    settings.ACCORD_WEBHOOK_ALLOWED_HOSTS = []


def fake_dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Resolve host names from `answers` (no network); returns the names asked for."""
    asked: list[str] = []

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:  # an address (socket.create_connection asks for these too)
            return real(host, port, *args, **kwargs)
        asked.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        result = []
        for address in answers[host]:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            result.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return result

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


INTERNAL_URLS = [
    "http://127.0.0.1/hook",
    "http://127.1/hook",
    "http://2130706433/hook",
    "http://0x7f000001/hook",
    "http://10.0.0.8/hook",
    "http://10.255.255.255:8080/x",
    "http://172.16.3.4/hook",
    "http://192.168.1.20/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::5]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[64:ff9b::a00:1]/hook",
    "http://[2002:c0a8:101::1]/hook",
    "http://localhost/hook",
    "http://LOCALHOST./hook",
    "http://api.localhost/hook",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata/hook",
    "http://instance-data/hook",
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_targets_are_refused(url, monkeypatch):
    # numeric host spellings resolve like the C library does
    fake_dns(
        monkeypatch,
        {"127.1": ["127.0.0.1"], "2130706433": ["127.0.0.1"], "0x7f000001": ["127.0.0.1"]},
    )
    with pytest.raises(ValidationError) as exc:
        targets.check_url(url)
    assert exc.value.code in ("internal_address",), exc.value.messages
    assert "internal address" in exc.value.messages[0]


def test_host_name_resolving_to_a_private_address_is_refused(monkeypatch):
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34", "10.1.2.3"]})
    with pytest.raises(ValidationError) as exc:
        targets.check_url("https://hooks.example.com/in")
    assert "resolves to the internal address 10.1.2.3" in exc.value.messages[0]


def test_host_name_resolving_to_ipv4_mapped_loopback_is_refused(monkeypatch):
    fake_dns(monkeypatch, {"sneaky.example.com": ["::ffff:127.0.0.1"]})
    with pytest.raises(ValidationError):
        targets.check_url("https://sneaky.example.com/")


def test_public_host_is_accepted_with_its_addresses(monkeypatch):
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"]})
    target = targets.check_url("https://Hooks.Example.com./in?x=1")
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "hooks.example.com",
        443,
        "/in?x=1",
    )
    assert target.addresses == ["93.184.216.34", "2606:2800:220:1::1"]


@pytest.mark.parametrize(
    "url, words",
    [
        ("ftp://example.com/x", "http"),
        ("file:///etc/passwd", "http"),
        ("gopher://example.com/", "http"),
        ("javascript:alert(1)", "http"),
        ("https://user:secret@example.com/", "user name and password"),
        ("https://token@example.com/", "user name and password"),
        ("https:///nohost", "no host"),
        ("https://exa mple.com/", "spaces"),
        ("https://example.com:99999/", "valid URL"),
        ("", "Enter the URL"),
        ("https://" + "a" * 2000 + ".com/", "longer than"),
    ],
)
def test_malformed_urls_are_refused_with_a_clear_message(url, words):
    with pytest.raises(ValidationError) as exc:
        targets.check_url(url, allowed=set())
    assert words in exc.value.messages[0], exc.value.messages


def test_unresolvable_host_is_refused(monkeypatch):
    fake_dns(monkeypatch, {})
    with pytest.raises(ValidationError) as exc:
        targets.check_url("https://nowhere.invalid/")
    assert "could not be resolved" in exc.value.messages[0]


def test_endpoint_form_of_the_service_refuses_internal_url(users):
    with pytest.raises(ValidationError) as exc:
        services.endpoint_create(
            actor=users.admin, data={"name": "Meta", "url": "http://169.254.169.254/"}
        )
    assert "url" in exc.value.message_dict


def test_allow_list_overrides_for_that_host_only(users, monkeypatch, settings):
    fake_dns(monkeypatch, {"hooks.intranet": ["10.0.0.5"], "other.intranet": ["10.0.0.6"]})
    services.allowed_host_create(actor=users.admin, data={"host": "Hooks.Intranet."})
    assert targets.check_url("https://hooks.intranet/x").addresses == ["10.0.0.5"]
    with pytest.raises(ValidationError):
        targets.check_url("https://other.intranet/x")
    settings.ACCORD_WEBHOOK_ALLOWED_HOSTS = ["other.intranet"]
    assert targets.check_url("https://other.intranet/x").allowed
    # an allowed IP literal allows that spelling, not another one of the same address
    services.allowed_host_create(actor=users.admin, data={"host": "127.0.0.1"})
    assert targets.check_url("http://127.0.0.1:8000/").allowed
    fake_dns(monkeypatch, {"127.1": ["127.0.0.1"]})
    with pytest.raises(ValidationError):
        targets.check_url("http://127.1:8000/")


def test_only_admins_allow_hosts(users):
    with pytest.raises(Exception) as exc:
        services.allowed_host_create(actor=users.manager, data={"host": "hooks.intranet"})
    assert "administrators" in str(exc.value)
    for bad in ("http://x.y", "x.y:80", "x/y", ""):
        with pytest.raises(ValidationError):
            services.allowed_host_create(actor=users.admin, data={"host": bad})
    services.allowed_host_create(actor=users.admin, data={"host": "[fd00::1]"})
    assert AllowedWebhookHost.objects.get().host == "fd00::1"


def test_delivery_rechecks_and_refuses_after_dns_changed(users, monkeypatch, receiver):
    """Saved while public; at delivery time the name points inside: nothing is sent."""
    fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34"]})
    services.endpoint_create(
        actor=users.admin, data={"name": "Ext", "url": "https://hooks.example.com/in"}
    )
    fake_dns(monkeypatch, {"hooks.example.com": ["127.0.0.1"]})
    connects = []
    monkeypatch.setattr(
        socket, "create_connection", lambda *a, **k: connects.append(a) or pytest.fail("connected")
    )
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    assert run_webhook_tasks() == [DeliveryStatus.FAILED]
    (delivery,) = deliveries()
    assert "internal address 127.0.0.1" in delivery.error
    assert connects == []


def test_delivery_connects_to_the_vetted_address_with_the_real_host_name(
    users, monkeypatch, receiver
):
    """DNS rebinding: the name is resolved once and vetted; the connection goes to that address
    (here the allowed local receiver), the Host header carries the name."""
    asked = fake_dns(monkeypatch, {"hooks.intranet": ["127.0.0.1"]})
    services.allowed_host_create(actor=users.admin, data={"host": "hooks.intranet"})
    port = receiver.server.server_address[1]
    services.endpoint_create(
        actor=users.admin, data={"name": "Int", "url": f"http://hooks.intranet:{port}/in"}
    )
    asked.clear()
    parties.organization_create(actor=users.admin, data={"name": "Acme"})
    assert run_webhook_tasks() == [DeliveryStatus.SUCCEEDED]
    assert asked == ["hooks.intranet"]  # resolved once per attempt, by the vetting
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"hooks.intranet:{port}"
    assert request["path"] == "/in"


def test_transport_never_raises_for_a_refused_target():
    outcome = transport.post("http://10.0.0.1/", b"{}", {}, timeout=1)
    assert not outcome.ok and "internal address" in outcome.error
