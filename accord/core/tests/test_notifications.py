"""Notifications: told once per key, listed for their user only, marked read by page and API."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from accord.core import notifications
from accord.core.models import Notification
from accord.users.models import User

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def alice():
    return User.objects.create_user(email="alice@example.com", password="pw", role="member")


@pytest.fixture
def bob():
    return User.objects.create_user(email="bob@example.com", password="pw", role="member")


def test_notify_is_idempotent_per_user_and_key(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.notify(alice, key="contract:1:notice:30", title="Notice soon")
        again = notifications.notify(alice, key="contract:1:notice:30", title="Notice soon")
        other = notifications.notify(bob, key="contract:1:notice:30", title="Notice soon")
    assert first is not None and again is None and other is not None
    assert Notification.objects.filter(user=alice).count() == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"], ["bob@example.com"]]


def test_inactive_users_are_not_told(alice):
    alice.is_active = False
    alice.save()
    assert notifications.notify(alice, key="k", title="t") is None
    assert not Notification.objects.exists()


def test_notify_many_tells_each_user_once(alice, bob):
    sent = notifications.notify_many([alice, bob, alice], key="budget:3:90", title="Budget")
    assert len(sent) == 2


def test_list_shows_only_own_unread_and_marks_read(client, alice, bob):
    notifications.notify(
        alice, key="a1", title="Kündigungsfrist Rahmenvertrag", url="/contracts/1/"
    )
    notifications.notify(alice, key="a2", title="Zertifikat läuft ab")
    notifications.notify(bob, key="b1", title="Bob's budget alert")
    client.force_login(alice)
    page = client.get(reverse("core:notification_list"))
    body = page.content.decode()
    assert "Kündigungsfrist Rahmenvertrag" in body and "Zertifikat läuft ab" in body
    assert "Bob&#x27;s budget alert" not in body and "Bob's budget alert" not in body
    count = client.get(reverse("core:notification_count")).content.decode()
    assert ">2<" in count

    one = Notification.objects.get(user=alice, key="a1")
    client.post(reverse("core:notification_read"), {"id": one.pk})
    assert notifications.unread_count(alice) == 1
    # somebody else's id is not touched
    bobs = Notification.objects.get(user=bob)
    client.post(reverse("core:notification_read"), {"id": bobs.pk})
    assert notifications.unread_count(bob) == 1
    client.post(reverse("core:notification_read"))
    assert notifications.unread_count(alice) == 0
    empty = client.get(reverse("core:notification_list")).content.decode()
    assert "No unread notifications" in empty
    everything = client.get(reverse("core:notification_list"), {"show": "all"}).content.decode()
    assert "Zertifikat läuft ab" in everything


def test_read_redirect_stays_on_this_site(client, alice):
    notifications.notify(alice, key="a1", title="t")
    client.force_login(alice)
    response = client.post(reverse("core:notification_read"), {"next": "https://evil.example/"})
    assert response.url == reverse("core:notification_list")


def test_api_lists_own_and_marks_read(alice, bob):
    notifications.notify(alice, key="a1", title="one")
    notifications.notify(alice, key="a2", title="two")
    notifications.notify(bob, key="b1", title="bob")
    api = APIClient()
    api.force_authenticate(alice)
    listed = api.get("/api/notifications/", {"unread": "1"}).json()
    assert sorted(n["title"] for n in listed["results"]) == ["one", "two"]
    first = listed["results"][0]["id"]
    assert api.post("/api/notifications/mark-read/", {"ids": [first]}, format="json").json() == {
        "marked": 1
    }
    assert api.post("/api/notifications/mark-read/", {}, format="json").json() == {"marked": 1}
    assert api.get("/api/notifications/", {"unread": "1"}).json()["results"] == []
    bobs = Notification.objects.get(user=bob).pk
    assert api.get(f"/api/notifications/{bobs}/").status_code == 404


@pytest.fixture
def three_notes(alice, bob):
    """Alice: an unread budget alert, a read budget alert, an unread contract reminder; Bob: one
    unread budget alert whose title would match every filter."""
    notifications.notify(alice, key="n1", kind="budget", title="Budget Straßenbau überschritten")
    read = notifications.notify(alice, key="n2", kind="budget", title="Budget Kantine")
    notifications.mark_read(alice, [read.pk])
    notifications.notify(alice, key="n3", kind="contract", title="Kündigungsfrist Straßenbau")
    notifications.notify(bob, key="b1", kind="budget", title="Bob Straßenbau")


def _titles(qs):
    return sorted(n.title for n in qs)


def test_selector_filters_unread_kind_and_title(alice, three_notes):
    everything = notifications.user_notifications(alice)
    assert _titles(everything) == [
        "Budget Kantine",
        "Budget Straßenbau überschritten",
        "Kündigungsfrist Straßenbau",
    ]
    assert _titles(notifications.user_notifications(alice, unread=True)) == [
        "Budget Straßenbau überschritten",
        "Kündigungsfrist Straßenbau",
    ]
    assert _titles(notifications.user_notifications(alice, kind="budget")) == [
        "Budget Kantine",
        "Budget Straßenbau überschritten",
    ]
    assert _titles(notifications.user_notifications(alice, q="  straßenbau ")) == [
        "Budget Straßenbau überschritten",
        "Kündigungsfrist Straßenbau",
    ]
    combined = notifications.user_notifications(alice, unread=True, kind="budget", q="bau")
    assert _titles(combined) == ["Budget Straßenbau überschritten"]
    assert notifications.kinds_of(alice) == ["budget", "contract"]


def test_page_honours_the_filters(client, alice, three_notes):
    client.force_login(alice)
    url = reverse("core:notification_list")

    def listed(**params):
        body = client.get(url, params).content.decode()
        if 'class="notification-list"' not in body:
            return []
        items = body.split('class="notification-list"', 1)[1].split("</ul>", 1)[0]
        return sorted(re.findall(r"<strong>(?:<a [^>]*>)?([^<]+)<", items))

    assert listed(show="all", kind="budget", q="kantine") == ["Budget Kantine"]
    assert listed(kind="contract") == ["Kündigungsfrist Straßenbau"]
    assert listed(q="straßenbau") == [
        "Budget Straßenbau überschritten",
        "Kündigungsfrist Straßenbau",
    ]
    assert listed(show="all", kind="budget", q="Bob") == []


def test_api_honours_the_filters(alice, three_notes):
    api = APIClient()
    api.force_authenticate(alice)

    def titles(**params):
        return sorted(n["title"] for n in api.get("/api/notifications/", params).json()["results"])

    assert titles(kind="budget", q="kantine") == ["Budget Kantine"]
    assert titles(unread="true", kind="budget") == ["Budget Straßenbau überschritten"]
    assert titles(q="Straßenbau") == [
        "Budget Straßenbau überschritten",
        "Kündigungsfrist Straßenbau",
    ]
