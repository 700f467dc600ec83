"""The client portal in headless Chromium, as the two people who use it: a staff member invites a
client's buyer; the buyer accepts the invitation from the mail (a too-short and a mismatching
password first), accepts a quote, orders again, opens a case and answers in it, books a training
place; another organization's quote is a 404; after signing out the portal asks to sign in.
Staff and client use separate browser contexts, as they would use separate browsers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accord.commerce.models import Order
from accord.commerce.services.quotes import quote_update
from accord.commerce.tests.factories_sales import make_org, make_quote
from accord.core.models import Notification
from accord.parties.tests.factories import PersonEmailFactory, PersonFactory, PositionFactory
from accord.portal.models import PortalAccount
from accord.servicedesk.models import Case, TrainingRegistration
from accord.servicedesk.services.trainings import training_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PASSWORD = "Browser-Test-1"
CLIENT_EMAIL = "jana.kunde@kuehlhaus-sued.example"
CLIENT_PASSWORD = "Kühlkette-Portal-2026"


@pytest.fixture
def world(django_user_model):
    from accord.users.models import Team

    cache.clear()  # no sign-in lock left over from another test
    team = Team.objects.create(name="Kundenservice Süd")
    staff = django_user_model.objects.create_user(
        email="lena.service@accord.example", password=STAFF_PASSWORD, role="member"
    )
    colleague = django_user_model.objects.create_user(
        email="tom.service@accord.example", password=STAFF_PASSWORD, role="member"
    )
    outsider = django_user_model.objects.create_user(
        email="max.nord@accord.example", password=STAFF_PASSWORD, role="member"
    )
    staff.teams.add(team)
    colleague.teams.add(team)
    other_team = Team.objects.create(name="Vertrieb Nord")
    outsider.teams.add(other_team)

    org = make_org(owner=staff, team=team, name="Kühlhaus Süd GmbH")
    person = PersonFactory(
        first_name="Jana", last_name="Kunde", organization=org, owner=staff, team=team
    )
    PositionFactory(person=person, organization=org, title="Einkauf")
    PersonEmailFactory(person=person, email=CLIENT_EMAIL)

    quote = make_quote(owner=staff, team=team, organization=org)
    quote = quote_update(actor=staff, instance=quote, data={"status": "sent"})

    other_org = make_org(owner=outsider, team=other_team, name="Fremdfirma Nord AG")
    other_quote = make_quote(owner=outsider, team=other_team, organization=other_org)
    other_quote = quote_update(actor=outsider, instance=other_quote, data={"status": "sent"})

    starts = timezone.now() + dt.timedelta(days=14)
    training = training_create(
        actor=staff,
        data={
            "organization": org,
            "title": "Schulung Kältemittel für Betreiber",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
            "owner": staff,
            "team": team,
            "topic": "F-Gase-Verordnung",
            "capacity": 2,
        },
    )
    return {
        "staff": staff,
        "colleague": colleague,
        "org": org,
        "person": person,
        "quote": quote,
        "other_quote": other_quote,
        "training": training,
    }


def _message(page) -> str:
    box = page.locator("#messages .message").first
    box.wait_for()
    return box.inner_text()


def test_client_portal_path(browser, page, live_server, world):
    base = live_server.url
    staff, org, person = world["staff"], world["org"], world["person"]
    quote, training = world["quote"], world["training"]

    # --- staff: sign in, open the person, invite them to the portal ------------------------------
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password", exact=True).fill(STAFF_PASSWORD)
    page.locator("main form.auth-form button[type=submit]").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}{person.get_absolute_url()}")
    page.get_by_role("link", name="Invite to the portal").click()
    page.wait_for_url(re.compile(rf"/people/{person.pk}/portal-invitation/$"))
    form = page.locator("main form.panel.form")
    assert form.get_by_label("Client organization").input_value() == str(org.pk)
    assert form.get_by_label("Email address").input_value() == ""  # primary address used
    form.get_by_label("Language").select_option("en")
    form.get_by_label("may see invoices").uncheck()
    form.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/portal-accounts/\d+/$"))
    assert f"The invitation was sent to {CLIENT_EMAIL}" in _message(page)
    account = PortalAccount.objects.get(person=person)
    assert (account.organization, account.email, account.invited_by) == (org, CLIENT_EMAIL, staff)
    assert account.can_order and not account.can_see_invoices and not account.has_accepted

    invitations = [m for m in mail.outbox if m.to == [CLIENT_EMAIL]]
    assert len(invitations) == 1 and "Kühlhaus Süd GmbH" in invitations[0].subject
    link = re.search(r"https?://\S+/portal/accept/\S+/", invitations[0].body).group(0)
    assert link.startswith(base)

    # --- the client, in their own browser: accept the invitation ---------------------------------
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    try:
        client = context.new_page()
        client.set_default_timeout(15_000)
        client.goto(link)
        client.get_by_role("heading", name="Welcome to the client portal").wait_for()
        assert "You will then see the records of Kühlhaus Süd GmbH" in client.inner_text("main")

        def choose(password: str, again: str):
            client.get_by_label("Choose a password").fill(password)
            client.get_by_label("The password again").fill(again)
            with client.expect_response(lambda r: r.request.method == "POST") as answer:
                client.get_by_role("button", name="Set password and sign in").click()
            client.wait_for_load_state()
            return answer.value

        too_short = choose("kurz", "kurz")
        assert too_short.status == 400
        field = client.get_by_label("Choose a password")
        assert field.get_attribute("aria-invalid") == "true"
        assert "This password is too short" in client.locator(".field.has-error").inner_text()
        # the message is tied to the field, so a screen reader reads it with the field
        described = field.get_attribute("aria-describedby")
        assert (
            described
            and "This password is too short" in client.locator(f"#{described}").inner_text()
        )

        differs = choose(CLIENT_PASSWORD, CLIENT_PASSWORD + "x")
        assert differs.status == 400
        assert "The two passwords differ." in client.locator(".field.has-error").inner_text()
        account.refresh_from_db()
        assert not account.has_accepted

        choose(CLIENT_PASSWORD, CLIENT_PASSWORD)
        client.wait_for_url(f"{base}/portal/")
        assert "Welcome! Your password is set." in _message(client)
        assert client.get_by_role("heading", level=1).inner_text() == "Welcome, Kühlhaus Süd GmbH"
        nav = client.get_by_role("navigation", name="Portal menu")
        assert nav.get_by_role("link", name="Invoices").count() == 0  # not permitted
        account.refresh_from_db()
        assert account.has_accepted and account.check_password(CLIENT_PASSWORD)

        # --- the quote: open it from the list, accept it ---------------------------------------
        nav.get_by_role("link", name="Quotes").click()
        client.wait_for_url(f"{base}/portal/quotes/")
        assert "Fremdfirma" not in client.inner_text("main")
        assert world["other_quote"].number not in client.inner_text("main")
        client.get_by_role("link", name=quote.number).click()
        client.wait_for_url(f"{base}/portal/quotes/{quote.pk}/")
        assert "Wartung Größe L" in client.inner_text("main")
        client.get_by_label("Your order reference (optional)").fill("PO-2026-17")
        client.get_by_role("button", name="Accept and order").click()
        client.wait_for_url(re.compile(r"/portal/orders/\d+/$"))
        order = Order.objects.get(quote=quote)
        assert (order.organization, order.customer_reference) == (org, "PO-2026-17")
        assert client.url == f"{base}/portal/orders/{order.pk}/"
        assert f"Quote {quote.number} is accepted; your order is {order.number}." in _message(
            client
        )
        assert client.get_by_role("heading", level=1).inner_text() == f"Order {order.number}"
        quote.refresh_from_db()
        assert quote.status == "accepted"

        # --- order the same again ----------------------------------------------------------------
        client.get_by_label("Your order reference (optional)").fill("PO-2026-18")
        client.get_by_role("button", name="Order again").click()
        client.wait_for_url(re.compile(rf"/portal/orders/(?!{order.pk}/)\d+/$"))
        again = Order.objects.get(organization=org, customer_reference="PO-2026-18")
        assert again.pk != order.pk and again.quote_id is None
        assert Order.objects.filter(organization=org).count() == 2
        assert sorted(again.lines.values_list("description", "quantity", "unit_price")) == sorted(
            order.lines.values_list("description", "quantity", "unit_price")
        )
        assert f"Your new order is {again.number}." in _message(client)
        client.get_by_role("link", name="All orders").click()
        client.wait_for_url(f"{base}/portal/orders/")
        listing = client.inner_text("main")
        assert order.number in listing and again.number in listing

        # --- a case: a missing subject is named, then open it and write in it --------------------
        nav.get_by_role("link", name="Cases").click()
        client.wait_for_url(f"{base}/portal/cases/")
        client.get_by_role("link", name="Report a problem").click()
        client.wait_for_url(f"{base}/portal/cases/new/")
        client.get_by_label("Description").fill("Die Kühlzelle 2 hält nur noch 8 °C.")
        client.get_by_role("button", name="Send", exact=True).click()
        client.get_by_text("Say in a few words what it is about.").wait_for()
        assert client.get_by_label("Subject").get_attribute("aria-invalid") == "true"
        assert client.get_by_label("Description").input_value() == (
            "Die Kühlzelle 2 hält nur noch 8 °C."
        )
        assert not Case.objects.filter(organization=org).exists()
        client.get_by_label("Subject").fill("Kühlzelle 2 zu warm")
        client.get_by_label("Priority").select_option("high")
        client.get_by_role("button", name="Send", exact=True).click()
        client.wait_for_url(re.compile(r"/portal/cases/\d+/$"))
        case = Case.objects.get(organization=org)
        assert (case.subject, case.person, case.priority) == ("Kühlzelle 2 zu warm", person, "high")
        assert (case.owner, case.team) == (staff, org.team)
        assert f"Your case number is {case.number}" in _message(client)

        client.get_by_label("Your message").fill("Seit heute früh 9 °C — bitte schnell 🙏")
        client.get_by_role("button", name="Send message").click()
        client.get_by_text("Your message was sent.").wait_for()
        conversation = client.locator("section[aria-labelledby=conv-title]")
        conversation.get_by_text("Seit heute früh 9 °C — bitte schnell 🙏").wait_for()
        assert case.interactions.filter(body="Seit heute früh 9 °C — bitte schnell 🙏").exists()
        for user in (staff, world["colleague"]):
            titles = list(
                Notification.objects.filter(user=user, kind="portal").values_list(
                    "title", flat=True
                )
            )
            assert f"Kühlhaus Süd GmbH opened case {case.number} in the portal" in titles
            assert f"New message from Kühlhaus Süd GmbH on case {case.number}" in titles

        # --- book a place in the training ----------------------------------------------------------
        nav.get_by_role("link", name="Services").click()
        client.wait_for_url(f"{base}/portal/services/")
        trainings = client.get_by_role("region", name="Trainings")
        row = trainings.get_by_role("row", name=re.compile("Schulung Kältemittel für Betreiber"))
        assert row.get_by_role("cell").nth(2).inner_text() == "2"  # free places
        book = row.get_by_role("button", name=re.compile(r"^Book a place\W+Schulung Kältemittel"))
        book.click()
        client.get_by_text("Your place is booked.").wait_for()
        registration = TrainingRegistration.objects.get(training=training, person=person)
        assert registration.status == "registered"
        row = trainings.get_by_role("row", name=re.compile("Schulung Kältemittel für Betreiber"))
        assert row.get_by_role("cell").nth(2).inner_text() == "1"
        assert row.get_by_text("booked", exact=True).is_visible()
        assert row.get_by_role("button").count() == 0

        # --- another organization's quote does not exist for this client ---------------------------
        response = client.goto(f"{base}/portal/quotes/{world['other_quote'].pk}/")
        assert response.status == 404
        assert "Fremdfirma" not in client.content()

        # --- sign out: the portal asks to sign in again, and the new password works --------------
        client.goto(f"{base}/portal/")
        client.get_by_role("button", name="Sign out").click()
        client.wait_for_url(f"{base}/portal/sign-in/")
        assert "You have signed out." in _message(client)
        client.goto(f"{base}/portal/orders/")
        client.wait_for_url(f"{base}/portal/sign-in/?next=/portal/orders/")
        client.get_by_role("heading", name="Sign in to the client portal").wait_for()
        client.get_by_label("Email address").fill(CLIENT_EMAIL.upper())
        client.get_by_label("Password").fill(CLIENT_PASSWORD)
        client.get_by_role("button", name="Sign in", exact=True).click()
        client.wait_for_url(f"{base}/portal/orders/")
        assert again.number in client.inner_text("main")
    finally:
        context.close()
