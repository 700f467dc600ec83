"""One real user path in headless Chromium: log in, create an organization, add a person with a
buying role, log an interaction, see it on the timeline, switch to German, search."""

from __future__ import annotations

import re

import pytest

from accord.parties.models import Organization, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Browser-Test-1"


@pytest.fixture
def member(django_user_model):
    from accord.users.models import Team

    user = django_user_model.objects.create_user(
        email="ines.vertrieb@accord.example", password=PASSWORD, role="member", first_name="Ines"
    )
    user.teams.add(Team.objects.create(name="Vertrieb Nord"))
    return user


def test_relationship_manager_path(page, live_server, member):
    base = live_server.url

    # log in
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form.auth-form button[type=submit]")
    page.wait_for_url(f"{base}/")

    # create an organization holding two roles
    page.goto(f"{base}/organizations/add/")
    page.fill("input[name=name]", "Größer & Söhne GmbH")
    page.check("input[name=roles][value=client]")
    page.check("input[name=roles][value=supplier]")
    page.fill("input[name=vat_id]", "DE136695976")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/organizations/\d+/$"))
    org = Organization.objects.get(name="Größer & Söhne GmbH")
    assert org.roles == ["client", "supplier"]
    assert page.locator("h1").inner_text().strip() == "Größer & Söhne GmbH"

    # add a person with a buying role at it
    page.goto(f"{base}/people/add/?organization={org.pk}")
    page.fill("input[name=first_name]", "Jörg")
    page.fill("input[name=last_name]", "Weißmüller")
    page.fill("input[name=email]", "joerg.weissmueller@groesser.example")
    page.fill("input[name=title]", "Einkaufsleiter")
    page.select_option("select[name=buying_role]", "decision_maker")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    person = Person.objects.get(last_name="Weißmüller")
    assert person.positions.get().buying_role == "decision_maker"

    # log an interaction with them
    page.goto(f"{base}/interactions/add/?organizations={org.pk}&people={person.pk}")
    page.select_option("select[name=kind]", "call")
    page.fill("input[name=subject]", "Rahmenvertrag 2027 besprochen")
    page.fill("textarea[name=body]", "Preise <b>fett</b> & Liefertermine 🚚")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/interactions/\d+/$"))

    # it shows on the organization's timeline (loaded by htmx), the decision maker in the buying center
    page.goto(f"{base}{org.get_absolute_url()}")
    timeline_item = page.locator(".timeline-item", has_text="Rahmenvertrag 2027 besprochen")
    timeline_item.wait_for()
    assert "Weißmüller" in page.inner_text("main")

    # switch to German
    page.select_option("#language-select", "de")
    page.click("form.language-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Organisationen" in page.inner_text("header")

    # search from the header
    page.fill("header input[name=q]", "groesser")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.get_by_role("link", name=re.compile("Weißmüller")).first.wait_for()
    page.fill("header input[name=q]", "Größer")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Gr"))
    assert page.get_by_role("link", name="Größer & Söhne GmbH").count() >= 1
