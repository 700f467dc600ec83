"""One real user path in headless Chromium: log in, create an organization, add a person with a
buying role (choosing the organization by typing), log an interaction (choosing its parties by
typing), see it on the timeline, switch to German, search."""

from __future__ import annotations

import re

import pytest

from accord.interactions.models import Interaction
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

    # add a person with a buying role at it, choosing the organization by typing (keyboard only)
    page.goto(f"{base}/people/add/")
    search = page.locator("#id_organization_search")
    search.fill("größer")
    page.locator("#id_organization_results [role=option]", has_text="Größer & Söhne").wait_for()
    assert search.get_attribute("aria-expanded") == "true"
    search.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == f"organization-option-{org.pk}"
    search.press("Enter")  # chooses; does not submit the form
    assert page.locator("select[name=organization] option:checked").inner_text() == (
        "Größer & Söhne GmbH"
    )
    assert search.get_attribute("aria-expanded") == "false"
    page.fill("input[name=first_name]", "Jörg")
    page.fill("input[name=last_name]", "Weißmüller")
    page.fill("input[name=email]", "joerg.weissmueller@groesser.example")
    page.fill("input[name=title]", "Einkaufsleiter")
    page.select_option("select[name=buying_role]", "decision_maker")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    person = Person.objects.get(last_name="Weißmüller")
    assert person.positions.get().buying_role == "decision_maker"

    # log an interaction with them, choosing both with the search boxes (a click, then keys)
    page.goto(f"{base}/interactions/add/")
    page.fill("#id_organizations_search", "söhne")
    page.locator("#id_organizations_results [role=option]", has_text="Größer & Söhne").click()
    page.fill("#id_people_search", "weiß")
    page.locator("#id_people_results [role=option]", has_text="Weißmüller").wait_for()
    page.press("#id_people_search", "Enter")
    assert page.locator("select[name=people] option:checked").all_inner_texts() == [
        "Jörg Weißmüller (Größer & Söhne GmbH)"
    ]
    page.select_option("select[name=kind]", "call")
    page.fill("input[name=subject]", "Rahmenvertrag 2027 besprochen")
    page.fill("textarea[name=body]", "Preise <b>fett</b> & Liefertermine 🚚")
    page.click("main form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/interactions/\d+/$"))
    interaction = Interaction.objects.get(subject="Rahmenvertrag 2027 besprochen")
    assert list(interaction.organizations.all()) == [org]
    assert list(interaction.people.all()) == [person]

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
